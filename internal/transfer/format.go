package transfer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// FormatName names a Werkwijzer export in its "format" member, so that
// another JSON file given by mistake is refused before anything is read.
const FormatName = "werkwijzer-export"

// FormatVersion is the version of the document this code writes and the
// newest it reads. It changes when a member is added, removed or changes
// meaning; schema/export-v<N>.schema.json describes each version.
const FormatVersion = 1

// Document is one export: everything a Werkwijzer installation holds that
// another needs to serve the same content, in a stable order (records by
// id, their parts by locale and number) so that the same data always gives
// the same bytes.
type Document struct {
	Format        string `json:"format"`
	FormatVersion int    `json:"formatVersion"`
	ExportedAt    Time   `json:"exportedAt"`
	// WithCredentials says whether users carry their password hashes.
	WithCredentials bool      `json:"withCredentials"`
	Entries         []Entry   `json:"entries"`
	Users           []User    `json:"users"`
	Sources         []Source  `json:"sources"`
	Vacancies       []Vacancy `json:"vacancies"`
}

// Entry is one content entry with its whole editing history: the draft
// (structure and translations), every revision, what is live in each
// locale and the slugs it was live under before. A deleted entry is
// exported too, with DeletedAt set, so its history survives the move.
type Entry struct {
	ID        string `json:"id"`
	Type      string `json:"type"`
	Version   int    `json:"version"`
	Structure JSON   `json:"structure"`
	// StructureVersion is the entry version at which the structure last
	// changed, StructureUpdatedAt/By when and by whom: each part has its
	// own version, so a change conflicts only with changes to its parts.
	StructureVersion   int           `json:"structureVersion"`
	StructureUpdatedAt Time          `json:"structureUpdatedAt"`
	StructureUpdatedBy *string       `json:"structureUpdatedBy,omitempty"`
	CreatedAt          Time          `json:"createdAt"`
	CreatedBy          *string       `json:"createdBy,omitempty"`
	UpdatedAt          Time          `json:"updatedAt"`
	UpdatedBy          *string       `json:"updatedBy,omitempty"`
	DeletedAt          *Time         `json:"deletedAt,omitempty"`
	Drafts             []Translation `json:"drafts"`
	Revisions          []Revision    `json:"revisions"`
	Live               []Live        `json:"live"`
	FormerSlugs        []FormerSlug  `json:"formerSlugs"`
}

// Translation is the working draft of one locale.
type Translation struct {
	Locale string `json:"locale"`
	// Version is the entry version at which this draft last changed.
	Version        int     `json:"version"`
	Slug           string  `json:"slug"`
	Fields         JSON    `json:"fields"`
	FieldChangedAt JSON    `json:"fieldChangedAt"`
	CreatedAt      Time    `json:"createdAt"`
	UpdatedAt      Time    `json:"updatedAt"`
	UpdatedBy      *string `json:"updatedBy,omitempty"`
}

// Revision is one frozen state of a locale: saved or published.
type Revision struct {
	ID           string  `json:"id"`
	Locale       string  `json:"locale"`
	Number       int     `json:"number"`
	Kind         string  `json:"kind"`
	Slug         string  `json:"slug"`
	Document     JSON    `json:"document"`
	UpdatedAt    Time    `json:"updatedAt"`
	CreatedAt    Time    `json:"createdAt"`
	CreatedBy    *string `json:"createdBy,omitempty"`
	RestoredFrom *string `json:"restoredFrom,omitempty"`
}

// Live says which revision the public API serves in a locale.
type Live struct {
	Locale           string `json:"locale"`
	Slug             string `json:"slug"`
	RevisionID       string `json:"revisionId"`
	FirstPublishedAt Time   `json:"firstPublishedAt"`
	PublishedAt      Time   `json:"publishedAt"`
}

// FormerSlug is a slug the entry was live under in a locale, kept so that
// old links still lead to it.
type FormerSlug struct {
	Locale    string `json:"locale"`
	Slug      string `json:"slug"`
	RetiredAt Time   `json:"retiredAt"`
}

// User is an editor's account. PasswordHash is empty unless the export
// was made with credentials.
type User struct {
	ID                string   `json:"id"`
	Email             string   `json:"email"`
	Role              string   `json:"role"`
	Locales           []string `json:"locales"`
	Active            bool     `json:"active"`
	CreatedAt         Time     `json:"createdAt"`
	UpdatedAt         Time     `json:"updatedAt"`
	PasswordChangedAt Time     `json:"passwordChangedAt"`
	LastLoginAt       *Time    `json:"lastLoginAt,omitempty"`
	PasswordHash      string   `json:"passwordHash,omitempty"`
}

