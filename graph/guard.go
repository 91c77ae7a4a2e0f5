package graph

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/maypok86/otter/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/cachetag"
)

// CodeTimeout is the extensions.code of fields that were cut off because
// their operation ran past its deadline.
const CodeTimeout = "TIMEOUT"

// saturated is where the shape counters stop growing: a document of
// fragments that each spread the next twice doubles with every level, and
// its true size would overflow any integer.
const saturated = 1 << 40

// shape is what an operation expands to once every fragment spread is
// replaced by its fragment: how deep it nests, how many fields it selects
// and how many of them carry an alias.
type shape struct {
	depth, fields, aliases int
	// vacancies is set when it selects vacancies, whose answers a
	// vacancy sync or expiry changes.
	vacancies bool
}

func (s shape) add(o shape) shape {
	return shape{
		depth:     max(s.depth, o.depth),
		fields:    min(s.fields+o.fields, saturated),
		aliases:   min(s.aliases+o.aliases, saturated),
		vacancies: s.vacancies || o.vacancies,
	}
}

// shapeOf measures a selection set, computing each fragment's shape once:
// a spread costs a lookup, however often it is reached, so measuring is
// linear in the document's size while what it measures may be exponential.
type shapeOf struct {
	fragments ast.FragmentDefinitionList
	memo      map[string]shape
	// introspection leaves __schema and __type selections unmeasured:
	// graphql-js's standard introspection query, which every GraphQL tool
	// sends, nests 15 levels deep, and its answer is bounded by the schema,
	// not by the data. Everything else in the document is measured.
	introspection bool
}

func (m *shapeOf) set(set ast.SelectionSet) shape {
	var out shape
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if m.introspection && (s.Name == "__schema" || s.Name == "__type") {
				continue
			}
			child := m.set(s.SelectionSet)
			child.depth++
			child.fields = min(child.fields+1, saturated)
			if s.Alias != "" && s.Alias != s.Name {
				child.aliases = min(child.aliases+1, saturated)
			}
			if s.Definition != nil {
				switch s.Definition.Type.Name() {
				case "Vacancy", "VacancyConnection":
					child.vacancies = true
				}
			}
			out = out.add(child)
		case *ast.InlineFragment:
			out = out.add(m.set(s.SelectionSet))
		case *ast.FragmentSpread:
			out = out.add(m.fragment(s.Name))
		}
	}
	return out
}

func (m *shapeOf) fragment(name string) shape {
	if s, ok := m.memo[name]; ok {
		return s
	}
	// Validation refuses fragment cycles before this runs; should one get
	// through, the zero shape stored first ends the recursion.
	m.memo[name] = shape{}
	var s shape
	if f := m.fragments.ForName(name); f != nil {
		s = m.set(f.SelectionSet)
	}
	m.memo[name] = s
	return s
}

// shapeLimit refuses operations too deep, too large or with too many
// aliases once expanded, before the complexity pass (which expands every
// spread) and before any resolver runs.
type shapeLimit struct{ limits Limits }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = shapeLimit{}

func (shapeLimit) ExtensionName() string { return "ShapeLimit" }

func (shapeLimit) Validate(graphql.ExecutableSchema) error { return nil }

