package httpserver_test

import (
	"encoding/json"
	"sync"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
)

// partVersions is an entry's version and those of its parts.
type partVersions struct {
	ID               string
	Version          int
	StructureVersion int
	Translations     []struct {
		Locale  string
		Version int
		Fields  json.RawMessage
	}
}

const partFields = `id version structureVersion translations { locale version fields }`

func (p partVersions) translation(t testing.TB, loc string) (version int, title string) {
	t.Helper()
	for _, tr := range p.Translations {
		if tr.Locale == loc {
			var f struct{ Title string }
			if err := json.Unmarshal(tr.Fields, &f); err != nil {
				t.Fatal(err)
			}
			return tr.Version, f.Title
		}
	}
	t.Fatalf("no %s translation in %+v", loc, p)
	return 0, ""
}

const patchTranslation = `mutation($id: ID!, $v: Int!, $l: String!, $f: JSON!) {
  updateTranslation(id: $id, expectedVersion: $v, locale: $l, fields: $f) { ` + partFields + ` } }`

// concurrently runs each function in its own goroutine, released together,
// and returns their answers in order.
func concurrently(fns ...func() gqlResponse) []gqlResponse {
	out := make([]gqlResponse, len(fns))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Go(func() {
			<-start
			out[i] = fn()
		})
	}
	close(start)
	wg.Wait()
	return out
}

// TestDutchEditorAndEnglishTranslatorSaveFromOneVersion is the issue's
// case: both start from the same version of the seed article and save at
// once, the editor the whole Dutch translation, the translator a patch of
// the English one; neither is refused and neither loses text.
func TestDutchEditorAndEnglishTranslatorSaveFromOneVersion(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		a := newAPI(t, db)
		editor := a.signIn(t, "editor@example.com", account.RoleEditor)
		translator := a.signIn(t, "vertaler@example.com", account.RoleTranslator, "en")
		before := a.seedArticle(t, editor)
		var parts struct{ Entry partVersions }
		a.post(`query($id: ID!) { entry(id: $id) { `+partFields+` } }`, map[string]any{"id": before.ID}, editor...).ok(t, &parts)
		enVersion, _ := parts.Entry.translation(t, "en")

		answers := concurrently(
			func() gqlResponse {
				return a.post(updateArticle, map[string]any{"id": before.ID, "v": before.Version, "in": articleInput(t, before, "nl", "Nieuwe Nederlandse titel")}, editor...)
			},
			func() gqlResponse {
				return a.post(patchTranslation, map[string]any{"id": before.ID, "v": enVersion, "l": "en", "f": map[string]any{"title": "New English title"}}, translator...)
			},
		)
		for i, res := range answers {
			if len(res.Errors) > 0 {
				t.Fatalf("writer %d was refused although it changed only its own locale: %s", i, res.raw)
			}
		}
		a.post(`query($id: ID!) { entry(id: $id) { `+partFields+` } }`, map[string]any{"id": before.ID}, editor...).ok(t, &parts)
		after := parts.Entry
		if after.Version != before.Version+2 {
			t.Fatalf("version %d after two saves from %d", after.Version, before.Version)
		}
		nlV, nlTitle := after.translation(t, "nl")
		enV, enTitle := after.translation(t, "en")
		if nlTitle != "Nieuwe Nederlandse titel" || enTitle != "New English title" {
			t.Fatalf("a save was lost: nl %q, en %q", nlTitle, enTitle)
		}
		if nlV == enV || max(nlV, enV) != after.Version || min(nlV, enV) != before.Version+1 {
			t.Fatalf("translation versions nl %d, en %d: want one each of %d and %d", nlV, enV, before.Version+1, before.Version+2)
		}
		if after.StructureVersion > before.Version {
			t.Fatalf("saving text moved the structure to version %d", after.StructureVersion)
		}
	})
}

