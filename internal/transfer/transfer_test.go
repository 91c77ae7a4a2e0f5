package transfer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/content"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/locale"
	"github.com/werkwijzer/werkwijzer/internal/seed"
	"github.com/werkwijzer/werkwijzer/internal/store"
	"github.com/werkwijzer/werkwijzer/internal/transfer"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
)

var (
	operator   = account.WithOperator(context.Background())
	exportedAt = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
)

func contentService(t *testing.T, db *database.DB) *content.Service {
	t.Helper()
	locales, err := locale.NewSet([]string{"nl", "en"})
	if err != nil {
		t.Fatal(err)
	}
	return content.NewService(store.NewContent(db.Gorm), locales)
}

func accountService(t *testing.T, db *database.DB) *account.Service {
	t.Helper()
	locales, _ := locale.NewSet([]string{"nl", "en"})
	keys, err := account.NewKeyRing([]byte(strings.Repeat("k", 32)))
	if err != nil {
		t.Fatal(err)
	}
	svc, err := account.NewService(store.NewAccounts(db.Gorm), account.Config{Keys: keys, Locales: locales})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// fill gives db everything an export carries: the sample content (live in
// both locales) and vacancies with their source, plus a FAQ whose slug
// changed (a former slug, three revisions, one restored from another) and
// whose draft differs from what is live, a deleted FAQ, and two users.
// It returns the id of the edited FAQ.
func fill(t *testing.T, db *database.DB) string {
	t.Helper()
	svc := contentService(t, db)
	f, err := seed.Sample()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seed.Load(operator, svc, f); err != nil {
		t.Fatal(err)
	}
	if _, err := seed.LoadVacancies(operator, vacancy.NewService(store.NewVacancies(db.Gorm), vacancy.Config{}), time.Now()); err != nil {
		t.Fatal(err)
	}
	faq, err := svc.Create(operator, content.FAQStructure{}, map[string]content.TranslationInput{
		"en": {Slug: "first-slug", Fields: content.FAQFields{Question: "First?", Answer: "Yes."}}})
	if err != nil {
		t.Fatal(err)
	}
	pub, err := svc.Publish(operator, faq.ID, []string{"en"})
	if err != nil {
		t.Fatal(err)
	}
	faq, err = svc.Update(operator, faq.ID, content.Update{ExpectedVersion: pub.Entry.Version, Translations: map[string]content.TranslationInput{
		"en": {Slug: "second-slug", Fields: content.FAQFields{Question: "Second? <b>&</b>", Answer: "Still yes."}}}})
	if err != nil {
		t.Fatal(err)
	}
	if pub, err = svc.Publish(operator, faq.ID, []string{"en"}); err != nil {
		t.Fatal(err)
	}
	history, err := svc.Revisions(operator, faq.ID, "en", content.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	revs := history.Items
	oldest := revs[0]
	for _, r := range revs {
		if r.Number < oldest.Number {
			oldest = r
		}
	}
	if _, err := svc.RestoreRevision(operator, oldest.ID, pub.Entry.Version); err != nil {
		t.Fatal(err)
	}
	gone, err := svc.Create(operator, content.FAQStructure{}, map[string]content.TranslationInput{
		"nl": {Slug: "weg", Fields: content.FAQFields{Question: "Weg?", Answer: "Ja."}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Delete(operator, gone.ID, gone.Version); err != nil {
		t.Fatal(err)
	}
	accounts := accountService(t, db)
	for _, nu := range []account.NewUser{
		{Email: "editor@example.com", Role: account.RoleEditor, Password: "correct horse battery"},
		{Email: "vertaler@example.com", Role: account.RoleTranslator, Locales: []string{"en"}, Password: "correct horse battery"},
	} {
		if _, err := accounts.CreateUser(operator, nu); err != nil {
			t.Fatal(err)
		}
	}
	return faq.ID
}

func export(t *testing.T, db *database.DB, withCredentials bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := transfer.Export(context.Background(), store.NewTransfer(db.Gorm), &buf, transfer.ExportOptions{WithCredentials: withCredentials, Now: exportedAt}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func importDoc(t *testing.T, db *database.DB, doc []byte, opt transfer.ImportOptions) *transfer.Report {
	t.Helper()
	rep, err := transfer.Import(context.Background(), store.NewTransfer(db.Gorm), bytes.NewReader(doc), opt)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func decode(t *testing.T, doc []byte) *transfer.Document {
	t.Helper()
	d, err := transfer.Decode(bytes.NewReader(doc), 0)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// checkCarriesEverything fails unless the export holds each kind of
// record fill made, so a round trip that loses one cannot pass for
// identical.
func checkCarriesEverything(t *testing.T, doc []byte, editedID string) {
	t.Helper()
	d := decode(t, doc)
	if len(d.Entries) != 12 || len(d.Users) != 2 || len(d.Sources) != 1 || len(d.Vacancies) != 7 {
		t.Fatalf("exported %d entries, %d users, %d sources, %d vacancies; want 12, 2, 1, 7",
			len(d.Entries), len(d.Users), len(d.Sources), len(d.Vacancies))
	}
	var edited, deleted *transfer.Entry
	for i, e := range d.Entries {
		if e.ID == editedID {
			edited = &d.Entries[i]
		}
		if e.DeletedAt != nil {
			deleted = &d.Entries[i]
		}
	}
	if edited == nil || deleted == nil {
		t.Fatal("the edited or the deleted FAQ is missing")
	}
	if len(edited.Revisions) < 3 || len(edited.FormerSlugs) != 1 || edited.FormerSlugs[0].Slug != "first-slug" || len(edited.Live) != 1 {
		t.Fatalf("the edited FAQ has %d revisions, former slugs %+v, live %+v", len(edited.Revisions), edited.FormerSlugs, edited.Live)
	}
	restored := 0
	for _, r := range edited.Revisions {
		if r.RestoredFrom != nil {
			restored++
		}
	}
	if restored != 1 {
		t.Fatalf("%d revisions say which one they restored; want 1", restored)
	}
	if edited.Drafts[0].Slug != "first-slug" || edited.Live[0].Slug != "second-slug" {
		t.Fatalf("the draft (%s) should differ from what is live (%s)", edited.Drafts[0].Slug, edited.Live[0].Slug)
	}
	for _, u := range d.Users {
		if u.PasswordHash != "" {
			t.Fatalf("user %s exported with a password hash without --with-credentials", u.Email)
		}
	}
}

// TestRoundTripIsByteIdentical: export, import into a fresh database,
// export again gives the same bytes, on each database.
func TestRoundTripIsByteIdentical(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, from *database.DB) {
		editedID := fill(t, from)
		first := export(t, from, false)
		checkCarriesEverything(t, first, editedID)

		to := freshLike(t, from)
		rep := importDoc(t, to, first, transfer.ImportOptions{})
		if rep.Entries.Created != 12 || rep.Users.Created != 2 || rep.Sources.Created != 1 || rep.Vacancies.Created != 7 {
			t.Fatalf("import into an empty database reported %+v", rep)
		}
		if second := export(t, to, false); !bytes.Equal(first, second) {
			t.Fatalf("the second export differs from the first:\n%s", firstDifference(first, second))
		}
		// Importing the same document again changes nothing.
		again := importDoc(t, to, first, transfer.ImportOptions{})
		if len(again.Changes) != 0 || again.Entries.Unchanged != 12 || again.Vacancies.Unchanged != 7 {
			t.Fatalf("a second import reported %+v", again)
		}
	})
}

// TestCredentialsTravelOnlyWhenAsked: an export with credentials carries
// the hashes and restores them (the user can sign in on the new
// database); without, the imported user exists but cannot sign in.
func TestCredentialsTravelOnlyWhenAsked(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, from *database.DB) {
		fill(t, from)
		with := export(t, from, true)
		for _, u := range decode(t, with).Users {
			if !strings.HasPrefix(u.PasswordHash, "$argon2id$") {
				t.Fatalf("user %s exported with credentials has hash %q", u.Email, u.PasswordHash)
			}
		}
		to := freshLike(t, from)
		importDoc(t, to, with, transfer.ImportOptions{})
		if second := export(t, to, true); !bytes.Equal(with, second) {
			t.Fatalf("the round trip with credentials differs:\n%s", firstDifference(with, second))
		}
		if _, err := accountService(t, to).Login(context.Background(), "editor@example.com", "correct horse battery", ""); err != nil {
			t.Fatalf("a user imported with credentials cannot sign in: %v", err)
		}

		bare := freshLike(t, from)
		importDoc(t, bare, export(t, from, false), transfer.ImportOptions{})
		if _, err := accountService(t, bare).Login(context.Background(), "editor@example.com", "correct horse battery", ""); err == nil {
			t.Fatal("a user imported without credentials signed in with the old password")
		}
	})
}

// TestSQLiteToPostgres is the documented migration path: what an
// installation on SQLite exports, PostgreSQL imports and exports again
// byte for byte.
func TestSQLiteToPostgres(t *testing.T) {
	from := dbtest.SQLite(t)
	fill(t, from)
	first := export(t, from, true)
	to := dbtest.Postgres(t)
	importDoc(t, to, first, transfer.ImportOptions{})
	if second := export(t, to, true); !bytes.Equal(first, second) {
		t.Fatalf("PostgreSQL's export differs from SQLite's:\n%s", firstDifference(first, second))
	}
}

// TestDryRunWritesNothing: a dry run reports what it would create, and
// the database stays empty.
func TestDryRunWritesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, from *database.DB) {
		fill(t, from)
		doc := export(t, from, false)
		to := freshLike(t, from)
		empty := export(t, to, false)
		rep := importDoc(t, to, doc, transfer.ImportOptions{DryRun: true})
		if !rep.DryRun || rep.Entries.Created != 12 || rep.Vacancies.Created != 7 {
			t.Fatalf("dry run reported %+v", rep)
		}
		if after := export(t, to, false); !bytes.Equal(empty, after) {
			t.Fatalf("the dry run wrote:\n%s", firstDifference(empty, after))
		}
	})
}

// TestMergeReportsWhatChanges: merging a later export into a copy that
// moved on too updates what is newer in the export, keeps what is newer
// in the database, creates what is new and leaves the rest alone.
func TestMergeReportsWhatChanges(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, here *database.DB) {
		editedID := fill(t, here)
		there := freshLike(t, here)
		importDoc(t, there, export(t, here, false), transfer.ImportOptions{})

		// Here, the edited FAQ changes again and a user is added; there,
		// a role changes.
		svc := contentService(t, here)
		e, err := svc.Entry(operator, editedID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Update(operator, editedID, content.Update{ExpectedVersion: e.Version, Translations: map[string]content.TranslationInput{
			"en": {Patch: json.RawMessage(`{"answer":"Changed here."}`)}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := accountService(t, here).CreateUser(operator, account.NewUser{Email: "new@example.com", Role: account.RoleAdmin, Password: "correct horse battery"}); err != nil {
			t.Fatal(err)
		}
		roleID := firstOfType(t, decode(t, export(t, there, false)), "role")
		thereSvc := contentService(t, there)
		r, err := thereSvc.Entry(operator, roleID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := thereSvc.Update(operator, roleID, content.Update{ExpectedVersion: r.Version, Translations: map[string]content.TranslationInput{
			"en": {Patch: json.RawMessage(`{"title":"Changed there"}`)}}}); err != nil {
			t.Fatal(err)
		}

		later := export(t, here, false)
		beforeThere := export(t, there, false)
		dry := importDoc(t, there, later, transfer.ImportOptions{DryRun: true})
		if after := export(t, there, false); !bytes.Equal(beforeThere, after) {
			t.Fatalf("the merge's dry run wrote:\n%s", firstDifference(beforeThere, after))
		}
		rep := importDoc(t, there, later, transfer.ImportOptions{})
		dry.DryRun = false
		if a, b := mustJSON(t, dry), mustJSON(t, rep); a != b {
			t.Fatalf("the dry run reported\n%s\nthe import\n%s", a, b)
		}
		want := map[string]transfer.Outcome{editedID: transfer.Updated, roleID: transfer.Kept}
		got := map[string]transfer.Outcome{}
		for _, ch := range rep.Changes {
			got[ch.ID] = ch.Outcome
		}
		for id, o := range want {
			if got[id] != o {
				t.Errorf("entry %s: %q, want %q (changes %+v)", id, got[id], o, rep.Changes)
			}
		}
		if rep.Entries != (transfer.Counts{Updated: 1, Kept: 1, Unchanged: 10}) || rep.Users != (transfer.Counts{Created: 1, Unchanged: 2}) ||
			rep.Sources != (transfer.Counts{Unchanged: 1}) || rep.Vacancies != (transfer.Counts{Unchanged: 7}) || len(rep.Changes) != 3 {
			t.Fatalf("merge reported %s", mustJSON(t, rep))
		}
		// The updated FAQ is now exactly as here; the role kept there's change.
		mergedFAQ, hereFAQ := entryJSON(t, export(t, there, false), editedID), entryJSON(t, later, editedID)
		if mergedFAQ != hereFAQ {
			t.Fatalf("the merged FAQ\n%s\ndiffers from the exported one\n%s", mergedFAQ, hereFAQ)
		}
		if !strings.Contains(entryJSON(t, export(t, there, false), roleID), "Changed there") {
			t.Fatal("the merge overwrote a newer role")
		}
	})
}

// TestRefusesANewerFormatVersion: a document from a newer Werkwijzer is
// refused with a message that says so, before anything is written.
func TestRefusesANewerFormatVersion(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, from *database.DB) {
		fill(t, from)
		doc := bytes.Replace(export(t, from, false), []byte(`"formatVersion": 1`), []byte(`"formatVersion": 2`), 1)
		// A newer version may have members this one does not know.
		doc = bytes.Replace(doc, []byte(`"entries": [`), []byte(`"comments": [], "entries": [`), 1)
		to := freshLike(t, from)
		empty := export(t, to, false)
		_, err := transfer.Import(context.Background(), store.NewTransfer(to.Gorm), bytes.NewReader(doc), transfer.ImportOptions{})
		if err == nil || !strings.Contains(err.Error(), "format version 2") || !strings.Contains(err.Error(), "newer Werkwijzer") || apperr.CodeOf(err) != apperr.BadUserInput {
			t.Fatalf("a newer format version gave %v", err)
		}
		if after := export(t, to, false); !bytes.Equal(empty, after) {
			t.Fatal("the refused import wrote")
		}
	})
}

// TestBadInputWritesNothing: a document the database refuses halfway
// (a vacancy of a source that exists nowhere, a live slug another entry
// holds) or that is invalid leaves the database as it was.
func TestBadInputWritesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, from *database.DB) {
		fill(t, from)
		good := decode(t, export(t, from, false))
		to := freshLike(t, from)
		empty := export(t, to, false)
		cases := map[string]struct {
			change func(d *transfer.Document)
			want   string
		}{
			"a vacancy of an unknown source": {func(d *transfer.Document) { d.Vacancies[6].SourceID = "no-such-source" }, "neither in the export nor in the database"},
			"a live slug twice": {func(d *transfer.Document) {
				a, b := liveEntry(d, 0), liveEntry(d, 1)
				d.Entries[b].Type, d.Entries[b].Live[0].Slug = d.Entries[a].Type, d.Entries[a].Live[0].Slug
				d.Entries[b].Live[0].Locale = d.Entries[a].Live[0].Locale
				for i := range d.Entries[b].Revisions {
					d.Entries[b].Revisions[i].Locale = d.Entries[a].Live[0].Locale
				}
				d.Entries[b].Revisions = d.Entries[b].Revisions[:1]
				d.Entries[b].Live = d.Entries[b].Live[:1]
				d.Entries[b].Live[0].RevisionID = d.Entries[b].Revisions[0].ID
			}, "already holds one of its unique values"},
			"a draft that does not fit its type": {func(d *transfer.Document) {
				d.Entries[0].Drafts[0].Fields = transfer.JSON(`{"question":5}`)
			}, "draft does not fit a faq"},
			"a slug that is no slug": {func(d *transfer.Document) { d.Entries[1].Drafts[0].Slug = "../admin" }, `slug "../admin" must be`},
			"an unknown entry type":  {func(d *transfer.Document) { d.Entries[0].Type = "page" }, `type "page" is not one of`},
			"a live revision of another entry": {func(d *transfer.Document) {
				a, b := liveEntry(d, 0), liveEntry(d, 1)
				d.Entries[a].Live[0].RevisionID = d.Entries[b].Live[0].RevisionID
			}, "not a revision of this entry"},
		}
		for name, c := range cases {
			t.Run(strings.ReplaceAll(name, " ", "_"), func(t *testing.T) {
				d := decode(t, mustEncode(t, good))
				c.change(d)
				_, err := transfer.Import(context.Background(), store.NewTransfer(to.Gorm), bytes.NewReader(mustEncode(t, d)), transfer.ImportOptions{})
				if err == nil || !strings.Contains(err.Error(), c.want) {
					t.Fatalf("got %v, want an error saying %q", err, c.want)
				}
				if after := export(t, to, false); !bytes.Equal(empty, after) {
					t.Fatalf("the refused import wrote:\n%s", firstDifference(empty, after))
				}
			})
		}
	})
}

