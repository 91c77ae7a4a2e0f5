package execlist_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/validator/rules"

	"github.com/werkwijzer/werkwijzer/graph/execlist"
	"github.com/werkwijzer/werkwijzer/graph/generated"
)

// listSelection returns the selection set of the field at path (aliases
// or names, from the operation's root) in query, validated against the
// real schema.
func listSelection(t *testing.T, query string, path ...string) ast.SelectionSet {
	t.Helper()
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	doc, errs := gqlparser.LoadQueryWithRules(schema, query, rules.NewDefaultRules())
	if errs != nil {
		t.Fatalf("query does not validate: %v", errs)
	}
	sel := doc.Operations[0].SelectionSet
	for _, name := range path {
		var next ast.SelectionSet
		for _, f := range graphql.CollectFields(&graphql.OperationContext{RawQuery: query, Doc: doc}, sel, nil) {
			if f.Alias == name {
				next = f.Selections
			}
		}
		if next == nil {
			t.Fatalf("no field %q on the path %v", name, path)
		}
		sel = next
	}
	return sel
}

func TestMayWaitFindsResolversAtAnyDepth(t *testing.T) {
	cases := []struct {
		name  string
		query string
		path  []string
		wait  bool
	}{
		{"FAQs read a struct", `{ role(slug: "x") { faqs { id question answer { html } } } }`, []string{"role", "faqs"}, false},
		{"vacancy edges without resolvers", `{ role(slug: "x") { vacancies(first: 10) { edges { node { id title hiringOrganization { name } locations { locality } } } } } }`,
			[]string{"role", "vacancies", "edges"}, false},
		{"a vacancy's role waits on a loader", `{ role(slug: "x") { vacancies(first: 10) { edges { node { id role { title } } } } } }`,
			[]string{"role", "vacancies", "edges"}, true},
		{"through a named fragment", `{ role(slug: "x") { vacancies(first: 10) { edges { ...E } } } } fragment E on VacancyEdge { node { jobPosting } }`,
			[]string{"role", "vacancies", "edges"}, true},
		{"a named fragment of struct fields", `{ role(slug: "x") { faqs { ...F } } } fragment F on FAQ { id question }`,
			[]string{"role", "faqs"}, false},
		{"through an inline fragment", `{ article(slug: "x") { blocks { __typename ... on FAQBlock { faqs { id } } } } }`,
			[]string{"article", "blocks"}, true},
		{"blocks without resolvers", `{ article(slug: "x") { blocks { __typename ... on RichTextBlock { id body { html } } } } }`,
			[]string{"article", "blocks"}, false},
		{"roles with their vacancies", `{ roles(first: 5) { edges { node { title vacancies(first: 3) { totalCount } } } } }`,
			[]string{"roles", "edges"}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := execlist.MayWait(listSelection(t, c.query, c.path...)); got != c.wait {
				t.Fatalf("MayWait = %v, want %v", got, c.wait)
			}
		})
	}
}

// marshalCounting marshals n elements, each taking a millisecond, and
// returns the most that ran at once.
func marshalCounting(ctx context.Context, sel ast.SelectionSet, n int) (graphql.Array, int32) {
	var active, most atomic.Int32
	ret := execlist.Marshal(ctx, sel, n, 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		now := active.Add(1)
		for {
			m := most.Load()
			if now <= m || most.CompareAndSwap(m, now) {
				break
			}
		}
		time.Sleep(time.Millisecond)
		active.Add(-1)
		if got := *graphql.GetFieldContext(ctx).Index; got != i {
			panic("element marshalled in the field context of another")
		}
		return graphql.MarshalInt(i)
	})
	return ret, most.Load()
}

func TestSelectionsThatCannotWaitAreMarshalledInOrderOneAtATime(t *testing.T) {
	sel := listSelection(t, `{ role(slug: "x") { faqs { id question } } }`, "role", "faqs")
	ret, most := marshalCounting(context.Background(), sel, 20)
	if most != 1 {
		t.Fatalf("%d elements were marshalled at once, want one at a time", most)
	}
	var b strings.Builder
	ret.MarshalGQL(&b)
	if want := "[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19]"; b.String() != want {
		t.Fatalf("marshalled %s, want %s", b.String(), want)
	}
}

func TestSelectionsThatMayWaitAreMarshalledConcurrently(t *testing.T) {
	sel := listSelection(t, `{ role(slug: "x") { faqs { id } vacancies(first: 3) { edges { node { role { id } } } } } }`,
		"role", "vacancies", "edges")
	if _, most := marshalCounting(context.Background(), sel, 20); most < 2 {
		t.Fatalf("the elements were marshalled one at a time: their loaders could not batch")
	}
}

func TestAPanickingElementIsNullWithAnError(t *testing.T) {
	sel := listSelection(t, `{ role(slug: "x") { faqs { id } } }`, "role", "faqs")
	ctx := graphql.WithResponseContext(context.Background(), graphql.DefaultErrorPresenter,
		func(context.Context, any) error { return errors.New("recovered") })
	ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{})
	ret := execlist.Marshal(ctx, sel, 3, 0, false, func(_ context.Context, i int) graphql.Marshaler {
		if i == 1 {
			panic("boom")
		}
		return graphql.MarshalInt(i)
	})
	if ret[1] != graphql.Null || ret[0] == graphql.Null || ret[2] == graphql.Null {
		t.Fatalf("want only the panicking element null, got %v", ret)
	}
	errs := graphql.GetErrors(ctx)
	if len(errs) != 1 || !strings.Contains(errs[0].Message, "recovered") {
		t.Fatalf("errors = %v, want the recovered panic", errs)
	}
}
