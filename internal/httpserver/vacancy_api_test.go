package httpserver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/content"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
)

const syncMutation = `mutation Sync($in: SyncVacanciesInput!) {
  syncVacancies(input: $in) {
    mode dryRun replayed snapshotCompleted received created updated unchanged reopened closed expired stale rejected warnings
    items { index externalId language outcome problems { field code message warning } }
  }
}`

type syncReport struct {
	Created, Updated, Unchanged, Reopened, Closed, Rejected, Warnings int
	Replayed, DryRun, SnapshotCompleted                               bool
	Items                                                             []struct {
		Index      int
		ExternalID string
		Outcome    string
		Problems   []struct {
			Field, Code string
			Warning     bool
		}
	}
}

func vacancyInput(id, role string) map[string]any {
	return map[string]any{
		"externalId": id, "language": "nl", "title": "Office manager " + id,
		"description": "<p>Je houdt ons kantoor draaiende.</p><ul><li>Budget</li></ul>",
		"url":         "https://werken.example.nl/vacatures/" + id, "roleSlug": role,
		"hiringOrganization": map[string]any{"name": "Acme Werving", "url": "https://www.example.nl"},
		"employmentTypes":    []string{"voltijd"}, "workplaceType": "hybride",
		"locations":    []any{map[string]any{"locality": "Haarlem", "postalCode": "2011AB", "country": "Nederland"}},
		"hoursPerWeek": map[string]any{"min": 32, "max": 40},
		"salary":       map[string]any{"min": 3400, "max": 4200, "currency": "EUR", "unit": "maand"},
		"datePosted":   "2026-01-05", "validThrough": "2099-12-31",
	}
}

func (va *vacancyAPI) sync(t testing.TB, auth []string, in map[string]any) syncReport {
	t.Helper()
	var res struct{ SyncVacancies syncReport }
	va.post(syncMutation, map[string]any{"in": in}, auth...).ok(t, &res)
	return res.SyncVacancies
}

type roleVacancies struct {
	Role struct {
		Vacancies struct {
			TotalCount int
			Edges      []struct {
				Cursor string
				Node   struct {
					ExternalID, Title, Description string
					JobPosting                     json.RawMessage
				}
			}
			PageInfo struct {
				HasNextPage bool
				EndCursor   *string
			}
		}
	}
}

func (va *vacancyAPI) roleVacancies(t testing.TB, slug string) []string {
	t.Helper()
	var res roleVacancies
	va.post(`query($s: String!) { role(slug: $s) { vacancies(first: 50) { totalCount edges { node { externalId } } } } }`,
		map[string]any{"s": slug}).ok(t, &res)
	var ids []string
	for _, e := range res.Role.Vacancies.Edges {
		ids = append(ids, e.Node.ExternalID)
	}
	if res.Role.Vacancies.TotalCount != len(ids) {
		t.Fatalf("totalCount %d, %d listed", res.Role.Vacancies.TotalCount, len(ids))
	}
	return ids
}

