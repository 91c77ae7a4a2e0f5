package transfer

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"

	"github.com/werkwijzer/werkwijzer/internal/content"
)

// The values the database's CHECK constraints allow, checked here first
// so that a bad document is refused with a message naming the record.
var (
	entryTypes    = []string{"role", "article", "comparison", "faq"}
	revisionKinds = []string{"saved", "published"}
	userRoles     = []string{"ADMIN", "EDITOR", "TRANSLATOR"}
	sha256Hex     = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

// validate checks what holds within one document: required members,
// allowed values, unique ids, and references between the parts of an
// entry. What depends on the database as well (a slug or email another
// record holds) is left to its constraints, inside the import's
// transaction.
func (d *Document) validate() error {
	var errs []error
	seen := map[string]bool{}
	unique := func(kind, id string) {
		switch {
		case id == "":
			errs = append(errs, fmt.Errorf("a %s has no id", kind))
		case seen[kind+" "+id]:
			errs = append(errs, fmt.Errorf("%s %s appears twice", kind, id))
		}
		seen[kind+" "+id] = true
	}
	for _, e := range d.Entries {
		unique("entry", e.ID)
		for _, r := range e.Revisions {
			unique("revision", r.ID)
		}
		errs = append(errs, e.validate()...)
	}
	for _, u := range d.Users {
		unique("user", u.ID)
		errs = append(errs, u.validate(d.WithCredentials)...)
	}
	for _, s := range d.Sources {
		unique("source", s.ID)
		if s.Name == "" || s.Kind == "" || s.Language == "" || s.TimeZone == "" {
			errs = append(errs, fmt.Errorf("source %s: name, kind, language and timeZone are required", s.ID))
		}
		errs = append(errs, requireTimes("source "+s.ID, s.CreatedAt, s.UpdatedAt)...)
	}
	for _, v := range d.Vacancies {
		unique("vacancy", v.ID)
		if v.SourceID == "" || v.ExternalID == "" || v.Language == "" {
			errs = append(errs, fmt.Errorf("vacancy %s: sourceId, externalId and language are required", v.ID))
		}
		if !sha256Hex.MatchString(v.ContentHash) {
			errs = append(errs, fmt.Errorf("vacancy %s: contentHash must be 64 lower-case hex digits", v.ID))
		}
		errs = append(errs, requireTimes("vacancy "+v.ID, v.DatePosted, v.FirstSeenAt, v.LastSeenAt, v.CreatedAt, v.UpdatedAt)...)
	}
	// Report a bounded number: a wrong file can fail on every record.
	if len(errs) > 20 {
		errs = append(errs[:20], fmt.Errorf("and %d more problems", len(errs)-20))
	}
	return errors.Join(errs...)
}

func (e Entry) validate() []error {
	what := "entry " + e.ID
	errs := e.validateHead(what)
	errs = append(errs, e.validateDrafts(what)...)
	revisions, revErrs := e.validateRevisions(what)
	errs = append(errs, revErrs...)
	errs = append(errs, e.validateLive(what, revisions)...)
	return append(errs, e.validateFormerSlugs(what)...)
}

// validateHead checks the entry's own fields and its part versions.
func (e Entry) validateHead(what string) []error {
	var errs []error
	if !slices.Contains(entryTypes, e.Type) {
		errs = append(errs, fmt.Errorf("%s: type %q is not one of %v", what, e.Type, entryTypes))
	}
	if e.Version < 1 {
		errs = append(errs, fmt.Errorf("%s: version must be at least 1", what))
	}
	if e.StructureVersion < 1 || e.StructureVersion > e.Version {
		errs = append(errs, fmt.Errorf("%s: structureVersion must be between 1 and the entry's version", what))
	}
	if len(e.Structure) == 0 {
		errs = append(errs, fmt.Errorf("%s: structure is required", what))
	}
	return append(errs, requireTimes(what, e.CreatedAt, e.UpdatedAt, e.StructureUpdatedAt)...)
}

// validateDrafts checks each locale's draft, once per locale, against the
// content package's own rules.
func (e Entry) validateDrafts(what string) []error {
	var errs []error
	locales := map[string]bool{}
	for _, t := range e.Drafts {
		if t.Locale == "" || t.Slug == "" || len(t.Fields) == 0 {
			errs = append(errs, fmt.Errorf("%s: a draft needs a locale, a slug and fields", what))
		}
		if t.Version < 1 || t.Version > e.Version {
			errs = append(errs, fmt.Errorf("%s: the %s draft's version must be between 1 and the entry's version", what, t.Locale))
		}
		if locales[t.Locale] {
			errs = append(errs, fmt.Errorf("%s: two drafts in locale %q", what, t.Locale))
		}
		locales[t.Locale] = true
		errs = append(errs, requireTimes(what+" draft "+t.Locale, t.CreatedAt, t.UpdatedAt)...)
		// The content package's own decoding: a draft that does not fit
		// its type would fail every read of the entry after the import.
		if _, err := content.MissingFields(content.Type(e.Type), json.RawMessage(e.Structure), json.RawMessage(t.Fields)); err != nil && slices.Contains(entryTypes, e.Type) {
			errs = append(errs, fmt.Errorf("%s: the %s draft does not fit a %s: %v", what, t.Locale, e.Type, err))
		}
		errs = append(errs, slugErr(what, t.Slug)...)
	}
	return errs
}

// validateRevisions checks the history and returns it by id.
func (e Entry) validateRevisions(what string) (map[string]Revision, []error) {
	var errs []error
	revisions := map[string]Revision{}
	numbers := map[string]bool{}
	for _, r := range e.Revisions {
		revisions[r.ID] = r
		key := fmt.Sprintf("%s %d", r.Locale, r.Number)
		if r.Locale == "" || r.Number < 1 || len(r.Document) == 0 || !slices.Contains(revisionKinds, r.Kind) {
			errs = append(errs, fmt.Errorf("%s: revision %s needs a locale, a number of at least 1, a document and a kind of %v", what, r.ID, revisionKinds))
		}
		if numbers[key] {
			errs = append(errs, fmt.Errorf("%s: two revisions numbered %d in locale %q", what, r.Number, r.Locale))
		}
		numbers[key] = true
		errs = append(errs, requireTimes(what+" revision "+r.ID, r.CreatedAt, r.UpdatedAt)...)
	}
	for _, r := range e.Revisions {
		if r.RestoredFrom != nil {
			if _, ok := revisions[*r.RestoredFrom]; !ok {
				errs = append(errs, fmt.Errorf("%s: revision %s was restored from %s, which is not a revision of this entry", what, r.ID, *r.RestoredFrom))
			}
		}
	}
	return revisions, errs
}

// validateLive checks that each locale is live at most once, as one of
// the entry's own revisions in that locale.
func (e Entry) validateLive(what string, revisions map[string]Revision) []error {
	var errs []error
	live := map[string]bool{}
	for _, l := range e.Live {
		if live[l.Locale] {
			errs = append(errs, fmt.Errorf("%s: live twice in locale %q", what, l.Locale))
		}
		live[l.Locale] = true
		if r, ok := revisions[l.RevisionID]; !ok || r.Locale != l.Locale {
			errs = append(errs, fmt.Errorf("%s: live in %q as revision %s, which is not a revision of this entry in that locale", what, l.Locale, l.RevisionID))
		}
		errs = append(errs, slugErr(what, l.Slug)...)
		errs = append(errs, requireTimes(what+" live "+l.Locale, l.FirstPublishedAt, l.PublishedAt)...)
	}
	return errs
}

func (e Entry) validateFormerSlugs(what string) []error {
	var errs []error
	former := map[string]bool{}
	for _, f := range e.FormerSlugs {
		key := f.Locale + " " + f.Slug
		if f.Locale == "" || f.Slug == "" || former[key] {
			errs = append(errs, fmt.Errorf("%s: former slug %q in %q is empty or appears twice", what, f.Slug, f.Locale))
		}
		former[key] = true
		errs = append(errs, requireTimes(what+" former slug "+f.Slug, f.RetiredAt)...)
		errs = append(errs, slugErr(what, f.Slug)...)
	}
	return errs
}

func (u User) validate(withCredentials bool) []error {
	var errs []error
	what := "user " + u.ID
	if u.Email == "" {
		errs = append(errs, fmt.Errorf("%s: email is required", what))
	}
	if !slices.Contains(userRoles, u.Role) {
		errs = append(errs, fmt.Errorf("%s: role %q is not one of %v", what, u.Role, userRoles))
	}
	if (u.Role == "TRANSLATOR") != (len(u.Locales) > 0) {
		errs = append(errs, fmt.Errorf("%s: a TRANSLATOR has locales and no other role has", what))
	}
	if u.PasswordHash != "" && !withCredentials {
		errs = append(errs, fmt.Errorf("%s: a password hash in an export without credentials", what))
	}
	if u.PasswordHash != "" && !argon2idHash.MatchString(u.PasswordHash) {
		errs = append(errs, fmt.Errorf("%s: the password hash is not an argon2id hash", what))
	}
	return append(errs, requireTimes(what, u.CreatedAt, u.UpdatedAt, u.PasswordChangedAt)...)
}

// argon2idHash is the shape of the PHC strings the account package
// writes; it checks the cost parameters again when the hash is used.
var argon2idHash = regexp.MustCompile(`^\$argon2id\$v=19\$m=\d{1,10},t=\d{1,10},p=\d{1,3}\$[A-Za-z0-9+/]{11,86}\$[A-Za-z0-9+/]{22,86}$`)

// slugErr checks a slug by the content package's rule: the public API
// finds entries by slug in URL paths.
func slugErr(what, slug string) []error {
	if err := content.ValidateSlug(slug); err != nil {
		return []error{fmt.Errorf("%s: %v", what, err)}
	}
	return nil
}

func requireTimes(what string, times ...Time) []error {
	for _, t := range times {
		if t.IsZero() {
			return []error{fmt.Errorf("%s: a required instant is missing", what)}
		}
	}
	return nil
}
