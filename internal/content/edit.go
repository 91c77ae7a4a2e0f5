package content

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/apperr"
)

// TranslationInput is one locale's slug and text.
type TranslationInput struct {
	Slug   string
	Fields Fields
	// Patch, set instead of Fields in an update, is a JSON merge patch
	// (RFC 7386) over the locale's current draft: members it names replace
	// theirs (null removes), the rest stay. An empty Slug then keeps the
	// current slug. It lets a client change one title without resending
	// every block.
	Patch json.RawMessage
}

// Create stores a new entry as a draft; editors and admins only. The
// structure's kind is the entry's type.
func (s *Service) Create(ctx context.Context, structure Structure, translations map[string]TranslationInput) (*EntryState, error) {
	p, err := account.Authorize(ctx, account.RoleEditor, "create entries")
	if err != nil {
		return nil, err
	}
	if structure == nil {
		return nil, badInput("structure", apperr.Required, "give the structure of the entry")
	}
	typ := structure.Kind()
	if err := s.checkLocaleKeys(translations); err != nil {
		return nil, err
	}
	id, err := NewID()
	if err != nil {
		return nil, err
	}
	now := s.now()
	var created *EntryState
	err = s.store.InTx(ctx, func(tx Store) error {
		structureJSON, err := checkStructure(ctx, tx, typ, structure)
		if err != nil {
			return err
		}
		entry := NewEntry{ID: id, Type: typ, Structure: structureJSON, By: p.UserID, At: now}
		for _, loc := range sortedKeys(translations) {
			t, err := s.checkTranslation(typ, loc, translations[loc])
			if err != nil {
				return err
			}
			t.CreatedAt, t.UpdatedAt, t.UpdatedBy = now, now, p.UserID
			t.FieldChangedAt = changedPaths(nil, t.Fields, nil, now)
			entry.Translations = append(entry.Translations, t)
		}
		if err := tx.CreateEntry(ctx, entry); err != nil {
			return fmt.Errorf("create %s: %w", typ, err)
		}
		if created, err = tx.Entry(ctx, id); err != nil {
			return err
		}
		if err := s.snapshot(ctx, tx, created, created.Translations, p.UserID, ""); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{At: now, ActorID: p.UserID, Action: "create", EntryID: id, EntryType: typ,
			Details: map[string]any{"locales": localesOf(entry.Translations)}})
	})
	return created, err
}

// Update is a change to an entry's draft.
type Update struct {
	// Type, when set, is the type the caller expects the entry to have.
	Type Type
	// ExpectedVersion is the version the change was based on: the version
	// of the parts it changes, or the entry's version when it was read.
	// Only a later change to the structure (when Structure is set) or to
	// one of the Translations' locales conflicts with it.
	ExpectedVersion int
	// Structure replaces the locale-independent part; nil keeps it.
	Structure Structure
	// Translations replace those locales' drafts; others stay.
	Translations map[string]TranslationInput
}