// TestReadmeWalkthrough is the acceptance path through the API:
// an admin creates a source, the source gets a token, pushes three
// vacancies, they show on the role page, a snapshot without one of them
// takes it off.
func TestReadmeWalkthrough(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		va := newVacancyAPI(t, db)
		admin := va.signIn(t, "admin@example.com", account.RoleAdmin)
		var created struct {
			CreateSource struct {
				ClientID, ClientSecret, TokenEndpoint string
				Source                                struct{ Name, Kind string }
			}
		}
		va.post(`mutation { createSource(input: { name: "acme-werving", allowedHosts: ["werken.example.nl", "example.nl"] }) {
			clientId clientSecret tokenEndpoint source { name kind } } }`, nil, admin...).ok(t, &created)
		cs := created.CreateSource
		if cs.TokenEndpoint != "/oauth/token" || !strings.HasPrefix(cs.ClientSecret, "wws_") || cs.Source.Kind != "PUSH" {
			t.Fatalf("createSource: %+v", cs)
		}
		ans := va.tokenRequest(t, url.Values{"grant_type": {"client_credentials"}}, cs.ClientID, cs.ClientSecret)
		source := []string{"Authorization", "Bearer " + ans.body["access_token"].(string)}

		three := []any{vacancyInput("AC-101", "office-manager"), vacancyInput("AC-102", "personal-assistant"), vacancyInput("AC-103", "office-manager")}
		rep := va.sync(t, source, map[string]any{"mode": "UPSERT", "items": three, "idempotencyKey": "first-push"})
		if rep.Created != 3 || rep.Rejected != 0 || len(rep.Items) != 0 {
			t.Fatalf("push: %+v", rep)
		}
		if ids := va.roleVacancies(t, "office-manager"); !contains(ids, "AC-101") || !contains(ids, "AC-103") || contains(ids, "AC-102") {
			t.Fatalf("office manager page: %v", ids)
		}
		if ids := va.roleVacancies(t, "personal-assistant"); !contains(ids, "AC-102") {
			t.Fatalf("personal assistant page: %v", ids)
		}
		rep = va.sync(t, source, map[string]any{"mode": "SNAPSHOT", "items": three[:2]})
		if rep.Closed != 1 || rep.Unchanged != 2 || !rep.SnapshotCompleted {
			t.Fatalf("snapshot: %+v", rep)
		}
		if ids := va.roleVacancies(t, "office-manager"); contains(ids, "AC-103") || !contains(ids, "AC-101") {
			t.Fatalf("AC-103 still shown: %v", ids)
		}
		// The admin sees the closed one, with why.
		var admins struct {
			VacanciesForAdmin struct {
				Edges []struct {
					Node struct{ ExternalID, Status, ClosedReason string }
				}
			}
		}
		va.post(`{ vacanciesForAdmin(filter: { status: CLOSED }) { edges { node { externalId status closedReason } } } }`, nil, admin...).ok(t, &admins)
		if e := admins.VacanciesForAdmin.Edges; len(e) != 1 || e[0].Node.ExternalID != "AC-103" || e[0].Node.ClosedReason != "snapshot" {
			t.Fatalf("closed for the admin: %+v", e)
		}
	})
}

func contains(list []string, s string) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}

func TestSyncProblemsAndErrorsThroughGraphQL(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		va := newVacancyAPI(t, db)
		source := va.token(t, va.createSource(t, "acme", "example.nl"))
		bad := vacancyInput("X-2", "office-manager")
		bad["url"] = "javascript:alert(1)"
		noTitle := vacancyInput("X-3", "office-manager")
		noTitle["title"] = nil
		warn := vacancyInput("X-4", "")
		warn["roleSlug"] = nil
		warn["employmentTypes"] = []string{"voltijd", "met bonus"}
		rep := va.sync(t, source, map[string]any{"mode": "UPSERT", "items": []any{vacancyInput("X-1", "office-manager"), bad, noTitle, warn}})
		if rep.Created != 2 || rep.Rejected != 2 || rep.Warnings != 1 || len(rep.Items) != 3 {
			t.Fatalf("report: %+v", rep)
		}
		byIndex := outcomesByIndex(rep)
		if byIndex[1] != "REJECTED url:URL_SCHEME_NOT_ALLOWED" || byIndex[2] != "REJECTED title:REQUIRED" ||
			byIndex[3] != "CREATED employmentTypes[1]:UNKNOWN_EMPLOYMENT_TYPE,roleSlug:ROLE_UNMAPPED" {
			t.Fatalf("items: %v", byIndex)
		}

		// Whole-call errors say which field, with a code.
		va.checkWholeCallErrors(t, source)
	})
}

