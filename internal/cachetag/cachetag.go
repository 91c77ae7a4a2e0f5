// Package cachetag names what a public answer was built from (its cache
// tags) and lets the reads that build it record them, so a change can
// invalidate exactly the answers it touches: in the answer cache, and in a
// CDN through the Surrogate-Key and Cache-Tag headers.
package cachetag

import (
	"context"
	"sync"
)

// Vacancies tags every answer that lists open vacancies; a vacancy sync,
// expiry or source change invalidates them.
const Vacancies = "vacancies"

// All is carried by every cached value without being recorded:
// invalidating it empties the caches, for a change too wide to name tag by
// tag (a content import run by a command beside the servers).
const All = "*"

// Entry tags answers that show (or looked for) the entry with id.
func Entry(id string) string { return "e:" + id }

// Slug tags answers that looked an entry of typ up by slug, found or not:
// publishing an entry with that slug changes them.
func Slug(typ, slug string) string { return "s:" + typ + ":" + slug }

// List tags answers that list or count entries of typ.
func List(typ string) string { return "l:" + typ }

// Recorder collects the tags of one answer. Safe for concurrent use, as
// resolvers run concurrently.
type Recorder struct {
	mu           sync.Mutex
	tags         map[string]struct{}
	varyLanguage bool
	query        bool
}

type recorderKey struct{}

// With returns a context whose reads record their tags in the returned
// recorder.
func With(ctx context.Context) (context.Context, *Recorder) {
	r := &Recorder{tags: make(map[string]struct{}, 16)}
	return context.WithValue(ctx, recorderKey{}, r), r
}

// Add records tags on ctx's recorder, if it has one.
func Add(ctx context.Context, tags ...string) {
	r, _ := ctx.Value(recorderKey{}).(*Recorder)
	if r == nil {
		return
	}
	r.mu.Lock()
	for _, t := range tags {
		r.tags[t] = struct{}{}
	}
	r.mu.Unlock()
}

// VaryLanguage records that the answer's locale came from the request's
// Accept-Language header.
func VaryLanguage(ctx context.Context) {
	r, _ := ctx.Value(recorderKey{}).(*Recorder)
	if r == nil {
		return
	}
	r.mu.Lock()
	r.varyLanguage = true
	r.mu.Unlock()
}

// MarkQuery records that the request ran a query: only query answers may
// be cached (a mutation's, such as a sign-in's, never).
func MarkQuery(ctx context.Context) {
	r, _ := ctx.Value(recorderKey{}).(*Recorder)
	if r == nil {
		return
	}
	r.mu.Lock()
	r.query = true
	r.mu.Unlock()
}

// IsQuery reports whether MarkQuery was called.
func (r *Recorder) IsQuery() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.query
}

// Tags returns the recorded tags, in no particular order.
func (r *Recorder) Tags() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, 0, len(r.tags))
	for t := range r.tags {
		out = append(out, t)
	}
	return out
}

// VariesByLanguage reports whether VaryLanguage was called.
func (r *Recorder) VariesByLanguage() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.varyLanguage
}
