package content

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/apperr"
)

// ScheduleAction is what a scheduled action does when it is due.
type ScheduleAction string

const (
	SchedulePublish   ScheduleAction = "publish"
	ScheduleUnpublish ScheduleAction = "unpublish"
)

// ScheduleState is where a scheduled action stands.
type ScheduleState string

const (
	// SchedulePending waits for its time.
	SchedulePending ScheduleState = "pending"
	// ScheduleRefused was due but refused by the publication rules; it
	// stays, with the reason, until an editor cancels or re-schedules it.
	ScheduleRefused ScheduleState = "refused"
	// ScheduleDone was performed; done actions are no longer listed.
	ScheduleDone ScheduleState = "done"
)

// MaxScheduleAhead is how far ahead an action may be scheduled: further is
// more likely a mistyped year than a plan.
const MaxScheduleAhead = 366 * 24 * time.Hour

// ScheduledAction is a publication or unpublication of one locale of an
// entry, waiting for its time (or refused when it came).
type ScheduledAction struct {
	ID      string
	EntryID string
	Locale  string
	Action  ScheduleAction
	// At is when it is due.
	At time.Time
	// By is who scheduled it, and acts when it is performed.
	By        string
	CreatedAt time.Time
	// RevisionID and RevisionNumber name the revision a publication makes
	// live: the draft as it was when it was scheduled. Empty for an
	// unpublication.
	RevisionID     string
	RevisionNumber int
	State          ScheduleState
	// Refusal says why a refused action was not performed, and RefusedAt
	// when that was.
	Refusal   string
	RefusedAt time.Time
}

// DueGroup names the pending actions of one kind on one entry that are
// due: the runner performs them together.
type DueGroup struct {
	EntryID string
	Action  ScheduleAction
}

// Schedules is the storage of scheduled actions, part of Store so that it
// shares the content's transactions.
type Schedules interface {
	// LatestRevision returns the newest revision of an entry in locale;
	// NotFound when there is none.
	LatestRevision(ctx context.Context, entryID, locale string) (Revision, error)
	// PutScheduled stores a, replacing the open (pending or refused)
	// action of the same entry, locale and kind.
	PutScheduled(ctx context.Context, a ScheduledAction) error
	// CancelScheduled deletes the open action id and returns it; NotFound
	// when there is no open action with that id.
	CancelScheduled(ctx context.Context, id string) (ScheduledAction, error)
	// DueScheduled lists the entries and kinds with pending actions due
	// at or before now, the earliest due first, at most limit.
	DueScheduled(ctx context.Context, now time.Time, limit int) ([]DueGroup, error)
	// ClaimScheduled marks the pending actions of g due at or before now
	// done in one conditional statement, and returns them: of concurrent
	// claims in different transactions, exactly one gets each action.
	ClaimScheduled(ctx context.Context, g DueGroup, now time.Time) ([]ScheduledAction, error)
	// RefuseScheduled marks the actions ids refused with why.
	RefuseScheduled(ctx context.Context, ids []string, why string, at time.Time) error
	// NextScheduled returns when the earliest pending action is due; the
	// zero time when none is pending.
	NextScheduled(ctx context.Context) (time.Time, error)
	// UpcomingScheduled lists the open actions of entries that are not
	// deleted, the earliest due first, at most limit.
	UpcomingScheduled(ctx context.Context, limit int) ([]ScheduledAction, error)
	// EntriesByID loads the entries among ids that are not deleted.
	EntriesByID(ctx context.Context, ids []string) (map[string]*EntryState, error)
}

// UseClock makes the service (and its scheduled actions' runner) read the
// time from now instead of the system clock, so tests control it. Set it
// before the service is used.
func (s *Service) UseClock(now func() time.Time) { s.now = now }

// SchedulePublish schedules the publication of locales of an entry at at,
// each locale's draft as it is now: a later edit goes live only when it is
// scheduled again. The drafts must be publishable now (the same rules as
// Publish); when the time comes the rules are applied again, and a refusal
// is recorded on the action. Scheduling a locale again replaces what was
// scheduled. Editors and admins only.
func (s *Service) SchedulePublish(ctx context.Context, id string, locales []string, at time.Time) (*EntryState, error) {
	return s.schedule(ctx, SchedulePublish, id, locales, at)
}