// outcomesByIndex gives each item of a sync report as its outcome and its
// problems as field:code, by the index of the item in the call.
func outcomesByIndex(rep syncReport) map[int]string {
	byIndex := map[int]string{}
	for _, it := range rep.Items {
		var codes []string
		for _, p := range it.Problems {
			codes = append(codes, p.Field+":"+p.Code)
		}
		byIndex[it.Index] = it.Outcome + " " + strings.Join(codes, ",")
	}
	return byIndex
}

// checkWholeCallErrors checks that sync and query arguments that are wrong
// as a whole are refused with a code, and which field, where there is one.
func (va *vacancyAPI) checkWholeCallErrors(t *testing.T, source []string) {
	t.Helper()
	res := va.post(syncMutation, map[string]any{"in": map[string]any{"mode": "SNAPSHOT", "snapshotId": "s1", "items": []any{}}}, source...)
	if res.code(t) != "BAD_USER_INPUT" || res.Errors[0].Extensions["field"] != "complete" {
		t.Fatalf("snapshotId without complete: %s", res.raw)
	}
	res = va.post(syncMutation, map[string]any{"in": map[string]any{"mode": "SNAPSHOT", "items": []any{}}}, source...)
	if res.code(t) != "BAD_USER_INPUT" || res.Errors[0].Extensions["field"] != "allowMassClose" || res.Errors[0].Extensions["wouldClose"] != float64(2) {
		t.Fatalf("empty snapshot: %s", res.raw)
	}
	res = va.post(syncMutation, map[string]any{"in": map[string]any{"mode": "EVERYTHING", "items": []any{}}}, source...)
	if len(res.Errors) == 0 || res.Errors[0].Extensions["code"] == nil {
		t.Fatalf("unknown mode: %s", res.raw)
	}
	res = va.post(`{ vacancies(after: "bm9wZQ") { totalCount } }`, nil)
	if res.code(t) != "BAD_USER_INPUT" || res.Errors[0].Extensions["field"] != "after" {
		t.Fatalf("bad cursor: %s", res.raw)
	}
	res = va.post(`{ vacancies(filter: { roleSlug: "astronaut" }) { totalCount } }`, nil)
	if res.code(t) != "NOT_FOUND" || res.Errors[0].Extensions["field"] != "roleSlug" {
		t.Fatalf("unknown role: %s", res.raw)
	}
}

// vacancyIDsInPages walks the public vacancies size at a time and gives
// their external ids in the order served, checking every page counts total.
func (va *vacancyAPI) vacancyIDsInPages(t *testing.T, size, total int) []string {
	t.Helper()
	var got []string
	var after *string
	for {
		var res struct {
			Vacancies struct {
				TotalCount int
				Edges      []struct{ Node struct{ ExternalID string } }
				PageInfo   struct {
					HasNextPage bool
					EndCursor   *string
				}
			}
		}
		va.post(`query($first: Int, $a: String) { vacancies(first: $first, after: $a) { totalCount edges { node { externalId } } pageInfo { hasNextPage endCursor } } }`,
			map[string]any{"first": size, "a": after}).ok(t, &res)
		for _, e := range res.Vacancies.Edges {
			got = append(got, e.Node.ExternalID)
		}
		if res.Vacancies.TotalCount != total {
			t.Fatalf("totalCount %d", res.Vacancies.TotalCount)
		}
		if !res.Vacancies.PageInfo.HasNextPage {
			break
		}
		after = res.Vacancies.PageInfo.EndCursor
	}
	return got
}

