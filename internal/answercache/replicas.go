package answercache

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"strings"
)

// Channel is the PostgreSQL notification channel invalidations travel on.
const Channel = "werkwijzer_answers"

// maxPayload keeps a notification under PostgreSQL's 8000-byte limit.
const maxPayload = 7000

// Notifier sends a payload to every replica (database.DB on PostgreSQL).
type Notifier interface {
	Notify(ctx context.Context, channel, payload string) error
}

// Invalidator is a cache that drops what carries one of the tags: the
// answer cache, and the entity cache of published entries.
type Invalidator interface {
	Invalidate(tags ...string)
}

// Replicas invalidates this process's caches and tells the other replicas
// to do the same. A notification is "origin tag tag ...": a process skips
// its own.
type Replicas struct {
	caches []Invalidator
	notify Notifier
	origin string
	log    *slog.Logger
}

// NewReplicas returns the invalidation fan-out for caches; notify nil
// keeps invalidations in process (SQLite: one process).
func NewReplicas(notify Notifier, log *slog.Logger, caches ...Invalidator) *Replicas {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return &Replicas{caches: caches, notify: notify, origin: hex.EncodeToString(b), log: log}
}

func (r *Replicas) invalidate(tags []string) {
	for _, c := range r.caches {
		c.Invalidate(tags...)
	}
}

// Invalidate drops what carries tags here and on every other replica.
// Call it after the change committed.
func (r *Replicas) Invalidate(ctx context.Context, tags ...string) {
	r.invalidate(tags)
	if r.notify == nil || len(tags) == 0 {
		return
	}
	var b strings.Builder
	flush := func() {
		if b.Len() == 0 {
			return
		}
		// The change committed: tell the others even if the caller's
		// request ends now.
		if err := r.notify.Notify(context.WithoutCancel(ctx), Channel, r.origin+" "+b.String()); err != nil {
			r.log.WarnContext(ctx, "telling other replicas about a change failed; their cached answers and entries expire on their own", "error", err)
		}
		b.Reset()
	}
	for _, t := range tags {
		if b.Len()+len(t)+1 > maxPayload-len(r.origin)-1 {
			flush()
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t)
	}
	flush()
}

// Receive handles a notification from Channel.
func (r *Replicas) Receive(payload string) {
	origin, tags, _ := strings.Cut(payload, " ")
	if origin == r.origin {
		return
	}
	r.invalidate(strings.Fields(tags))
}
