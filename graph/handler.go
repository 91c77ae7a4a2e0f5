package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/99designs/gqlgen/complexity"
	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/werkwijzer/werkwijzer/graph/generated"
	"github.com/werkwijzer/werkwijzer/graph/model"
	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/content"
)

// Limits bound what one GraphQL request may ask for.
type Limits struct {
	// MaxComplexity is the highest query cost accepted; every field
	// costs 1 and a list costs its children times its page size.
	MaxComplexity int
	// MaxDepth is the deepest selection nesting accepted.
	MaxDepth int
	// MaxFields bounds the fields an operation selects once its fragment
	// spreads are expanded, and MaxAliases the aliased ones among them:
	// both are checked before complexity, which expands every spread.
	MaxFields  int
	MaxAliases int
	// QueryTimeout and MutationTimeout are each operation's deadline;
	// past it, its resolvers and database calls are cancelled.
	QueryTimeout    time.Duration
	MutationTimeout time.Duration
	// QueryBudget is the query cost one client address may have executed
	// per minute; 0 is no budget.
	QueryBudget int
	// Introspection allows __schema and __type queries.
	Introspection bool
}

// DefaultLimits fit the full article page query with room to spare.
var DefaultLimits = Limits{
	MaxComplexity: 5000, MaxDepth: 12, MaxFields: 2000, MaxAliases: 50,
	QueryTimeout: 5 * time.Second, MutationTimeout: 25 * time.Second,
	Introspection: true,
}

// NewHandler returns the GraphQL HTTP handler: POST and GET only (no form
// or multipart transports, which a browser could send cross-site without a
// preflight), a parsed-query cache, automatic persisted queries for short
// cacheable GET URLs, and bounded complexity, depth and token counts.
// Extensions (the telemetry's) come before all others, so they see every
// operation and every refusal.
func NewHandler(r *Resolver, limits Limits, log *slog.Logger, extensions ...graphql.HandlerExtension) *handler.Server {
	cfg := generated.Config{Resolvers: r}
	cfg.Directives.HasRole = hasRole
	// A page costs its size times its items' cost, whichever end it is
	// counted from.
	pageCost := func(child int, first, last *int) int {
		n := defaultPageSize
		switch {
		case first != nil && *first > 0:
			n = *first
		case last != nil && *last > 0:
			n = *last
		}
		return child * n
	}
	cfg.Complexity.Query.Articles = func(child int, _ *string, first *int, _ *string, last *int, _ *string, _ *bool) int {
		return pageCost(child, first, last)
	}
	cfg.Complexity.Query.Entries = func(child int, _ *model.EntryType, first *int, _ *string, last *int, _ *string) int {
		return pageCost(child, first, last)
	}
	cfg.Complexity.Query.Revisions = func(child int, _ string, _ *string, first *int, _ *string, last *int, _ *string) int {
		return pageCost(child, first, last)
	}
	cfg.Complexity.Query.NeedsTranslation = func(child int, _ string, first *int, _ *string, last *int, _ *string) int {
		return pageCost(child, first, last)
	}
	cfg.Complexity.Query.Roles = func(child int, _ *string, first *int, _ *string, last *int, _ *string, _ *bool) int {
		return pageCost(child, first, last)
	}
	// Rendering costs with the text's size: bound the Markdown one
	// request may have rendered (aliases would otherwise repeat it).
	cfg.Complexity.Query.RenderMarkdown = func(_ int, markdown string) int { return 1 + len(markdown)/100 }
	cfg.Complexity.Query.ScheduledActions = func(child, first int) int { return pageCost(child, &first, nil) }
	cfg.Complexity.Query.Sitemap = func(child int, _ *string, first *int, _ *string, last *int, _ *string) int {
		return pageCost(child, first, last)
	}
	cfg.Complexity.Query.Faqs = func(child int, _, _, _ *string, first *int, _ *string, last *int, _ *string, _ *bool) int {
		return pageCost(child, first, last)
	}
	cfg.Complexity.Query.Vacancies = func(child int, _ *model.VacancyFilter, first *int, _ *string, last *int, _ *string) int {
		return pageCost(child, first, last)
	}
	cfg.Complexity.Query.VacanciesForAdmin = func(child int, _ *model.AdminVacancyFilter, first *int, _ *string, last *int, _ *string) int {
		return pageCost(child, first, last)
	}
	// usedBy scans the entries and loads up to MaxUsages of them: it
	// costs as much as that many items, so asking for it on every entry
	// of a long list is refused.
	cfg.Complexity.Entry.UsedBy = func(child int) int { return content.MaxUsages * (1 + child) }
	cfg.Complexity.Role.Vacancies = func(child int, first *int, _ *string, last *int, _ *string) int {
		return pageCost(child, first, last)
	}

	srv := handler.New(generated.NewExecutableSchema(cfg))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(overHTTP{queriesOnlyGET{}})
	srv.AddTransport(overHTTP{postJSON{}})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	for _, ext := range extensions {
		srv.Use(ext)
	}
	var apq graphql.Cache[string] = lru.New[string](1000)
	if r.PersistedQueries != nil {
		apq = &persistedQueries{local: lru.New[string](1000), shared: r.PersistedQueries, log: log}
	}
	srv.Use(extension.AutomaticPersistedQuery{Cache: apq})
	srv.Use(shapeLimit{limits}) // before complexity: see shapeLimit
	srv.Use(extension.FixedComplexityLimit(limits.MaxComplexity, complexity.WithFixedScalarValue(0)))
	if limits.Introspection {
		srv.Use(extension.Introspection{})
	}
	// An unbounded token count lets one request burn CPU in the parser
	// (CVE-2023-49559); "did you mean" hints leak schema when
	// introspection is off.
	srv.SetParserTokenLimit(15000)
	srv.SetDisableSuggestion(!limits.Introspection)
	if b := newBudget(limits.QueryBudget); b != nil {
		srv.AroundOperations(b.middleware)
	}
	srv.AroundOperations(deadline(limits.QueryTimeout, limits.MutationTimeout))
	srv.SetErrorPresenter(errorPresenter(log))
	srv.SetRecoverFunc(func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "panic in resolver", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		return apperr.New(apperr.Internal, "internal error")
	})
	return srv
}