// TestTwoEnglishSavesFromOneVersionGiveOneWinner: a version per
// translation still protects a translation from its own concurrent writers.
func TestTwoEnglishSavesFromOneVersionGiveOneWinner(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		a := newAPI(t, db)
		editor := a.signIn(t, "editor@example.com", account.RoleEditor)
		translator := a.signIn(t, "vertaler@example.com", account.RoleTranslator, "en")
		before := a.seedArticle(t, editor)
		save := func(title string, auth []string) func() gqlResponse {
			return func() gqlResponse {
				return a.post(patchTranslation, map[string]any{"id": before.ID, "v": before.Version, "l": "en", "f": map[string]any{"title": title}}, auth...)
			}
		}
		answers := concurrently(save("Editor's title", editor), save("Translator's title", translator))
		won := map[bool]int{}
		for _, res := range answers {
			won[len(res.Errors) == 0]++
		}
		if won[true] != 1 || won[false] != 1 {
			t.Fatalf("want one winner and one conflict, got %s and %s", answers[0].raw, answers[1].raw)
		}
		loser, winnerEmail := answers[0], "vertaler@example.com"
		if len(loser.Errors) == 0 {
			loser, winnerEmail = answers[1], "editor@example.com"
		}
		ext := loser.Errors[0].Extensions
		if ext["code"] != "CONFLICT" || ext["part"] != "translation" || ext["locale"] != "en" ||
			ext["updatedByEmail"] != winnerEmail || ext["updatedAt"] == nil || ext["currentVersion"] != float64(before.Version+1) {
			t.Fatalf("want CONFLICT on the English translation with who and when, got %s", loser.raw)
		}
	})
}

// TestStructureChangesConflictOnlyWithStructureChanges: the structure has
// its own version; a delete, which ends every part, conflicts with any
// later change.
func TestStructureChangesConflictOnlyWithStructureChanges(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		a := newAPI(t, db)
		editor := a.signIn(t, "editor@example.com", account.RoleEditor)
		translator := a.signIn(t, "vertaler@example.com", account.RoleTranslator, "en")
		var created struct{ CreateRole partVersions }
		a.post(`mutation { createRole(input: { structure: { faqIds: [] }, translations: [
			{ locale: "nl", slug: "bakker", title: "Bakker", summary: "Bakt." },
			{ locale: "en", slug: "baker", title: "Baker", summary: "Bakes." } ] }) { `+partFields+` } }`, nil, editor...).ok(t, &created)
		role := created.CreateRole
		if role.Version != 1 || role.StructureVersion != 1 {
			t.Fatalf("a new role is at version %d, structure %d; want 1 and 1", role.Version, role.StructureVersion)
		}
		const setSalary = `mutation($id: ID!, $v: Int!, $min: Int!) { updateRole(id: $id, expectedVersion: $v, input: { structure: {
			faqIds: [], salary: { min: $min, max: 5000, currency: "EUR", period: MONTH } } }) { ` + partFields + ` } }`

		var restructured struct{ UpdateRole partVersions }
		a.post(setSalary, map[string]any{"id": role.ID, "v": 1, "min": 3000}, editor...).ok(t, &restructured)
		if restructured.UpdateRole.StructureVersion != 2 {
			t.Fatalf("structure version %d after a structure change, want 2", restructured.UpdateRole.StructureVersion)
		}
		if v, _ := restructured.UpdateRole.translation(t, "en"); v != 1 {
			t.Fatalf("a structure change moved the English translation to version %d", v)
		}
		// The translator read version 1 and never saw the structure change.
		res := a.post(patchTranslation, map[string]any{"id": role.ID, "v": 1, "l": "en", "f": map[string]any{"title": "Master baker"}}, translator...)
		if len(res.Errors) > 0 {
			t.Fatalf("a translation based on version 1 was refused over a structure change: %s", res.raw)
		}
		res = a.post(setSalary, map[string]any{"id": role.ID, "v": 1, "min": 3500}, editor...)
		if ext := firstExtensions(res); ext["code"] != "CONFLICT" || ext["part"] != "structure" || ext["currentVersion"] != float64(2) ||
			ext["updatedByEmail"] != "editor@example.com" {
			t.Fatalf("a second structure change from version 1: want CONFLICT on the structure, got %s", res.raw)
		}
		res = a.post(`mutation($id: ID!, $v: Int!) { deleteEntry(id: $id, expectedVersion: $v) }`, map[string]any{"id": role.ID, "v": 2}, editor...)
		if ext := firstExtensions(res); ext["code"] != "CONFLICT" || ext["part"] != "entry" || ext["updatedByEmail"] != "vertaler@example.com" {
			t.Fatalf("deleting from version 2 after the translator's save at 3: want CONFLICT on the entry, got %s", res.raw)
		}
		res = a.post(patchTranslation, map[string]any{"id": role.ID, "v": 4, "l": "en", "f": map[string]any{"title": "Baker"}}, translator...)
		if firstExtensions(res)["code"] != "CONFLICT" {
			t.Fatalf("a version from the future was accepted: %s", res.raw)
		}
	})
}

func firstExtensions(res gqlResponse) map[string]any {
	if len(res.Errors) == 0 {
		return nil
	}
	return res.Errors[0].Extensions
}