func TestPublicVacancyQueries(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		va := newVacancyAPI(t, db)
		source := va.token(t, va.createSource(t, "acme", "example.nl"))
		var items []any
		for i := range 7 {
			v := vacancyInput(fmt.Sprintf("P-%d", i), "personal-assistant")
			v["datePosted"] = fmt.Sprintf("2026-01-%02d", 10+i)
			if i%2 == 1 {
				v["employmentTypes"] = []string{"deeltijd"}
				v["locations"] = []any{map[string]any{"locality": "Zwolle", "country": "NL"}}
			}
			items = append(items, v)
		}
		va.sync(t, source, map[string]any{"mode": "UPSERT", "items": items})

		// Newest first, in pages.
		got := va.vacancyIDsInPages(t, 3, 7)
		if strings.Join(got, ",") != "P-6,P-5,P-4,P-3,P-2,P-1,P-0" {
			t.Fatalf("order: %v", got)
		}
		var filtered struct {
			Vacancies struct{ TotalCount int }
		}
		va.post(`{ vacancies(filter: { roleSlug: "personal-assistant", employmentType: PART_TIME, location: "zwolle", language: "nl" }) { totalCount } }`, nil).ok(t, &filtered)
		if filtered.Vacancies.TotalCount != 3 {
			t.Fatalf("filtered: %d", filtered.Vacancies.TotalCount)
		}

		// One vacancy for its detail page, with its JSON-LD and its role.
		var detail struct {
			Vacancies struct {
				Edges []struct {
					Node struct {
						ID, Title, Description, DatePosted, ValidThrough string
						HoursPerWeek                                     struct{ Text string }
						Salary                                           struct{ Min, Max float64 }
						Role                                             struct{ Slug string }
						JobPosting                                       map[string]any
					}
				}
			}
		}
		va.post(`{ vacancies(first: 1) { edges { node { id title description datePosted validThrough hoursPerWeek { text } salary { min max }
			role(locale: "en") { slug } jobPosting } } } }`, nil).ok(t, &detail)
		n := detail.Vacancies.Edges[0].Node
		if n.Role.Slug != "personal-assistant" || n.HoursPerWeek.Text != "32–40 uur per week" || n.Salary.Max != 4200 || n.ValidThrough != "2099-12-31" {
			t.Fatalf("detail: %+v", n)
		}
		if n.JobPosting["@type"] != "JobPosting" || n.JobPosting["title"] != n.Title || n.JobPosting["employmentType"] != "FULL_TIME" {
			t.Fatalf("jobPosting: %v", n.JobPosting)
		}
		var one struct{ Vacancy *struct{ Title string } }
		va.post(`query($id: ID!) { vacancy(id: $id) { title } }`, map[string]any{"id": n.ID}).ok(t, &one)
		if one.Vacancy == nil || one.Vacancy.Title != n.Title {
			t.Fatalf("vacancy(id): %+v", one)
		}
		// Closed: gone from every public query.
		close := []any{map[string]any{"externalId": "P-6"}}
		if rep := va.sync(t, source, map[string]any{"mode": "UPSERT", "items": []any{}, "close": close}); rep.Closed != 1 {
			t.Fatalf("close: %+v", rep)
		}
		va.post(`query($id: ID!) { vacancy(id: $id) { title } }`, map[string]any{"id": n.ID}).ok(t, &one)
		if one.Vacancy != nil {
			t.Fatal("a closed vacancy is served by id")
		}
		if ids := va.roleVacancies(t, "personal-assistant"); contains(ids, "P-6") || len(ids) != 6 {
			t.Fatalf("role page after closing: %v", ids)
		}
	})
}

