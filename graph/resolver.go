// Package graph is Werkwijzer's GraphQL transport: the schema in schema/,
// gqlgen's generated executor in generated/, and thin resolvers that parse
// arguments, call the domain services and map the results to model types.
package graph

//go:generate go run ./internal/generate

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/werkwijzer/werkwijzer/graph/loaders"
	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/content"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
	"github.com/werkwijzer/werkwijzer/internal/webhook"
)

// Resolver holds the services the resolvers call.
type Resolver struct {
	Content        *content.Service
	Accounts       *account.Service
	VacancyService *vacancy.Service
	// PersistedQueries, when set, shares automatic persisted queries
	// between replicas; without it each process keeps its own.
	PersistedQueries PersistedQueryStore
	// Webhooks manages the publish webhooks (admins only).
	Webhooks *webhook.Service
}

func (r *Resolver) loaders(ctx context.Context) *loaders.Loaders {
	return loaders.For(ctx, r.Content, r.Accounts)
}

// primeArticleRelations loads what the articles' blocks refer to in a
// fixed number of statements and primes the loaders with it, so the block
// resolvers never query. It does nothing when the query selects no blocks.
func (r *Resolver) primeArticleRelations(ctx context.Context, articles []*content.PublishedArticle, loc string, preview bool) error {
	if len(articles) == 0 || !selects(ctx, "blocks") {
		return nil
	}
	rel, err := r.Content.With(content.ReadOptions{Preview: preview}).RelatedToArticles(ctx, articles, loc)
	if err != nil {
		return err
	}
	l := r.loaders(ctx)
	loaders.Prime(l.Comparisons, loc, preview, rel.Comparisons)
	loaders.Prime(l.Roles, loc, preview, rel.Roles)
	loaders.Prime(l.FAQs, loc, preview, rel.FAQs)
	return r.primeVacancyLists(ctx, articles)
}

// keys names entries for a loader, all in one requested locale and view.
func keys(ids []string, loc string, preview bool) []loaders.Key {
	out := make([]loaders.Key, len(ids))
	for i, id := range ids {
		out[i] = loaders.Key{ID: id, Locale: loc, Preview: preview}
	}
	return out
}

// reading returns the content service reading drafts when the query asked
// for a preview (the service refuses that to anyone not signed in), and
// whether it does.
func (r *Resolver) reading(preview *bool) (*content.Service, bool) {
	on := preview != nil && *preview
	return r.Content.With(content.ReadOptions{Preview: on}), on
}

// selects reports whether the field being resolved selects the named child
// field, directly or inside a connection's edges { node { ... } }.
func selects(ctx context.Context, name string) bool {
	return selected(ctx, func(_ *graphql.OperationContext, f graphql.CollectedField) bool { return f.Name == name })
}

// selected reports whether match holds for a field selected under the
// field being resolved, looking through a connection's edges and node.
// Without an operation (a call outside GraphQL) it assumes everything is.
func selected(ctx context.Context, match func(*graphql.OperationContext, graphql.CollectedField) bool) bool {
	if !graphql.HasOperationContext(ctx) {
		return true
	}
	op := graphql.GetOperationContext(ctx)
	var walk func(fields []graphql.CollectedField) bool
	walk = func(fields []graphql.CollectedField) bool {
		for _, f := range fields {
			if match(op, f) {
				return true
			}
			if (f.Name == "edges" || f.Name == "node") && walk(graphql.CollectFields(op, f.Selections, nil)) {
				return true
			}
		}
		return false
	}
	return walk(graphql.CollectFieldsCtx(ctx, nil))
}

func loadersUser(ctx context.Context, r *Resolver, id string) (*account.User, error) {
	return loaders.One(ctx, r.loaders(ctx).Users, id)
}