// graphQLResponseJSON is the media type of GraphQL over HTTP; a client
// that accepts it is answered in it, others in application/json.
const graphQLResponseJSON = "application/graphql-response+json"

// overHTTP gives a transport the status codes GraphQL over HTTP asks for
// when a request fails before execution (it does not parse, does not
// validate, or exceeds a limit): in application/graphql-response+json,
// 400 and no data entry, as no operation ran; in application/json, 200
// with the errors, as clients of that older media type expect, where gqlgen
// answers 422. Responses of operations that ran keep their status.
type overHTTP struct{ graphql.Transport }

func (t overHTTP) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	e := &requestErrors{GraphExecutor: exec}
	t.Transport.Do(&requestErrorWriter{ResponseWriter: w, exec: e}, r, e)
}

// requestErrors records whether the request failed before execution.
type requestErrors struct {
	graphql.GraphExecutor
	failed bool
}

func (e *requestErrors) CreateOperationContext(ctx context.Context, params *graphql.RawParams) (*graphql.OperationContext, gqlerror.List) {
	op, errs := e.GraphExecutor.CreateOperationContext(ctx, params)
	e.failed = len(errs) > 0
	return op, errs
}

type requestErrorWriter struct {
	http.ResponseWriter
	exec   *requestErrors
	status int
}

func (w *requestErrorWriter) graphQLResponse() bool {
	return w.Header().Get("Content-Type") == graphQLResponseJSON
}

func (w *requestErrorWriter) WriteHeader(status int) {
	switch {
	case !w.exec.failed:
	case w.graphQLResponse() && status < http.StatusBadRequest:
		status = http.StatusBadRequest
	case !w.graphQLResponse() && status == http.StatusUnprocessableEntity:
		status = http.StatusOK
	}
	w.status = status
	w.ResponseWriter.WriteHeader(status)
}