// publishRoles publishes n more roles and returns their Dutch slugs.
func publishRoles(t *testing.T, svc *content.Service, n int) []string {
	t.Helper()
	ctx := account.WithOperator(context.Background())
	var slugs []string
	for i := range n {
		slug := fmt.Sprintf("extra-rol-%d", i)
		e, err := svc.Create(ctx, content.RoleStructure{}, map[string]content.TranslationInput{
			"nl": {Slug: slug, Fields: content.RoleFields{Title: "Rol", Summary: "Samenvatting"}},
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Publish(ctx, e.ID, []string{"nl"}); err != nil {
			t.Fatal(err)
		}
		slugs = append(slugs, slug)
	}
	return slugs
}

const rolesWithVacancies = `query($n: Int) { roles(first: $n) { edges { node { slug vacancies(first: 3) { totalCount edges { node { title role { slug } } } } } } } }`

func TestRoleVacanciesCostTheSameStatementsForAnyNumberOfRoles(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		va := newVacancyAPI(t, db)
		source := va.token(t, va.createSource(t, "acme", "example.nl"))
		slugs := append([]string{"office-manager", "personal-assistant"}, publishRoles(t, va.content, 10)...)
		var items []any
		for i, slug := range slugs {
			for j := range 4 {
				items = append(items, vacancyInput(fmt.Sprintf("R-%d-%d", i, j), slug))
			}
		}
		if rep := va.sync(t, source, map[string]any{"mode": "UPSERT", "items": items}); rep.Created != len(items) {
			t.Fatalf("sync: %+v", rep)
		}
		counter := dbtest.CountStatements(db)
		run := func(n int) int {
			var res struct {
				Roles struct {
					Edges []struct {
						Node struct {
							Slug      string
							Vacancies struct {
								TotalCount int
								Edges      []struct {
									Node struct{ Role struct{ Slug string } }
								}
							}
						}
					}
				}
			}
			counter.Reset()
			va.post(rolesWithVacancies, map[string]any{"n": n}).ok(t, &res)
			if len(res.Roles.Edges) != n {
				t.Fatalf("%d roles, want %d", len(res.Roles.Edges), n)
			}
			for _, e := range res.Roles.Edges {
				v := e.Node.Vacancies
				if v.TotalCount != 4 || len(v.Edges) != 3 || v.Edges[0].Node.Role.Slug != e.Node.Slug {
					t.Fatalf("role %s: %+v", e.Node.Slug, v)
				}
			}
			return counter.Count()
		}
		few, many := run(2), run(12)
		if few != many {
			t.Fatalf("statements: %d for 2 roles, %d for 12: the cost grows with the roles", few, many)
		}
		t.Logf("roles with vacancies: %d statements for 2 and for 12 roles", few)
	})
}

const articleWithVacancies = `query($slug: String!) { article(slug: $slug) { blocks { __typename ... on VacancyListBlock { heading limit role { slug } vacancies { title } } } } }`

func TestArticleVacancyBlocksResolveToRealVacancies(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		va := newVacancyAPI(t, db)
		source := va.token(t, va.createSource(t, "acme", "example.nl"))
		var items []any
		for j := range 5 {
			items = append(items, vacancyInput(fmt.Sprintf("A-%d", j), "office-manager"), vacancyInput(fmt.Sprintf("B-%d", j), "personal-assistant"))
		}
		va.sync(t, source, map[string]any{"mode": "UPSERT", "items": items})

		type page struct {
			Article struct {
				Blocks []struct {
					Typename  string `json:"__typename"`
					Limit     int
					Role      struct{ Slug string }
					Vacancies []struct{ Title string }
				}
			}
		}
		var seedPage page
		va.post(articleWithVacancies, map[string]any{"slug": nlArticleSlug}).ok(t, &seedPage)
		found := false
		for _, b := range seedPage.Article.Blocks {
			if b.Typename == "VacancyListBlock" {
				found = true
				if b.Role.Slug != "office-manager" || len(b.Vacancies) != b.Limit || b.Limit != 3 {
					t.Fatalf("vacancy block: %+v", b)
				}
			}
		}
		if !found {
			t.Fatal("the sample article has no vacancy-list block")
		}

		// An article with many vacancy-list blocks costs what one with a
		// single block costs.
		one, twelve := vacancyBlockArticle(t, va, "een-lijst", 1), vacancyBlockArticle(t, va, "twaalf-lijsten", 12)
		counter := dbtest.CountStatements(db)
		run := func(slug string, blocks int) int {
			var p page
			counter.Reset()
			va.post(articleWithVacancies, map[string]any{"slug": slug}).ok(t, &p)
			if len(p.Article.Blocks) != blocks {
				t.Fatalf("%s: %d blocks", slug, len(p.Article.Blocks))
			}
			for _, b := range p.Article.Blocks {
				if len(b.Vacancies) != 3 {
					t.Fatalf("block %+v", b)
				}
			}
			return counter.Count()
		}
		if a, b := run(one, 1), run(twelve, 12); a != b {
			t.Fatalf("statements: %d for one vacancy block, %d for 12", a, b)
		}
	})
}

