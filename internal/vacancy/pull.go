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

// FinishPull records a pull that started at startedAt and releases
// owner's lease ("" for a pull run by hand, which holds none). etag and
// lastModified are the validators of a feed imported whole; nil keeps the
// stored ones (a failed pull must not make the next one skip a feed it
// never read). A pull that succeeded, if only with "not modified", clears
// the source's last error.
func (s *Service) FinishPull(ctx context.Context, sourceID, owner string, startedAt time.Time, etag, lastModified *string, succeeded bool) error {
	if err := requireOperator(ctx); err != nil {
		return err
	}
	return s.store.FinishPull(ctx, sourceID, owner, startedAt, etag, lastModified, succeeded)
}

// RecordFailure stores why a pull failed, for the admin.
func (s *Service) RecordFailure(ctx context.Context, sourceID string, failure error) error {
	if err := requireOperator(ctx); err != nil {
		return err
	}
	if err := s.store.RecordSyncFailure(ctx, sourceID, failure.Error(), s.clock()); err != nil {
		return fmt.Errorf("record pull failure: %w", err)
	}
	return nil
}

// Now is the service's clock, for callers that must agree with it.
func (s *Service) Now() time.Time { return s.clock() }
