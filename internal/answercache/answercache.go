// Package answercache keeps public GraphQL answers in process, bounded in
// bytes, and drops exactly the answers whose cache tags a change touches.
package answercache

import (
	"time"

	"github.com/werkwijzer/werkwijzer/internal/tagcache"
)

// Answer is one cached response body and what it was built from.
type Answer struct {
	Body []byte
	ETag string
	Tags []string
	// SurrogateKey and CacheTag are Tags as the headers of those names
	// carry them, joined once rather than on every answer served.
	SurrogateKey, CacheTag string
	// VaryLanguage is set when the answer's locale came from
	// Accept-Language (the key then holds the negotiated locale).
	VaryLanguage bool
}

// maxAge bounds how long an answer is kept even without a change: reads
// that depend on the clock (a vacancy past its expiry date) are then
// stale for at most this long, should the expiry job's invalidation be
// missed.
const maxAge = 5 * time.Minute

// Cache is an answer cache; a nil *Cache keeps nothing. Set an answer
// with the Generation read before computing it, so an answer that raced
// with an invalidation is not kept.
type Cache = tagcache.Cache[*Answer]

// New returns a cache that holds up to maxBytes of answers, or nil when
// maxBytes is 0.
func New(maxBytes uint64) *Cache {
	return tagcache.New(tagcache.Options[*Answer]{
		MaxWeight: maxBytes,
		MaxAge:    maxAge,
		Weigh: func(_ string, a *Answer) uint32 {
			return uint32(min(len(a.Body)+len(a.ETag)+len(a.SurrogateKey)+len(a.CacheTag), 1<<31))
		},
		Tags: func(a *Answer) []string { return a.Tags },
	})
}