// vacancyBlockArticle publishes an article of n vacancy-list blocks,
// alternating between the two sample roles, under slug.
func vacancyBlockArticle(t *testing.T, va *vacancyAPI, slug string, n int) string {
	t.Helper()
	ctx := account.WithOperator(context.Background())
	var roleIDs []string
	for _, slug := range []string{"office-manager", "personal-assistant"} {
		r, err := va.content.RoleBySlug(context.Background(), slug, "nl")
		if err != nil {
			t.Fatal(err)
		}
		roleIDs = append(roleIDs, r.EntryID)
	}
	var structure content.ArticleStructure
	fields := content.ArticleFields{Title: "Vacatures", Lead: "Veel lijsten.", Blocks: map[string]content.BlockFields{}}
	for i := range n {
		id, _ := content.NewID()
		structure.Blocks = append(structure.Blocks, content.BlockStructure{ID: id, Type: content.BlockVacancyList, RoleID: roleIDs[i%2], Limit: 3})
		fields.Blocks[id] = content.BlockFields{Heading: fmt.Sprintf("Lijst %d", i)}
	}
	e, err := va.content.Create(ctx, structure, map[string]content.TranslationInput{"nl": {Slug: slug, Fields: fields}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := va.content.Publish(ctx, e.ID, []string{"nl"}); err != nil {
		t.Fatal(err)
	}
	return slug
}

func TestSourceAdministration(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		va := newVacancyAPI(t, db)
		admin := va.signIn(t, "admin@example.com", account.RoleAdmin)
		editor := va.signIn(t, "editor@example.com", account.RoleEditor)
		var created struct {
			CreateSource struct {
				ClientID, ClientSecret string
				Source                 struct{ ID string }
			}
		}
		va.post(`mutation { createSource(input: { name: "feedbron", kind: RECRUITEE, feedUrl: "https://acme.recruitee.com/api/offers/",
			roleRules: [{ field: "category", pattern: "office", role: "office-manager" }] }) { clientId clientSecret source { id } } }`, nil, admin...).ok(t, &created)
		id := created.CreateSource.Source.ID

		if code := va.post(`mutation { createSource(input: { name: "nope" }) { clientId } }`, nil, editor...).code(t); code != "FORBIDDEN" {
			t.Fatalf("an editor created a source: %s", code)
		}
		res := va.post(`mutation { createSource(input: { name: "x", roleRules: [{ field: "title", pattern: "x", role: "astronaut" }] }) { clientId } }`, nil, admin...)
		if res.code(t) != "BAD_USER_INPUT" || res.Errors[0].Extensions["field"] != "roleRules[0].role" {
			t.Fatalf("a rule for an unknown role: %s", res.raw)
		}
		if code := va.post(`mutation { createSource(input: { name: "feedbron" }) { clientId } }`, nil, admin...).code(t); code != "CONFLICT" {
			t.Fatalf("a taken name: %s", code)
		}

		// Editors read sources and their state, not their secrets.
		var list struct {
			Sources []struct {
				Name, Kind    string
				FeedURL       *string
				RoleRules     []struct{ Field, Pattern, Role string }
				OpenVacancies int
			}
		}
		va.post(`{ sources { name kind feedUrl roleRules { field pattern role } openVacancies } }`, nil, editor...).ok(t, &list)
		if len(list.Sources) != 1 || list.Sources[0].Kind != "RECRUITEE" || list.Sources[0].RoleRules[0].Role != "office-manager" {
			t.Fatalf("sources: %+v", list)
		}
		if code := va.post(`{ sources { secrets { hint } } }`, nil, editor...).code(t); code != "FORBIDDEN" {
			t.Fatalf("an editor saw secrets: %s", code)
		}

		// Rotation: the old secret keeps working alongside the new one.
		var rotated struct{ RotateSourceSecret struct{ ClientSecret string } }
		va.post(`mutation($id: ID!) { rotateSourceSecret(id: $id) { clientSecret } }`, map[string]any{"id": id}, admin...).ok(t, &rotated)
		grant := url.Values{"grant_type": {"client_credentials"}}
		for _, secret := range []string{created.CreateSource.ClientSecret, rotated.RotateSourceSecret.ClientSecret} {
			if ans := va.tokenRequest(t, grant, id, secret); ans.status != http.StatusOK {
				t.Fatalf("secret after one rotation: %d", ans.status)
			}
		}
		var secrets struct {
			Source struct {
				Secrets []struct {
					Hint      string
					RevokedAt *string
				}
			}
		}
		va.post(`query($id: ID!) { source(id: $id) { secrets { hint revokedAt } } }`, map[string]any{"id": id}, admin...).ok(t, &secrets)
		if s := secrets.Source.Secrets; len(s) != 2 || !strings.HasPrefix(rotated.RotateSourceSecret.ClientSecret, strings.TrimSuffix(s[0].Hint, "…")) {
			t.Fatalf("secrets: %+v", s)
		}
		var updated struct {
			UpdateSource struct{ AllowedHosts []string }
		}
		va.post(`mutation($id: ID!) { updateSource(id: $id, input: { allowedHosts: ["*.Recruitee.com"] }) { allowedHosts } }`, map[string]any{"id": id}, admin...).ok(t, &updated)
		if strings.Join(updated.UpdateSource.AllowedHosts, ",") != "recruitee.com" {
			t.Fatalf("allowed hosts: %v", updated.UpdateSource.AllowedHosts)
		}
		// Disabled: no more tokens.
		va.post(`mutation($id: ID!) { disableSource(id: $id) { active } }`, map[string]any{"id": id}, admin...).ok(t, &struct{}{})
		if ans := va.tokenRequest(t, grant, id, rotated.RotateSourceSecret.ClientSecret); ans.status != http.StatusUnauthorized {
			t.Fatalf("a disabled source got a token: %d", ans.status)
		}
	})
}

