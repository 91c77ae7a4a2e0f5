// Package loaders batches the lookups GraphQL resolvers make one entry at a
// time (the comparison of a block, the roles of a comparison, the FAQs of a
// role) into one query per kind and locale, so the number of SQL statements
// of a query does not grow with the number of entries it returns. Loaders
// live for one request: their cache must never serve one caller's data to
// another.
//
// Batching by time window alone is not deterministic: when resolving many
// siblings takes longer than the window, a batch splits. Where a parent
// knows what its children will ask for (an article's blocks), it loads that
// up front and primes the loaders with Prime, so the children never query.
package loaders

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/content"
)

// Key names an entry as served for one requested locale, live or as a
// draft (preview).
type Key struct {
	ID      string
	Locale  string
	Preview bool
}

// Loaders are the request-scoped loaders.
type Loaders struct {
	Roles       *dataloadgen.Loader[Key, *content.PublishedRole]
	Comparisons *dataloadgen.Loader[Key, *content.PublishedComparison]
	FAQs        *dataloadgen.Loader[Key, *content.PublishedFAQ]
	// Users resolve who changed what, for editors.
	Users *dataloadgen.Loader[string, *account.User]
}

// New returns fresh loaders over the services.
func New(svc *content.Service, accounts *account.Service) *Loaders {
	opts := []dataloadgen.Option{
		// Resolvers of one level run within microseconds of each other;
		// the default 16ms would add that much to every nesting level.
		dataloadgen.WithWait(time.Millisecond),
		dataloadgen.WithBatchCapacity(500),
	}
	return &Loaders{
		Roles:       dataloadgen.NewMappedLoader(byLocale(svc, (*content.Service).RolesByID), opts...),
		Comparisons: dataloadgen.NewMappedLoader(byLocale(svc, (*content.Service).ComparisonsByID), opts...),
		FAQs:        dataloadgen.NewMappedLoader(byLocale(svc, (*content.Service).FAQsByID), opts...),
		Users: dataloadgen.NewMappedLoader(func(ctx context.Context, ids []string) (map[string]*account.User, error) {
			found, err := accounts.Colleagues(ctx, ids)
			if err != nil {
				return nil, err
			}
			out := make(map[string]*account.User, len(found))
			for id, u := range found {
				out[id] = &u
			}
			return out, nil
		}, opts...),
	}
}

// byLocale turns a service batch function into a loader fetch: one call
// per distinct locale and view among the keys, which in practice is one.
func byLocale[V any](svc *content.Service, fetch func(svc *content.Service, ctx context.Context, ids []string, loc string) (map[string]V, error)) func(context.Context, []Key) (map[Key]V, error) {
	return func(ctx context.Context, keys []Key) (map[Key]V, error) {
		type group struct {
			locale  string
			preview bool
		}
		idsByGroup := map[group][]string{}
		for _, k := range keys {
			g := group{k.Locale, k.Preview}
			idsByGroup[g] = append(idsByGroup[g], k.ID)
		}
		out := make(map[Key]V, len(keys))
		for g, ids := range idsByGroup {
			found, err := fetch(svc.With(content.ReadOptions{Preview: g.preview}), ctx, ids, g.locale)
			if err != nil {
				return nil, err
			}
			for id, v := range found {
				out[Key{ID: id, Locale: g.locale, Preview: g.preview}] = v
			}
		}
		return out, nil
	}
}

type ctxKey struct{}

// Middleware gives every request its own loaders.
func Middleware(svc *content.Service, accounts *account.Service, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), ctxKey{}, New(svc, accounts))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// For returns the request's loaders, or fresh ones when the context has
// none (a resolver called outside the HTTP middleware still works, it just
// batches less).
func For(ctx context.Context, svc *content.Service, accounts *account.Service) *Loaders {
	if l, ok := ctx.Value(ctxKey{}).(*Loaders); ok {
		return l
	}
	return New(svc, accounts)
}

// Prime fills a loader's cache for loc and view with found, where a nil
// value records that an entry is not visible.
func Prime[V any](l *dataloadgen.Loader[Key, *V], loc string, preview bool, found map[string]*V) {
	for id, v := range found {
		l.Prime(Key{ID: id, Locale: loc, Preview: preview}, v)
	}
}

// Many loads keys in order, leaving out the entries that are not live.
func Many[K comparable, V any](ctx context.Context, l *dataloadgen.Loader[K, *V], keys []K) ([]*V, error) {
	thunks := make([]func() (*V, error), len(keys))
	for i, k := range keys {
		thunks[i] = l.LoadThunk(ctx, k)
	}
	out := make([]*V, 0, len(keys))
	for _, thunk := range thunks {
		v, err := thunk()
		if errors.Is(err, dataloadgen.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if v != nil {
			out = append(out, v)
		}
	}
	return out, nil
}

// Slots loads keys in order, one result per key: nil where the entry is
// not visible, so positions keep their meaning (a comparison's columns).
func Slots[K comparable, V any](ctx context.Context, l *dataloadgen.Loader[K, *V], keys []K) ([]*V, error) {
	thunks := make([]func() (*V, error), len(keys))
	for i, k := range keys {
		thunks[i] = l.LoadThunk(ctx, k)
	}
	out := make([]*V, len(keys))
	for i, thunk := range thunks {
		v, err := thunk()
		if err != nil && !errors.Is(err, dataloadgen.ErrNotFound) {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// One loads one key; nil without an error means the entry is not live.
// The fetch reports such keys as ErrNotFound, a primed cache holds nil.
func One[K comparable, V any](ctx context.Context, l *dataloadgen.Loader[K, *V], key K) (*V, error) {
	v, err := l.Load(ctx, key)
	if errors.Is(err, dataloadgen.ErrNotFound) {
		return nil, nil
	}
	return v, err
}
