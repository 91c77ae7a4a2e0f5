package vacancy

import (
	"context"
	"fmt"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/apperr"
)

// The scheduled pull runs on every replica; a lease in the database makes
// exactly one of them pull each source each interval. These methods are
// the server's own (operator only).

func requireOperator(ctx context.Context) error {
	if !account.IsOperator(ctx) {
		return apperr.New(apperr.Forbidden, "only the server itself pulls feeds")
	}
	return nil
}

// ClaimPull takes the lease on pulling a source for owner until now+lease,
// if nobody holds it and the source was not pulled within interval. It
// reports whether owner got it.
func (s *Service) ClaimPull(ctx context.Context, sourceID, owner string, interval, lease time.Duration) (bool, time.Time, error) {
	if err := requireOperator(ctx); err != nil {
		return false, time.Time{}, err
	}
	now := s.clock()
	ok, err := s.store.ClaimPull(ctx, sourceID, owner, now, now.Add(lease), now.Add(-interval))
	return ok, now, err
}

// PullOutcome is what one pull of a source's feed came to.
type PullOutcome struct {
	// At is when the pull started.
	At time.Time
	// ETag and LastModified are the validators of a feed imported whole;
	// nil keeps the stored ones (a failed pull must not make the next one
	// skip a feed it never read).
	ETag, LastModified *string
	// Succeeded is true for a pull that imported the feed or found it not
	// modified; it clears the source's last error.
	Succeeded bool
	// NotBefore is when the feed host allows the next pull (its
	// Retry-After); zero when it asked for no wait.
	NotBefore time.Time
}

// FinishPull records a pull and releases owner's lease ("" for a pull run
// by hand, which holds none).
func (s *Service) FinishPull(ctx context.Context, sourceID, owner string, out PullOutcome) error {
	if err := requireOperator(ctx); err != nil {
		return err
	}
	return s.store.FinishPull(ctx, sourceID, owner, out)
}

// RecordFailure stores why a pull failed, for the admin. Every editor
// reads it, so message must say what failed in terms of the feed, not the
// network (see pull.Summary).
func (s *Service) RecordFailure(ctx context.Context, sourceID, message string) error {
	if err := requireOperator(ctx); err != nil {
		return err
	}
	if err := s.store.RecordSyncFailure(ctx, sourceID, message, s.clock()); err != nil {
		return fmt.Errorf("record pull failure: %w", err)
	}
	return nil
}

// Now is the service's clock, for callers that must agree with it.
func (s *Service) Now() time.Time { return s.clock() }
