package httpserver_test

import (
	"strings"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
)

type usage struct {
	ID, Type, Label string
	InDraft         bool
	LiveIn          []string
}

// TestUsedByNamesTheEntriesThatReferToIt follows an FAQ through a role
// that lists it in its draft, then live, then only live, then nowhere; a
// role whose text merely mentions the FAQ's id is not a reference.
func TestUsedByNamesTheEntriesThatReferToIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		a := newAPI(t, db)
		editor := a.signIn(t, "editor@example.com", account.RoleEditor)
		var faq struct{ CreateFAQ struct{ ID string } }
		a.post(`mutation { createFAQ(input: { translations: [{ locale: "nl", slug: "vraag", question: "Vraag?", answer: "Antwoord." }] }) { id } }`,
			nil, editor...).ok(t, &faq)
		faqID := faq.CreateFAQ.ID
		usedBy := func() []usage {
			t.Helper()
			var res struct{ Entry struct{ UsedBy []usage } }
			a.post(`query($id: ID!) { entry(id: $id) { usedBy { id type label inDraft liveIn } } }`, map[string]any{"id": faqID}, editor...).ok(t, &res)
			return res.Entry.UsedBy
		}
		createRole := func(slug, title, summary string, faqIDs []string) (id string, version int) {
			t.Helper()
			var res struct{ CreateRole struct{ ID string } }
			a.post(`mutation($in: RoleInput!) { createRole(input: $in) { id } }`, map[string]any{"in": map[string]any{
				"structure":    map[string]any{"faqIds": faqIDs},
				"translations": []any{map[string]any{"locale": "nl", "slug": slug, "title": title, "summary": summary}},
			}}, editor...).ok(t, &res)
			return res.CreateRole.ID, 1
		}
		publish := func(id string) {
			t.Helper()
			a.post(`mutation($id: ID!) { publish(id: $id, locales: ["nl"]) { entry { id } } }`, map[string]any{"id": id}, editor...).ok(t, new(any))
		}
		if got := usedBy(); len(got) != 0 {
			t.Fatalf("a new FAQ is used by %+v", got)
		}
		// Its id in a live text is no reference.
		mention, _ := createRole("noemer", "Noemer", "Zie "+faqID+".", []string{})
		publish(mention)
		role, _ := createRole("bakker", "Bakker", "Bakt.", []string{faqID})
		if got := usedBy(); len(got) != 1 || got[0].ID != role || got[0].Type != "ROLE" || got[0].Label != "Bakker" || !got[0].InDraft || len(got[0].LiveIn) != 0 {
			t.Fatalf("after a draft role listed the FAQ: %+v", got)
		}
		publish(role)
		if got := usedBy(); len(got) != 1 || !got[0].InDraft || strings.Join(got[0].LiveIn, ",") != "nl" {
			t.Fatalf("after publishing the role: %+v", got)
		}
		a.post(`mutation($id: ID!) { updateRole(id: $id, expectedVersion: 1, input: { structure: { faqIds: [] } }) { id } }`,
			map[string]any{"id": role}, editor...).ok(t, new(any))
		if got := usedBy(); len(got) != 1 || got[0].InDraft || strings.Join(got[0].LiveIn, ",") != "nl" {
			t.Fatalf("after the draft dropped the FAQ, the live role still shows it: %+v", got)
		}
		a.post(`mutation($id: ID!) { unpublish(id: $id, locales: ["nl"]) { id } }`, map[string]any{"id": role}, editor...).ok(t, new(any))
		if got := usedBy(); len(got) != 0 {
			t.Fatalf("nothing refers to the FAQ any more, yet usedBy is %+v", got)
		}
	})
}

// TestUsedByIsRefusedOnAWholeList: it scans the entries, so a list of
// entries each asking for it costs more than a request may.
func TestUsedByIsRefusedOnAWholeList(t *testing.T) {
	a := newAPI(t, dbtest.SQLite(t))
	editor := a.signIn(t, "editor@example.com", account.RoleEditor)
	res := a.post(`{ entries(first: 100) { edges { node { usedBy { id } } } } }`, nil, editor...)
	if len(res.Errors) == 0 || string(res.Data) != "null" && len(res.Data) > 0 {
		t.Fatalf("usedBy on 100 entries was answered: %s", res.raw)
	}
	one := a.post(`{ entries(first: 1) { edges { node { usedBy { id } } } } }`, nil, editor...)
	if len(one.Errors) > 0 {
		t.Fatalf("usedBy on one entry was refused: %s", one.raw)
	}
}
