package content

import (
	"context"
	"encoding/json"
	"time"
)

// Store is the storage the content service needs. Implementations return
// *apperr.Error with code NotFound for a missing entry and Conflict for a
// live slug taken by another entry.
type Store interface {
	// InTx runs fn with a Store bound to one transaction; an error from
	// fn rolls it back.
	InTx(ctx context.Context, fn func(Store) error) error

	// FindPublishedEntry returns the id of the entry of type typ that is
	// live under slug in any locale, preferring a match in the earlier
	// locales of preferred when different entries use the slug.
	FindPublishedEntry(ctx context.Context, typ Type, slug string, preferred []string) (string, error)
	// PublishedRevisions returns the live revisions of the given entries
	// in the given locales (entries or locales without one are absent),
	// and per entry every locale it is live in.
	PublishedRevisions(ctx context.Context, typ Type, entryIDs, locales []string) ([]PublishedRevision, map[string][]Alternate, error)
	// PublishedEntryIDs pages through the entries of type typ that are
	// live in at least one of locales, by id.
	PublishedEntryIDs(ctx context.Context, typ Type, locales []string, page Page) ([]string, error)
	// CountPublishedEntries counts what PublishedEntryIDs pages through.
	CountPublishedEntries(ctx context.Context, typ Type, locales []string) (int, error)

	// CreateEntry stores a new entry with its draft translations.
	CreateEntry(ctx context.Context, e NewEntry) error
	// Draft returns an entry's draft structure and one locale's draft text.
	Draft(ctx context.Context, entryID, locale string) (Draft, error)
	// Publish freezes doc as the entry's next revision in locale and makes
	// it the live one.
	Publish(ctx context.Context, p Publication) (PublishedRevision, error)
	// CountEntries counts entries that are not deleted, live or not.
	CountEntries(ctx context.Context) (int, error)
}

// Page selects a slice of an ordered list by keyset.
type Page struct {
	AfterID string // exclusive; empty starts at the beginning
	Limit   int
	// Descending orders by id from newest to oldest; ids are UUIDv7, so
	// that is creation order.
	Descending bool
}

// PublishedRevision is a live revision as stored.
type PublishedRevision struct {
	EntryID     string
	Type        Type
	Locale      string
	Slug        string
	Number      int
	Document    json.RawMessage
	UpdatedAt   time.Time
	PublishedAt time.Time
}

// NewEntry is an entry to create.
type NewEntry struct {
	ID           string
	Type         Type
	Structure    json.RawMessage
	Translations []NewTranslation
	By           string
	At           time.Time
}

// NewTranslation is one locale's first draft.
type NewTranslation struct {
	Locale string
	Slug   string
	Fields json.RawMessage
}

// Draft is an entry's working copy in one locale.
type Draft struct {
	EntryID   string
	Type      Type
	Version   int
	Structure json.RawMessage
	Locale    string
	Slug      string
	Fields    json.RawMessage
	UpdatedAt time.Time
}

// Publication is a request to freeze a draft.
type Publication struct {
	EntryID   string
	Type      Type
	Locale    string
	Slug      string
	Document  json.RawMessage
	UpdatedAt time.Time // when the frozen text was last edited
	By        string
	At        time.Time
}
