// Package answercache keeps public GraphQL answers in process, bounded in
// bytes, and drops exactly the answers whose cache tags a change touches.
package answercache

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/maypok86/otter/v2"
)

// Answer is one cached response body and what it was built from.
type Answer struct {
	Body []byte
	ETag string
	Tags []string
	// VaryLanguage is set when the answer's locale came from
	// Accept-Language (the key then holds the negotiated locale).
	VaryLanguage bool
}

// maxAge bounds how long an answer is kept even without a change: reads
// that depend on the clock (a vacancy past its expiry date) are then
// stale for at most this long, should the expiry job's invalidation be
// missed.
const maxAge = 5 * time.Minute

// Cache is an answer cache. The zero value is not usable; a nil *Cache is
// a cache that keeps nothing.
type Cache struct {
	answers *otter.Cache[string, *Answer]

	mu    sync.Mutex
	byTag map[string]map[string]struct{} // tag → keys of answers with it

	// generation counts invalidations: an answer computed while one
	// happened may be stale and is not stored.
	generation atomic.Uint64

	// hits and misses count lookups, for the metrics.
	hits, misses atomic.Uint64
}

// New returns a cache that holds up to maxBytes of answers, or nil when
// maxBytes is 0.
func New(maxBytes uint64) *Cache {
	if maxBytes == 0 {
		return nil
	}
	c := &Cache{byTag: map[string]map[string]struct{}{}}
	c.answers = otter.Must(&otter.Options[string, *Answer]{
		MaximumWeight: maxBytes,
		Weigher: func(key string, a *Answer) uint32 {
			n := len(key) + len(a.Body) + len(a.ETag) + 64
			for _, t := range a.Tags {
				n += len(t) + 16
			}
			return uint32(min(n, 1<<31))
		},
		ExpiryCalculator: otter.ExpiryWriting[string, *Answer](maxAge),
		OnDeletion: func(e otter.DeletionEvent[string, *Answer]) {
			if e.Cause == otter.CauseReplacement {
				return
			}
			c.unindex(e.Key, e.Value)
		},
	})
	return c
}

// Generation is the count of invalidations so far; pass it to Set.
func (c *Cache) Generation() uint64 {
	if c == nil {
		return 0
	}
	return c.generation.Load()
}

// Get returns the answer under key.
func (c *Cache) Get(key string) (*Answer, bool) {
	if c == nil {
		return nil, false
	}
	a, ok := c.answers.GetIfPresent(key)
	if ok {
		c.hits.Add(1)
	} else {
		c.misses.Add(1)
	}
	return a, ok
}

// Stats returns how many lookups found an answer and how many did not.
func (c *Cache) Stats() (hits, misses uint64) {
	if c == nil {
		return 0, 0
	}
	return c.hits.Load(), c.misses.Load()
}

// Set keeps a under key, unless an invalidation happened since generation
// was read (before the answer was computed): the answer may then hold what
// the invalidation removed.
func (c *Cache) Set(key string, a *Answer, generation uint64) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.generation.Load() != generation {
		return
	}
	for _, t := range a.Tags {
		keys := c.byTag[t]
		if keys == nil {
			keys = map[string]struct{}{}
			c.byTag[t] = keys
		}
		keys[key] = struct{}{}
	}
	c.answers.Set(key, a)
}

// Invalidate drops every answer with one of tags.
func (c *Cache) Invalidate(tags ...string) {
	if c == nil || len(tags) == 0 {
		return
	}
	c.mu.Lock()
	c.generation.Add(1)
	var keys []string
	for _, t := range tags {
		for k := range c.byTag[t] {
			keys = append(keys, k)
		}
		delete(c.byTag, t)
	}
	c.mu.Unlock()
	for _, k := range keys {
		c.answers.Invalidate(k)
	}
}

// unindex forgets key under the tags of gone, its answer that is gone.
// Deletions are reported asynchronously: when a newer answer is under key
// by now, its tags stay indexed, or a change would miss it.
func (c *Cache) unindex(key string, gone *Answer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.answers.GetIfPresent(key); ok {
		return
	}
	for _, t := range gone.Tags {
		if keys := c.byTag[t]; keys != nil {
			delete(keys, key)
			if len(keys) == 0 {
				delete(c.byTag, t)
			}
		}
	}
}
