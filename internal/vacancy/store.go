package vacancy

import (
	"context"
	"time"
)

// Store is the storage the vacancy service needs. Implementations return
// an *apperr.Error with code NotFound for a missing source or vacancy and
// Conflict for a source name that is taken. Times are UTC.
type Store interface {
	// InTx runs fn with a Store bound to one transaction; an error from fn
	// rolls it back.
	InTx(ctx context.Context, fn func(Store) error) error

	// LockSource serializes the transactions of one source until the
	// current transaction ends; other sources go on in parallel. Call it
	// first in the transaction.
	LockSource(ctx context.Context, sourceID string) error

	// CreateSource inserts a source with its first secret; call it inside
	// InTx, whose transaction makes the two one write.
	CreateSource(ctx context.Context, src *Source, secret SecretRecord) error
	// Source returns a source with its secrets; SourceByName finds one by
	// its name.
	Source(ctx context.Context, id string) (*Source, error)
	SourceByName(ctx context.Context, name string) (*Source, error)
	// SourceSettings returns a source's settings and whether it is
	// active, without its secrets and sync state: what a sync call reads.
	SourceSettings(ctx context.Context, id string) (*Source, error)
	// Sources returns every source with its secrets, by name.
	Sources(ctx context.Context) ([]*Source, error)
	// UpdateSource writes a source's settings (kind, feed URL, allowed
	// hosts, role rules, language, time zone) and UpdatedAt.
	UpdateSource(ctx context.Context, src *Source) error
	// SetSourceActive enables or disables a source.
	SetSourceActive(ctx context.Context, id string, active bool, at time.Time) error
	// AddSecret stores another secret of a source; RevokeSecrets revokes
	// secrets by id.
	AddSecret(ctx context.Context, sourceID string, secret SecretRecord) error
	RevokeSecrets(ctx context.Context, ids []string, at time.Time) error
	// Audit appends a change to sources to the audit log, in the same
	// transaction as the change.
	Audit(ctx context.Context, r AuditRecord) error
	// CountByStatus counts the vacancies of each source by status.
	CountByStatus(ctx context.Context, sourceIDs []string) (map[string]map[Status]int, error)

	// RoleIDsBySlug maps slugs (lower case) of live roles, current or
	// former, in any locale, to the roles' entry ids.
	RoleIDsBySlug(ctx context.Context, slugs []string) (map[string]string, error)

	// SyncRequest returns the request stored under an idempotency key, or
	// nil.
	SyncRequest(ctx context.Context, sourceID, key string) (*StoredRequest, error)
	// SaveSyncRequest stores a request's report under its key.
	SaveSyncRequest(ctx context.Context, sourceID string, r StoredRequest) error
	// VacancyStates returns a source's vacancies with those external ids,
	// in any language, with only what a sync compares an item with: the
	// key, id, content hash, status, how and when it closed, and the
	// timestamps; not the content itself.
	VacancyStates(ctx context.Context, sourceID string, externalIDs []string) ([]*Vacancy, error)
	// UpsertVacancies inserts vacancies or, when (source, external id,
	// language) exists, replaces every column but id, first_seen_at and
	// created_at, in as few statements as the bind-parameter limits
	// allow.
	UpsertVacancies(ctx context.Context, vs []*Vacancy) error
	// CloseVacancies closes open vacancies by id and returns how many.
	CloseVacancies(ctx context.Context, ids []string, reason string, at time.Time) (int, error)

	// A snapshot is identified by a token, unique to one run of it: the
	// vacancies a snapshot call writes carry it (SeenSnapshot), and those
	// it contained without writing them are recorded apart (RecordCall), so
	// an unchanged vacancy row is never written.
	//
	// OpenSnapshot returns the token of the source's running snapshot
	// snapshotID, or starts it with token.
	OpenSnapshot(ctx context.Context, sourceID, snapshotID, token string, at time.Time) (string, error)
	// RecordCall stores one call of a snapshot run (callID is unique to
	// it): its chunk number (0: not numbered) and the ids of the vacancies
	// it contained without writing them. SnapshotChunks lists the chunk
	// numbers stored, ascending.
	RecordCall(ctx context.Context, token, callID string, chunk int, seen []string, at time.Time) error
	SnapshotChunks(ctx context.Context, token string) ([]int, error)
	// SnapshotCounts counts a source's open vacancies, those of them the
	// snapshot did not contain, and all its vacancies the snapshot
	// contained.
	SnapshotCounts(ctx context.Context, sourceID, token string) (SnapshotCounts, error)
	// CloseUnseen closes a source's open vacancies the snapshot did not
	// contain.
	CloseUnseen(ctx context.Context, sourceID, token string, at time.Time) (int, error)
	// EndSnapshot forgets a snapshot run: its calls and what they saw.
	EndSnapshot(ctx context.Context, token string) error
	// PruneSnapshots forgets snapshots started before before that never
	// completed.
	PruneSnapshots(ctx context.Context, before time.Time) (int, error)
	// CloseAllOpen closes all of a source's open vacancies.
	CloseAllOpen(ctx context.Context, sourceID, reason string, at time.Time) (int, error)
	// ExpireDue marks open vacancies whose expiry is not after now
	// expired, of one source or, with sourceID "", of all.
	ExpireDue(ctx context.Context, sourceID string, now time.Time) (int, error)
	// RecordSync stores a successful sync's report as the source's last
	// and clears its last error; RecordSyncFailure stores an error.
	RecordSync(ctx context.Context, sourceID string, report *Report, at time.Time) error
	RecordSyncFailure(ctx context.Context, sourceID, message string, at time.Time) error
	// PruneSyncRequests deletes stored requests made before before.
	PruneSyncRequests(ctx context.Context, before time.Time) (int, error)

	// OpenVacancies pages through vacancies open at now that match
	// filter, newest first.
	OpenVacancies(ctx context.Context, filter StoreFilter, page Page, now time.Time) ([]*Vacancy, error)
	// CountOpen counts them.
	CountOpen(ctx context.Context, filter StoreFilter, now time.Time) (int, error)
	// OpenByRoles returns, per role, its first limit open vacancies,
	// newest first, in one statement.
	OpenByRoles(ctx context.Context, roleIDs []string, limit int, now time.Time) (map[string][]*Vacancy, error)
	// CountOpenByRoles counts open vacancies per role, with the earliest
	// expiry among them (when the count changes without a write).
	CountOpenByRoles(ctx context.Context, roleIDs []string, now time.Time) (map[string]OpenCount, error)
	// VacanciesByID returns vacancies by id, any status.
	VacanciesByID(ctx context.Context, ids []string) ([]*Vacancy, error)
	// AllVacancies pages through vacancies of any status for the admin,
	// newest first.
	AllVacancies(ctx context.Context, filter StoreFilter, page Page) ([]*Vacancy, error)
	// CountAll counts them.
	CountAll(ctx context.Context, filter StoreFilter) (int, error)
	// SearchStore searches open vacancies (search.go).
	SearchStore

	// ClaimPull takes the pull lease of a source for owner until
	// leaseUntil, in one conditional statement, if no one holds it and the
	// source was last pulled before dueBefore (or never) and its feed
	// host's Retry-After, if any, has passed by now. Of several replicas
	// trying at once, exactly one gets true.
	ClaimPull(ctx context.Context, sourceID, owner string, now, leaseUntil, dueBefore time.Time) (bool, error)
	// FinishPull releases owner's lease and records the pull (see
	// PullOutcome).
	FinishPull(ctx context.Context, sourceID, owner string, out PullOutcome) error
}

