package content

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/werkwijzer/werkwijzer/internal/account"
)

// MaxUsages bounds what UsedBy reads and returns: the referring entries
// are loaded whole, so an entry named by very many others costs no more
// than a page of a list.
const MaxUsages = 100

// Usage is an entry that refers to another one in its structure (an
// article's comparison, FAQ or vacancy block, a comparison's columns, a
// role's FAQs): deleting the other breaks the reference.
type Usage struct {
	Entry *EntryState
	// InDraft is true when the draft structure refers to the entry.
	InDraft bool
	// LiveIn are the locales whose live revision refers to it.
	LiveIn []string
}

// UsedBy lists the entries whose draft or live revision refers to entry
// id, by id, at most MaxUsages; editors see it before they delete.
// Translators and up.
func (s *Service) UsedBy(ctx context.Context, id string) ([]Usage, error) {
	if _, err := account.Authorize(ctx, account.RoleTranslator, "read drafts"); err != nil {
		return nil, err
	}
	if err := checkID(id); err != nil {
		return nil, err
	}
	candidates, err := s.store.EntriesMentioning(ctx, id, MaxUsages)
	if err != nil {
		return nil, err
	}
	var out []Usage
	for _, e := range candidates {
		u := Usage{Entry: e}
		if u.InDraft, err = refersTo(e.Type, e.Structure, id); err != nil {
			return nil, fmt.Errorf("draft of %s: %w", e.ID, err)
		}
		for _, live := range e.Live {
			var doc Document[json.RawMessage, json.RawMessage]
			if err := json.Unmarshal(live.Document, &doc); err != nil {
				return nil, fmt.Errorf("decode live %s revision of %s: %w", live.Locale, e.ID, err)
			}
			refers, err := refersTo(e.Type, doc.Structure, id)
			if err != nil {
				return nil, fmt.Errorf("live %s revision of %s: %w", live.Locale, e.ID, err)
			}
			if refers {
				u.LiveIn = append(u.LiveIn, live.Locale)
			}
		}
		// The store matches the id anywhere in the stored JSON; only a
		// reference the structure's own rules name counts.
		if u.InDraft || len(u.LiveIn) > 0 {
			out = append(out, u)
		}
	}
	return out, nil
}

// refersTo reports whether a stored structure of typ names id among the
// entries it refers to, by the same rules that check references on save.
func refersTo(typ Type, raw json.RawMessage, id string) (bool, error) {
	structure, err := decodeStructure(typ, raw)
	if err != nil {
		return false, err
	}
	refs := references{}
	// The structure passed these rules when it was saved; should a rule
	// have tightened since, the references named before the refusal
	// still count rather than none.
	_ = structure.check(refs)
	_, ok := refs[id]
	return ok, nil
}
