package vacancy

import (
	"slices"
	"strconv"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/cachetag"
	"github.com/werkwijzer/werkwijzer/internal/tagcache"
)

// ListCache keeps the two public reads of a role page in process: a
// role's newest open vacancies and its open count. Every role page ran
// both statements, even with its entries served from the entity cache.
// Values are tagged cachetag.Vacancies (a sync, an expiry run or a source
// closing its vacancies invalidates that, on every replica) and with the
// role's entry tag (deleting the role detaches its vacancies). Time alone
// also changes what is open: a value is served only before the earliest
// expiry among the vacancies it was read from. A nil *ListCache keeps
// nothing.
type ListCache struct {
	c *tagcache.Cache[cachedList]
}

// cachedList is a page of a role's open vacancies or its open count. It
// is shared by every request that reads it: nobody may change it.
type cachedList struct {
	items   []*Vacancy
	hasNext bool
	count   int
	// until is when the value goes stale by time alone: a vacancy it was
	// read from expires (zero: never).
	until  time.Time
	tags   []string
	weight uint32
}

// NewListCache returns a cache of up to maxBytes (an estimate: a vacancy
// counts as its text plus a fixed overhead), or nil when maxBytes is 0.
func NewListCache(maxBytes uint64) *ListCache {
	c := tagcache.New(tagcache.Options[cachedList]{
		MaxWeight: maxBytes,
		MaxAge:    tagcache.DefaultMaxAge,
		Weigh:     func(_ string, v cachedList) uint32 { return v.weight },
		Tags:      func(v cachedList) []string { return v.tags },
	})
	if c == nil {
		return nil
	}
	return &ListCache{c: c}
}

// Invalidate drops the lists and counts with one of tags.
func (c *ListCache) Invalidate(tags ...string) {
	if c != nil {
		c.c.Invalidate(tags...)
	}
}

// UseListCache serves OpenForRoles and CountForRoles through c (nil: from
// the database). Set it before the service is used.
func (s *Service) UseListCache(c *ListCache) { s.lists = c }

// Stats returns how many lookups found a value and how many did not.
func (c *ListCache) Stats() (hits, misses uint64) {
	if c == nil {
		return 0, 0
	}
	return c.c.Stats()
}

func (c *ListCache) generation() uint64 {
	if c == nil {
		return 0
	}
	return c.c.Generation()
}

func pageKey(roleID string, limit int) string { return "p\x00" + strconv.Itoa(limit) + "\x00" + roleID }
func countKey(roleID string) string           { return "c\x00" + roleID }

// get returns the value under key if it is still true at now.
func (c *ListCache) get(key string, now time.Time) (cachedList, bool) {
	if c == nil {
		return cachedList{}, false
	}
	v, ok := c.c.Get(key)
	if !ok || (!v.until.IsZero() && !now.Before(v.until)) {
		return cachedList{}, false
	}
	return v, true
}

// page returns a cached first page of roleID's open vacancies at now.
// The list is the caller's; the vacancies are shared and read-only.
func (c *ListCache) page(roleID string, limit int, now time.Time) (List, bool) {
	v, ok := c.get(pageKey(roleID, limit), now)
	if !ok {
		return List{}, false
	}
	return List{Items: slices.Clone(v.items), HasNextPage: v.hasNext}, true
}

// setPage keeps l, the first limit of read (the vacancies one statement
// returned, read after generation was taken).
func (c *ListCache) setPage(roleID string, limit int, l List, read []*Vacancy, generation uint64) {
	if c == nil {
		return
	}
	weight := 64
	for _, v := range l.Items {
		weight += v.weight()
	}
	c.c.Set(pageKey(roleID, limit), cachedList{
		items: slices.Clone(l.Items), hasNext: l.HasNextPage, until: nextExpiry(read),
		tags: roleTags(roleID), weight: uint32(min(weight, 1<<30)),
	}, generation)
}

// count returns a cached open count of roleID at now.
func (c *ListCache) count(roleID string, now time.Time) (int, bool) {
	v, ok := c.get(countKey(roleID), now)
	return v.count, ok
}

// setCount keeps a count read after generation was taken.
func (c *ListCache) setCount(roleID string, n OpenCount, generation uint64) {
	if c == nil {
		return
	}
	c.c.Set(countKey(roleID), cachedList{count: n.N, until: n.NextExpiry, tags: roleTags(roleID), weight: 16}, generation)
}

// splitCached returns what lookup finds of ids, and the ids it does not
// find, which are left for one statement.
func splitCached[T any](ids []string, lookup func(id string) (T, bool)) (map[string]T, []string) {
	out := make(map[string]T, len(ids))
	missing := make([]string, 0, len(ids))
	for _, id := range ids {
		if v, ok := lookup(id); ok {
			out[id] = v
		} else {
			missing = append(missing, id)
		}
	}
	return out, missing
}

func roleTags(roleID string) []string {
	return []string{cachetag.Vacancies, cachetag.Entry(roleID)}
}

// nextExpiry is the earliest expiry among vs (zero when none expires):
// from then on, a page read with them may be missing one or show one too
// many. Every vacancy of the statement counts, the one read to tell
// whether more follow too.
func nextExpiry(vs []*Vacancy) time.Time {
	var next time.Time
	for _, v := range vs {
		if !v.ExpiresAt.IsZero() && (next.IsZero() || v.ExpiresAt.Before(next)) {
			next = v.ExpiresAt
		}
	}
	return next
}

// weight estimates a vacancy's memory: its text and a fixed overhead for
// the struct and its small parts.
func (v *Vacancy) weight() int {
	n := 512 + len(v.ID) + len(v.SourceID) + len(v.ExternalID) + len(v.RoleID) + len(v.Title) + len(v.Description) +
		len(v.URL) + len(v.ApplyURL) + len(v.Organization.Name) + len(v.Organization.URL) + len(v.Organization.LogoURL) +
		len(v.ValidThrough) + len(v.ClosedReason) + len(v.SeenSnapshot) + len(v.ContentHash) + len(v.InputHash) + 16*len(v.EmploymentTypes)
	for _, l := range v.Locations {
		n += 80 + len(l.StreetAddress) + len(l.PostalCode) + len(l.Locality) + len(l.Region) + len(l.Country)
	}
	return n
}
