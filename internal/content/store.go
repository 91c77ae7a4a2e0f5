package content

import (
	"context"
	"encoding/json"
	"time"
)

// View selects what a read sees: what is live, or the editors' drafts.
type View int

const (
	// Live is the published revisions: what the public sees.
	Live View = iota
	// Drafts is the working copies, for editors' preview.
	Drafts
)

// Store is the storage the content service needs. Implementations return
// *apperr.Error with code NotFound for a missing entry and Conflict for a
// live slug taken by another entry or a stale version.
type Store interface {
	// InTx runs fn with a Store bound to one transaction; an error from
	// fn rolls it back.
	InTx(ctx context.Context, fn func(Store) error) error

	// FindBySlug returns the id of the entry of type typ that has slug in
	// any locale of view, preferring a match in the earlier locales of
	// preferred when different entries use the slug. In the Live view a
	// slug the entry was live under before also matches, with
	// current=false.
	FindBySlug(ctx context.Context, view View, typ Type, slug string, preferred []string) (id string, current bool, err error)
	// Documents returns the documents of the given entries in the given
	// locales (entries or locales without one are absent), and per entry
	// every locale it has in view with its slug.
	Documents(ctx context.Context, view View, typ Type, entryIDs, locales []string) ([]PublishedRevision, map[string][]Alternate, error)
	// ListIDs pages through the entries of type typ that have at least one
	// of locales in view, by id.
	ListIDs(ctx context.Context, view View, typ Type, locales []string, page Page) ([]string, error)
	// CountListed counts what ListIDs pages through.
	CountListed(ctx context.Context, view View, typ Type, locales []string) (int, error)
	// Sitemap pages through the entries of types live in locale, by id,
	// each with every other locale it is live in.
	Sitemap(ctx context.Context, types []Type, locale string, page Page) ([]SitemapEntry, error)
	// CountSitemap counts what Sitemap pages through.
	CountSitemap(ctx context.Context, types []Type, locale string) (int, error)

	// CreateEntry stores a new entry with its draft translations.
	CreateEntry(ctx context.Context, e NewEntry) error
	// Entry returns an entry with its drafts and live publications.
	Entry(ctx context.Context, id string) (*EntryState, error)
	// Entries pages through entries that are not deleted, by id, newest
	// first; typ "" means every type.
	Entries(ctx context.Context, typ Type, page Page) ([]*EntryState, error)
	// CountEntries counts entries that are not deleted; typ "" means all.
	CountEntries(ctx context.Context, typ Type) (int, error)
	// AnyEntryEver reports whether any entry was ever created, deleted
	// ones included.
	AnyEntryEver(ctx context.Context) (bool, error)
	// LockEntry holds the entry's row until the transaction ends, so
	// changes to one entry happen one after another; NotFound when the
	// entry does not exist or is deleted.
	LockEntry(ctx context.Context, id string) error
	// ClaimVersion checks that none of the parts c changes moved past
	// c.Expected and, if so, moves the entry to its next version,
	// recording who changed it when (and, with c.Structure, that the
	// structure changed at that version). It holds the entry's row until
	// the transaction ends, so of two writers based on the same version
	// that touch the same part exactly one succeeds. It returns the new
	// version, NotFound, or Conflict with details part ("entry",
	// "structure" or "translation"), locale, currentVersion,
	// expectedVersion, updatedBy and updatedAt of the part that moved.
	ClaimVersion(ctx context.Context, id string, c Claim) (int, error)
	// SetStructure replaces the draft structure.
	SetStructure(ctx context.Context, id string, structure json.RawMessage) error
	// PutTranslation inserts or replaces one locale's draft.
	PutTranslation(ctx context.Context, t TranslationState, entryID string) error
	// DeleteEntry marks the entry deleted and takes it offline.
	DeleteEntry(ctx context.Context, id string, at time.Time) error
	// EntriesMentioning returns, by id, at most limit entries other than
	// id that are not deleted and whose draft structure or a live
	// revision mentions id, with their drafts and live revisions.
	EntriesMentioning(ctx context.Context, id string, limit int) ([]*EntryState, error)
	// TypesOf returns the type of each of ids that exists and is not
	// deleted.
	TypesOf(ctx context.Context, ids []string) (map[string]Type, error)
	// SlugInUse reports whether another live entry of typ uses slug in locale.
	SlugInUse(ctx context.Context, typ Type, locale, slug, exceptID string) (bool, error)

	// AddRevision appends a revision to an entry's history and returns it
	// with its number.
	AddRevision(ctx context.Context, r Revision) (Revision, error)
	// Publish makes revision rev the live one of its entry and locale,
	// retiring the slug it replaces into the slug history.
	Publish(ctx context.Context, typ Type, rev Revision) error
	// Unpublish takes an entry offline in locale, keeping its slug in the
	// slug history; it reports whether it was live there.
	Unpublish(ctx context.Context, typ Type, id, locale string, at time.Time) (bool, error)
	// History pages through an entry's revisions, newest first (by id,
	// which is creation order); locale "" means every locale.
	History(ctx context.Context, id, locale string, page Page) ([]Revision, error)
	// CountHistory counts what History pages through.
	CountHistory(ctx context.Context, id, locale string) (int, error)
	// Revision returns one revision.
	Revision(ctx context.Context, id string) (Revision, error)

	// Audit appends to the audit log.
	Audit(ctx context.Context, e AuditEntry) error
	// AuditLog pages through the audit log, newest first.
	AuditLog(ctx context.Context, filter AuditFilter, page Page) ([]AuditEntry, error)

	Schedules
}