// Write drops the data entry (null, gqlgen writes it always) of a
// graphql-response+json answer to a request that failed: its absence is
// how a client tells that nothing ran.
func (w *requestErrorWriter) Write(b []byte) (int, error) {
	if !w.graphQLResponse() || (!w.exec.failed && w.status < http.StatusBadRequest) {
		return w.ResponseWriter.Write(b)
	}
	var answer map[string]json.RawMessage
	if err := json.Unmarshal(b, &answer); err != nil {
		return w.ResponseWriter.Write(b)
	}
	delete(answer, "data")
	stripped, err := json.Marshal(answer)
	if err != nil {
		return w.ResponseWriter.Write(b)
	}
	if _, err := w.ResponseWriter.Write(stripped); err != nil {
		return 0, err
	}
	return len(b), nil
}

// queriesOnlyGET is gqlgen's GET transport, except that a mutation sent
// with GET is refused like every other error: with extensions.code (gqlgen
// writes a bare 406 error no presenter sees), 405 and the method to use.
type queriesOnlyGET struct{ transport.GET }

func (g queriesOnlyGET) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	g.GET.Do(&getRefusal{ResponseWriter: w}, r, exec)
}

// getRefusal replaces gqlgen's answer to a non-query sent with GET, the
// only answer of its GET transport with status 406.
type getRefusal struct {
	http.ResponseWriter
	refused bool
}

func (g *getRefusal) WriteHeader(status int) {
	if status != http.StatusNotAcceptable {
		g.ResponseWriter.WriteHeader(status)
		return
	}
	g.refused = true
	g.Header().Set("Allow", "GET, POST")
	g.ResponseWriter.WriteHeader(http.StatusMethodNotAllowed)
	body, _ := json.Marshal(graphql.Response{Errors: gqlerror.List{{
		Message:    "GET only runs queries; send mutations with POST",
		Extensions: map[string]any{"code": string(apperr.BadUserInput), "reason": apperr.MethodNotAllowed.String(), "allowedMethod": http.MethodPost},
	}}})
	_, _ = g.ResponseWriter.Write(body)
}

func (g *getRefusal) Write(b []byte) (int, error) {
	if g.refused {
		return len(b), nil // gqlgen's uncoded message, already replaced
	}
	return g.ResponseWriter.Write(b)
}

// errorPresenter gives every error an extensions.code, and every
// BAD_USER_INPUT an extensions.reason. Coded domain errors keep their
// message, reason and details; gqlgen's own parse and validation errors
// pass through; anything else is logged and reported as INTERNAL with no
// details, so SQL or file paths never reach a client.
func errorPresenter(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		presented := graphql.DefaultErrorPresenter(ctx, err)
		var coded *apperr.Error
		if errors.As(err, &coded) {
			presented.Message = coded.Message
			presented.Extensions = map[string]any{"code": string(coded.Code)}
			for k, v := range coded.Details {
				presented.Extensions[k] = v
			}
			if reason := coded.Reason.String(); reason != "" {
				presented.Extensions["reason"] = reason
			}
			if coded.Code == apperr.Internal {
				presented.Message = "internal error"
				presented.Extensions = map[string]any{"code": string(apperr.Internal)}
			}
			return withReason(presented)
		}
		var gqlErr *gqlerror.Error
		if errors.As(err, &gqlErr) && gqlErr.Err == nil {
			if presented.Extensions == nil {
				presented.Extensions = map[string]any{}
			}
			if _, ok := presented.Extensions["code"]; !ok {
				// gqlgen's transports refuse a body they cannot read
				// or decode with an uncoded error.
				presented.Extensions["code"] = string(apperr.BadUserInput)
			}
			return withReason(presented)
		}
		if isTimeout(err) {
			presented.Message = "the operation ran past its deadline"
			presented.Extensions = map[string]any{"code": CodeTimeout}
			return presented
		}
		log.ErrorContext(ctx, "graphql request failed", "path", presented.Path.String(), "error", err)
		presented.Message = "internal error"
		presented.Extensions = map[string]any{"code": string(apperr.Internal)}
		return presented
	}
}

// withReason gives a BAD_USER_INPUT that has no reason (a request that
// cannot be read) INVALID_REQUEST, so a client always finds one.
func withReason(presented *gqlerror.Error) *gqlerror.Error {
	if presented.Extensions["code"] == string(apperr.BadUserInput) && presented.Extensions["reason"] == nil {
		presented.Extensions["reason"] = apperr.InvalidRequest.String()
	}
	return presented
}