// Update changes an entry's draft. It fails with CONFLICT when a part it
// changes (the structure, or a locale's translation) moved past
// upd.ExpectedVersion, so no one overwrites what they have not seen; a
// change to another part does not stand in its way. Translators may
// change only the translations of their locales.
func (s *Service) Update(ctx context.Context, id string, upd Update) (*EntryState, error) {
	p, err := account.Authorize(ctx, account.RoleTranslator, "edit drafts")
	if err != nil {
		return nil, err
	}
	if upd.Structure != nil && !p.Can(account.RoleEditor) {
		return nil, apperr.New(apperr.Forbidden, "a %s may edit translations only, not an entry's structure", p.Role).With("field", "structure")
	}
	if upd.Structure == nil && len(upd.Translations) == 0 {
		return nil, apperr.Invalid(apperr.NothingToChange, "nothing to change: give a structure or translations")
	}
	now := s.now()
	if err := checkID(id); err != nil {
		return nil, err
	}
	if err := s.checkLocaleKeys(upd.Translations); err != nil {
		return nil, err
	}
	claim := Claim{Expected: upd.ExpectedVersion, Structure: upd.Structure != nil, By: p.UserID, At: now}
	for _, code := range sortedKeys(upd.Translations) {
		loc, err := s.locales.Normalize(code)
		if err != nil {
			return nil, apperr.Invalid(apperr.InvalidLocale, "%s", err.Error()).With("field", "locale").
				With("supportedLocales", s.locales.Codes())
		}
		claim.Locales = appendNew(claim.Locales, loc)
	}
	var updated *EntryState
	err = s.store.InTx(ctx, func(tx Store) error {
		// Claim first: the claim locks the row, so what is read next is
		// what this change is based on.
		version, err := tx.ClaimVersion(ctx, id, claim)
		if err != nil {
			return err
		}
		before, err := tx.Entry(ctx, id)
		if err != nil {
			return err
		}
		if upd.Type != "" && upd.Type != before.Type {
			return badInput("id", apperr.WrongType, "entry %s is a %s, not a %s", id, before.Type, upd.Type)
		}
		touched, err := s.applyUpdate(ctx, tx, p, before, upd, version, now)
		if err != nil {
			return err
		}
		if updated, err = tx.Entry(ctx, id); err != nil {
			return err
		}
		var changed []TranslationState
		for _, t := range updated.Translations {
			if touched[t.Locale] {
				changed = append(changed, t)
			}
		}
		if err := s.snapshot(ctx, tx, updated, changed, p.UserID, ""); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{At: now, ActorID: p.UserID, Action: "update", EntryID: id, EntryType: before.Type,
			Details: map[string]any{"structure": upd.Structure != nil, "locales": localesOf(changed), "version": updated.Version}})
	})
	return updated, s.explainConflict(ctx, err)
}

// applyUpdate writes upd's structure and translations over the entry as
// it was before, and returns the locales whose document changed.
func (s *Service) applyUpdate(ctx context.Context, tx Store, p account.Actor, before *EntryState, upd Update, version int, now time.Time) (map[string]bool, error) {
	touched := map[string]bool{}
	if upd.Structure != nil {
		structureJSON, err := checkStructure(ctx, tx, before.Type, upd.Structure)
		if err != nil {
			return nil, err
		}
		if err := tx.SetStructure(ctx, before.ID, structureJSON); err != nil {
			return nil, err
		}
		for _, t := range before.Translations {
			touched[t.Locale] = true // every locale's document changed
		}
	}
	for _, loc := range sortedKeys(upd.Translations) {
		t, err := s.putTranslation(ctx, tx, p, before, loc, upd.Translations[loc], version, now)
		if err != nil {
			return nil, err
		}
		touched[t] = true
	}
	return touched, nil
}

// putTranslation writes one locale's draft (a merge patch applied over
// the current one first) at the entry's new version, and returns the
// normalized locale.
func (s *Service) putTranslation(ctx context.Context, tx Store, p account.Actor, before *EntryState, code string, in TranslationInput, version int, now time.Time) (string, error) {
	if in.Patch != nil {
		var err error
		if in, err = s.applyPatch(before, code, in); err != nil {
			return "", err
		}
	}
	t, err := s.checkTranslation(before.Type, code, in)
	if err != nil {
		return "", err
	}
	if !p.MayEditLocale(t.Locale) {
		return "", apperr.New(apperr.Forbidden, "you may not edit the %s translation", t.Locale).With("field", "locale").With("locale", t.Locale)
	}
	t.Version, t.CreatedAt, t.UpdatedAt, t.UpdatedBy = version, now, now, p.UserID
	t.carryOver(before.Translation(t.Locale), now)
	return t.Locale, tx.PutTranslation(ctx, t, before.ID)
}

// carryOver keeps what a new draft inherits from the one it replaces
// (old, nil for a new locale): when the locale was created, and the
// change time of each field whose value stays; the others changed at
// changedAt.
func (t *TranslationState) carryOver(old *TranslationState, changedAt time.Time) {
	var oldFields json.RawMessage
	var oldTimes map[string]time.Time
	if old != nil {
		t.CreatedAt, oldFields, oldTimes = old.CreatedAt, old.Fields, old.FieldChangedAt
	}
	t.FieldChangedAt = changedPaths(oldFields, t.Fields, oldTimes, changedAt)
}