// Claim is what a change to an entry is based on and what it touches.
//
// An entry's parts (its structure and each translation) share the entry's
// one sequence of versions: a part's version is the entry version of its
// last change. A change names the version it was based on (the version
// of the parts it read, or the entry's version when it read the entry)
// and conflicts only with changes to the parts it touches made after it.
type Claim struct {
	// Expected is the version the change was based on.
	Expected int
	// Structure is true when the change replaces the structure.
	Structure bool
	// Locales are the translations the change writes.
	Locales []string
	// Whole is true when the change affects every part (a delete): any
	// change after Expected conflicts with it.
	Whole bool
	By    string
	At    time.Time
}

// Page selects a slice of an ordered list by keyset.
type Page struct {
	AfterID  string // exclusive; empty starts at the beginning
	BeforeID string // exclusive; empty runs to the end
	Limit    int
	// FromEnd takes the Limit items nearest BeforeID (or the end) instead
	// of those nearest AfterID: Relay's last. Items still come in the
	// list's order.
	FromEnd bool
	// Descending orders by id from newest to oldest; ids are UUIDv7, so
	// that is creation order.
	Descending bool
}

// PublishedRevision is a document as stored: a live revision or, in the
// Drafts view, a draft.
type PublishedRevision struct {
	EntryID     string
	Type        Type
	Locale      string
	Slug        string
	Number      int
	Document    json.RawMessage
	UpdatedAt   time.Time
	PublishedAt time.Time
	// FirstPublishedAt is when the entry first went live in Locale; zero
	// in the Drafts view.
	FirstPublishedAt time.Time
}

// NewEntry is an entry to create.
type NewEntry struct {
	ID           string
	Type         Type
	Structure    json.RawMessage
	Translations []TranslationState
	By           string
	At           time.Time
}

// EntryState is an entry as editors see it: the drafts, and what is live.
type EntryState struct {
	ID   string
	Type Type
	// Version is the entry's latest version: the highest of its parts'.
	Version int
	// StructureVersion is the entry version at which the structure last
	// changed; StructureUpdatedAt and StructureUpdatedBy say when and who.
	StructureVersion   int
	StructureUpdatedAt time.Time
	StructureUpdatedBy string
	Structure          json.RawMessage
	CreatedAt          time.Time
	CreatedBy          string
	UpdatedAt          time.Time
	UpdatedBy          string
	Translations       []TranslationState // in locale order
	Live               []LiveState        // in locale order
	// Scheduled are the open scheduled actions, the earliest due first.
	Scheduled []ScheduledAction
}

// Translation returns the draft in locale, or nil.
func (e *EntryState) Translation(locale string) *TranslationState {
	for i := range e.Translations {
		if e.Translations[i].Locale == locale {
			return &e.Translations[i]
		}
	}
	return nil
}

// LiveIn returns what is live in locale, or nil.
func (e *EntryState) LiveIn(locale string) *LiveState {
	for i := range e.Live {
		if e.Live[i].Locale == locale {
			return &e.Live[i]
		}
	}
	return nil
}

// TranslationState is one locale's draft.
type TranslationState struct {
	Locale string
	// Version is the entry version at which this draft last changed.
	Version   int
	Slug      string
	Fields    json.RawMessage
	CreatedAt time.Time
	UpdatedAt time.Time
	UpdatedBy string
	// FieldChangedAt says when each field (by path) last changed.
	FieldChangedAt map[string]time.Time
}

// LiveState is what is published in one locale.
type LiveState struct {
	Locale           string
	Slug             string
	RevisionID       string
	RevisionNumber   int
	Document         json.RawMessage
	FirstPublishedAt time.Time
	PublishedAt      time.Time
}

// RevisionKind tells a saved draft from a publication.
type RevisionKind string

const (
	RevisionSaved     RevisionKind = "saved"
	RevisionPublished RevisionKind = "published"
)

// Revision is one immutable snapshot of an entry in one locale.
type Revision struct {
	ID       string
	EntryID  string
	Locale   string
	Number   int
	Kind     RevisionKind
	Slug     string
	Document json.RawMessage
	// UpdatedAt is when the snapshotted text was last edited.
	UpdatedAt    time.Time
	CreatedAt    time.Time
	CreatedBy    string
	RestoredFrom string
}

// AuditEntry records one change.
type AuditEntry struct {
	ID        string
	At        time.Time
	ActorID   string
	Action    string
	EntryID   string
	EntryType Type
	Locale    string
	Details   map[string]any
}

// AuditFilter narrows the audit log.
type AuditFilter struct {
	EntryID string
	ActorID string
}
