// Package graph is Werkwijzer's GraphQL transport: the schema in schema/,
// gqlgen's generated executor in generated/, and thin resolvers that parse
// arguments, call the domain services and map the results to model types.
package graph

//go:generate go tool gqlgen generate

import (
	"context"

	"github.com/werkwijzer/werkwijzer/graph/loaders"
	"github.com/werkwijzer/werkwijzer/graph/model"
	"github.com/werkwijzer/werkwijzer/internal/content"
)

// Resolver holds the services the resolvers call.
type Resolver struct {
	Content *content.Service
}

func (r *Resolver) loaders(ctx context.Context) *loaders.Loaders {
	return loaders.For(ctx, r.Content)
}

func (r *Resolver) alternates(ctx context.Context, id string) ([]model.Alternate, error) {
	alts, _, err := loaders.One(ctx, r.loaders(ctx).Alternates, id)
	return toAlternates(alts), err
}

// keys names entries for a loader, all in one requested locale.
func keys(ids []string, loc string) []loaders.Key {
	out := make([]loaders.Key, len(ids))
	for i, id := range ids {
		out[i] = loaders.Key{ID: id, Locale: loc}
	}
	return out
}
