package httpserver_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/content"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
)

// relayVars declares the four paging arguments every connection takes.
const relayVars = `$first: Int, $after: String, $last: Int, $before: String`

// relayArgs passes them on.
const relayArgs = `first: $first, after: $after, last: $last, before: $before`

// relaySelection is what a walk reads of a connection.
const relaySelection = `{ pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } }`

type relayPage struct {
	PageInfo struct {
		HasNextPage, HasPreviousPage bool
		StartCursor, EndCursor       *string
	}
	Edges []struct {
		Cursor string
		Node   struct{ ID string }
	}
}

// relayConn reads pages of one connection: query has relayVars and
// relayArgs in place and selects relaySelection at path.
type relayConn struct {
	api   *api
	query string
	path  []string
	vars  map[string]any
	auth  []string
}

func (c relayConn) page(t *testing.T, args map[string]any) relayPage {
	t.Helper()
	vars := maps.Clone(c.vars)
	if vars == nil {
		vars = map[string]any{}
	}
	maps.Copy(vars, args)
	var data json.RawMessage
	c.api.post(c.query, vars, c.auth...).ok(t, &data)
	for _, field := range c.path {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(data, &obj); err != nil {
			t.Fatalf("%s: %v in %s", field, err, data)
		}
		data = obj[field]
	}
	var p relayPage
	if err := json.Unmarshal(data, &p); err != nil {
		t.Fatalf("decode page: %v in %s", err, data)
	}
	// startCursor and endCursor are the cursors of the first and last edges.
	if n := len(p.Edges); n == 0 {
		if p.PageInfo.StartCursor != nil || p.PageInfo.EndCursor != nil {
			t.Fatalf("an empty page has cursors: %+v", p.PageInfo)
		}
	} else if p.PageInfo.StartCursor == nil || *p.PageInfo.StartCursor != p.Edges[0].Cursor ||
		p.PageInfo.EndCursor == nil || *p.PageInfo.EndCursor != p.Edges[n-1].Cursor {
		t.Fatalf("start and end cursors are not those of the first and last edges: %+v", p)
	}
	return p
}

func (p relayPage) ids() []string {
	out := make([]string, len(p.Edges))
	for i, e := range p.Edges {
		out[i] = e.Cursor + " " + e.Node.ID
	}
	return out
}

// walk pages c forwards to the end by size, then backwards from the end,
// and checks both give every item, in the same order, with the right
// page info on every page. It returns how many items there are.
func (c relayConn) walk(t *testing.T, size int) int {
	t.Helper()
	whole := c.page(t, map[string]any{"first": 100})
	if whole.PageInfo.HasNextPage || whole.PageInfo.HasPreviousPage {
		t.Fatalf("the whole list in one page says there is more: %+v", whole.PageInfo)
	}
	all := whole.ids()
	if len(all) <= size {
		t.Fatalf("%d items do not fill more than one page of %d", len(all), size)
	}

	c.walkForwards(t, size, all)
	c.walkBackwards(t, size, all)
	c.checkBetween(t, size, all)

	// last beyond the total is the whole list, with nothing before it.
	p := c.page(t, map[string]any{"last": 100})
	if !slices.Equal(p.ids(), all) || p.PageInfo.HasPreviousPage || p.PageInfo.HasNextPage {
		t.Fatalf("last: 100 over %d items: %d edges, %+v", len(all), len(p.Edges), p.PageInfo)
	}
	return len(all)
}

// walkForwards pages c with first/after to the end and checks it gives
// all, in order, with the right page info on every page.
func (c relayConn) walkForwards(t *testing.T, size int, all []string) {
	t.Helper()
	var forwards []string
	var after any
	for range len(all) {
		p := c.page(t, map[string]any{"first": size, "after": after})
		forwards = append(forwards, p.ids()...)
		more := len(forwards) < len(all)
		if len(p.Edges) == 0 || len(p.Edges) > size || p.PageInfo.HasNextPage != more || p.PageInfo.HasPreviousPage {
			t.Fatalf("forwards after %d of %d items: %d edges, %+v", len(forwards)-len(p.Edges), len(all), len(p.Edges), p.PageInfo)
		}
		if !more {
			break
		}
		after = *p.PageInfo.EndCursor
	}
	if !slices.Equal(forwards, all) {
		t.Fatalf("forwards:\n%s\nwant\n%s", strings.Join(forwards, "\n"), strings.Join(all, "\n"))
	}
}

// walkBackwards pages c with last/before from the end to the start and
// checks it gives all, in order, with the right page info on every page.
func (c relayConn) walkBackwards(t *testing.T, size int, all []string) {
	t.Helper()
	var backwards []string
	var before any
	for range len(all) {
		p := c.page(t, map[string]any{"last": size, "before": before})
		backwards = append(p.ids(), backwards...)
		more := len(backwards) < len(all)
		if len(p.Edges) == 0 || len(p.Edges) > size || p.PageInfo.HasPreviousPage != more || p.PageInfo.HasNextPage {
			t.Fatalf("backwards with %d of %d items still before: %d edges, %+v", len(all)-len(backwards), len(all), len(p.Edges), p.PageInfo)
		}
		if !more {
			break
		}
		before = *p.PageInfo.StartCursor
	}
	if !slices.Equal(backwards, all) {
		t.Fatalf("backwards:\n%s\nwant\n%s", strings.Join(backwards, "\n"), strings.Join(all, "\n"))
	}
}

