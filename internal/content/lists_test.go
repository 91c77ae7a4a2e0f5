package content_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/content"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
)

// revisionsOf is an entry's whole history, for tests that look at all of it.
func revisionsOf(svc *content.Service, ctx context.Context, id, loc string) ([]content.Revision, error) {
	l, err := svc.Revisions(ctx, id, loc, content.Page{Limit: 100})
	return l.Items, err
}

// workOf is every entry that needs work in loc.
func workOf(svc *content.Service, ctx context.Context, loc string) ([]content.WorkItem, error) {
	l, err := svc.NeedsTranslation(ctx, loc, content.Page{Limit: 100})
	return l.Items, err
}

// pageThrough reads a list page by page, forwards (by each page's last
// key) or, fromEnd, backwards (by each page's first), and returns the
// items in list order.
func pageThrough[T any](t *testing.T, fromEnd bool, size int, list func(content.Page) (content.List[T], error), key func(T) string) []T {
	t.Helper()
	var out []T
	page := content.Page{Limit: size, FromEnd: fromEnd}
	for range 50 {
		l, err := list(page)
		if err != nil {
			t.Fatal(err)
		}
		if len(l.Items) > size {
			t.Fatalf("a page of %d holds %d items", size, len(l.Items))
		}
		more := l.HasNextPage
		if fromEnd {
			out, more = append(slices.Clone(l.Items), out...), l.HasPreviousPage
		} else {
			out = append(out, l.Items...)
		}
		if !more {
			return out
		}
		if fromEnd {
			page.BeforeID = key(l.Items[0])
		} else {
			page.AfterID = key(l.Items[len(l.Items)-1])
		}
	}
	t.Fatal("paging did not end")
	return nil
}

// TestRevisionsPageNewestFirst: pages of an entry's history, forwards and
// backwards, add up to the whole history, newest first, and the count
// agrees.
func TestRevisionsPageNewestFirst(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		svc := newService(t, db)
		e := newFAQ(t, svc, map[string]string{"nl": "vraag"})
		for i := range 4 {
			var err error
			e, err = svc.Update(operator, e.ID, content.Update{ExpectedVersion: e.Version, Translations: map[string]content.TranslationInput{
				"nl": {Slug: "vraag", Fields: content.FAQFields{Question: fmt.Sprintf("Vraag %d?", i), Answer: "A."}}}})
			if err != nil {
				t.Fatal(err)
			}
		}
		all, err := revisionsOf(svc, operator, e.ID, "nl")
		if err != nil || len(all) != 5 {
			t.Fatalf("history: %d revisions, %v", len(all), err)
		}
		for i := 1; i < len(all); i++ {
			if all[i].Number >= all[i-1].Number {
				t.Fatalf("history is not newest first: %d after %d", all[i].Number, all[i-1].Number)
			}
		}
		list := func(p content.Page) (content.List[content.Revision], error) {
			return svc.Revisions(operator, e.ID, "nl", p)
		}
		id := func(r content.Revision) string { return r.ID }
		for _, fromEnd := range []bool{false, true} {
			got := pageThrough(t, fromEnd, 2, list, id)
			if !slices.Equal(ids(got, id), ids(all, id)) {
				t.Fatalf("pages of 2 (from the end: %v) give %v, want %v", fromEnd, ids(got, id), ids(all, id))
			}
		}
		if n, err := svc.CountRevisions(operator, e.ID, "nl"); err != nil || n != 5 {
			t.Fatalf("count: %d, %v", n, err)
		}
	})
}

// TestNeedsTranslationPages: pages of the translation work add up to all
// of it, newest entry first, skipping the entries that need none.
func TestNeedsTranslationPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		svc := newService(t, db)
		var want []string
		for i := range 7 {
			locales := map[string]string{"nl": fmt.Sprintf("vraag-%d", i)}
			if i%3 == 0 { // every third is translated: no work
				locales["en"] = fmt.Sprintf("question-%d", i)
			} else {
				want = append(want, "")
			}
			e := newFAQ(t, svc, locales)
			if i%3 != 0 {
				want[len(want)-1] = e.ID
			}
		}
		slices.Reverse(want) // newest first
		list := func(p content.Page) (content.List[content.WorkItem], error) {
			return svc.NeedsTranslation(operator, "en", p)
		}
		id := func(w content.WorkItem) string { return w.Entry.ID }
		for _, fromEnd := range []bool{false, true} {
			if got := ids(pageThrough(t, fromEnd, 2, list, id), id); !slices.Equal(got, want) {
				t.Fatalf("pages of 2 (from the end: %v) give %v, want %v", fromEnd, got, want)
			}
		}
		if n, err := svc.CountNeedsTranslation(operator, "en"); err != nil || n != len(want) {
			t.Fatalf("count: %d, %v; want %d", n, err, len(want))
		}
	})
}

func ids[T any](items []T, id func(T) string) []string {
	out := make([]string, len(items))
	for i, item := range items {
		out[i] = id(item)
	}
	return out
}