// snapshot records a 'saved' revision of each given translation.
func (s *Service) snapshot(ctx context.Context, tx Store, e *EntryState, translations []TranslationState, by, restoredFrom string) error {
	for _, t := range translations {
		doc, err := document(e.Structure, t.Fields)
		if err != nil {
			return err
		}
		if _, err := tx.AddRevision(ctx, Revision{
			EntryID: e.ID, Locale: t.Locale, Kind: RevisionSaved, Slug: t.Slug, Document: doc,
			UpdatedAt: t.UpdatedAt, CreatedAt: s.now(), CreatedBy: by, RestoredFrom: restoredFrom,
		}); err != nil {
			return err
		}
	}
	return nil
}

// Delete takes an entry offline and out of the editors' lists; its
// history stays. It conflicts with any change after expectedVersion, since
// it ends every part. Editors and admins only.
func (s *Service) Delete(ctx context.Context, id string, expectedVersion int) error {
	p, err := account.Authorize(ctx, account.RoleEditor, "delete entries")
	if err != nil {
		return err
	}
	if err := checkID(id); err != nil {
		return err
	}
	now := s.now()
	var deleted *EntryState
	err = s.store.InTx(ctx, func(tx Store) error {
		e, err := tx.Entry(ctx, id)
		if err != nil {
			return err
		}
		if _, err := tx.ClaimVersion(ctx, id, Claim{Expected: expectedVersion, Whole: true, By: p.UserID, At: now}); err != nil {
			return err
		}
		if err := tx.DeleteEntry(ctx, id, now); err != nil {
			return err
		}
		deleted = e
		if err := tx.Audit(ctx, AuditEntry{At: now, ActorID: p.UserID, Action: "delete", EntryID: id, EntryType: e.Type}); err != nil {
			return err
		}
		return s.recordChange(ctx, tx, Change{Kind: ChangeDeleted, Before: e, Locales: liveLocales(e), At: now})
	})
	if err == nil {
		s.announce(ctx, deleted)
	}
	return s.explainConflict(ctx, err)
}

// PublishProblem is why one locale cannot be published.
type PublishProblem struct {
	Locale        string   `json:"locale"`
	MissingFields []string `json:"missingFields,omitempty"`
	NoTranslation bool     `json:"noTranslation,omitempty"`
	SlugTaken     string   `json:"slugTaken,omitempty"`
	// MissingReferences are entries the structure refers to that no
	// longer exist (deleted since the draft was saved).
	MissingReferences []string `json:"missingReferences,omitempty"`
}

// Publication is what a publish did.
type Publication struct {
	// Entry is the entry afterwards.
	Entry *EntryState
	// Published are the locales that got a new live revision.
	Published []string
	// Unchanged are the locales whose draft (fields, slug and structure)
	// was live already: nothing was written for them.
	Unchanged []string
}

// Publish freezes the entry's draft in each locale as a new immutable
// revision and makes it live. It publishes all the locales or, when one
// has no translation, empty required fields, a slug another live entry
// uses or a reference to an entry that is gone, none, and says what is
// wrong in each. A locale whose draft is what is live already is left
// alone (no revision, no audit entry) and reported as unchanged. Editors
// and admins only.
func (s *Service) Publish(ctx context.Context, id string, locales []string) (*Publication, error) {
	p, locs, err := s.authorizeLocales(ctx, "publish", id, locales)
	if err != nil {
		return nil, err
	}
	return s.publish(ctx, p, id, locs, nil)
}

// publishable is what publishing one locale makes live: its draft, or the
// revision frozen when the publication was scheduled.
type publishable struct {
	Slug      string
	Structure json.RawMessage
	Fields    json.RawMessage
	// UpdatedAt is when the text was last edited.
	UpdatedAt time.Time
	// FrozenRevision is the id of the revision it was frozen in, if any.
	FrozenRevision string
}

