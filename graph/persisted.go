package graph

import (
	"context"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/lru"
)

// PersistedQueryStore keeps automatic persisted queries where every
// replica finds them.
type PersistedQueryStore interface {
	Get(ctx context.Context, hash string) (query string, ok bool, err error)
	Add(ctx context.Context, hash, query string) error
}

// persistedQueries is the in-process LRU of persisted queries in front of
// the shared store, so a hash registered on one replica works on all and
// a known hash costs no statement.
type persistedQueries struct {
	local  *lru.LRU[string]
	shared PersistedQueryStore
	log    *slog.Logger
}

var _ graphql.Cache[string] = (*persistedQueries)(nil)

func (p *persistedQueries) Get(ctx context.Context, hash string) (string, bool) {
	if q, ok := p.local.Get(ctx, hash); ok {
		return q, true
	}
	q, ok, err := p.shared.Get(ctx, hash)
	if err != nil {
		p.log.WarnContext(ctx, "persisted query lookup failed", "error", err)
		return "", false
	}
	if ok {
		p.local.Add(ctx, hash, q)
	}
	return q, ok
}

// Add is called once gqlgen checked that hash is the query's SHA-256.
func (p *persistedQueries) Add(ctx context.Context, hash, query string) {
	p.local.Add(ctx, hash, query)
	if err := p.shared.Add(ctx, hash, query); err != nil {
		p.log.WarnContext(ctx, "storing a persisted query failed", "error", err)
	}
}
