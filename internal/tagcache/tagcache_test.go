package tagcache

import (
	"testing"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/cachetag"
)

type value struct {
	body string
	tags []string
}

func newCache() *Cache[value] {
	return New(Options[value]{
		MaxWeight: 1 << 20, MaxAge: time.Minute,
		Weigh: func(_ string, v value) uint32 { return uint32(len(v.body)) },
		Tags:  func(v value) []string { return v.tags },
	})
}

// TestInvalidateDropsExactlyTheTaggedValues: a tag drops the values that
// carry it and no other.
func TestInvalidateDropsExactlyTheTaggedValues(t *testing.T) {
	c := newCache()
	c.Set("a", value{"A", []string{"e:1", "l:role"}}, c.Generation())
	c.Set("b", value{"B", []string{"e:2"}}, c.Generation())
	c.Invalidate("e:1")
	if _, ok := c.Get("a"); ok {
		t.Error("a, tagged e:1, survived")
	}
	if v, ok := c.Get("b"); !ok || v.body != "B" {
		t.Error("b, not tagged e:1, was dropped")
	}
	c.Set("a", value{"A2", []string{"e:1"}}, c.Generation())
	c.Invalidate("e:1")
	if _, ok := c.Get("a"); ok {
		t.Error("a value stored again under a key was not indexed under its tag")
	}
}

// TestSetAfterAnInvalidationKeepsNothing: a value computed while an
// invalidation happened may be stale and is not kept.
func TestSetAfterAnInvalidationKeepsNothing(t *testing.T) {
	c := newCache()
	generation := c.Generation()
	c.Invalidate("e:unrelated")
	c.Set("a", value{"stale", []string{"e:1"}}, generation)
	if _, ok := c.Get("a"); ok {
		t.Fatal("a value computed across an invalidation was kept")
	}
	c.Set("a", value{"fresh", []string{"e:1"}}, c.Generation())
	if v, ok := c.Get("a"); !ok || v.body != "fresh" {
		t.Fatal("a value computed after the invalidation was not kept")
	}
}

// TestNilCacheKeepsNothing: a cache of size 0 is nil and every method is
// safe on it.
func TestNilCacheKeepsNothing(t *testing.T) {
	c := New(Options[value]{MaxWeight: 0})
	if c != nil {
		t.Fatal("New with MaxWeight 0 returned a cache")
	}
	c.Set("a", value{"A", nil}, c.Generation())
	c.Invalidate("e:1")
	if _, ok := c.Get("a"); ok {
		t.Fatal("a nil cache kept a value")
	}
}

// TestInvalidatingAllEmptiesTheCache: cachetag.All drops every value,
// tagged or not, and a value computed across it is not kept.
func TestInvalidatingAllEmptiesTheCache(t *testing.T) {
	c := newCache()
	c.Set("a", value{"A", []string{"e:1"}}, c.Generation())
	c.Set("b", value{"B", nil}, c.Generation())
	generation := c.Generation()
	c.Invalidate(cachetag.All)
	for _, k := range []string{"a", "b"} {
		if _, ok := c.Get(k); ok {
			t.Errorf("%s survived invalidating everything", k)
		}
	}
	c.Set("a", value{"stale", []string{"e:1"}}, generation)
	if _, ok := c.Get("a"); ok {
		t.Fatal("a value computed across invalidating everything was kept")
	}
	c.Set("a", value{"A2", []string{"e:1"}}, c.Generation())
	c.Invalidate("e:1")
	if _, ok := c.Get("a"); ok {
		t.Fatal("after invalidating everything, tags are no longer indexed")
	}
}
