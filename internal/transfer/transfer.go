// Package transfer moves a Werkwijzer installation's content to another:
// Export writes every entry with its drafts, revisions, live state and
// former slugs, the users, the vacancy sources and the open vacancies to
// one versioned JSON document (schema/export-v1.schema.json), and Import
// restores such a document into an empty database or merges it by id into
// one that holds data already, in one transaction. Ids, timestamps,
// versions and revision history are kept exactly, so exporting what was
// imported gives the same document again.
package transfer

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/apperr"
)

// Store reads and writes the records of a document, preserving ids,
// timestamps and versions as given.
type Store interface {
	// InTx runs fn in one transaction.
	InTx(ctx context.Context, fn func(Store) error) error
	// Entries returns the entries with ids, deleted ones included, with all
	// their parts; nil ids means every entry.
	Entries(ctx context.Context, ids []string) ([]Entry, error)
	// Users returns the users with ids (nil: all), with their password
	// hashes only when withCredentials.
	Users(ctx context.Context, ids []string, withCredentials bool) ([]User, error)
	// Sources returns the vacancy sources with ids (nil: all).
	Sources(ctx context.Context, ids []string) ([]Source, error)
	// Vacancies returns the vacancies with ids whatever their status, with
	// Closed set for those not open; nil ids means every open vacancy.
	Vacancies(ctx context.Context, ids []string) ([]Vacancy, error)
	// PutEntry writes e and all its parts; with replace, it replaces the
	// stored entry of the same id and every part of it.
	PutEntry(ctx context.Context, e Entry, replace bool) error
	// PutUser writes u; with replace, it replaces the stored user of the
	// same id, keeping its password hash when u has none.
	PutUser(ctx context.Context, u User, replace bool) error
	// PutSource writes s; with replace, it replaces the stored source's
	// configuration and leaves its secrets and pull state alone.
	PutSource(ctx context.Context, s Source, replace bool) error
	// PutVacancy writes v as an open vacancy; with replace, it replaces
	// the stored vacancy of the same id.
	PutVacancy(ctx context.Context, v Vacancy, replace bool) error
}

// ExportOptions says what goes into an export.
type ExportOptions struct {
	// WithCredentials includes the users' password hashes.
	WithCredentials bool
	// Now is the export time; zero means the current time.
	Now time.Time
}

// Read collects the document of everything st holds, in stable order.
func Read(ctx context.Context, st Store, opt ExportOptions) (*Document, error) {
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	doc := &Document{Format: FormatName, FormatVersion: FormatVersion, ExportedAt: NewTime(now), WithCredentials: opt.WithCredentials}
	// One transaction, so the document is one consistent state.
	err := st.InTx(ctx, func(tx Store) error {
		var err error
		if doc.Entries, err = tx.Entries(ctx, nil); err != nil {
			return err
		}
		if doc.Users, err = tx.Users(ctx, nil, opt.WithCredentials); err != nil {
			return err
		}
		if doc.Sources, err = tx.Sources(ctx, nil); err != nil {
			return err
		}
		doc.Vacancies, err = tx.Vacancies(ctx, nil)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read the export: %w", err)
	}
	doc.sort()
	return doc, nil
}

// Export writes the document of everything st holds to w.
func Export(ctx context.Context, st Store, w io.Writer, opt ExportOptions) error {
	doc, err := Read(ctx, st, opt)
	if err != nil {
		return err
	}
	return Encode(w, doc)
}

// Encode writes doc as indented JSON without HTML escaping.
func Encode(w io.Writer, doc *Document) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write the export: %w", err)
	}
	return nil
}