func TestOnlySourcesMaySendLargeSyncs(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		va := newVacancyAPI(t, db)
		source := va.token(t, va.createSource(t, "acme", "example.nl"))
		var items []any
		for i := range 300 {
			v := vacancyInput(fmt.Sprintf("L-%d", i), "office-manager")
			v["description"] = "<p>" + strings.Repeat("Een lange beschrijving van het werk. ", 200) + "</p>"
			items = append(items, v)
		}
		body, _ := json.Marshal(map[string]any{"query": syncMutation, "variables": map[string]any{"in": map[string]any{"mode": "UPSERT", "items": items}}})
		if len(body) < 2<<20 {
			t.Fatalf("the body is only %d bytes", len(body))
		}
		send := func(header ...string) *httptest.ResponseRecorder {
			req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			for i := 0; i+1 < len(header); i += 2 {
				req.Header.Set(header[i], header[i+1])
			}
			rec := httptest.NewRecorder()
			va.handler.ServeHTTP(rec, req)
			return rec
		}
		if rec := send(); rec.Code == http.StatusOK && !strings.Contains(rec.Body.String(), "errors") {
			t.Fatalf("an anonymous 2 MiB request was read: %d", rec.Code)
		}
		rec := send(source...)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"created":300`) {
			t.Fatalf("a source's large sync: %d %.300s", rec.Code, rec.Body.String())
		}
	})
}