// ScheduleUnpublish schedules taking locales of an entry offline at at.
// Editors and admins only.
func (s *Service) ScheduleUnpublish(ctx context.Context, id string, locales []string, at time.Time) (*EntryState, error) {
	return s.schedule(ctx, ScheduleUnpublish, id, locales, at)
}

func (s *Service) schedule(ctx context.Context, action ScheduleAction, id string, locales []string, at time.Time) (*EntryState, error) {
	p, locs, err := s.authorizeLocales(ctx, "schedule "+string(action)+"ing", id, locales)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if at, err = checkDue(at, now); err != nil {
		return nil, err
	}
	var scheduled *EntryState
	err = s.store.InTx(ctx, func(tx Store) error {
		// Entry first, then its scheduled actions: the runner locks in
		// the same order, so the two never wait for each other in a
		// circle.
		if err := tx.LockEntry(ctx, id); err != nil {
			return err
		}
		e, err := tx.Entry(ctx, id)
		if err != nil {
			return err
		}
		revisions := map[string]Revision{}
		if action == SchedulePublish {
			if revisions, err = s.freezeDrafts(ctx, tx, p, e, locs, now); err != nil {
				return err
			}
		}
		for _, loc := range locs {
			aID, err := NewID()
			if err != nil {
				return err
			}
			a := ScheduledAction{ID: aID, EntryID: id, Locale: loc, Action: action, At: at, By: p.UserID, CreatedAt: now,
				RevisionID: revisions[loc].ID, State: SchedulePending}
			if err := tx.PutScheduled(ctx, a); err != nil {
				return err
			}
			details := map[string]any{"action": string(action), "at": at.Format(time.RFC3339)}
			if a.RevisionID != "" {
				details["revision"] = revisions[loc].Number
			}
			if err := tx.Audit(ctx, AuditEntry{At: now, ActorID: p.UserID, Action: "schedule", EntryID: id, EntryType: e.Type,
				Locale: loc, Details: details}); err != nil {
				return err
			}
		}
		scheduled, err = tx.Entry(ctx, id)
		return err
	})
	return scheduled, err
}

// checkDue refuses a time that has passed or is too far ahead, and returns
// it in UTC to the second: the precision the runner promises.
func checkDue(at, now time.Time) (time.Time, error) {
	at = at.UTC().Truncate(time.Second)
	if !at.After(now) {
		return at, apperr.Invalid(apperr.OutOfRange, "the time %s has passed; schedule for a later time", at.Format(time.RFC3339)).
			With("field", "at").With("min", now.UTC().Format(time.RFC3339)).With("max", now.Add(MaxScheduleAhead).UTC().Format(time.RFC3339))
	}
	if at.Sub(now) > MaxScheduleAhead {
		return at, apperr.Invalid(apperr.OutOfRange, "the time %s is more than a year ahead", at.Format(time.RFC3339)).
			With("field", "at").With("min", now.UTC().Format(time.RFC3339)).With("max", now.Add(MaxScheduleAhead).UTC().Format(time.RFC3339))
	}
	return at, nil
}

// freezeDrafts returns, per locale, the revision that holds its draft as
// it is now, after checking that it could be published now. That is the
// newest revision (every save records one), unless the draft changed
// without one; then it records one.
func (s *Service) freezeDrafts(ctx context.Context, tx Store, p account.Actor, e *EntryState, locs []string, now time.Time) (map[string]Revision, error) {
	drafts := make(map[string]*publishable, len(locs))
	for _, loc := range locs {
		drafts[loc] = draftOf(e, loc)
	}
	problems, err := s.publishProblems(ctx, tx, e, locs, drafts)
	if err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		return nil, publishRefused(e, problems)
	}
	out := make(map[string]Revision, len(locs))
	for _, loc := range locs {
		d := drafts[loc]
		doc, err := document(d.Structure, d.Fields)
		if err != nil {
			return nil, err
		}
		latest, err := tx.LatestRevision(ctx, e.ID, loc)
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return nil, err
		}
		if err != nil || latest.Slug != d.Slug || !sameJSON(latest.Document, doc) {
			latest, err = tx.AddRevision(ctx, Revision{
				EntryID: e.ID, Locale: loc, Kind: RevisionSaved, Slug: d.Slug, Document: doc,
				UpdatedAt: d.UpdatedAt, CreatedAt: now, CreatedBy: p.UserID,
			})
			if err != nil {
				return nil, err
			}
		}
		out[loc] = latest
	}
	return out, nil
}

