package telemetry

import (
	"context"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// GraphQL returns the gqlgen extension that times operations, counts
// their errors by extensions.code and, with tracing on, gives each a span.
// Use it before every other extension (graph.NewHandler does): the first
// is the outermost, and so also sees the answers of extensions that refuse
// an operation without running it (the query budget).
func (t *Telemetry) GraphQL() graphql.HandlerExtension { return gqlExtension{t} }

type gqlExtension struct{ t *Telemetry }

var (
	_ graphql.OperationInterceptor = gqlExtension{}
	_ graphql.ResponseInterceptor  = gqlExtension{}
)

func (gqlExtension) ExtensionName() string                   { return "Telemetry" }
func (gqlExtension) Validate(graphql.ExecutableSchema) error { return nil }

// operationRan marks the context of an operation that InterceptOperation
// records, so that InterceptResponse leaves its answer alone.
type operationRan struct{}

func (e gqlExtension) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	if e.t == nil {
		return next(ctx)
	}
	op := graphql.GetOperationContext(ctx)
	name, typ := e.t.names.admit(op.Operation.Name), string(op.Operation.Operation)
	start := time.Now()
	var span trace.Span
	if e.t.tracer != nil {
		ctx, span = e.t.tracer.Start(ctx, "graphql."+typ+" "+name, trace.WithAttributes(
			attribute.String("graphql.operation.name", name), attribute.String("graphql.operation.type", typ)))
	}
	ctx = context.WithValue(ctx, operationRan{}, true)
	responses := next(ctx)
	recorded := false
	return func(ctx context.Context) *graphql.Response {
		resp := responses(ctx)
		if recorded { // a stream's later answers: the operation was timed
			return resp
		}
		recorded = true
		e.t.gqlDuration.WithLabelValues(name, typ).Observe(time.Since(start).Seconds())
		if resp != nil {
			e.t.countErrors(name, typ, resp)
		}
		if span != nil {
			if resp != nil && len(resp.Errors) > 0 {
				span.SetStatus(codes.Error, errorCode(resp.Errors[0].Extensions))
			}
			span.End()
		}
		return resp
	}
}

// InterceptResponse counts the errors of requests refused before an
// operation ran (they do not parse or validate, or name a persisted query
// the server does not know), with type "unknown", under the operationName
// they claim if it is one that ran before.
func (e gqlExtension) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if e.t == nil || resp == nil || ctx.Value(operationRan{}) != nil {
		return resp
	}
	// The document did not get through, so only the operationName the
	// request sent names it; without one the operation is unknown.
	name := unknown
	if graphql.HasOperationContext(ctx) {
		if claimed := graphql.GetOperationContext(ctx).OperationName; claimed != "" {
			name = e.t.names.label(claimed)
		}
	}
	e.t.countErrors(name, unknown, resp)
	return resp
}

func (t *Telemetry) countErrors(name, typ string, resp *graphql.Response) {
	for _, err := range resp.Errors {
		t.gqlErrors.WithLabelValues(name, typ, errorCode(err.Extensions)).Inc()
	}
}

// errorCode is an error's extensions.code when it looks like one of the
// codes the server sets (upper case and underscores), "other" otherwise,
// and "none" when there is none.
func errorCode(ext map[string]any) string {
	c, ok := ext["code"].(string)
	if !ok || c == "" {
		return "none"
	}
	if len(c) > 40 {
		return other
	}
	for i := 0; i < len(c); i++ {
		if !(c[i] == '_' || 'A' <= c[i] && c[i] <= 'Z') {
			return other
		}
	}
	return c
}