func (l shapeLimit) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	if op.Operation == nil {
		return nil
	}
	m := &shapeOf{fragments: op.Doc.Fragments, memo: map[string]shape{}, introspection: l.limits.Introspection}
	s := m.set(op.Operation.SelectionSet)
	if s.vacancies {
		cachetag.Add(ctx, cachetag.Vacancies)
	}
	if op.Operation.Operation == ast.Query {
		cachetag.MarkQuery(ctx)
	}
	refuse := func(limit string, max int, format string, args ...any) *gqlerror.Error {
		return &gqlerror.Error{
			Message:    fmt.Sprintf(format, args...),
			Extensions: map[string]any{"code": string(apperr.BadUserInput), "reason": apperr.QueryTooLarge.String(), "limit": limit, limit: max, "max": max},
		}
	}
	switch {
	case l.limits.MaxDepth > 0 && s.depth > l.limits.MaxDepth:
		return refuse("maxDepth", l.limits.MaxDepth, "query is nested %d levels deep; the limit is %d", s.depth, l.limits.MaxDepth)
	case l.limits.MaxAliases > 0 && s.aliases > l.limits.MaxAliases:
		return refuse("maxAliases", l.limits.MaxAliases, "query uses %s aliases once its fragments are expanded; the limit is %d", count(s.aliases), l.limits.MaxAliases)
	case l.limits.MaxFields > 0 && s.fields > l.limits.MaxFields:
		return refuse("maxFields", l.limits.MaxFields, "query selects %s fields once its fragments are expanded; the limit is %d", count(s.fields), l.limits.MaxFields)
	}
	return nil
}

func count(n int) string {
	if n >= saturated {
		return "more than a trillion"
	}
	return fmt.Sprint(n)
}

// deadline gives every operation a deadline: its resolvers and database
// calls see the context end and stop, instead of working on for a client
// that left or for a query that would hold a core for seconds.
func deadline(query, mutation time.Duration) graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		op := graphql.GetOperationContext(ctx)
		d := query
		if op.Operation != nil && op.Operation.Operation == ast.Mutation {
			d = mutation
		}
		if d <= 0 {
			return next(ctx)
		}
		ctx, cancel := context.WithTimeout(ctx, d)
		respond := next(ctx)
		return func(ctx context.Context) *graphql.Response {
			defer cancel()
			return respond(ctx)
		}
	}
}

// isTimeout reports whether err is the end of an operation's deadline.
func isTimeout(err error) bool {
	return errors.Is(err, context.DeadlineExceeded)
}

// budget limits the query cost each client address may have executed per
// minute. Answers served from the answer cache never get here and cost
// nothing, so only work the server really does counts.
type budget struct {
	perMinute int
	spent     *otter.Cache[string, int]
}

// budgetAddresses bounds the addresses tracked at once; beyond it the
// least recently seen are forgotten, which only ever errs on the side of
// serving.
const budgetAddresses = 100_000

func newBudget(perMinute int) *budget {
	if perMinute <= 0 {
		return nil
	}
	return &budget{perMinute: perMinute, spent: otter.Must(&otter.Options[string, int]{
		MaximumSize:      budgetAddresses,
		ExpiryCalculator: otter.ExpiryCreating[string, int](time.Minute),
	})}
}

// charge adds cost to addr's spending in the current minute, or reports
// false, charging nothing, when that would exceed the budget.
func (b *budget) charge(addr string, cost int) bool {
	allowed := true
	b.spent.Compute(addr, func(spent int, _ bool) (int, otter.ComputeOp) {
		if spent+cost > b.perMinute {
			allowed = false
			return spent, otter.CancelOp
		}
		return spent + cost, otter.WriteOp
	})
	return allowed
}

// middleware refuses an operation whose cost (the complexity gqlgen
// computed, at least 1) the caller's address cannot afford this minute.
func (b *budget) middleware(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	addr := account.ClientAddr(ctx)
	if addr == "" {
		return next(ctx)
	}
	cost := 1
	if stats := extension.GetComplexityStats(ctx); stats != nil {
		cost = max(cost, stats.Complexity)
	}
	if b.charge(addr, cost) {
		return next(ctx)
	}
	retry := 60
	if e, ok := b.spent.GetEntryQuietly(addr); ok {
		retry = int(e.ExpiresAfter().Seconds()) + 1
	}
	return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{{
		Message: fmt.Sprintf("this address has used its query budget of %d per minute; cached answers stay available", b.perMinute),
		Extensions: map[string]any{"code": string(apperr.RateLimited), "queryBudget": b.perMinute,
			"retryAfterSeconds": retry},
	}}})
}