// frozenDraft is what publishing the frozen revision rev makes live.
func frozenDraft(rev Revision) (*publishable, error) {
	var doc Document[json.RawMessage, json.RawMessage]
	if err := json.Unmarshal(rev.Document, &doc); err != nil {
		return nil, fmt.Errorf("decode revision %s: %w", rev.ID, err)
	}
	return &publishable{Slug: rev.Slug, Structure: doc.Structure, Fields: doc.Fields, UpdatedAt: rev.UpdatedAt, FrozenRevision: rev.ID}, nil
}

// CancelScheduled cancels a pending action, or dismisses a refused one,
// and returns its entry. Editors and admins only.
func (s *Service) CancelScheduled(ctx context.Context, actionID string) (*EntryState, error) {
	p, err := account.Authorize(ctx, account.RoleEditor, "cancel scheduled actions")
	if err != nil {
		return nil, err
	}
	if err := checkID(actionID); err != nil {
		return nil, err
	}
	now := s.now()
	var e *EntryState
	err = s.store.InTx(ctx, func(tx Store) error {
		a, err := tx.CancelScheduled(ctx, actionID)
		if err != nil {
			return err
		}
		if e, err = tx.Entry(ctx, a.EntryID); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{At: now, ActorID: p.UserID, Action: "cancel-schedule", EntryID: a.EntryID, EntryType: e.Type,
			Locale: a.Locale, Details: map[string]any{"action": string(a.Action), "at": a.At.Format(time.RFC3339)}})
	})
	return e, err
}

// Scheduled is an open scheduled action with its entry, for lists.
type Scheduled struct {
	ScheduledAction
	Entry *EntryState
}

// MaxUpcoming bounds the list of Upcoming.
const MaxUpcoming = 100

// Upcoming lists the open scheduled actions (pending, and refused ones
// not dismissed yet), the earliest due first, at most limit (at most
// MaxUpcoming), with their entries.
func (s *Service) Upcoming(ctx context.Context, limit int) ([]Scheduled, error) {
	if _, err := account.Authorize(ctx, account.RoleTranslator, "read scheduled actions"); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > MaxUpcoming {
		return nil, apperr.Invalid(apperr.OutOfRange, "first must be between 1 and %d", MaxUpcoming).With("field", "first").
			With("min", 1).With("max", MaxUpcoming)
	}
	actions, err := s.store.UpcomingScheduled(ctx, limit)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(actions))
	for _, a := range actions {
		ids = appendNew(ids, a.EntryID)
	}
	entries, err := s.store.EntriesByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Scheduled, 0, len(actions))
	for _, a := range actions {
		if e := entries[a.EntryID]; e != nil {
			out = append(out, Scheduled{ScheduledAction: a, Entry: e})
		}
	}
	return out, nil
}

// dueBatch is how many entries one round of RunScheduled takes on.
const dueBatch = 50

// RunScheduled performs the scheduled actions that are due, and returns
// how many it performed or recorded as refused. Each entry's due actions
// of one kind are claimed and performed in one transaction, so however
// many replicas run it at once, each action happens exactly once; a
// publication follows the rules of Publish, and a refusal is recorded on
// the action instead. An action that fails for another reason (the
// database went away) stays pending and is tried again next time.
func (s *Service) RunScheduled(ctx context.Context) (int, error) {
	total := 0
	for {
		groups, err := s.store.DueScheduled(ctx, s.now(), dueBatch)
		if err != nil {
			return total, err
		}
		var errs []error
		for _, g := range groups {
			n, err := s.runDue(ctx, g)
			if err != nil {
				errs = append(errs, fmt.Errorf("scheduled %s of %s: %w", g.Action, g.EntryID, err))
			}
			total += n
		}
		if len(errs) > 0 || len(groups) < dueBatch {
			return total, errors.Join(errs...)
		}
	}
}

