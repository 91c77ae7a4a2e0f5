package httpserver_test

import (
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
)

type pageInfo struct {
	HasNextPage, HasPreviousPage bool
	StartCursor, EndCursor       *string
}

// TestRevisionsAndTranslationWorkAreConnections pages through the seed
// article's history and the English translation work with first/after,
// and checks totalCount, pageInfo and the refusal of bad page arguments.
func TestRevisionsAndTranslationWorkAreConnections(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		a := newAPI(t, db)
		editor := a.signIn(t, "editor@example.com", account.RoleEditor)
		article := a.seedArticle(t, editor)
		for _, title := range []string{"One", "Two", "Three"} {
			var saved struct{ UpdateTranslation struct{ Version int } }
			a.post(patchTranslation, map[string]any{"id": article.ID, "v": article.Version, "l": "en", "f": map[string]any{"title": title}}, editor...).ok(t, &saved)
			article.Version = saved.UpdateTranslation.Version
		}
		checkRevisionPages(t, a, article.ID, editor)
		checkTranslationWorkPages(t, a, editor)
	})
}

type revisionPage struct {
	Revisions struct {
		Edges []struct {
			Cursor string
			Node   struct{ ID string }
		}
		PageInfo   pageInfo
		TotalCount int
	}
}

const revisionHistory = `query($id: ID!, $first: Int, $after: String) { revisions(id: $id, locale: "en", first: $first, after: $after) {
	edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount } }`

// checkRevisionPages: pages of 2 add up to the whole English history, in
// its order, and bad page arguments are refused.
func checkRevisionPages(t *testing.T, a *api, entryID string, editor []string) {
	t.Helper()
	var all revisionPage
	a.post(revisionHistory, map[string]any{"id": entryID, "first": 100}, editor...).ok(t, &all)
	total := all.Revisions.TotalCount
	if total < 4 || len(all.Revisions.Edges) != total || all.Revisions.PageInfo.HasNextPage {
		t.Fatalf("the whole English history: %d edges, totalCount %d, %+v", len(all.Revisions.Edges), total, all.Revisions.PageInfo)
	}
	seen := revisionsInPagesOfTwo(t, a, entryID, total, editor)
	if len(seen) != total {
		t.Fatalf("pages of 2 gave %d revisions, want %d", len(seen), total)
	}
	for i, e := range all.Revisions.Edges {
		if seen[i] != e.Node.ID {
			t.Fatalf("revision %d of the pages is %s, of the whole list %s", i, seen[i], e.Node.ID)
		}
	}
	for _, vars := range []map[string]any{{"first": 101}, {"first": 0}, {"after": "bm90LWEtY3Vyc29y"}} {
		vars["id"] = entryID
		if code := a.post(revisionHistory, vars, editor...).code(t); code != "BAD_USER_INPUT" {
			t.Errorf("revisions with %v: %s, want BAD_USER_INPUT", vars, code)
		}
	}
}

// revisionsInPagesOfTwo follows endCursor through the English history.
func revisionsInPagesOfTwo(t *testing.T, a *api, entryID string, total int, editor []string) []string {
	t.Helper()
	var seen []string
	var after any
	for range total {
		var p revisionPage
		a.post(revisionHistory, map[string]any{"id": entryID, "first": 2, "after": after}, editor...).ok(t, &p)
		for _, e := range p.Revisions.Edges {
			seen = append(seen, e.Node.ID)
		}
		if p.Revisions.TotalCount != total || len(p.Revisions.Edges) == 0 || *p.Revisions.PageInfo.EndCursor != p.Revisions.Edges[len(p.Revisions.Edges)-1].Cursor {
			t.Fatalf("a page of 2: %+v", p.Revisions)
		}
		if !p.Revisions.PageInfo.HasNextPage {
			break
		}
		after = *p.Revisions.PageInfo.EndCursor
	}
	return seen
}

// checkTranslationWorkPages: three FAQs without English need work, newest
// first, in a page of 2 and a page of 1.
func checkTranslationWorkPages(t *testing.T, a *api, editor []string) {
	t.Helper()
	var faqs []string
	for _, slug := range []string{"een", "twee", "drie"} {
		var res struct{ CreateFAQ struct{ ID string } }
		a.post(`mutation($s: String!) { createFAQ(input: { translations: [{ locale: "nl", slug: $s, question: "Vraag?", answer: "Antwoord." }] }) { id } }`,
			map[string]any{"s": slug}, editor...).ok(t, &res)
		faqs = append([]string{res.CreateFAQ.ID}, faqs...)
	}
	var work struct {
		NeedsTranslation struct {
			Edges []struct {
				Node struct{ Entry struct{ ID string } }
			}
			PageInfo   pageInfo
			TotalCount int
		}
	}
	a.post(`{ needsTranslation(locale: "en", first: 2) { edges { node { entry { id } } } pageInfo { hasNextPage endCursor } totalCount } }`,
		nil, editor...).ok(t, &work)
	w := work.NeedsTranslation
	if w.TotalCount != 3 || len(w.Edges) != 2 || !w.PageInfo.HasNextPage || w.Edges[0].Node.Entry.ID != faqs[0] || w.Edges[1].Node.Entry.ID != faqs[1] {
		t.Fatalf("the first page of English work: %+v", w)
	}
	a.post(`query($after: String) { needsTranslation(locale: "en", first: 2, after: $after) { edges { node { entry { id } } } pageInfo { hasNextPage } totalCount } }`,
		map[string]any{"after": *w.PageInfo.EndCursor}, editor...).ok(t, &work)
	if w := work.NeedsTranslation; len(w.Edges) != 1 || w.PageInfo.HasNextPage || w.Edges[0].Node.Entry.ID != faqs[2] {
		t.Fatalf("the second page of English work: %+v", w)
	}
}