// draftOf is what publishing the current draft of loc makes live; nil
// when there is no translation in loc.
func draftOf(e *EntryState, loc string) *publishable {
	t := e.Translation(loc)
	if t == nil {
		return nil
	}
	return &publishable{Slug: t.Slug, Structure: e.Structure, Fields: t.Fields, UpdatedAt: t.UpdatedAt}
}

// publish is Publish after authorization, for p: it makes the current
// drafts of locs live or, per locale named in frozen, that revision
// instead (a scheduled publication). The rules are the same either way.
func (s *Service) publish(ctx context.Context, p account.Actor, id string, locs []string, frozen map[string]Revision) (*Publication, error) {
	now := s.now()
	var result *Publication
	err := s.store.InTx(ctx, func(tx Store) error {
		result = &Publication{}
		// The lock orders this publication with concurrent saves,
		// deletes and publications of the same entry.
		if err := tx.LockEntry(ctx, id); err != nil {
			return err
		}
		e, err := tx.Entry(ctx, id)
		if err != nil {
			return err
		}
		drafts := make(map[string]*publishable, len(locs))
		for _, loc := range locs {
			rev, isFrozen := frozen[loc]
			if !isFrozen {
				drafts[loc] = draftOf(e, loc)
			} else if drafts[loc], err = frozenDraft(rev); err != nil {
				return err
			}
		}
		problems, err := s.publishProblems(ctx, tx, e, locs, drafts)
		if err != nil {
			return err
		}
		if len(problems) > 0 {
			return publishRefused(e, problems)
		}
		for _, loc := range locs {
			published, err := s.publishLocale(ctx, tx, p, e, loc, drafts[loc], now)
			if err != nil {
				return err
			}
			if published {
				result.Published = append(result.Published, loc)
			} else {
				result.Unchanged = append(result.Unchanged, loc)
			}
		}
		if len(result.Published) == 0 {
			result.Entry = e
			return nil
		}
		if result.Entry, err = tx.Entry(ctx, id); err != nil {
			return err
		}
		return s.recordChange(ctx, tx, Change{Kind: ChangePublished, Before: e, After: result.Entry, Locales: result.Published, At: now})
	})
	if err != nil {
		return nil, err
	}
	if len(result.Published) > 0 {
		s.announce(ctx, result.Entry)
	}
	return result, nil
}

// publishProblems says why each of locs cannot be published, if any
// cannot: no translation, empty required fields, a slug another live
// entry of the type uses, or references to entries that are gone.
func (s *Service) publishProblems(ctx context.Context, tx Store, e *EntryState, locs []string, drafts map[string]*publishable) ([]PublishProblem, error) {
	var problems []PublishProblem
	// The drafts of one publication mostly share a structure: look its
	// references up once.
	missingByStructure := map[string][]string{}
	for _, loc := range locs {
		problem := PublishProblem{Locale: loc}
		d := drafts[loc]
		if d == nil {
			problem.NoTranslation = true
			problems = append(problems, problem)
			continue
		}
		var err error
		if problem.MissingFields, err = MissingFields(e.Type, d.Structure, d.Fields); err != nil {
			return nil, err
		}
		taken, err := tx.SlugInUse(ctx, e.Type, loc, d.Slug, e.ID)
		if err != nil {
			return nil, err
		}
		if taken {
			problem.SlugTaken = d.Slug
		}
		missing, known := missingByStructure[string(d.Structure)]
		if !known {
			if missing, err = missingReferences(ctx, tx, e.Type, d.Structure); err != nil {
				return nil, err
			}
			missingByStructure[string(d.Structure)] = missing
		}
		problem.MissingReferences = missing
		if len(problem.MissingFields) > 0 || taken || len(problem.MissingReferences) > 0 {
			problems = append(problems, problem)
		}
	}
	return problems, nil
}

// missingReferences lists the entries a stored structure refers to that
// no longer exist with the type it needs, in id order.
func missingReferences(ctx context.Context, tx Store, typ Type, structureJSON json.RawMessage) ([]string, error) {
	structure, err := decodeStructure(typ, structureJSON)
	if err != nil {
		return nil, fmt.Errorf("decode %s structure: %w", typ, err)
	}
	refs := references{}
	if err := structure.check(refs); err != nil {
		return nil, err
	}
	if len(refs) == 0 {
		return nil, nil
	}
	ids := slices.Sorted(maps.Keys(refs))
	found, err := tx.TypesOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	var missing []string
	for _, id := range ids {
		if found[id] != refs[id] {
			missing = append(missing, id)
		}
	}
	return missing, nil
}

