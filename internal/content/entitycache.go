package content

import (
	"github.com/werkwijzer/werkwijzer/internal/cachetag"
	"github.com/werkwijzer/werkwijzer/internal/tagcache"
)

// EntityCache keeps published entries in process, decoded and served in a
// requested locale, and the results of slug lookups, so a public page only
// needs the database for what changes without an editor (vacancy lists).
// It holds only what is live: drafts and previews never enter it. Entries
// are tagged like public answers (cachetag.Entry, cachetag.Slug), so the
// invalidation that reaches the answer cache after a publication,
// unpublication, deletion or slug change reaches it too, on every replica.
// A nil *EntityCache keeps nothing.
type EntityCache struct {
	c *tagcache.Cache[cached]
}

// cached is one cache value: a decoded *Published[S, F] (nil when the
// entry is not live in the requested locale chain) or a slug lookup.
type cached struct {
	entry  any
	slug   slugLookup
	tags   []string
	weight uint32
}

// slugLookup is what the store's FindBySlug found: an entry id, or none.
type slugLookup struct {
	id      string
	current bool
	found   bool
}

// entityMaxAge bounds how long an entry is kept without a change, should a
// replica miss another's notification.
const entityMaxAge = tagcache.DefaultMaxAge

// NewEntityCache returns a cache of up to maxBytes (an estimate: a decoded
// entry is counted as its stored document's size plus a fixed overhead),
// or nil when maxBytes is 0.
func NewEntityCache(maxBytes uint64) *EntityCache {
	c := tagcache.New(tagcache.Options[cached]{
		MaxWeight: maxBytes,
		MaxAge:    entityMaxAge,
		Weigh:     func(_ string, v cached) uint32 { return v.weight },
		Tags:      func(v cached) []string { return v.tags },
	})
	if c == nil {
		return nil
	}
	return &EntityCache{c: c}
}

// Invalidate drops the entries and slug lookups with one of tags.
func (e *EntityCache) Invalidate(tags ...string) {
	if e != nil {
		e.c.Invalidate(tags...)
	}
}

// UseEntityCache serves live reads through c. Set it before the service
// is used; the transactions of InTx never use it.
func (s *Service) UseEntityCache(c *EntityCache) { s.entities = c }

// Stats returns how many lookups found a value and how many did not.
func (e *EntityCache) Stats() (hits, misses uint64) {
	if e == nil {
		return 0, 0
	}
	return e.c.Stats()
}

func (e *EntityCache) generation() uint64 {
	if e == nil {
		return 0
	}
	return e.c.Generation()
}

func entryKey(typ Type, id, requested string) string {
	return "e\x00" + string(typ) + "\x00" + requested + "\x00" + id
}

func slugKey(typ Type, slug, requested string) string {
	return "s\x00" + string(typ) + "\x00" + requested + "\x00" + slug
}

// entry returns the cached entry id of typ served for requested: ok
// reports a hit, p is nil when the entry is known not to be live there.
func cachedEntry[S, F any](e *EntityCache, typ Type, id, requested string) (p *Published[S, F], ok bool) {
	if e == nil {
		return nil, false
	}
	v, ok := e.c.Get(entryKey(typ, id, requested))
	if !ok {
		return nil, false
	}
	if v.entry == nil {
		return nil, true
	}
	p, ok = v.entry.(*Published[S, F])
	return p, ok
}

// setEntry keeps p (nil: not live in requested's chain), read after
// generation was taken. docSize is the stored document's size, the
// weight's estimate.
func setEntry[S, F any](e *EntityCache, typ Type, id, requested string, p *Published[S, F], docSize int, generation uint64) {
	if e == nil {
		return
	}
	v := cached{tags: []string{cachetag.Entry(id)}, weight: uint32(min(2*docSize+512, 1<<30))}
	if p != nil {
		v.entry = p
	}
	e.c.Set(entryKey(typ, id, requested), v, generation)
}

// lookup returns a cached slug lookup.
func (e *EntityCache) lookup(typ Type, slug, requested string) (slugLookup, bool) {
	if e == nil {
		return slugLookup{}, false
	}
	v, ok := e.c.Get(slugKey(typ, slug, requested))
	return v.slug, ok
}

// setLookup keeps a slug lookup. It is tagged with the slug (publishing
// another entry with it changes the answer) and with the entry found
// (its publishing a new slug turns this one into a former slug).
func (e *EntityCache) setLookup(typ Type, slug, requested string, l slugLookup, generation uint64) {
	if e == nil {
		return
	}
	tags := []string{cachetag.Slug(string(typ), slug)}
	if l.found {
		tags = append(tags, cachetag.Entry(l.id))
	}
	e.c.Set(slugKey(typ, slug, requested), cached{slug: l, tags: tags, weight: uint32(len(l.id) + 64)}, generation)
}