// Source is a vacancy source's configuration. Its client secrets are never
// exported, and neither is its pull state (lease, feed validators, last
// report): the new installation pulls afresh.
type Source struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	Kind         string   `json:"kind"`
	FeedURL      string   `json:"feedUrl"`
	AllowedHosts []string `json:"allowedHosts"`
	RoleRules    JSON     `json:"roleRules"`
	Language     string   `json:"language"`
	TimeZone     string   `json:"timeZone"`
	Active       bool     `json:"active"`
	CreatedAt    Time     `json:"createdAt"`
	UpdatedAt    Time     `json:"updatedAt"`
	DisabledAt   *Time    `json:"disabledAt,omitempty"`
}

// Vacancy is an open vacancy. Closed and expired ones are not exported:
// nothing serves them.
type Vacancy struct {
	ID               string   `json:"id"`
	SourceID         string   `json:"sourceId"`
	ExternalID       string   `json:"externalId"`
	Language         string   `json:"language"`
	RoleID           *string  `json:"roleId,omitempty"`
	Title            string   `json:"title"`
	Description      string   `json:"description"`
	URL              string   `json:"url"`
	ApplyURL         string   `json:"applyUrl"`
	OrgName          string   `json:"orgName"`
	OrgURL           string   `json:"orgUrl"`
	OrgLogoURL       string   `json:"orgLogoUrl"`
	EmploymentTypes  int      `json:"employmentTypes"`
	WorkplaceType    string   `json:"workplaceType"`
	Locations        JSON     `json:"locations"`
	LocationKeys     string   `json:"locationKeys"`
	HoursMin         *float64 `json:"hoursMin,omitempty"`
	HoursMax         *float64 `json:"hoursMax,omitempty"`
	SalaryMin        *int64   `json:"salaryMin,omitempty"`
	SalaryMax        *int64   `json:"salaryMax,omitempty"`
	SalaryCurrency   string   `json:"salaryCurrency"`
	SalaryUnit       string   `json:"salaryUnit"`
	DatePosted       Time     `json:"datePosted"`
	DatePostedText   string   `json:"datePostedText"`
	ValidThrough     *Time    `json:"validThrough,omitempty"`
	ValidThroughText string   `json:"validThroughText"`
	SourceUpdatedAt  *Time    `json:"sourceUpdatedAt,omitempty"`
	FirstSeenAt      Time     `json:"firstSeenAt"`
	LastSeenAt       Time     `json:"lastSeenAt"`
	ContentHash      string   `json:"contentHash"`
	CreatedAt        Time     `json:"createdAt"`
	UpdatedAt        Time     `json:"updatedAt"`
	// Closed is set by the store for a vacancy the database holds closed
	// or expired, so a merge can tell it from the open one in a document.
	// It is never written to a document.
	Closed bool `json:"-"`
}

// timeLayout is how instants are written: UTC, always six fractional
// digits. Microseconds are what PostgreSQL keeps, so an export from
// SQLite (which keeps nanoseconds) imports into PostgreSQL unchanged.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// Time is an instant in an export, at microsecond precision.
type Time struct{ time.Time }

// NewTime returns t in UTC, truncated to the microsecond.
func NewTime(t time.Time) Time { return Time{t.UTC().Truncate(time.Microsecond)} }

// TimePtr is NewTime for a nullable instant.
func TimePtr(t *time.Time) *Time {
	if t == nil {
		return nil
	}
	v := NewTime(*t)
	return &v
}

// MarshalJSON writes the instant in timeLayout.
func (t Time) MarshalJSON() ([]byte, error) {
	return []byte(`"` + t.UTC().Format(timeLayout) + `"`), nil
}

// UnmarshalJSON reads an instant written in timeLayout, and nothing else:
// a document is machine-written, so another shape is a sign of damage.
func (t *Time) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("an instant must be a string like %q", timeLayout)
	}
	parsed, err := time.Parse(timeLayout, s)
	if err != nil {
		return fmt.Errorf("instant %q: want the form %s", s, timeLayout)
	}
	t.Time = parsed
	return nil
}

// JSON is a JSON value held in a JSON column, in canonical form: compact,
// object keys sorted, numbers as written, no HTML escaping. PostgreSQL's
// JSONB reorders keys and SQLite keeps the text as given; the canonical
// form makes an export the same bytes from either.
type JSON json.RawMessage

// MarshalJSON writes the value as it is (it is canonical already).
func (j JSON) MarshalJSON() ([]byte, error) {
	if len(j) == 0 {
		return []byte("null"), nil
	}
	return j, nil
}

// UnmarshalJSON reads any JSON value and keeps its canonical form.
func (j *JSON) UnmarshalJSON(b []byte) error {
	c, err := Canonical(b)
	if err != nil {
		return err
	}
	*j = c
	return nil
}

// Canonical returns the canonical form of the JSON value b.
func Canonical(b []byte) (JSON, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("read a JSON value: %w", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("read a JSON value: more than one value")
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("write a JSON value: %w", err)
	}
	return JSON(bytes.TrimSuffix(out.Bytes(), []byte("\n"))), nil
}
