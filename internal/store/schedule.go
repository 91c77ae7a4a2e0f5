package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/content"
)

type scheduledRow struct {
	ID         string
	EntryID    string
	Locale     string
	Action     string
	RevisionID *string
	DueAt      time.Time
	CreatedAt  time.Time
	CreatedBy  *string
	State      string
	FinishedAt *time.Time
	Refusal    *string
}

func (scheduledRow) TableName() string { return "scheduled_actions" }

// scheduledListRow is a scheduled action with the number of the revision
// it publishes.
type scheduledListRow struct {
	Action         scheduledRow `gorm:"embedded"`
	RevisionNumber *int
}

func (l scheduledListRow) toContent() content.ScheduledAction {
	r := l.Action
	a := content.ScheduledAction{
		ID: r.ID, EntryID: r.EntryID, Locale: r.Locale, Action: content.ScheduleAction(r.Action),
		At: r.DueAt.UTC(), By: deref(r.CreatedBy), CreatedAt: r.CreatedAt.UTC(), RevisionID: deref(r.RevisionID),
		State: content.ScheduleState(r.State), Refusal: deref(r.Refusal),
	}
	if l.RevisionNumber != nil {
		a.RevisionNumber = *l.RevisionNumber
	}
	if r.State == string(content.ScheduleRefused) && r.FinishedAt != nil {
		a.RefusedAt = r.FinishedAt.UTC()
	}
	return a
}

// openScheduled is the open (not done) actions with their revision
// numbers, the earliest due first.
func (s *Content) openScheduled(ctx context.Context) *gorm.DB {
	return s.db.WithContext(ctx).Table("scheduled_actions AS s").
		Select("s.*, r.number AS revision_number").
		Joins("LEFT JOIN revisions AS r ON r.id = s.revision_id").
		Where("s.state <> ?", string(content.ScheduleDone)).
		Order("s.due_at, s.id")
}

// LatestRevision returns an entry's newest revision in locale.
func (s *Content) LatestRevision(ctx context.Context, entryID, locale string) (content.Revision, error) {
	var row revisionRow
	err := s.db.WithContext(ctx).Where("entry_id = ? AND locale = ?", entryID, locale).Order("number DESC").Take(&row).Error
	if err != nil {
		return content.Revision{}, notFoundAs(err, "entry %s has no revision in %s", entryID, locale)
	}
	return row.toContent(), nil
}

// PutScheduled replaces the open action of a's entry, locale and kind.
func (s *Content) PutScheduled(ctx context.Context, a content.ScheduledAction) error {
	db := s.db.WithContext(ctx)
	err := db.Where("entry_id = ? AND locale = ? AND action = ? AND state <> ?", a.EntryID, a.Locale, string(a.Action), string(content.ScheduleDone)).
		Delete(&scheduledRow{}).Error
	if err != nil {
		return fmt.Errorf("replace scheduled %s of %s: %w", a.Action, a.EntryID, err)
	}
	row := scheduledRow{
		ID: a.ID, EntryID: a.EntryID, Locale: a.Locale, Action: string(a.Action), RevisionID: optional(a.RevisionID),
		DueAt: a.At, CreatedAt: a.CreatedAt, CreatedBy: optional(a.By), State: string(a.State),
	}
	if err := db.Create(&row).Error; err != nil {
		return fmt.Errorf("schedule %s of %s: %w", a.Action, a.EntryID, err)
	}
	return nil
}

// CancelScheduled deletes an open action. The delete repeats the
// condition: a runner may perform the action between the read and the
// delete, and a performed action is not cancelled.
func (s *Content) CancelScheduled(ctx context.Context, id string) (content.ScheduledAction, error) {
	var row scheduledListRow
	if err := s.openScheduled(ctx).Where("s.id = ?", id).Take(&row).Error; err != nil {
		return content.ScheduledAction{}, notFoundAs(err, "no scheduled action %s is waiting", id)
	}
	res := s.db.WithContext(ctx).Where("id = ? AND state <> ?", id, string(content.ScheduleDone)).Delete(&scheduledRow{})
	if res.Error != nil {
		return content.ScheduledAction{}, fmt.Errorf("cancel scheduled action %s: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return content.ScheduledAction{}, apperr.New(apperr.NotFound, "scheduled action %s was performed meanwhile", id)
	}
	return row.toContent(), nil
}

// DueScheduled lists the entries and kinds with due pending actions.
func (s *Content) DueScheduled(ctx context.Context, now time.Time, limit int) ([]content.DueGroup, error) {
	var rows []struct{ EntryID, Action string }
	err := s.db.WithContext(ctx).Model(&scheduledRow{}).Select("entry_id, action").
		Where("state = ? AND due_at <= ?", string(content.SchedulePending), now).
		Group("entry_id, action").Order("MIN(due_at), entry_id, action").Limit(limit).
		Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("look for due scheduled actions: %w", err)
	}
	out := make([]content.DueGroup, len(rows))
	for i, r := range rows {
		out[i] = content.DueGroup{EntryID: r.EntryID, Action: content.ScheduleAction(r.Action)}
	}
	return out, nil
}

// ClaimScheduled is one conditional UPDATE ... RETURNING. On PostgreSQL a
// second transaction claiming the same rows waits for the first, then
// re-reads them, finds them done and claims nothing; on SQLite the
// immediate transactions run one after another.
func (s *Content) ClaimScheduled(ctx context.Context, g content.DueGroup, now time.Time) ([]content.ScheduledAction, error) {
	var rows []struct {
		ID, Locale            string
		RevisionID, CreatedBy *string
	}
	err := s.db.WithContext(ctx).Raw("UPDATE scheduled_actions SET state = ?, finished_at = ? "+
		"WHERE entry_id = ? AND action = ? AND state = ? AND due_at <= ? "+
		"RETURNING id, locale, revision_id, created_by",
		string(content.ScheduleDone), now, g.EntryID, string(g.Action), string(content.SchedulePending), now).
		Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("claim scheduled %s of %s: %w", g.Action, g.EntryID, err)
	}
	out := make([]content.ScheduledAction, len(rows))
	for i, r := range rows {
		out[i] = content.ScheduledAction{
			ID: r.ID, EntryID: g.EntryID, Locale: r.Locale, Action: g.Action,
			RevisionID: deref(r.RevisionID), By: deref(r.CreatedBy), State: content.ScheduleDone,
		}
	}
	// RETURNING comes in no particular order; locales are published in
	// a stable one.
	slices.SortFunc(out, func(a, b content.ScheduledAction) int { return strings.Compare(a.Locale, b.Locale) })
	return out, nil
}

// RefuseScheduled records why actions were not performed.
func (s *Content) RefuseScheduled(ctx context.Context, ids []string, why string, at time.Time) error {
	err := s.db.WithContext(ctx).Model(&scheduledRow{}).Where("id IN ?", ids).
		Updates(map[string]any{"state": string(content.ScheduleRefused), "refusal": why, "finished_at": at}).Error
	if err != nil {
		return fmt.Errorf("record refused scheduled actions: %w", err)
	}
	return nil
}

// NextScheduled returns when the earliest pending action is due.
func (s *Content) NextScheduled(ctx context.Context) (time.Time, error) {
	var rows []scheduledRow
	err := s.db.WithContext(ctx).Select("due_at").Where("state = ?", string(content.SchedulePending)).
		Order("due_at").Limit(1).Find(&rows).Error
	if err != nil {
		return time.Time{}, fmt.Errorf("look for the next scheduled action: %w", err)
	}
	if len(rows) == 0 {
		return time.Time{}, nil
	}
	return rows[0].DueAt.UTC(), nil
}

// UpcomingScheduled lists open actions of entries that are not deleted.
func (s *Content) UpcomingScheduled(ctx context.Context, limit int) ([]content.ScheduledAction, error) {
	var rows []scheduledListRow
	err := s.openScheduled(ctx).
		Joins("JOIN entries AS e ON e.id = s.entry_id AND e.deleted_at IS NULL").
		Limit(limit).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("list scheduled actions: %w", err)
	}
	out := make([]content.ScheduledAction, len(rows))
	for i, r := range rows {
		out[i] = r.toContent()
	}
	return out, nil
}

// EntriesByID loads the entries among ids that are not deleted.
func (s *Content) EntriesByID(ctx context.Context, ids []string) (map[string]*content.EntryState, error) {
	out := make(map[string]*content.EntryState, len(ids))
	for chunk := range slices.Chunk(ids, maxBatch) {
		var rows []entryRow
		if err := s.db.WithContext(ctx).Where("id IN ?", chunk).Find(&rows).Error; err != nil {
			return nil, fmt.Errorf("load entries: %w", err)
		}
		states, err := s.withDetails(ctx, rows)
		if err != nil {
			return nil, err
		}
		for _, e := range states {
			out[e.ID] = e
		}
	}
	return out, nil
}

// addScheduled adds the open scheduled actions of the entries of chunk.
func (s *Content) addScheduled(ctx context.Context, chunk []string, byID map[string]*content.EntryState) error {
	var rows []scheduledListRow
	if err := s.openScheduled(ctx).Where("s.entry_id IN ?", chunk).Scan(&rows).Error; err != nil {
		return fmt.Errorf("load scheduled actions: %w", err)
	}
	for _, r := range rows {
		e := byID[r.Action.EntryID]
		e.Scheduled = append(e.Scheduled, r.toContent())
	}
	return nil
}