// runDue claims and performs g's due actions in one transaction.
func (s *Service) runDue(ctx context.Context, g DueGroup) (int, error) {
	now := s.now()
	var claimed []ScheduledAction
	var changed *EntryState
	err := s.InTx(ctx, func(txs *Service) error {
		tx := txs.store
		// The entry first, as the editors' changes lock it.
		gone := tx.LockEntry(ctx, g.EntryID)
		if gone != nil && !apperr.Is(gone, apperr.NotFound) {
			return gone
		}
		var err error
		if claimed, err = tx.ClaimScheduled(ctx, g, now); err != nil || len(claimed) == 0 {
			return err
		}
		if gone != nil {
			return tx.RefuseScheduled(ctx, actionIDs(claimed), "the entry was deleted", now)
		}
		// Each editor's actions are performed as that editor; all the
		// locales one editor scheduled for the same time go live
		// together or not at all, as in Publish.
		for _, batch := range byScheduler(claimed) {
			e, err := txs.perform(ctx, g, batch)
			switch {
			case err == nil:
				changed = e
			case isRefusal(err):
				if err := tx.RefuseScheduled(ctx, actionIDs(batch), err.Error(), now); err != nil {
					return err
				}
			default:
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	s.announce(ctx, changed)
	return len(claimed), nil
}

// perform publishes or unpublishes the locales of batch, all scheduled by
// one editor, through the same path as Publish and Unpublish. It runs in a
// savepoint of the runner's transaction: a refusal undoes only itself.
func (s *Service) perform(ctx context.Context, g DueGroup, batch []ScheduledAction) (*EntryState, error) {
	// Permission was checked when the action was scheduled; the audit log
	// names who scheduled it.
	p := account.Actor{Principal: account.Principal{UserID: batch[0].By, Role: account.RoleEditor}}
	locs := make([]string, len(batch))
	for i, a := range batch {
		locs[i] = a.Locale
	}
	if g.Action == ScheduleUnpublish {
		return s.unpublish(ctx, p, g.EntryID, locs)
	}
	frozen := make(map[string]Revision, len(batch))
	for _, a := range batch {
		rev, err := s.store.Revision(ctx, a.RevisionID)
		if err != nil {
			return nil, err
		}
		frozen[a.Locale] = rev
	}
	pub, err := s.publish(ctx, p, g.EntryID, locs, frozen)
	if err != nil {
		return nil, err
	}
	return pub.Entry, nil
}

// isRefusal reports whether err is the rules refusing an action, which is
// recorded, rather than a failure to try again.
func isRefusal(err error) bool {
	switch apperr.CodeOf(err) {
	case apperr.BadUserInput, apperr.NotFound, apperr.Conflict, apperr.Forbidden:
		return true
	}
	return false
}

// byScheduler splits actions by who scheduled them, in the order they
// come.
func byScheduler(actions []ScheduledAction) [][]ScheduledAction {
	var out [][]ScheduledAction
	for _, a := range actions {
		i := slices.IndexFunc(out, func(b []ScheduledAction) bool { return b[0].By == a.By })
		if i < 0 {
			out = append(out, []ScheduledAction{a})
		} else {
			out[i] = append(out[i], a)
		}
	}
	return out
}

func actionIDs(actions []ScheduledAction) []string {
	out := make([]string, len(actions))
	for i, a := range actions {
		out[i] = a.ID
	}
	return out
}

// Runner performs scheduled actions on time: it wakes when the next one
// is due and at least every Poll, to see what other replicas scheduled.
type Runner struct {
	Content *Service
	// Poll bounds how late an action scheduled on another replica can be
	// noticed; DefaultPoll when zero.
	Poll time.Duration
	// Log gets failures and what was performed; slog.Default when nil.
	Log *slog.Logger
}

// DefaultPoll is how often a runner looks for new due actions.
const DefaultPoll = 2 * time.Second

// Run performs due actions until ctx ends.
func (r *Runner) Run(ctx context.Context) {
	poll := r.Poll
	if poll <= 0 {
		poll = DefaultPoll
	}
	if r.Log == nil {
		r.Log = slog.Default()
	}
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		timer.Reset(r.runOnce(ctx, poll))
	}
}

// runOnce performs what is due and returns how long to wait for the next.
func (r *Runner) runOnce(ctx context.Context, poll time.Duration) time.Duration {
	n, err := r.Content.RunScheduled(ctx)
	if err != nil {
		if ctx.Err() == nil {
			r.Log.Warn("performing scheduled actions failed; trying again", "error", err, "in", poll)
		}
		return poll
	}
	if n > 0 {
		r.Log.Info("scheduled actions performed", "count", n)
	}
	next, err := r.Content.store.NextScheduled(ctx)
	if err != nil || next.IsZero() {
		return poll
	}
	return min(max(next.Sub(r.Content.now()), 0), poll)
}
