package content

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"

	"github.com/werkwijzer/werkwijzer/internal/account"
)

// LocaleStatus is where one locale of an entry stands.
type LocaleStatus struct {
	Locale string
	// Exists: there is a draft translation in this locale.
	Exists bool
	// Published: a revision is live in this locale.
	Published bool
	// DraftDiffers: the draft is not what is live (always true for a
	// translation that was never published).
	DraftDiffers bool
	// MissingFields are required fields that are empty in the draft.
	MissingFields []string
	// OutdatedFields are fields whose default-locale source changed after
	// this translation of them last changed.
	OutdatedFields []string
	// UntranslatedFields are fields filled in the default locale but
	// empty here (required ones are in MissingFields too).
	UntranslatedFields []string
}

// NeedsWork reports whether the locale still needs translating or
// re-translating.
func (l LocaleStatus) NeedsWork() bool {
	return !l.Exists || len(l.MissingFields) > 0 || len(l.OutdatedFields) > 0 || len(l.UntranslatedFields) > 0
}

// Status reports every configured locale of e.
func (s *Service) Status(e *EntryState) ([]LocaleStatus, error) {
	def := e.Translation(s.locales.Default())
	var source map[string]string
	if def != nil {
		source = flatten(def.Fields)
	}
	out := make([]LocaleStatus, 0, len(s.locales.Codes()))
	for _, loc := range s.locales.Codes() {
		st := LocaleStatus{Locale: loc}
		t := e.Translation(loc)
		live := e.LiveIn(loc)
		st.Published = live != nil
		if t == nil {
			out = append(out, st)
			continue
		}
		st.Exists = true
		missing, err := MissingFields(e.Type, e.Structure, t.Fields)
		if err != nil {
			return nil, err
		}
		st.MissingFields = missing
		if live == nil {
			st.DraftDiffers = true
		} else {
			draft, err := document(e.Structure, t.Fields)
			if err != nil {
				return nil, err
			}
			st.DraftDiffers = !live.Holds(t.Slug, draft)
		}
		if def != nil && loc != def.Locale {
			own := flatten(t.Fields)
			for path := range source {
				if _, translated := own[path]; !translated {
					st.UntranslatedFields = append(st.UntranslatedFields, path)
				} else if def.FieldChangedAt[path].After(t.FieldChangedAt[path]) {
					st.OutdatedFields = append(st.OutdatedFields, path)
				}
			}
			slices.Sort(st.OutdatedFields)
			slices.Sort(st.UntranslatedFields)
		}
		out = append(out, st)
	}
	return out, nil
}

// Holds reports whether the live revision is the draft with this slug and
// document (structure and fields): publishing that draft would change
// nothing.
func (l *LiveState) Holds(slug string, document json.RawMessage) bool {
	return l.Slug == slug && sameJSON(l.Document, document)
}

// sameJSON compares two JSON documents by meaning, not bytes.
func sameJSON(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// WorkItem is an entry that still needs translating in a locale.
type WorkItem struct {
	Entry  *EntryState
	Status LocaleStatus
}

// NeedsTranslation lists the entries whose translation in loc is missing,
// incomplete or outdated, newest entry first.
func (s *Service) NeedsTranslation(ctx context.Context, loc string) ([]WorkItem, error) {
	if _, err := account.Authorize(ctx, account.RoleTranslator, "read drafts"); err != nil {
		return nil, err
	}
	loc, _, err := s.chain(loc)
	if err != nil {
		return nil, err
	}
	var out []WorkItem
	page := Page{Limit: 200}
	for {
		entries, err := s.store.Entries(ctx, "", page)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			statuses, err := s.Status(e)
			if err != nil {
				return nil, err
			}
			for _, st := range statuses {
				if st.Locale == loc && st.NeedsWork() {
					out = append(out, WorkItem{Entry: e, Status: st})
				}
			}
		}
		if len(entries) < page.Limit {
			return out, nil
		}
		page.AfterID = entries[len(entries)-1].ID
	}
}