// checkBetween checks that, between two cursors, first takes from the
// start and last from the end.
func (c relayConn) checkBetween(t *testing.T, size int, all []string) {
	t.Helper()
	cursor := func(item string) string { return strings.Fields(item)[0] }
	inner := all[1 : len(all)-1]
	bounds := map[string]any{"after": cursor(all[0]), "before": cursor(all[len(all)-1])}
	for _, fromEnd := range []bool{false, true} {
		args := map[string]any{"first": size}
		want := inner[:min(size, len(inner))]
		if fromEnd {
			args = map[string]any{"last": size}
			want = inner[max(0, len(inner)-size):]
		}
		maps.Copy(args, bounds)
		p := c.page(t, args)
		more := len(inner) > size
		if !slices.Equal(p.ids(), want) || p.PageInfo.HasNextPage != (more && !fromEnd) || p.PageInfo.HasPreviousPage != (more && fromEnd) {
			t.Fatalf("between the first and last items, %v: %v %+v, want %v", args, p.ids(), p.PageInfo, want)
		}
	}
}

// TestEveryConnectionPagesBothWays walks every connection in the schema
// forwards with first/after and backwards with last/before.
func TestEveryConnectionPagesBothWays(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		va := newVacancyAPI(t, db)
		a := va.api
		publishRoles(t, a.content, 3)
		for i := range 4 {
			a.publishFAQ(t, map[string]content.FAQFields{"nl": {Question: fmt.Sprintf("Vraag %d?", i), Answer: "Antwoord."}}, fmt.Sprintf("vraag-%d", i))
		}
		article := publishArticles(t, a.content, 4)
		source := va.token(t, va.createSource(t, "acme", "example.nl"))
		var items []any
		for i := range 7 {
			v := vacancyInput(fmt.Sprintf("R-%d", i), "personal-assistant")
			// Pairs share a date: the id orders them.
			v["datePosted"] = fmt.Sprintf("2026-01-%02d", 10+i/2)
			items = append(items, v)
		}
		va.sync(t, source, map[string]any{"mode": "UPSERT", "items": items})
		admin := a.signIn(t, "admin@example.nl", account.RoleAdmin)

		for _, tc := range []struct {
			name, query string
			path        []string
			vars        map[string]any
			auth        []string
			size        int
		}{
			{"articles", `query(` + relayVars + `) { articles(locale: "nl", ` + relayArgs + `) ` + relaySelection + ` }`, []string{"articles"}, nil, nil, 2},
			{"roles", `query(` + relayVars + `) { roles(locale: "nl", ` + relayArgs + `) ` + relaySelection + ` }`, []string{"roles"}, nil, nil, 2},
			{"faqs", `query(` + relayVars + `) { faqs(locale: "nl", ` + relayArgs + `) ` + relaySelection + ` }`, []string{"faqs"}, nil, nil, 3},
			{"faqs of an article", `query($a: String, ` + relayVars + `) { faqs(locale: "nl", articleSlug: $a, ` + relayArgs + `) ` + relaySelection + ` }`,
				[]string{"faqs"}, map[string]any{"a": article}, nil, 2},
			{"vacancies", `query(` + relayVars + `) { vacancies(` + relayArgs + `) ` + relaySelection + ` }`, []string{"vacancies"}, nil, nil, 2},
			{"role vacancies", `query(` + relayVars + `) { role(slug: "personal-assistant") { vacancies(` + relayArgs + `) ` + relaySelection + ` } }`,
				[]string{"role", "vacancies"}, nil, nil, 3},
			{"vacancies for admin", `query(` + relayVars + `) { vacanciesForAdmin(` + relayArgs + `) ` + relaySelection + ` }`, []string{"vacanciesForAdmin"}, nil, admin, 2},
			{"sitemap", `query(` + relayVars + `) { sitemap(locale: "nl", ` + relayArgs + `) ` + relaySelection + ` }`, []string{"sitemap"}, nil, nil, 3},
			{"entries", `query(` + relayVars + `) { entries(` + relayArgs + `) ` + relaySelection + ` }`, []string{"entries"}, nil, admin, 4},
			{"audit log", `query(` + relayVars + `) { auditLog(` + relayArgs + `) ` + relaySelection + ` }`, []string{"auditLog"}, nil, admin, 5},
		} {
			t.Run(tc.name, func(t *testing.T) {
				relayConn{api: a, query: tc.query, path: tc.path, vars: tc.vars, auth: tc.auth}.walk(t, tc.size)
			})
		}
	})
}

// publishArticles publishes n articles in nl and returns the slug of the
// seed article, which shows FAQs.
func publishArticles(t *testing.T, svc *content.Service, n int) string {
	t.Helper()
	ctx := account.WithOperator(t.Context())
	for i := range n {
		e, err := svc.Create(ctx, content.ArticleStructure{}, map[string]content.TranslationInput{
			"nl": {Slug: fmt.Sprintf("extra-artikel-%d", i), Fields: content.ArticleFields{Title: "Artikel", Lead: "Inleiding."}},
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Publish(ctx, e.ID, []string{"nl"}); err != nil {
			t.Fatal(err)
		}
	}
	return nlArticleSlug
}

func TestEmptyConnectionPagesBothWays(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		va := newVacancyAPI(t, db)
		c := relayConn{api: va.api, path: []string{"vacancies"},
			query: `query(` + relayVars + `) { vacancies(filter: { location: "nergens" }, ` + relayArgs + `) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } } }`}
		for _, args := range []map[string]any{{}, {"first": 5}, {"last": 5}, {"last": 100}} {
			p := c.page(t, args)
			if len(p.Edges) != 0 || p.PageInfo.HasNextPage || p.PageInfo.HasPreviousPage {
				t.Fatalf("%v: %+v", args, p)
			}
		}
	})
}