// sort puts every list in its stable order, with empty lists rather than
// null ones, so the same data always encodes to the same bytes.
func (d *Document) sort() {
	byID := func(a, b string) int { return cmp.Compare(a, b) }
	d.Entries = nonNil(d.Entries)
	slices.SortFunc(d.Entries, func(a, b Entry) int { return byID(a.ID, b.ID) })
	for i := range d.Entries {
		e := &d.Entries[i]
		e.Drafts = nonNil(e.Drafts)
		slices.SortFunc(e.Drafts, func(a, b Translation) int { return cmp.Compare(a.Locale, b.Locale) })
		e.Revisions = nonNil(e.Revisions)
		slices.SortFunc(e.Revisions, func(a, b Revision) int {
			return cmp.Or(cmp.Compare(a.Locale, b.Locale), cmp.Compare(a.Number, b.Number), cmp.Compare(a.ID, b.ID))
		})
		e.Live = nonNil(e.Live)
		slices.SortFunc(e.Live, func(a, b Live) int { return cmp.Compare(a.Locale, b.Locale) })
		e.FormerSlugs = nonNil(e.FormerSlugs)
		slices.SortFunc(e.FormerSlugs, func(a, b FormerSlug) int {
			return cmp.Or(cmp.Compare(a.Locale, b.Locale), cmp.Compare(a.Slug, b.Slug))
		})
	}
	d.Users = nonNil(d.Users)
	slices.SortFunc(d.Users, func(a, b User) int { return byID(a.ID, b.ID) })
	for i := range d.Users {
		d.Users[i].Locales = nonNil(d.Users[i].Locales)
	}
	d.Sources = nonNil(d.Sources)
	slices.SortFunc(d.Sources, func(a, b Source) int { return byID(a.ID, b.ID) })
	for i := range d.Sources {
		d.Sources[i].AllowedHosts = nonNil(d.Sources[i].AllowedHosts)
	}
	d.Vacancies = nonNil(d.Vacancies)
	slices.SortFunc(d.Vacancies, func(a, b Vacancy) int { return byID(a.ID, b.ID) })
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// DefaultMaxBytes is the largest document Import reads unless told
// otherwise: far above what a content site holds (the sample content
// and vacancies export to 225 KB), far below what would strain the server.
const DefaultMaxBytes = 256 << 20

// ImportOptions says how to import.
type ImportOptions struct {
	// DryRun reports what the import would change and writes nothing.
	DryRun bool
	// MaxBytes caps the document's size; 0 means DefaultMaxBytes.
	MaxBytes int64
}

// Outcome is what an import does, or would do, to one record.
type Outcome string

const (
	Created   Outcome = "created"
	Updated   Outcome = "updated"
	Unchanged Outcome = "unchanged"
	// Kept: the database's copy differs and is not older than the
	// document's (a higher entry version, a later update), so it stays:
	// nothing anyone wrote is overwritten by an older copy.
	Kept Outcome = "kept"
)

// Change is the outcome for one record that is not unchanged.
type Change struct {
	Kind    string  `json:"kind"`
	ID      string  `json:"id"`
	Label   string  `json:"label"`
	Outcome Outcome `json:"outcome"`
	// Detail says what differs, e.g. "version 3 -> 5".
	Detail string `json:"detail,omitempty"`
}

// Counts are the outcomes for one kind of record.
type Counts struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	Kept      int `json:"kept"`
}

func (c *Counts) add(o Outcome) {
	switch o {
	case Created:
		c.Created++
	case Updated:
		c.Updated++
	case Unchanged:
		c.Unchanged++
	case Kept:
		c.Kept++
	}
}

// Report is what an import did, or with DryRun would do.
type Report struct {
	DryRun    bool     `json:"dryRun"`
	Entries   Counts   `json:"entries"`
	Users     Counts   `json:"users"`
	Sources   Counts   `json:"sources"`
	Vacancies Counts   `json:"vacancies"`
	Changes   []Change `json:"changes"`
}

// Wrote reports whether the import changed the database: it was no dry
// run and created or updated a record.
func (r *Report) Wrote() bool {
	if r.DryRun {
		return false
	}
	for _, c := range []Counts{r.Entries, r.Users, r.Sources, r.Vacancies} {
		if c.Created+c.Updated > 0 {
			return true
		}
	}
	return false
}

// errDryRun rolls back the transaction of a dry run.
var errDryRun = errors.New("dry run")

// Import reads a document from r and writes it to st in one transaction:
// records whose id the database does not hold are created, older copies
// are updated, and newer or diverged ones are kept and reported. A
// document that cannot be read, is invalid, or that the database refuses
// (a slug or email held by another record) writes nothing.
func Import(ctx context.Context, st Store, r io.Reader, opt ImportOptions) (*Report, error) {
	doc, err := Decode(r, opt.MaxBytes)
	if err != nil {
		return nil, err
	}
	rep := &Report{DryRun: opt.DryRun, Changes: []Change{}}
	err = st.InTx(ctx, func(tx Store) error {
		m := merger{ctx: ctx, st: tx, rep: rep}
		if err := m.entries(doc.Entries); err != nil {
			return err
		}
		if err := m.users(doc.Users); err != nil {
			return err
		}
		if err := m.sources(doc.Sources); err != nil {
			return err
		}
		if err := m.vacancies(doc.Vacancies); err != nil {
			return err
		}
		if opt.DryRun {
			return errDryRun
		}
		return nil
	})
	if err != nil && !errors.Is(err, errDryRun) {
		return nil, fmt.Errorf("import: %w", err)
	}
	return rep, nil
}

