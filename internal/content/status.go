package content

import (
	"context"
	"encoding/json"
	"math"
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

// NeedsTranslation pages through the entries whose translation in loc
// is missing, incomplete or outdated, newest entry first.
func (s *Service) NeedsTranslation(ctx context.Context, loc string, page Page) (List[WorkItem], error) {
	items, err := s.translationWork(ctx, loc, page, page.Limit+1)
	if err != nil {
		return List[WorkItem]{}, err
	}
	return cut(items, page), nil
}

// CountNeedsTranslation counts what NeedsTranslation pages through.
func (s *Service) CountNeedsTranslation(ctx context.Context, loc string) (int, error) {
	items, err := s.translationWork(ctx, loc, Page{}, math.MaxInt)
	return len(items), err
}

// workBatch is how many entries translationWork reads at a time.
const workBatch = 200

// translationWork collects up to limit entries that need work in loc,
// in list order, reading the entries in batches from where page starts
// (its AfterID or, with FromEnd, its BeforeID) in the direction it pages.
// Whether an entry needs work is computed from its drafts, so the scan
// goes as far as it must to fill the page.
func (s *Service) translationWork(ctx context.Context, loc string, page Page, limit int) ([]WorkItem, error) {
	if _, err := account.Authorize(ctx, account.RoleTranslator, "read drafts"); err != nil {
		return nil, err
	}
	loc, _, err := s.chain(loc)
	if err != nil {
		return nil, err
	}
	batch := Page{AfterID: page.AfterID, BeforeID: page.BeforeID, FromEnd: page.FromEnd, Limit: workBatch}
	var out []WorkItem
	for {
		entries, err := s.store.Entries(ctx, "", batch)
		if err != nil {
			return nil, err
		}
		var found []WorkItem
		for _, e := range entries {
			statuses, err := s.Status(e)
			if err != nil {
				return nil, err
			}
			for _, st := range statuses {
				if st.Locale == loc && st.NeedsWork() {
					found = append(found, WorkItem{Entry: e, Status: st})
				}
			}
		}
		if page.FromEnd {
			out = append(found, out...)
		} else {
			out = append(out, found...)
		}
		if len(out) >= limit || len(entries) < batch.Limit {
			break
		}
		if page.FromEnd {
			batch.BeforeID = entries[0].ID
		} else {
			batch.AfterID = entries[len(entries)-1].ID
		}
	}
	if len(out) > limit {
		if page.FromEnd {
			out = out[len(out)-limit:]
		} else {
			out = out[:limit]
		}
	}
	return out, nil
}