func TestDecodeRefusesWhatIsNotAnExport(t *testing.T) {
	for name, c := range map[string]struct{ doc, want string }{
		"not JSON":              {`<xml/>`, "not a Werkwijzer export"},
		"another JSON document": {`{"format":"openapi"}`, `format is "openapi"`},
		"no version":            {`{"format":"werkwijzer-export"}`, "no valid formatVersion"},
		"an unknown member":     {`{"format":"werkwijzer-export","formatVersion":1,"exportedAt":"2026-01-01T00:00:00.000000Z","surprise":1}`, `unknown field "surprise"`},
		"two documents":         {`{"format":"werkwijzer-export","formatVersion":1,"exportedAt":"2026-01-01T00:00:00.000000Z"} {}`, "after top-level value"},
		"a local time":          {`{"format":"werkwijzer-export","formatVersion":1,"exportedAt":"2026-01-01T01:00:00+01:00"}`, "want the form"},
	} {
		t.Run(strings.ReplaceAll(name, " ", "_"), func(t *testing.T) {
			_, err := transfer.Decode(strings.NewReader(c.doc), 0)
			if err == nil || !strings.Contains(err.Error(), c.want) || apperr.CodeOf(err) != apperr.BadUserInput {
				t.Fatalf("got %v, want a BAD_USER_INPUT error saying %q", err, c.want)
			}
		})
	}
}