// Decode reads and checks a document of at most maxBytes (0:
// DefaultMaxBytes). A document of a newer format version is refused
// before its members are read, with a message that says to upgrade.
func Decode(r io.Reader, maxBytes int64) (*Document, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	data, err := io.ReadAll(io.LimitReader(r, maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read the document: %w", err)
	}
	if int64(len(data)) > maxBytes {
		return nil, apperr.Invalid(apperr.TooLong, "the document is larger than the limit of %d bytes (raise it with --max-bytes if it is genuine)", maxBytes).
			With("max", maxBytes).With("unit", "bytes")
	}
	var head struct {
		Format        string          `json:"format"`
		FormatVersion json.RawMessage `json:"formatVersion"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, apperr.Invalid(apperr.InvalidFormat, "not a Werkwijzer export: %v", err)
	}
	if head.Format != FormatName {
		return nil, apperr.Invalid(apperr.InvalidFormat, "not a Werkwijzer export: format is %q, want %q", head.Format, FormatName)
	}
	var version int
	if err := json.Unmarshal(head.FormatVersion, &version); err != nil || version < 1 {
		return nil, apperr.Invalid(apperr.InvalidFormat, "the export has no valid formatVersion (%s)", head.FormatVersion)
	}
	if version > FormatVersion {
		return nil, apperr.Invalid(apperr.UnsupportedValue, "the export has format version %d, but this Werkwijzer reads versions up to %d: import it with a newer Werkwijzer", version, FormatVersion).
			With("allowed", []int{FormatVersion})
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var doc Document
	if err := dec.Decode(&doc); err != nil {
		return nil, apperr.Invalid(apperr.InvalidFormat, "read the export: %v", err)
	}
	if err := doc.validate(); err != nil {
		return nil, apperr.Invalid(apperr.InvalidFormat, "invalid export: %v", err)
	}
	doc.sort()
	return &doc, nil
}

// merger decides and writes the outcome for each record of a document.
type merger struct {
	ctx context.Context
	st  Store
	rep *Report
}

// apply counts ch in c, lists it unless unchanged and, when the record is
// new or the document's copy wins, writes it with put.
func (m *merger) apply(c *Counts, ch Change, put func() error) error {
	c.add(ch.Outcome)
	if ch.Outcome != Unchanged {
		m.rep.Changes = append(m.rep.Changes, ch)
	}
	if ch.Outcome != Created && ch.Outcome != Updated {
		return nil
	}
	if err := put(); err != nil {
		return fmt.Errorf("%s %s (%s): %w", ch.Kind, ch.ID, ch.Label, err)
	}
	return nil
}

// decide compares the document's copy of a record with the database's:
// equal is unchanged, a newer document copy updates, anything else keeps
// the database's copy.
func decide(stored, given any, givenIsNewer bool) (Outcome, error) {
	a, err := json.Marshal(stored)
	if err != nil {
		return "", err
	}
	b, err := json.Marshal(given)
	if err != nil {
		return "", err
	}
	switch {
	case bytes.Equal(a, b):
		return Unchanged, nil
	case givenIsNewer:
		return Updated, nil
	}
	return Kept, nil
}

func (m *merger) entries(entries []Entry) error {
	stored, err := m.st.Entries(m.ctx, ids(entries, func(e Entry) string { return e.ID }))
	if err != nil {
		return err
	}
	(&Document{Entries: stored}).sort()
	have := index(stored, func(e Entry) string { return e.ID })
	for _, e := range entries {
		ch := Change{Kind: "entry", ID: e.ID, Label: entryLabel(e), Outcome: Created}
		old, exists := have[e.ID]
		if exists {
			if ch.Outcome, err = decide(old, e, e.Version > old.Version); err != nil {
				return err
			}
			ch.Detail = fmt.Sprintf("version %d in the database, %d in the export", old.Version, e.Version)
		}
		if err := m.apply(&m.rep.Entries, ch, func() error { return m.st.PutEntry(m.ctx, e, exists) }); err != nil {
			return err
		}
	}
	return nil
}

func (m *merger) users(users []User) error {
	stored, err := m.st.Users(m.ctx, ids(users, func(u User) string { return u.ID }), true)
	if err != nil {
		return err
	}
	have := index(stored, func(u User) string { return u.ID })
	for _, u := range users {
		ch := Change{Kind: "user", ID: u.ID, Label: u.Email, Outcome: Created}
		old, exists := have[u.ID]
		if exists {
			if u.PasswordHash == "" {
				// A document without credentials says nothing about them.
				old.PasswordHash = ""
			}
			if ch.Outcome, err = decide(old, u, u.UpdatedAt.After(old.UpdatedAt.Time)); err != nil {
				return err
			}
			ch.Detail = updatedDetail(old.UpdatedAt, u.UpdatedAt)
		} else if u.PasswordHash == "" {
			if u.PasswordHash, err = unusablePasswordHash(); err != nil {
				return err
			}
			ch.Detail = "no password: set one with werkwijzer user password"
		}
		if err := m.apply(&m.rep.Users, ch, func() error { return m.st.PutUser(m.ctx, u, exists) }); err != nil {
			return err
		}
	}
	return nil
}

func (m *merger) sources(sources []Source) error {
	stored, err := m.st.Sources(m.ctx, ids(sources, func(s Source) string { return s.ID }))
	if err != nil {
		return err
	}
	have := index(stored, func(s Source) string { return s.ID })
	for _, s := range sources {
		ch := Change{Kind: "source", ID: s.ID, Label: s.Name, Outcome: Created}
		old, exists := have[s.ID]
		if exists {
			if ch.Outcome, err = decide(old, s, s.UpdatedAt.After(old.UpdatedAt.Time)); err != nil {
				return err
			}
			ch.Detail = updatedDetail(old.UpdatedAt, s.UpdatedAt)
		}
		if err := m.apply(&m.rep.Sources, ch, func() error { return m.st.PutSource(m.ctx, s, exists) }); err != nil {
			return err
		}
	}
	return nil
}

func (m *merger) vacancies(vacancies []Vacancy) error {
	stored, err := m.st.Vacancies(m.ctx, ids(vacancies, func(v Vacancy) string { return v.ID }))
	if err != nil {
		return err
	}
	have := index(stored, func(v Vacancy) string { return v.ID })
	for _, v := range vacancies {
		ch := Change{Kind: "vacancy", ID: v.ID, Label: v.ExternalID + " (" + v.Language + ")", Outcome: Created}
		old, exists := have[v.ID]
		if exists {
			newer := v.UpdatedAt.After(old.UpdatedAt.Time)
			if ch.Outcome, err = decide(old, v, newer); err != nil {
				return err
			}
			if old.Closed && ch.Outcome == Unchanged {
				// Closed after the export without another change.
				ch.Outcome = Kept
			}
			ch.Detail = updatedDetail(old.UpdatedAt, v.UpdatedAt)
			if old.Closed {
				ch.Detail += "; closed in the database"
			}
		}
		if err := m.apply(&m.rep.Vacancies, ch, func() error { return m.st.PutVacancy(m.ctx, v, exists) }); err != nil {
			return err
		}
	}
	return nil
}

func updatedDetail(stored, given Time) string {
	b, _ := given.MarshalJSON()
	a, _ := stored.MarshalJSON()
	return fmt.Sprintf("updated %s in the database, %s in the export", a, b)
}

// entryLabel names an entry for a person: its type and first draft slug.
func entryLabel(e Entry) string {
	if len(e.Drafts) == 0 {
		return e.Type
	}
	return e.Type + " " + e.Drafts[0].Locale + "/" + e.Drafts[0].Slug
}

func ids[T any](records []T, id func(T) string) []string {
	out := make([]string, len(records))
	for i, r := range records {
		out[i] = id(r)
	}
	return out
}

func index[T any](records []T, id func(T) string) map[string]T {
	out := make(map[string]T, len(records))
	for _, r := range records {
		out[id(r)] = r
	}
	return out
}

// unusablePasswordHash is the password hash of a user imported without
// credentials: a well-formed argon2id hash of no password anyone knows,
// so the account exists (with its id, role and history) but cannot sign
// in until an operator sets a password.
func unusablePasswordHash() (string, error) {
	salt, key := make([]byte, 16), make([]byte, 32)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	if _, err := rand.Read(key); err != nil {
		return "", err
	}
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=19$m=19456,t=2,p=1$%s$%s", b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}
