package httpserver_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/content"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
)

const testPassword = "correct horse battery staple"

// signIn creates an account and logs it in through GraphQL, returning the
// header pair that authenticates as it.
func (a *api) signIn(t testing.TB, email string, role account.Role, locales ...string) []string {
	t.Helper()
	ctx := account.WithOperator(context.Background())
	if _, err := a.accounts.CreateUser(ctx, account.NewUser{Email: email, Role: role, Locales: locales, Password: testPassword}); err != nil {
		t.Fatal(err)
	}
	var res struct {
		Login struct {
			AccessToken, RefreshToken string
			User                      struct{ Email, Role string }
		}
	}
	a.post(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken refreshToken user { email role } } }`,
		map[string]any{"e": email, "p": testPassword}).ok(t, &res)
	if res.Login.AccessToken == "" || res.Login.User.Role != string(role) {
		t.Fatalf("login: %+v", res.Login)
	}
	return []string{"Authorization", "Bearer " + res.Login.AccessToken}
}

type entryView struct {
	ID           string
	Version      int
	Translations []struct {
		Locale, Slug string
		Fields       json.RawMessage
	}
	Status []struct {
		Locale         string
		Exists         bool
		Published      bool
		DraftDiffers   bool
		MissingFields  []string
		OutdatedFields []string
	}
}

const entryFields = `id version translations { locale slug fields } status { locale exists published draftDiffers missingFields outdatedFields }`

// seedArticle returns the seed article's editor view.
func (a *api) seedArticle(t testing.TB, auth []string) entryView {
	t.Helper()
	var res struct {
		Entries struct{ Edges []struct{ Node entryView } }
	}
	a.post(`{ entries(type: ARTICLE) { edges { node { `+entryFields+` } } } }`, nil, auth...).ok(t, &res)
	if len(res.Entries.Edges) != 1 {
		t.Fatalf("want the seed article, got %d articles", len(res.Entries.Edges))
	}
	return res.Entries.Edges[0].Node
}

// enArticleInput turns an article's stored English fields into the input
// that saves them with a new title.
func enArticleInput(t testing.TB, e entryView, title string) map[string]any {
	t.Helper()
	return articleInput(t, e, "en", title)
}

// articleInput turns an article's stored fields in loc into the input that
// saves them with a new title.
func articleInput(t testing.TB, e entryView, loc, title string) map[string]any {
	t.Helper()
	for _, tr := range e.Translations {
		if tr.Locale != loc {
			continue
		}
		var f struct {
			Title, Lead, SeoTitle, SeoDescription string
			Blocks                                map[string]struct{ Anchor, Heading, Body, Label, URL string }
		}
		if err := json.Unmarshal(tr.Fields, &f); err != nil {
			t.Fatal(err)
		}
		var blocks []map[string]any
		for id, b := range f.Blocks {
			blocks = append(blocks, map[string]any{"blockId": id, "anchor": b.Anchor, "heading": b.Heading, "body": b.Body, "label": b.Label, "url": b.URL})
		}
		return map[string]any{"translations": []map[string]any{{
			"locale": loc, "slug": tr.Slug, "title": title, "lead": f.Lead,
			"seoTitle": f.SeoTitle, "seoDescription": f.SeoDescription, "blocks": blocks,
		}}}
	}
	t.Fatalf("no %s translation", loc)
	return nil
}

const updateArticle = `mutation($id: ID!, $v: Int!, $in: ArticleUpdateInput!) { updateArticle(id: $id, expectedVersion: $v, input: $in) { ` + entryFields + ` } }`

func publicTitle(t testing.TB, a *api, locale string) string {
	t.Helper()
	var res struct{ Article struct{ Title string } }
	a.post(`query($l: String) { article(slug: "`+nlArticleSlug+`", locale: $l) { title } }`, map[string]any{"l": locale}).ok(t, &res)
	return res.Article.Title
}

// TestEditorWorkflow is the walkthrough: change the English title
// as a draft, see the public API keep the old one, publish, see the new
// one, restore the previous revision and publish again.
func TestEditorWorkflow(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		a := newAPI(t, db)
		auth := a.signIn(t, "editor@example.com", account.RoleEditor)
		before := a.seedArticle(t, auth)
		oldTitle := publicTitle(t, a, "en")

		var saved struct{ UpdateArticle entryView }
		a.post(updateArticle, map[string]any{"id": before.ID, "v": before.Version, "in": enArticleInput(t, before, "A brand-new English title")}, auth...).ok(t, &saved)
		if saved.UpdateArticle.Version != before.Version+1 {
			t.Fatalf("version %d after saving version %d", saved.UpdateArticle.Version, before.Version)
		}
		if got := publicTitle(t, a, "en"); got != oldTitle {
			t.Fatalf("the public API serves the draft title %q", got)
		}
		var preview struct{ Article struct{ Title string } }
		a.post(`{ article(slug: "`+nlArticleSlug+`", locale: "en", preview: true) { title } }`, nil, auth...).ok(t, &preview)
		if preview.Article.Title != "A brand-new English title" {
			t.Fatalf("preview shows %q", preview.Article.Title)
		}
		for _, st := range saved.UpdateArticle.Status {
			if st.Locale == "en" && !st.DraftDiffers {
				t.Fatal("the English draft differs from what is live but the status says it does not")
			}
		}

		a.post(`mutation($id: ID!) { publish(id: $id, locales: ["en"]) { entry { id } } }`, map[string]any{"id": before.ID}, auth...).ok(t, new(any))
		if got := publicTitle(t, a, "en"); got != "A brand-new English title" {
			t.Fatalf("after publishing the public API serves %q", got)
		}

		var history struct {
			Revisions struct {
				Edges []struct {
					Node struct {
						ID, Kind string
						Number   int
						Document json.RawMessage
					}
				}
			}
		}
		a.post(`query($id: ID!) { revisions(id: $id, locale: "en", first: 100) { edges { node { id kind number document } } } }`, map[string]any{"id": before.ID}, auth...).ok(t, &history)
		var previous string
		for _, edge := range history.Revisions.Edges {
			rev := edge.Node
			if rev.Kind == "PUBLISHED" && strings.Contains(string(rev.Document), oldTitle) {
				previous = rev.ID
				break
			}
		}
		if previous == "" || history.Revisions.Edges[0].Node.Kind != "PUBLISHED" {
			t.Fatalf("history lacks the old publication or is not newest first: %+v", history.Revisions)
		}
		var restored struct{ RestoreRevision entryView }
		a.post(`mutation($r: ID!, $v: Int!) { restoreRevision(revisionId: $r, expectedVersion: $v) { `+entryFields+` } }`,
			map[string]any{"r": previous, "v": saved.UpdateArticle.Version}, auth...).ok(t, &restored)
		if got := publicTitle(t, a, "en"); got != "A brand-new English title" {
			t.Fatal("restoring a revision changed what is live before publishing")
		}
		a.post(`mutation($id: ID!) { publish(id: $id, locales: ["en"]) { entry { id } } }`, map[string]any{"id": before.ID}, auth...).ok(t, new(any))
		if got := publicTitle(t, a, "en"); got != oldTitle {
			t.Fatalf("after restoring and publishing the public API serves %q, want %q", got, oldTitle)
		}
		var after struct {
			Revisions struct{ TotalCount int }
		}
		a.post(`query($id: ID!) { revisions(id: $id, locale: "en") { totalCount } }`, map[string]any{"id": before.ID}, auth...).ok(t, &after)
		if after.Revisions.TotalCount <= len(history.Revisions.Edges) {
			t.Fatal("restoring rewrote history instead of adding to it")
		}
	})
}

func TestConcurrentUpdatesFromOneVersion(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		a := newAPI(t, db)
		auth := a.signIn(t, "editor@example.com", account.RoleEditor)
		before := a.seedArticle(t, auth)
		const writers = 8
		var wg sync.WaitGroup
		results := make([]gqlResponse, writers)
		for i := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				in := enArticleInput(t, before, fmt.Sprintf("Title written by writer %d", i))
				results[i] = a.post(updateArticle, map[string]any{"id": before.ID, "v": before.Version, "in": in}, auth...)
			}()
		}
		wg.Wait()
		winner := -1
		for i, res := range results {
			if len(res.Errors) == 0 {
				if winner >= 0 {
					t.Fatalf("writers %d and %d both succeeded from version %d", winner, i, before.Version)
				}
				winner = i
				continue
			}
			ext := res.Errors[0].Extensions
			if ext["code"] != "CONFLICT" || ext["currentVersion"] == nil || ext["updatedByEmail"] != "editor@example.com" || ext["updatedAt"] == nil {
				t.Fatalf("writer %d: want CONFLICT with who and when, got %s", i, res.raw)
			}
		}
		if winner < 0 {
			t.Fatal("no writer succeeded")
		}
		var preview struct{ Article struct{ Title string } }
		a.post(`{ article(slug: "`+nlArticleSlug+`", locale: "en", preview: true) { title } }`, nil, auth...).ok(t, &preview)
		if want := fmt.Sprintf("Title written by writer %d", winner); preview.Article.Title != want {
			t.Fatalf("the draft holds %q, want the winner's %q", preview.Article.Title, want)
		}
		now := a.seedArticle(t, auth)
		if now.Version != before.Version+1 {
			t.Fatalf("version went from %d to %d with one successful write", before.Version, now.Version)
		}
	})
}

func TestPermissions(t *testing.T) {
	a := newAPI(t, dbtest.SQLite(t))
	translator := a.signIn(t, "vertaler@example.com", account.RoleTranslator, "en")
	editor := a.signIn(t, "editor@example.com", account.RoleEditor)
	article := a.seedArticle(t, editor)

	codeOf := func(res gqlResponse) string {
		if len(res.Errors) == 0 {
			return ""
		}
		c, _ := res.Errors[0].Extensions["code"].(string)
		return c
	}
	// Anonymous.
	if c := codeOf(a.post(`{ entries { totalCount } }`, nil)); c != "UNAUTHENTICATED" {
		t.Errorf("anonymous entries: %q", c)
	}
	if c := codeOf(a.post(`{ article(slug: "`+nlArticleSlug+`", preview: true) { title } }`, nil)); c != "UNAUTHENTICATED" {
		t.Errorf("anonymous preview: %q", c)
	}
	if c := codeOf(a.post(`{ entries { totalCount } }`, nil, "Authorization", "Bearer not-a-token")); c != "UNAUTHENTICATED" {
		t.Errorf("bad token: %q", c)
	}
	// A translator edits English...
	res := a.post(updateArticle, map[string]any{"id": article.ID, "v": article.Version, "in": enArticleInput(t, article, "Vertaalde titel")}, translator...)
	if len(res.Errors) > 0 {
		t.Fatalf("translator editing English: %s", res.raw)
	}
	// ...but not Dutch, not the structure, and cannot publish, create or delete.
	nl := enArticleInput(t, article, "Nieuwe titel")
	nl["translations"].([]map[string]any)[0]["locale"] = "nl"
	if c := codeOf(a.post(updateArticle, map[string]any{"id": article.ID, "v": article.Version + 1, "in": nl}, translator...)); c != "FORBIDDEN" {
		t.Errorf("translator editing Dutch: %q", c)
	}
	structure := map[string]any{"structure": map[string]any{"blocks": []any{}}}
	if c := codeOf(a.post(updateArticle, map[string]any{"id": article.ID, "v": article.Version + 1, "in": structure}, translator...)); c != "FORBIDDEN" {
		t.Errorf("translator changing blocks: %q", c)
	}
	for name, q := range map[string]string{
		"publish": `mutation { publish(id: "` + article.ID + `", locales: ["en"]) { entry { id } } }`,
		"delete":  `mutation { deleteEntry(id: "` + article.ID + `", expectedVersion: 2) }`,
		"create":  `mutation { createFAQ(input: { translations: [{ locale: "en", slug: "q", question: "Q?", answer: "A." }] }) { id } }`,
		"users":   `{ users { email } }`,
		"audit":   `{ auditLog { edges { node { action } } } }`,
	} {
		if c := codeOf(a.post(q, nil, translator...)); c != "FORBIDDEN" {
			t.Errorf("translator %s: %q", name, c)
		}
	}
	if c := codeOf(a.post(`{ users { email } }`, nil, editor...)); c != "FORBIDDEN" {
		t.Errorf("editor listing users: %q", c)
	}
	// Bad input names the field.
	bad := a.post(`mutation { createFAQ(input: { translations: [{ locale: "en", slug: "Not A Slug", question: "Q?", answer: "A." }] }) { id } }`, nil, editor...)
	if codeOf(bad) != "BAD_USER_INPUT" || bad.Errors[0].Extensions["field"] != "slug" {
		t.Errorf("bad slug: %s", bad.raw)
	}
}

func TestPublishIsRefusedWithTheReasonsPerLocale(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		a := newAPI(t, db)
		editor := a.signIn(t, "editor@example.com", account.RoleEditor)
		var created struct{ CreateFAQ entryView }
		a.post(`mutation { createFAQ(input: { translations: [
			{ locale: "nl", slug: "doorgroeien-van-personal-assistant-naar-office-manager", question: "Dubbel?", answer: "Ja." },
			{ locale: "en", slug: "half-done", question: "Only a question?", answer: "" } ] }) { `+entryFields+` } }`, nil, editor...).ok(t, &created)
		res := a.post(`mutation($id: ID!) { publish(id: $id, locales: ["nl", "en"]) { entry { id } } }`, map[string]any{"id": created.CreateFAQ.ID}, editor...)
		if res.code(t) != "BAD_USER_INPUT" {
			t.Fatalf("publish: %s", res.raw)
		}
		problems, _ := res.Errors[0].Extensions["problems"].([]any)
		if len(problems) != 2 {
			t.Fatalf("want a problem per locale: %s", res.raw)
		}
		raw, _ := json.Marshal(problems)
		if !strings.Contains(string(raw), `"slugTaken":"doorgroeien-van-personal-assistant-naar-office-manager"`) ||
			!strings.Contains(string(raw), `"missingFields":["answer"]`) {
			t.Fatalf("problems do not name the taken slug and the missing answer: %s", raw)
		}
		var live struct {
			FAQs struct{ TotalCount int } `json:"faqs"`
		}
		a.post(`{ faqs(locale: "en") { totalCount } }`, nil).ok(t, &live)
		if live.FAQs.TotalCount != 6 {
			t.Fatalf("a refused publication went live: %d FAQs", live.FAQs.TotalCount)
		}
	})
}

func TestSlugHistoryKeepsOldLinksWorking(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		a := newAPI(t, db)
		editor := a.signIn(t, "editor@example.com", account.RoleEditor)
		article := a.seedArticle(t, editor)
		in := enArticleInput(t, article, "Office manager or personal assistant?")
		in["translations"].([]map[string]any)[0]["slug"] = "office-manager-or-personal-assistant"
		a.post(updateArticle, map[string]any{"id": article.ID, "v": article.Version, "in": in}, editor...).ok(t, new(any))
		a.post(`mutation($id: ID!) { publish(id: $id, locales: ["en"]) { entry { id } } }`, map[string]any{"id": article.ID}, editor...).ok(t, new(any))

		var res struct {
			Article struct {
				Slug          string
				SlugIsCurrent bool
				Title         string
			}
		}
		a.post(`{ article(slug: "`+enArticleSlug+`", locale: "en") { slug slugIsCurrent title } }`, nil).ok(t, &res)
		if res.Article.Slug != "office-manager-or-personal-assistant" || res.Article.SlugIsCurrent {
			t.Fatalf("the old slug should resolve and point at the new one: %+v", res.Article)
		}
		a.post(`{ article(slug: "office-manager-or-personal-assistant", locale: "en") { slug slugIsCurrent title } }`, nil).ok(t, &res)
		if !res.Article.SlugIsCurrent {
			t.Fatalf("the current slug is reported as not current: %+v", res.Article)
		}
	})
}

func TestTranslationStatusFindsOutdatedFields(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		a := newAPI(t, db)
		editor := a.signIn(t, "editor@example.com", account.RoleEditor)
		article := a.seedArticle(t, editor)
		// Change the Dutch title: the English title is now outdated.
		nl := articleInput(t, article, "nl", "Een nieuwe Nederlandse titel")
		var saved struct{ UpdateArticle entryView }
		a.post(updateArticle, map[string]any{"id": article.ID, "v": article.Version, "in": nl}, editor...).ok(t, &saved)
		var en *struct {
			Locale         string
			Exists         bool
			Published      bool
			DraftDiffers   bool
			MissingFields  []string
			OutdatedFields []string
		}
		for i := range saved.UpdateArticle.Status {
			if saved.UpdateArticle.Status[i].Locale == "en" {
				en = &saved.UpdateArticle.Status[i]
			}
		}
		if en == nil || len(en.OutdatedFields) != 1 || en.OutdatedFields[0] != "title" {
			t.Fatalf("English status after the Dutch title changed: %+v", en)
		}
		var work struct {
			NeedsTranslation struct {
				Edges []struct {
					Node struct {
						Entry  struct{ ID string }
						Status struct{ OutdatedFields []string }
					}
				}
			}
		}
		a.post(`{ needsTranslation(locale: "en") { edges { node { entry { id } status { outdatedFields } } } } }`, nil, editor...).ok(t, &work)
		if len(work.NeedsTranslation.Edges) != 1 || work.NeedsTranslation.Edges[0].Node.Entry.ID != article.ID {
			t.Fatalf("needsTranslation(en): %+v", work.NeedsTranslation)
		}
	})
}

func TestAuditLogRecordsMutations(t *testing.T) {
	a := newAPI(t, dbtest.SQLite(t))
	admin := a.signIn(t, "admin@example.com", account.RoleAdmin)
	article := a.seedArticle(t, admin)
	a.post(updateArticle, map[string]any{"id": article.ID, "v": article.Version, "in": enArticleInput(t, article, "Logged")}, admin...).ok(t, new(any))
	a.post(`mutation($id: ID!) { publish(id: $id, locales: ["en"]) { entry { id } } }`, map[string]any{"id": article.ID}, admin...).ok(t, new(any))
	var res struct {
		AuditLog struct {
			Edges []struct {
				Node struct {
					Action, EntryID string
					Locale          *string
					EntryType       string
					Actor           *struct{ Email string }
				}
			}
		}
	}
	a.post(`query($id: ID) { auditLog(entryId: $id) { edges { node { action entryId entryType locale actor { email } } } } }`, map[string]any{"id": article.ID}, admin...).ok(t, &res)
	var actions []string
	for _, e := range res.AuditLog.Edges {
		actions = append(actions, e.Node.Action)
	}
	if got := strings.Join(actions, ","); !strings.HasPrefix(got, "publish,update,") {
		t.Fatalf("audit log for the article, newest first: %s", got)
	}
	first := res.AuditLog.Edges[0].Node
	if first.Actor == nil || first.Actor.Email != "admin@example.com" || first.Locale == nil || *first.Locale != "en" || first.EntryType != "ARTICLE" {
		t.Fatalf("publish entry: %+v", first)
	}
}

func TestRenderMarkdownCostGrowsWithText(t *testing.T) {
	a := newAPI(t, dbtest.SQLite(t))
	editor := a.signIn(t, "editor@example.com", account.RoleEditor)
	var one struct{ RenderMarkdown string }
	a.post(`query($m: String!) { renderMarkdown(markdown: $m) }`, map[string]any{"m": "- een\n- twee"}, editor...).ok(t, &one)
	if !strings.Contains(one.RenderMarkdown, "<li>een</li>") {
		t.Fatalf("rendered %q", one.RenderMarkdown)
	}
	var q strings.Builder
	q.WriteString(`query($m: String!) {`)
	for i := range 50 {
		fmt.Fprintf(&q, " r%d: renderMarkdown(markdown: $m)", i)
	}
	q.WriteString(" }")
	big := strings.Repeat("woord ", 10000) // 60 KB, rendered 50 times over by aliases
	if code := a.post(q.String(), map[string]any{"m": big}, editor...).code(t); code != "COMPLEXITY_LIMIT_EXCEEDED" {
		t.Fatalf("50 aliased renderings of 60 KB: %q, want COMPLEXITY_LIMIT_EXCEEDED", code)
	}
}

func TestHostileLoginIsAPlainFailure(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		a := newAPI(t, db)
		for _, email := range []string{"a\x00b@example.com", "", "not-an-email", strings.Repeat("x", 300) + "@example.com"} {
			res := a.post(`mutation($e: String!) { login(email: $e, password: "whatever-it-is") { accessToken } }`, map[string]any{"e": email})
			if code := res.code(t); code != "UNAUTHENTICATED" {
				t.Errorf("login as %q: %q, want UNAUTHENTICATED", email, code)
			}
		}
	})
}

func TestUserChangesAreAudited(t *testing.T) {
	a := newAPI(t, dbtest.SQLite(t))
	admin := a.signIn(t, "admin@example.com", account.RoleAdmin)
	var created struct{ CreateUser struct{ ID string } }
	a.post(`mutation { createUser(input: { email: "nieuw@example.com", password: "a-long-enough-password", role: TRANSLATOR, locales: ["en"] }) { id } }`,
		nil, admin...).ok(t, &created)
	a.post(`mutation($id: ID!) { updateUser(id: $id, input: { active: false }) { active } }`, map[string]any{"id": created.CreateUser.ID}, admin...).ok(t, new(any))
	var res struct {
		AuditLog struct {
			Edges []struct {
				Node struct {
					Action  string
					Details map[string]any
					Actor   *struct{ Email string }
				}
			}
		}
	}
	a.post(`{ auditLog(first: 5) { edges { node { action details actor { email } } } } }`, nil, admin...).ok(t, &res)
	var actions []string
	for _, e := range res.AuditLog.Edges {
		if e.Node.Details["userId"] == created.CreateUser.ID {
			actions = append(actions, e.Node.Action)
			if e.Node.Actor == nil || e.Node.Actor.Email != "admin@example.com" {
				t.Errorf("%s without the admin as actor", e.Node.Action)
			}
		}
	}
	if strings.Join(actions, ",") != "user.update,user.create" {
		t.Fatalf("audit of the new user, newest first: %v", actions)
	}
}

func TestUpdateTranslationChangesOnlyWhatItNames(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		a := newAPI(t, db)
		editor := a.signIn(t, "editor@example.com", account.RoleEditor)
		article := a.seedArticle(t, editor)
		var res struct{ UpdateTranslation entryView }
		a.post(`mutation($id: ID!, $v: Int!) { updateTranslation(id: $id, expectedVersion: $v, locale: "en", fields: {title: "Patched title"}) { `+entryFields+` } }`,
			map[string]any{"id": article.ID, "v": article.Version}, editor...).ok(t, &res)
		var before, after map[string]any
		for _, tr := range article.Translations {
			if tr.Locale == "en" {
				_ = json.Unmarshal(tr.Fields, &before)
			}
		}
		for _, tr := range res.UpdateTranslation.Translations {
			if tr.Locale == "en" {
				_ = json.Unmarshal(tr.Fields, &after)
			}
		}
		if after["title"] != "Patched title" {
			t.Fatalf("title after the patch: %v", after["title"])
		}
		delete(before, "title")
		delete(after, "title")
		b1, _ := json.Marshal(before)
		b2, _ := json.Marshal(after)
		if string(b1) != string(b2) {
			t.Fatal("the patch changed fields it did not name")
		}
		bad := a.post(`mutation($id: ID!, $v: Int!) { updateTranslation(id: $id, expectedVersion: $v, locale: "en", fields: {titel: "typo"}) { id } }`,
			map[string]any{"id": article.ID, "v": res.UpdateTranslation.Version}, editor...)
		if bad.code(t) != "BAD_USER_INPUT" {
			t.Fatalf("a patch with an unknown member: %s", bad.raw)
		}
	})
}

func TestComparisonColumnsStayUnderTheirRole(t *testing.T) {
	a := newAPI(t, dbtest.SQLite(t))
	ctx := account.WithOperator(context.Background())
	roleIn := func(loc, slug, title string) map[string]content.TranslationInput {
		return map[string]content.TranslationInput{loc: {Slug: slug, Fields: content.RoleFields{Title: title, Summary: "S."}}}
	}
	english, err := a.content.Create(ctx, content.RoleStructure{}, roleIn("en", "english-only", "English only"))
	if err != nil {
		t.Fatal(err)
	}
	dutch, err := a.content.Create(ctx, content.RoleStructure{}, roleIn("nl", "nederlands", "Nederlands"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []*content.EntryState{english, dutch} {
		if _, err := a.content.Publish(ctx, e.ID, []string{e.Translations[0].Locale}); err != nil {
			t.Fatal(err)
		}
	}
	cmp, err := a.content.Create(ctx, content.ComparisonStructure{RoleIDs: []string{english.ID, dutch.ID}, RowIDs: []string{"r"}},
		map[string]content.TranslationInput{"nl": {Slug: "kolommen", Fields: content.ComparisonFields{Title: "K",
			Rows: map[string]content.ComparisonRow{"r": {Label: "Salaris", Values: []string{"waarde van Engels", "waarde van Nederlands"}}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.content.Publish(ctx, cmp.ID, []string{"nl"}); err != nil {
		t.Fatal(err)
	}
	var res struct {
		Comparison struct {
			Roles []*struct{ Title string }
			Rows  []struct{ Values []string }
		}
	}
	a.post(`{ comparison(slug: "kolommen", locale: "nl") { roles { title } rows { values } } }`, nil).ok(t, &res)
	c := res.Comparison
	if len(c.Roles) != 2 || c.Roles[0] != nil || c.Roles[1] == nil || c.Roles[1].Title != "Nederlands" {
		t.Fatalf("columns: %+v", c.Roles)
	}
	if c.Rows[0].Values[1] != "waarde van Nederlands" {
		t.Fatalf("the Dutch role's value moved: %v", c.Rows[0].Values)
	}
}
