// Package tagcache is a bounded in-process cache whose values carry cache
// tags (see internal/cachetag): a change drops exactly the values whose
// tags it touches. The answer cache (whole GraphQL answers) and the entity
// cache of published entries are both built on it, so one invalidation
// reaches both in the same way.
package tagcache

import (
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/maypok86/otter/v2"

	"github.com/werkwijzer/werkwijzer/internal/cachetag"
)

// DefaultMaxAge is how long the caches of source data (published entries,
// vacancy lists) keep a value without a change: the bound on staleness
// should a replica miss another's notification.
const DefaultMaxAge = 5 * time.Minute

// Cache holds values of type V under string keys. The zero value is not
// usable; a nil *Cache keeps nothing.
type Cache[V any] struct {
	values *otter.Cache[string, V]
	tagsOf func(V) []string

	mu    sync.Mutex
	byTag map[string]map[string]struct{} // tag → keys of values with it

	// generation counts invalidations: a value computed while one
	// happened may be stale and is not stored.
	generation atomic.Uint64

	// hits and misses count lookups, for the metrics.
	hits, misses atomic.Uint64
}

// Options configure New.
type Options[V any] struct {
	// MaxWeight bounds the summed Weigh of the values kept; 0 is no cache.
	MaxWeight uint64
	// MaxAge bounds how long a value is kept without a change: should an
	// invalidation be missed (another replica's notification lost), a
	// value is stale for at most this long.
	MaxAge time.Duration
	// Weigh is a value's cost against MaxWeight, in bytes; Tags its tags.
	Weigh func(key string, v V) uint32
	Tags  func(V) []string
}

// New returns a cache, or nil when o.MaxWeight is 0.
func New[V any](o Options[V]) *Cache[V] {
	if o.MaxWeight == 0 {
		return nil
	}
	c := &Cache[V]{byTag: map[string]map[string]struct{}{}, tagsOf: o.Tags}
	c.values = otter.Must(&otter.Options[string, V]{
		MaximumWeight: o.MaxWeight,
		Weigher: func(key string, v V) uint32 {
			n := uint64(o.Weigh(key, v)) + uint64(len(key)) + 64
			for _, t := range o.Tags(v) {
				n += uint64(len(t)) + 16
			}
			return uint32(min(n, 1<<31))
		},
		ExpiryCalculator: otter.ExpiryWriting[string, V](o.MaxAge),
		OnDeletion: func(e otter.DeletionEvent[string, V]) {
			if e.Cause == otter.CauseReplacement {
				return
			}
			c.unindex(e.Key, e.Value)
		},
	})
	return c
}

// Generation is the count of invalidations so far: read it before
// computing a value and pass it to Set.
func (c *Cache[V]) Generation() uint64 {
	if c == nil {
		return 0
	}
	return c.generation.Load()
}

// Get returns the value under key.
func (c *Cache[V]) Get(key string) (V, bool) {
	if c == nil {
		var zero V
		return zero, false
	}
	v, ok := c.values.GetIfPresent(key)
	if ok {
		c.hits.Add(1)
	} else {
		c.misses.Add(1)
	}
	return v, ok
}

// Stats returns how many lookups found a value and how many did not.
func (c *Cache[V]) Stats() (hits, misses uint64) {
	if c == nil {
		return 0, 0
	}
	return c.hits.Load(), c.misses.Load()
}

// Set keeps v under key, unless an invalidation happened since generation
// was read (before v was computed): v may then hold what the invalidation
// removed.
func (c *Cache[V]) Set(key string, v V, generation uint64) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.generation.Load() != generation {
		return
	}
	for _, t := range c.tagsOf(v) {
		keys := c.byTag[t]
		if keys == nil {
			keys = map[string]struct{}{}
			c.byTag[t] = keys
		}
		keys[key] = struct{}{}
	}
	c.values.Set(key, v)
}

// Invalidate drops every value with one of tags, and every value when
// tags hold cachetag.All.
func (c *Cache[V]) Invalidate(tags ...string) {
	if c == nil || len(tags) == 0 {
		return
	}
	c.mu.Lock()
	c.generation.Add(1)
	if slices.Contains(tags, cachetag.All) {
		c.byTag = map[string]map[string]struct{}{}
		c.mu.Unlock()
		c.values.InvalidateAll()
		return
	}
	var keys []string
	for _, t := range tags {
		for k := range c.byTag[t] {
			keys = append(keys, k)
		}
		delete(c.byTag, t)
	}
	c.mu.Unlock()
	for _, k := range keys {
		c.values.Invalidate(k)
	}
}

// unindex forgets key under the tags of gone, its value that is gone.
// Deletions are reported asynchronously: when a newer value is under key
// by now, its tags stay indexed, or a change would miss it.
func (c *Cache[V]) unindex(key string, gone V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.values.GetIfPresent(key); ok {
		return
	}
	for _, t := range c.tagsOf(gone) {
		if keys := c.byTag[t]; keys != nil {
			delete(keys, key)
			if len(keys) == 0 {
				delete(c.byTag, t)
			}
		}
	}
}