// publishLocale makes d live in loc as a new revision, unless it is live
// already; it reports whether it wrote one.
func (s *Service) publishLocale(ctx context.Context, tx Store, p account.Actor, e *EntryState, loc string, d *publishable, now time.Time) (bool, error) {
	doc, err := document(d.Structure, d.Fields)
	if err != nil {
		return false, err
	}
	if live := e.LiveIn(loc); live != nil && live.Holds(d.Slug, doc) {
		// Publishing it again would only add an identical revision and
		// bury the real history under copies.
		return false, nil
	}
	rev, err := tx.AddRevision(ctx, Revision{
		EntryID: e.ID, Locale: loc, Kind: RevisionPublished, Slug: d.Slug, Document: doc,
		UpdatedAt: d.UpdatedAt, CreatedAt: now, CreatedBy: p.UserID,
	})
	if err != nil {
		return false, err
	}
	if err := tx.Publish(ctx, e.Type, rev); err != nil {
		return false, err
	}
	details := map[string]any{"revision": rev.Number, "slug": rev.Slug}
	if d.FrozenRevision != "" {
		details["scheduledRevisionId"] = d.FrozenRevision
	}
	return true, tx.Audit(ctx, AuditEntry{At: now, ActorID: p.UserID, Action: "publish", EntryID: e.ID, EntryType: e.Type,
		Locale: loc, Details: details})
}

func publishRefused(e *EntryState, problems []PublishProblem) error {
	var parts []string
	for _, pr := range problems {
		switch {
		case pr.NoTranslation:
			parts = append(parts, pr.Locale+": no translation")
		default:
			var why []string
			if len(pr.MissingFields) > 0 {
				why = append(why, "required fields are empty: "+strings.Join(pr.MissingFields, ", "))
			}
			if pr.SlugTaken != "" {
				why = append(why, fmt.Sprintf("the slug %q is live for another %s", pr.SlugTaken, e.Type))
			}
			if len(pr.MissingReferences) > 0 {
				why = append(why, "it refers to entries that no longer exist: "+strings.Join(pr.MissingReferences, ", "))
			}
			parts = append(parts, pr.Locale+": "+strings.Join(why, "; "))
		}
	}
	return apperr.Invalid(apperr.PublishRefused, "cannot publish %s %s: %s", e.Type, e.ID, strings.Join(parts, " | ")).
		With("problems", problems)
}

// Unpublish takes locales of an entry offline; the drafts and history stay.
func (s *Service) Unpublish(ctx context.Context, id string, locales []string) (*EntryState, error) {
	p, locs, err := s.authorizeLocales(ctx, "unpublish", id, locales)
	if err != nil {
		return nil, err
	}
	return s.unpublish(ctx, p, id, locs)
}

// unpublish is Unpublish after authorization, for p.
func (s *Service) unpublish(ctx context.Context, p account.Actor, id string, locs []string) (*EntryState, error) {
	now := s.now()
	var e *EntryState
	err := s.store.InTx(ctx, func(tx Store) error {
		if err := tx.LockEntry(ctx, id); err != nil {
			return err
		}
		var err error
		if e, err = tx.Entry(ctx, id); err != nil {
			return err
		}
		before := e
		var offline []string
		for _, loc := range locs {
			was, err := tx.Unpublish(ctx, e.Type, id, loc, now)
			if err != nil {
				return err
			}
			if was {
				offline = append(offline, loc)
				if err := tx.Audit(ctx, AuditEntry{At: now, ActorID: p.UserID, Action: "unpublish", EntryID: id, EntryType: e.Type, Locale: loc}); err != nil {
					return err
				}
			}
		}
		if e, err = tx.Entry(ctx, id); err != nil || len(offline) == 0 {
			return err
		}
		return s.recordChange(ctx, tx, Change{Kind: ChangeUnpublished, Before: before, After: e, Locales: offline, At: now})
	})
	if err == nil {
		s.announce(ctx, e)
	}
	return e, err
}