// countingReader is a long document of n bytes that counts what was read.
type countingReader struct{ read, n int64 }

func (r *countingReader) Read(p []byte) (int, error) {
	if r.read >= r.n {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), r.n-r.read)]
	for i := range p {
		p[i] = ' '
	}
	r.read += int64(len(p))
	return len(p), nil
}

// TestDecodeReadsNoMoreThanItsLimit: a document over the limit is refused
// after reading one byte past it, however long it is.
func TestDecodeReadsNoMoreThanItsLimit(t *testing.T) {
	const limit = 64 << 10
	r := &countingReader{n: 1 << 30}
	_, err := transfer.Decode(r, limit)
	if err == nil || !strings.Contains(err.Error(), "larger than the limit of 65536 bytes") {
		t.Fatalf("a document of 1 GiB gave %v", err)
	}
	if r.read > limit+1 {
		t.Fatalf("read %d bytes of a 1 GiB document with a limit of %d", r.read, limit)
	}
	doc := `{"format":"werkwijzer-export","formatVersion":1,"exportedAt":"2026-01-01T00:00:00.000000Z"}`
	if _, err := transfer.Decode(strings.NewReader(doc), int64(len(doc))); err != nil {
		t.Fatalf("a document of exactly the limit was refused: %v", err)
	}
	if _, err := transfer.Decode(strings.NewReader(doc+" "), int64(len(doc))); err == nil {
		t.Fatal("a document one byte over the limit was read")
	}
}

