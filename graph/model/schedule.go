package model

import "time"

// ScheduledAction is a publication or unpublication waiting for its time.
type ScheduledAction struct {
	ID             string
	Entry          *Entry
	Locale         string
	Action         ScheduledActionKind
	At             time.Time
	RevisionNumber *int
	State          ScheduledActionState
	Refusal        *string
	RefusedAt      *time.Time
	// ByID resolves ScheduledAction.by.
	ByID string
}