// Revisions pages through an entry's history in one locale ("" for all),
// newest first: every save and every publication, with who made it and
// when. A deleted entry's history stays readable.
func (s *Service) Revisions(ctx context.Context, id, loc string, page Page) (List[Revision], error) {
	loc, err := s.historyLocale(ctx, id, loc)
	if err != nil {
		return List[Revision]{}, err
	}
	fetch := page
	fetch.Limit++
	history, err := s.store.History(ctx, id, loc, fetch)
	if err != nil {
		return List[Revision]{}, err
	}
	if len(history) == 0 && page.AfterID == "" && page.BeforeID == "" {
		// No history at all: say whether there is no such entry.
		if _, err := s.store.Entry(ctx, id); err != nil {
			return List[Revision]{}, err
		}
	}
	return cut(history, page), nil
}

// CountRevisions counts what Revisions pages through.
func (s *Service) CountRevisions(ctx context.Context, id, loc string) (int, error) {
	loc, err := s.historyLocale(ctx, id, loc)
	if err != nil {
		return 0, err
	}
	return s.store.CountHistory(ctx, id, loc)
}

// historyLocale checks a request for an entry's history and normalizes
// its locale ("" stays: every locale).
func (s *Service) historyLocale(ctx context.Context, id, loc string) (string, error) {
	if _, err := account.Authorize(ctx, account.RoleTranslator, "read revisions"); err != nil {
		return "", err
	}
	if loc != "" {
		var err error
		if loc, err = s.locales.Normalize(loc); err != nil {
			return "", apperr.Invalid(apperr.InvalidLocale, "%s", err.Error()).With("field", "locale").
				With("supportedLocales", s.locales.Codes())
		}
	}
	return loc, checkID(id)
}

// RestoreRevision makes an old revision the draft again (its structure and
// its locale's text) as a new save; history is not rewritten and nothing
// goes live until it is published. Editors and admins only, since the
// structure changes for every locale.
func (s *Service) RestoreRevision(ctx context.Context, revisionID string, expectedVersion int) (*EntryState, error) {
	p, err := account.Authorize(ctx, account.RoleEditor, "restore revisions")
	if err != nil {
		return nil, err
	}
	now := s.now()
	var restored *EntryState
	if err := checkID(revisionID); err != nil {
		return nil, err
	}
	err = s.store.InTx(ctx, func(tx Store) error {
		rev, err := tx.Revision(ctx, revisionID)
		if err != nil {
			return err
		}
		// It replaces the structure and the revision's locale: a change
		// to another locale since does not conflict.
		version, err := tx.ClaimVersion(ctx, rev.EntryID, Claim{
			Expected: expectedVersion, Structure: true, Locales: []string{rev.Locale}, By: p.UserID, At: now,
		})
		if err != nil {
			return err
		}
		e, err := tx.Entry(ctx, rev.EntryID)
		if err != nil {
			return err
		}
		var doc Document[json.RawMessage, json.RawMessage]
		if err := json.Unmarshal(rev.Document, &doc); err != nil {
			return fmt.Errorf("decode revision %s: %w", rev.ID, err)
		}
		// What it refers to may have been deleted since: check as for
		// any other change.
		structure, err := decodeStructure(e.Type, doc.Structure)
		if err != nil {
			return err
		}
		structureJSON, err := checkStructure(ctx, tx, e.Type, structure)
		if err != nil {
			return err
		}
		if err := tx.SetStructure(ctx, e.ID, structureJSON); err != nil {
			return err
		}
		// The restored text was written when the revision's text was, so
		// a source change made since still shows it as outdated.
		t := TranslationState{Locale: rev.Locale, Version: version, Slug: rev.Slug, Fields: doc.Fields, CreatedAt: now, UpdatedAt: now, UpdatedBy: p.UserID}
		t.carryOver(e.Translation(rev.Locale), rev.UpdatedAt)
		if err := tx.PutTranslation(ctx, t, e.ID); err != nil {
			return err
		}
		if restored, err = tx.Entry(ctx, e.ID); err != nil {
			return err
		}
		// The structure changed for every locale: record each.
		if err := s.snapshot(ctx, tx, restored, restored.Translations, p.UserID, rev.ID); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{At: now, ActorID: p.UserID, Action: "restore", EntryID: e.ID, EntryType: e.Type,
			Locale: rev.Locale, Details: map[string]any{"revision": rev.Number, "revisionId": rev.ID}})
	})
	return restored, s.explainConflict(ctx, err)
}

// Entry returns an entry with its drafts, for editors.
func (s *Service) Entry(ctx context.Context, id string) (*EntryState, error) {
	if _, err := account.Authorize(ctx, account.RoleTranslator, "read drafts"); err != nil {
		return nil, err
	}
	if err := checkID(id); err != nil {
		return nil, err
	}
	return s.store.Entry(ctx, id)
}

// Entries lists entries for editors, newest first; typ "" lists every type.
func (s *Service) Entries(ctx context.Context, typ Type, page Page) (List[*EntryState], error) {
	if _, err := account.Authorize(ctx, account.RoleTranslator, "read drafts"); err != nil {
		return List[*EntryState]{}, err
	}
	if typ != "" && !typ.Valid() {
		return List[*EntryState]{}, apperr.Invalid(apperr.UnsupportedValue, "unknown entry type %q", typ).With("field", "type")
	}
	fetch := page
	fetch.Limit++
	entries, err := s.store.Entries(ctx, typ, fetch)
	if err != nil {
		return List[*EntryState]{}, err
	}
	return cut(entries, page), nil
}

// CountEntries counts entries for editors; typ "" counts every type.
func (s *Service) CountEntries(ctx context.Context, typ Type) (int, error) {
	if _, err := account.Authorize(ctx, account.RoleTranslator, "read drafts"); err != nil {
		return 0, err
	}
	return s.store.CountEntries(ctx, typ)
}

// AuditLog pages through the audit log, newest first. Admins only.
func (s *Service) AuditLog(ctx context.Context, filter AuditFilter, page Page) (List[AuditEntry], error) {
	if _, err := account.Authorize(ctx, account.RoleAdmin, "read the audit log"); err != nil {
		return List[AuditEntry]{}, err
	}
	fetch := page
	fetch.Limit++
	entries, err := s.store.AuditLog(ctx, filter, fetch)
	if err != nil {
		return List[AuditEntry]{}, err
	}
	return cut(entries, page), nil
}

// IsEmpty reports whether no content was ever created: deleted entries
// count, so deleting everything does not bring the sample content back.
func (s *Service) IsEmpty(ctx context.Context) (bool, error) {
	any, err := s.store.AnyEntryEver(ctx)
	return !any, err
}

// authorizeLocales is the start shared by publishing, unpublishing and
// scheduling either: editors and admins only, then the locales named, then
// the entry's id, in that order.
func (s *Service) authorizeLocales(ctx context.Context, action, id string, locales []string) (account.Actor, []string, error) {
	p, err := account.Authorize(ctx, account.RoleEditor, action)
	if err != nil {
		return account.Actor{}, nil, err
	}
	locs, err := s.normalizeLocales(locales)
	if err != nil {
		return account.Actor{}, nil, err
	}
	if err := checkID(id); err != nil {
		return account.Actor{}, nil, err
	}
	return p, locs, nil
}

func (s *Service) normalizeLocales(locales []string) ([]string, error) {
	if len(locales) == 0 {
		return nil, apperr.Invalid(apperr.Required, "name at least one locale").With("field", "locales")
	}
	var out []string
	for _, code := range locales {
		loc, err := s.locales.Normalize(code)
		if err != nil {
			return nil, apperr.Invalid(apperr.InvalidLocale, "%s", err.Error()).With("field", "locales").
				With("supportedLocales", s.locales.Codes())
		}
		out = appendNew(out, loc)
	}
	return out, nil
}