// freshLike returns an empty migrated database of the same dialect.
func freshLike(t *testing.T, db *database.DB) *database.DB {
	t.Helper()
	if db.Dialect == database.Postgres {
		return dbtest.Postgres(t)
	}
	return dbtest.SQLite(t)
}

func liveEntry(d *transfer.Document, nth int) int {
	for i, e := range d.Entries {
		if len(e.Live) > 0 && e.DeletedAt == nil {
			if nth == 0 {
				return i
			}
			nth--
		}
	}
	panic("not enough live entries")
}

func firstOfType(t *testing.T, d *transfer.Document, typ string) string {
	t.Helper()
	for _, e := range d.Entries {
		if e.Type == typ {
			return e.ID
		}
	}
	t.Fatalf("no %s exported", typ)
	return ""
}

func entryJSON(t *testing.T, doc []byte, id string) string {
	t.Helper()
	for _, e := range decode(t, doc).Entries {
		if e.ID == id {
			return mustJSON(t, e)
		}
	}
	t.Fatalf("entry %s not exported", id)
	return ""
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func mustEncode(t *testing.T, d *transfer.Document) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := transfer.Encode(&buf, d); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// firstDifference shows the first line where two documents differ.
func firstDifference(a, b []byte) string {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return "line " + itoa(i+1) + ":\n- " + al[i] + "\n+ " + bl[i]
		}
	}
	return "one is a prefix of the other (" + itoa(len(al)) + " and " + itoa(len(bl)) + " lines)"
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }
