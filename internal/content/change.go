package content

import (
	"context"
	"time"
)

// ChangeKind is what a change did to what the public sees.
type ChangeKind string

const (
	ChangePublished   ChangeKind = "published"
	ChangeUnpublished ChangeKind = "unpublished"
	ChangeDeleted     ChangeKind = "deleted"
)

// Change is a publication, unpublication or deletion, as told to the
// recorder inside its transaction.
type Change struct {
	Kind ChangeKind
	// Before is the entry before the change, After after it (nil after a
	// deletion).
	Before, After *EntryState
	// Locales are those whose live version changed; for a deletion, those
	// that were live.
	Locales []string
	At      time.Time
}

// RecordChanges sets fn, called inside the transaction of every
// publication that made something live, every unpublication that took
// something offline and every deletion, with the transaction's store: an
// error from fn rolls the change back. The webhooks' outbox is written
// this way, so an event exists exactly when its change committed. Set it
// before the service is used.
func (s *Service) RecordChanges(fn func(ctx context.Context, tx Store, c Change) error) {
	s.record = fn
}

// recordChange tells the recorder, if there is one, of c.
func (s *Service) recordChange(ctx context.Context, tx Store, c Change) error {
	if s.record == nil {
		return nil
	}
	return s.record(ctx, tx, c)
}

// liveLocales lists the locales e is live in.
func liveLocales(e *EntryState) []string {
	out := make([]string, 0, len(e.Live))
	for _, l := range e.Live {
		out = append(out, l.Locale)
	}
	return out
}