// checkTranslation validates one locale's input and encodes its fields.
func (s *Service) checkTranslation(typ Type, code string, in TranslationInput) (TranslationState, error) {
	loc, err := s.locales.Normalize(code)
	if err != nil {
		return TranslationState{}, apperr.Invalid(apperr.InvalidLocale, "%s", err.Error()).With("field", "locale").
			With("supportedLocales", s.locales.Codes())
	}
	if err := ValidateSlug(in.Slug); err != nil {
		return TranslationState{}, err
	}
	if err := checkFields(typ, in.Fields); err != nil {
		return TranslationState{}, err
	}
	fields, err := json.Marshal(in.Fields)
	if err != nil {
		return TranslationState{}, fmt.Errorf("encode %s fields (%s): %w", typ, loc, err)
	}
	if path, ok := oversized(fields); !ok {
		return TranslationState{}, apperr.Invalid(apperr.InvalidText, "%s (%s) is too long or not plain text: at most %d bytes of UTF-8 without NUL per text and %d items per list", path, loc, maxTextBytes, maxListItems).
			With("field", path).With("locale", loc).With("maxBytes", maxTextBytes).With("maxItems", maxListItems)
	}
	return TranslationState{Locale: loc, Slug: in.Slug, Fields: fields}, nil
}

// applyPatch turns a merge patch into the full fields it produces over
// the entry's current draft in code. The result must still decode as the
// entry type's fields, so a patch cannot add unknown members.
func (s *Service) applyPatch(e *EntryState, code string, in TranslationInput) (TranslationInput, error) {
	loc, err := s.locales.Normalize(code)
	if err != nil {
		return in, apperr.Invalid(apperr.InvalidLocale, "%s", err.Error()).With("field", "locale").
			With("supportedLocales", s.locales.Codes())
	}
	var patch any
	if err := json.Unmarshal(in.Patch, &patch); err != nil {
		return in, badInput("fields", apperr.InvalidJSON, "fields is not valid JSON: %v", err)
	}
	if _, ok := patch.(map[string]any); !ok {
		return in, badInput("fields", apperr.InvalidJSON, "fields must be a JSON object of the members to change")
	}
	var current any = map[string]any{}
	if t := e.Translation(loc); t != nil {
		if err := json.Unmarshal(t.Fields, &current); err != nil {
			return in, fmt.Errorf("decode %s draft of %s: %w", loc, e.ID, err)
		}
		if in.Slug == "" {
			in.Slug = t.Slug
		}
	}
	merged, err := json.Marshal(mergePatch(current, patch))
	if err != nil {
		return in, fmt.Errorf("encode merged fields: %w", err)
	}
	if in.Fields, err = decodeFields(e.Type, merged); err != nil {
		return in, err
	}
	in.Patch = nil
	return in, nil
}

// mergePatch applies an RFC 7386 merge patch to target.
func mergePatch(target, patch any) any {
	members, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	out, ok := target.(map[string]any)
	if !ok {
		out = map[string]any{}
	}
	for k, v := range members {
		if v == nil {
			delete(out, k)
		} else {
			out[k] = mergePatch(out[k], v)
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

func localesOf(ts []TranslationState) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Locale
	}
	return out
}

func document(structure, fields json.RawMessage) (json.RawMessage, error) {
	doc, err := json.Marshal(Document[json.RawMessage, json.RawMessage]{Structure: structure, Fields: fields})
	if err != nil {
		return nil, fmt.Errorf("encode document: %w", err)
	}
	return doc, nil
}

// NewID returns a new entry id: a UUIDv7, so ids sort in creation order.
func NewID() (string, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return "", fmt.Errorf("new id: %w", err)
	}
	return id.String(), nil
}

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// ValidateSlug accepts lowercase ASCII words joined by single hyphens, up to
// 200 characters: safe in a URL path without escaping.
func ValidateSlug(slug string) error {
	if len(slug) > 200 || !slugPattern.MatchString(slug) {
		return apperr.Invalid(apperr.InvalidSlug, "slug %q must be lowercase letters and digits joined by single hyphens (at most 200 characters)", slug).
			With("field", "slug").With("slug", slug)
	}
	return nil
}