// AuditRecord is one change to a source, for the audit log.
type AuditRecord struct {
	At       time.Time
	ActorID  string // "" for the operator
	Action   string // source.create, source.update, source.rotate-secret, source.disable, source.enable
	SourceID string
	Details  map[string]any
}

// SecretRecord is a client secret to store.
type SecretRecord struct {
	ID        string
	Hash      string
	Hint      string
	CreatedAt time.Time
}

// StoredRequest is a sync call kept under its idempotency key.
type StoredRequest struct {
	Key         string
	RequestHash string
	Report      *Report
	CreatedAt   time.Time
}

// SnapshotCounts are the numbers the mass-close guard weighs.
type SnapshotCounts struct {
	Open   int // open vacancies of the source
	Unseen int // of them, not seen in the snapshot: what completing it closes
	Seen   int // vacancies of any status the snapshot contained
}

// StoreFilter narrows a list of vacancies.
type StoreFilter struct {
	SourceID       string
	RoleID         string
	NoRole         bool
	Location       string // lower case; matched against localities, regions and countries
	EmploymentType EmploymentType
	WorkplaceType  WorkplaceType
	Language       string
	PostedAfter    time.Time
	Status         Status // AllVacancies only; "" is any
}

// Page selects a slice of a list ordered by date posted, newest first,
// by keyset.
type Page struct {
	Limit  int
	After  *Cursor // exclusive; nil starts at the newest
	Before *Cursor // exclusive; nil runs to the oldest
	// FromEnd takes the Limit vacancies nearest Before (or the oldest)
	// instead of those nearest After: Relay's last. They still come
	// newest first.
	FromEnd bool
}

// Cursor is a position in such a list.
type Cursor struct {
	Posted time.Time
	ID     string
}

// OpenCount is how many vacancies of a role are open, and the earliest
// instant one of them expires (zero when none does): the count holds
// until then, unless a write changes it.
type OpenCount struct {
	N          int
	NextExpiry time.Time
}
