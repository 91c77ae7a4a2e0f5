package pull

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
)

// Scheduler pulls every active source that has a feed URL once per
// Interval, and meanwhile expires vacancies and prunes old idempotency
// records. Every replica runs one; a lease row makes one replica pull each
// source each interval.
type Scheduler struct {
	Vacancies *vacancy.Service
	Importer  *Importer
	// Interval between pulls of one source.
	Interval time.Duration
	// Lease is how long a replica may hold a source's pull (default 30
	// minutes); a pull is cut off a minute before it runs out, so two
	// replicas never import the same source at once.
	Lease time.Duration
	// Owner names this replica in the lease (default host, pid and a
	// random suffix).
	Owner string
	Log   *slog.Logger
}

// Owner returns a name for this process: host, pid and a random suffix.
func Owner() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))
}

// Run works until ctx ends: every minute (or every Interval, if shorter)
// it expires vacancies and pulls the sources that are due.
func (s *Scheduler) Run(ctx context.Context) {
	tick := time.Minute
	if s.Interval > 0 && s.Interval < tick {
		tick = s.Interval
	}
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		s.RunOnce(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunOnce expires what is due, prunes, and pulls every due source it can
// claim; it returns how many it pulled.
func (s *Scheduler) RunOnce(ctx context.Context) int {
	ctx = account.WithOperator(ctx)
	log := s.Log
	if log == nil {
		log = slog.Default()
	}
	if !s.housekeep(ctx, log) || s.Interval <= 0 || s.Importer == nil {
		return 0
	}
	sources, err := s.Vacancies.Sources(ctx)
	if err != nil {
		log.Warn("listing vacancy sources failed", "error", err)
		return 0
	}
	lease := s.Lease
	if lease <= 0 {
		lease = 30 * time.Minute
	}
	owner := s.Owner
	if owner == "" {
		owner = Owner()
	}
	pulled := 0
	for _, src := range sources {
		if ctx.Err() != nil {
			return pulled
		}
		if !src.Active || !src.Kind.Pulls() || src.FeedURL == "" {
			continue
		}
		did, stop := s.pull(ctx, log, src, owner, lease)
		if did {
			pulled++
		}
		if stop {
			return pulled
		}
	}
	return pulled
}

// housekeep expires what is due and prunes; false means the server is
// shutting down.
func (s *Scheduler) housekeep(ctx context.Context, log *slog.Logger) bool {
	if n, err := s.Vacancies.ExpireDue(ctx); err != nil {
		if ctx.Err() != nil {
			return false
		}
		log.Warn("expiring vacancies failed", "error", err)
	} else if n > 0 {
		log.Info("vacancies expired", "count", n)
	}
	if err := s.Vacancies.Prune(ctx); err != nil {
		log.Warn("pruning idempotency keys failed", "error", err)
	}
	return true
}

// pull pulls one source if it can claim it, within the lease; pulled says
// it tried, stop that the server is shutting down.
func (s *Scheduler) pull(ctx context.Context, log *slog.Logger, src *vacancy.Source, owner string, lease time.Duration) (pulled, stop bool) {
	claimed, started, err := s.Vacancies.ClaimPull(ctx, src.ID, owner, s.Interval, lease)
	if err != nil {
		log.Warn("claiming a pull failed", "source", src.Name, "error", err)
		return false, false
	}
	if !claimed {
		return false, false // pulled recently, or another replica is at it
	}
	budget := lease - time.Minute
	if budget < lease/2 {
		budget = lease / 2
	}
	pullCtx, cancel := context.WithTimeout(ctx, budget)
	res, err := s.Importer.Pull(pullCtx, src, owner, started)
	cancel()
	switch {
	case err != nil && ctx.Err() != nil:
		return true, true // the pull was rolled back
	case err != nil:
		log.Warn("pulling a vacancy feed failed; nothing was closed", "source", src.Name, "error", err)
	case res.NotModified:
		log.Info("vacancy feed not modified", "source", src.Name)
	default:
		t := res.Total
		log.Info("vacancy feed pulled", "source", src.Name, "items", res.Items, "created", t.Created, "updated", t.Updated,
			"unchanged", t.Unchanged, "reopened", t.Reopened, "closed", t.Closed, "expired", t.Expired, "rejected", t.Rejected)
	}
	return true, false
}
