// Package execlist marshals GraphQL lists for gqlgen's generated executor.
//
// gqlgen marshals every element of an object list in a goroutine of its
// own, so that an element's resolvers that wait (on a data loader, say)
// wait together. Most lists on the public read path select only fields
// that read a struct: FAQs, alternates, vacancy edges without their role.
// For those the goroutines buy nothing and cost their start, their stack
// growth and a WaitGroup per list; profiled under load they were about a
// tenth of an uncached page's CPU. Marshal keeps gqlgen's behaviour when
// the selection reaches a field that may wait, and otherwise marshals the
// elements one after another, in the same field contexts.
//
// The generator in graph/internal/generate rewrites gqlgen's calls of
// graphql.MarshalSliceConcurrently into calls of Marshal, and writes the
// table of fields that gqlgen resolves concurrently (concurrent.generated.go).
package execlist

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// Marshal marshals a list of length elements selected by sel, with
// graphql.MarshalSliceConcurrently's signature and results otherwise.
func Marshal(
	ctx context.Context,
	sel ast.SelectionSet,
	length int,
	workerLimit int64,
	omitPanicHandler bool,
	marshalElement func(ctx context.Context, i int) graphql.Marshaler,
) graphql.Array {
	if MayWait(sel) {
		return graphql.MarshalSliceConcurrently(ctx, length, workerLimit, omitPanicHandler, marshalElement)
	}
	ret := make(graphql.Array, length)
	for i := range length {
		ret[i] = marshalOne(ctx, i, omitPanicHandler, marshalElement)
	}
	return ret
}

// marshalOne marshals element i in its own field context, turning a panic
// into a null element and an error as gqlgen's goroutines do.
func marshalOne(
	ctx context.Context,
	i int,
	omitPanicHandler bool,
	marshalElement func(ctx context.Context, i int) graphql.Marshaler,
) (m graphql.Marshaler) {
	childCtx := graphql.WithFieldContext(ctx, &graphql.FieldContext{Index: &i})
	if !omitPanicHandler {
		defer func() {
			if r := recover(); r != nil {
				graphql.AddError(childCtx, graphql.Recover(childCtx, r))
				m = graphql.Null
			}
		}()
	}
	return marshalElement(childCtx, i)
}

// MayWait reports whether sel, at any depth, selects a field that gqlgen
// resolves concurrently: a resolver or a method that takes a context.
// Fragments count whatever their type condition, so the answer errs on
// the side of concurrency.
func MayWait(sel ast.SelectionSet) bool {
	for _, s := range sel {
		switch s := s.(type) {
		case *ast.Field:
			if s.ObjectDefinition != nil && concurrentFields[s.ObjectDefinition.Name+"."+s.Name] {
				return true
			}
			if MayWait(s.SelectionSet) {
				return true
			}
		case *ast.InlineFragment:
			if MayWait(s.SelectionSet) {
				return true
			}
		case *ast.FragmentSpread:
			if s.Definition == nil || MayWait(s.Definition.SelectionSet) {
				return true
			}
		}
	}
	return false
}
