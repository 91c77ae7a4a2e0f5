package vacancy

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/apperr"
)

// Defaults of a new source.
const (
	DefaultLanguage = "nl"
	DefaultTimeZone = "Europe/Amsterdam"
)

// Config configures a Service.
type Config struct {
	// Now is the clock (default time.Now).
	Now func() time.Time
	Log *slog.Logger
	// AllowPrivateFeeds accepts feed URLs on loopback and private
	// addresses (WERKWIJZER_FEED_ALLOW_PRIVATE; see CheckFeedURL).
	AllowPrivateFeeds bool
	// Changed, when set, is called after a commit that may have changed
	// which vacancies are open (a sync, an expiry, a source disabled with
	// its vacancies closed), so cached public answers can be dropped.
	Changed func(context.Context)
	// Synced, when set, is told of every committed sync call (not dry
	// runs or replays) with its source and report, for the metrics.
	Synced func(context.Context, *Source, *Report)
	// RecordSync, when set, is called inside the transaction of every
	// sync call that changed which vacancies are open or what they say
	// (not dry runs or replays); an error from it rolls the call back.
	// The webhooks' outbox is written this way.
	RecordSync func(ctx context.Context, tx Store, src *Source, r *Report) error
}

// Service manages sources, syncs their vacancies and reads them for the
// public and the admin. Safe for concurrent use.
type Service struct {
	store             Store
	now               func() time.Time
	log               *slog.Logger
	allowPrivateFeeds bool
	changed           func(context.Context)
	synced            func(context.Context, *Source, *Report)
	recordSync        func(context.Context, Store, *Source, *Report) error
	// lists caches the role pages' reads (nil: none; see UseListCache).
	lists *ListCache
}

// NewService returns the vacancy service over store.
func NewService(store Store, cfg Config) *Service {
	s := &Service{store: store, now: cfg.Now, log: cfg.Log, allowPrivateFeeds: cfg.AllowPrivateFeeds, changed: cfg.Changed, synced: cfg.Synced,
		recordSync: cfg.RecordSync}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.changed == nil {
		s.changed = func(context.Context) {}
	}
	if s.synced == nil {
		s.synced = func(context.Context, *Source, *Report) {}
	}
	return s
}

// clock returns the current time in UTC at the databases' precision.
func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// NewSource is a source to create.
type NewSource struct {
	Name         string
	Kind         Kind // default KindPush
	FeedURL      string
	AllowedHosts []string
	RoleRules    []RoleRule
	Language     string // default DefaultLanguage
	TimeZone     string // default DefaultTimeZone
}

// Credentials are a source's OAuth client id and a secret, shown once.
type Credentials struct {
	ClientID     string
	ClientSecret string
	SecretID     string
}

// CreateSource creates an active source with its first secret. Only an
// ADMIN or the operator may. Errors: BAD_USER_INPUT, CONFLICT for a name
// that is taken.
func (s *Service) CreateSource(ctx context.Context, ns NewSource) (*Source, Credentials, error) {
	actor, err := account.Authorize(ctx, account.RoleAdmin, "create vacancy sources")
	if err != nil {
		return nil, Credentials{}, err
	}
	name, err := CheckSourceName(ns.Name)
	if err != nil {
		return nil, Credentials{}, err
	}
	if ns.Kind == "" {
		ns.Kind = KindPush
	}
	kind, err := ParseKind(string(ns.Kind))
	if err != nil {
		return nil, Credentials{}, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return nil, Credentials{}, err
	}
	now := s.clock()
	src := &Source{ID: id.String(), Name: name, Kind: kind, Active: true, CreatedAt: now, UpdatedAt: now}
	var creds Credentials
	err = s.store.InTx(ctx, func(tx Store) error {
		if err := s.applySettings(ctx, tx, src, SourceUpdate{
			FeedURL: &ns.FeedURL, AllowedHosts: &ns.AllowedHosts, RoleRules: &ns.RoleRules,
			Language: &ns.Language, TimeZone: &ns.TimeZone,
		}); err != nil {
			return err
		}
		c, rec, err := newSecret(src.ID, now)
		if err != nil {
			return err
		}
		if err := tx.CreateSource(ctx, src, rec); err != nil {
			return err
		}
		src.Secrets = []Secret{{ID: rec.ID, Hint: rec.Hint, CreatedAt: now}}
		creds = c
		return tx.Audit(ctx, AuditRecord{At: now, ActorID: actor.UserID, Action: "source.create", SourceID: src.ID,
			Details: map[string]any{"name": src.Name, "kind": string(src.Kind), "feedUrl": src.FeedURL, "allowedHosts": src.AllowedHosts}})
	})
	if err != nil {
		return nil, Credentials{}, err
	}
	return src, creds, nil
}

func newSecret(sourceID string, now time.Time) (Credentials, SecretRecord, error) {
	secret, hash, err := account.NewClientSecret()
	if err != nil {
		return Credentials{}, SecretRecord{}, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return Credentials{}, SecretRecord{}, err
	}
	rec := SecretRecord{ID: id.String(), Hash: hash, Hint: account.SecretHint(secret), CreatedAt: now}
	return Credentials{ClientID: sourceID, ClientSecret: secret, SecretID: rec.ID}, rec, nil
}

// SourceUpdate changes some of a source's settings; nil fields stay.
type SourceUpdate struct {
	Kind         *Kind
	FeedURL      *string
	AllowedHosts *[]string
	RoleRules    *[]RoleRule
	Language     *string
	TimeZone     *string
}

// applySettings validates the update and applies it to src. Role rules
// must name live roles.
func (s *Service) applySettings(ctx context.Context, tx Store, src *Source, upd SourceUpdate) error {
	if upd.Kind != nil {
		k, err := ParseKind(string(*upd.Kind))
		if err != nil {
			return err
		}
		src.Kind = k
	}
	if upd.FeedURL != nil {
		u, err := CheckFeedURL(*upd.FeedURL, s.allowPrivateFeeds)
		if err != nil {
			return err
		}
		src.FeedURL = u
	}
	if upd.AllowedHosts != nil {
		hosts, err := CheckAllowedHosts(*upd.AllowedHosts)
		if err != nil {
			return err
		}
		src.AllowedHosts = hosts
	}
	if upd.RoleRules != nil {
		rules, err := liveRoleRules(ctx, tx, *upd.RoleRules)
		if err != nil {
			return err
		}
		src.RoleRules = rules
	}
	if upd.Language != nil {
		l, err := sourceLanguage(*upd.Language)
		if err != nil {
			return err
		}
		src.Language = l
	}
	if upd.TimeZone != nil {
		tz, err := sourceTimeZone(*upd.TimeZone)
		if err != nil {
			return err
		}
		src.TimeZone = tz
	}
	if src.RoleRules == nil {
		src.RoleRules = []RoleRule{}
	}
	if src.AllowedHosts == nil {
		src.AllowedHosts = []string{}
	}
	return nil
}

// liveRoleRules checks role rules and that each names a live role.
func liveRoleRules(ctx context.Context, tx Store, raw []RoleRule) ([]RoleRule, error) {
	rules, err := CheckRoleRules(raw)
	if err != nil || len(rules) == 0 {
		return rules, err
	}
	slugs := make([]string, len(rules))
	for i, r := range rules {
		slugs[i] = strings.ToLower(r.Role)
	}
	live, err := tx.RoleIDsBySlug(ctx, slugs)
	if err != nil {
		return nil, fmt.Errorf("look up roles: %w", err)
	}
	for i, r := range rules {
		if _, ok := live[slugs[i]]; !ok {
			return nil, apperr.Invalid(apperr.UnknownReference, "roleRules[%d]: no published role has the slug %q", i, r.Role).With("field", fmt.Sprintf("roleRules[%d].role", i))
		}
	}
	return rules, nil
}

// sourceLanguage checks a source's language; blank is the default.
func sourceLanguage(raw string) (string, error) {
	if strings.TrimSpace(raw) == "" {
		raw = DefaultLanguage
	}
	l, err := CheckLanguage(raw)
	if err != nil {
		return "", apperr.Invalid(apperr.InvalidLanguage, "language: %v", err).With("field", "language")
	}
	return l, nil
}

// sourceTimeZone checks a source's time zone; blank is the default.
func sourceTimeZone(raw string) (string, error) {
	tz := strings.TrimSpace(raw)
	if tz == "" {
		tz = DefaultTimeZone
	}
	if _, err := CheckTimeZone(tz); err != nil {
		return "", apperr.Invalid(apperr.InvalidTimeZone, "timeZone: %v", err).With("field", "timeZone")
	}
	return tz, nil
}

// UpdateSource changes a source's settings. Only an ADMIN or the
// operator may. Errors: BAD_USER_INPUT, NOT_FOUND.
func (s *Service) UpdateSource(ctx context.Context, id string, upd SourceUpdate) (*Source, error) {
	actor, err := account.Authorize(ctx, account.RoleAdmin, "change vacancy sources")
	if err != nil {
		return nil, err
	}
	var out *Source
	err = s.store.InTx(ctx, func(tx Store) error {
		src, err := tx.Source(ctx, id)
		if err != nil {
			return err
		}
		if err := s.applySettings(ctx, tx, src, upd); err != nil {
			return err
		}
		src.UpdatedAt = s.clock()
		if err := tx.UpdateSource(ctx, src); err != nil {
			return err
		}
		if err := tx.Audit(ctx, AuditRecord{At: src.UpdatedAt, ActorID: actor.UserID, Action: "source.update", SourceID: src.ID,
			Details: map[string]any{"name": src.Name, "kind": string(src.Kind), "feedUrl": src.FeedURL, "allowedHosts": src.AllowedHosts,
				"roleRules": src.RoleRules, "language": src.Language, "timeZone": src.TimeZone}}); err != nil {
			return err
		}
		out, err = tx.Source(ctx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.withCounts(ctx, out)
}

// MaxActiveSecrets is how many secrets of a source work at once: the
// current one and the one it replaces, while clients switch over.
const MaxActiveSecrets = 2

// RotateSecret issues a new secret for a source. The previous one keeps
// working, so clients can switch without downtime; a source never has more
// than two active secrets, so the oldest is revoked. With revokeOthers
// (a leaked secret) every other secret stops working at once. Tokens
// issued with a revoked secret stop working at once too: they name their
// secret, and account.Clients.Authenticate checks it is live. Only an
// ADMIN or the operator may. Errors: NOT_FOUND.
func (s *Service) RotateSecret(ctx context.Context, id string, revokeOthers bool) (*Source, Credentials, error) {
	actor, err := account.Authorize(ctx, account.RoleAdmin, "rotate source secrets")
	if err != nil {
		return nil, Credentials{}, err
	}
	now := s.clock()
	var creds Credentials
	var out *Source
	err = s.store.InTx(ctx, func(tx Store) error {
		src, err := tx.Source(ctx, id)
		if err != nil {
			return err
		}
		c, rec, err := newSecret(src.ID, now)
		if err != nil {
			return err
		}
		var active []Secret
		for _, sec := range src.Secrets {
			if sec.Active() {
				active = append(active, sec)
			}
		}
		slices.SortFunc(active, func(a, b Secret) int { // newest first; ids are UUIDv7, in creation order
			if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
				return c
			}
			return strings.Compare(b.ID, a.ID)
		})
		keep := MaxActiveSecrets - 1
		if revokeOthers {
			keep = 0
		}
		var revoke []string
		for i, sec := range active {
			if i >= keep {
				revoke = append(revoke, sec.ID)
			}
		}
		if err := tx.RevokeSecrets(ctx, revoke, now); err != nil {
			return err
		}
		if err := tx.AddSecret(ctx, src.ID, rec); err != nil {
			return err
		}
		if err := tx.Audit(ctx, AuditRecord{At: now, ActorID: actor.UserID, Action: "source.rotate-secret", SourceID: src.ID,
			Details: map[string]any{"name": src.Name, "newSecretId": rec.ID, "revokedSecretIds": revoke}}); err != nil {
			return err
		}
		creds = c
		out, err = tx.Source(ctx, id)
		return err
	})
	if err != nil {
		return nil, Credentials{}, err
	}
	out, err = s.withCounts(ctx, out)
	return out, creds, err
}

// SetActive enables or disables a source. A disabled source cannot get
// tokens and its syncs are refused at once (tokens already issued are
// checked against the source on every sync). Its open vacancies stay
// served unless closeVacancies, when they close now. Only an ADMIN or the
// operator may. Errors: NOT_FOUND.
func (s *Service) SetActive(ctx context.Context, id string, active, closeVacancies bool) (*Source, error) {
	actor, err := account.Authorize(ctx, account.RoleAdmin, "enable or disable vacancy sources")
	if err != nil {
		return nil, err
	}
	now := s.clock()
	var out *Source
	err = s.store.InTx(ctx, func(tx Store) error {
		if err := tx.LockSource(ctx, id); err != nil {
			return err
		}
		src, err := tx.Source(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.SetSourceActive(ctx, id, active, now); err != nil {
			return err
		}
		closed := 0
		if !active && closeVacancies {
			if closed, err = tx.CloseAllOpen(ctx, id, ReasonDisabled, now); err != nil {
				return err
			}
		}
		action := "source.enable"
		if !active {
			action = "source.disable"
		}
		if err := tx.Audit(ctx, AuditRecord{At: now, ActorID: actor.UserID, Action: action, SourceID: id,
			Details: map[string]any{"name": src.Name, "closedVacancies": closed}}); err != nil {
			return err
		}
		out, err = tx.Source(ctx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.changed(ctx)
	return s.withCounts(ctx, out)
}

// Sources lists every source with its sync state, by name. EDITORs may
// read them; managing takes an ADMIN.
func (s *Service) Sources(ctx context.Context) ([]*Source, error) {
	if _, err := account.Authorize(ctx, account.RoleEditor, "see vacancy sources"); err != nil {
		return nil, err
	}
	list, err := s.store.Sources(ctx)
	if err != nil {
		return nil, fmt.Errorf("list sources: %w", err)
	}
	if err := s.addCounts(ctx, list); err != nil {
		return nil, err
	}
	return list, nil
}

// Source returns one source. EDITORs may. Errors: NOT_FOUND.
func (s *Service) Source(ctx context.Context, id string) (*Source, error) {
	if _, err := account.Authorize(ctx, account.RoleEditor, "see vacancy sources"); err != nil {
		return nil, err
	}
	src, err := s.store.Source(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.withCounts(ctx, src)
}

// SourceByName returns one source by name. EDITORs and the operator may.
// Errors: NOT_FOUND.
func (s *Service) SourceByName(ctx context.Context, name string) (*Source, error) {
	if _, err := account.Authorize(ctx, account.RoleEditor, "see vacancy sources"); err != nil {
		return nil, err
	}
	src, err := s.store.SourceByName(ctx, strings.ToLower(strings.TrimSpace(name)))
	if err != nil {
		return nil, err
	}
	return s.withCounts(ctx, src)
}

func (s *Service) withCounts(ctx context.Context, src *Source) (*Source, error) {
	if err := s.addCounts(ctx, []*Source{src}); err != nil {
		return nil, err
	}
	return src, nil
}

func (s *Service) addCounts(ctx context.Context, list []*Source) error {
	ids := make([]string, len(list))
	for i, src := range list {
		ids[i] = src.ID
	}
	counts, err := s.store.CountByStatus(ctx, ids)
	if err != nil {
		return fmt.Errorf("count vacancies: %w", err)
	}
	for _, src := range list {
		c := counts[src.ID]
		src.State.Open, src.State.Closed, src.State.Expired = c[StatusOpen], c[StatusClosed], c[StatusExpired]
	}
	return nil
}

// Filter narrows the public vacancy list.
type Filter struct {
	RoleSlug       string
	Location       string
	EmploymentType string
	WorkplaceType  string
	Language       string
	PostedAfter    time.Time
}

// List is one page of vacancies.
type List struct {
	Items []*Vacancy
	// HasNextPage tells whether more follow, when paging forwards;
	// HasPreviousPage whether more precede, when paging from the end.
	HasNextPage     bool
	HasPreviousPage bool
}

// Open lists vacancies open now, newest first; anyone may. Closed and
// expired vacancies are never served, even before the expiry job has
// marked them. Errors: BAD_USER_INPUT for an unknown employment or
// workplace type or language; NOT_FOUND for an unknown role slug.
func (s *Service) Open(ctx context.Context, f Filter, page Page) (List, error) {
	sf, empty, err := s.storeFilter(ctx, f)
	if err != nil || empty {
		return List{}, err
	}
	return s.page(page, func(p Page) ([]*Vacancy, error) { return s.store.OpenVacancies(ctx, sf, p, s.clock()) })
}

// CountOpen counts what Open lists.
func (s *Service) CountOpen(ctx context.Context, f Filter) (int, error) {
	sf, empty, err := s.storeFilter(ctx, f)
	if err != nil || empty {
		return 0, err
	}
	return s.store.CountOpen(ctx, sf, s.clock())
}

func (s *Service) page(page Page, fetch func(Page) ([]*Vacancy, error)) (List, error) {
	ask := page
	ask.Limit++ // one more tells whether there is more in the paging direction
	items, err := fetch(ask)
	if err != nil {
		return List{}, fmt.Errorf("list vacancies: %w", err)
	}
	switch {
	case len(items) <= page.Limit:
		return List{Items: items}, nil
	case page.FromEnd: // the extra one is the newest
		return List{Items: items[len(items)-page.Limit:], HasPreviousPage: true}, nil
	default:
		return List{Items: items[:page.Limit], HasNextPage: true}, nil
	}
}

// storeFilter resolves a public filter; empty reports that nothing can
// match.
func (s *Service) storeFilter(ctx context.Context, f Filter) (StoreFilter, bool, error) {
	var sf StoreFilter
	if slug := strings.TrimSpace(f.RoleSlug); slug != "" {
		roles, err := s.store.RoleIDsBySlug(ctx, []string{strings.ToLower(slug)})
		if err != nil {
			return sf, false, fmt.Errorf("look up role: %w", err)
		}
		id, ok := roles[strings.ToLower(slug)]
		if !ok {
			return sf, false, apperr.New(apperr.NotFound, "no published role has the slug %q", slug).With("field", "roleSlug")
		}
		sf.RoleID = id
	}
	sf.Location = strings.ToLower(strings.TrimSpace(f.Location))
	if strings.ContainsAny(sf.Location, "|%_\\") {
		return sf, true, nil
	}
	if f.EmploymentType != "" {
		types, known := MapEmploymentType(f.EmploymentType)
		if !known || len(types) != 1 {
			return sf, false, apperr.Invalid(apperr.UnsupportedValue, "unknown employment type %q", f.EmploymentType).With("field", "employmentType")
		}
		sf.EmploymentType = types[0]
	}
	if f.WorkplaceType != "" {
		wt, ok := MapWorkplaceType(f.WorkplaceType)
		if !ok {
			return sf, false, apperr.Invalid(apperr.UnsupportedValue, "unknown workplace type %q", f.WorkplaceType).With("field", "workplaceType")
		}
		sf.WorkplaceType = wt
	}
	if f.Language != "" {
		l, err := CheckLanguage(f.Language)
		if err != nil {
			return sf, false, apperr.Invalid(apperr.InvalidLanguage, "language: %v", err).With("field", "language")
		}
		sf.Language = l
	}
	sf.PostedAfter = f.PostedAfter
	return sf, false, nil
}

// OpenForRoles returns, per role id, the first limit vacancies open now,
// newest first, and whether each has more: one statement for the roles
// the list cache does not hold (none when it holds them all). It is the
// batch function behind Role.vacancies and vacancy-list blocks. The
// vacancies may be shared with other callers: read them, never change
// them.
func (s *Service) OpenForRoles(ctx context.Context, roleIDs []string, limit int) (map[string]List, error) {
	now := s.clock()
	generation := s.lists.generation()
	out, missing := splitCached(roleIDs, func(id string) (List, bool) { return s.lists.page(id, limit, now) })
	if len(missing) == 0 {
		return out, nil
	}
	found, err := s.store.OpenByRoles(ctx, missing, limit+1, now)
	if err != nil {
		return nil, fmt.Errorf("list vacancies of roles: %w", err)
	}
	for _, id := range missing {
		items := found[id]
		l := List{Items: items}
		if len(items) > limit {
			l = List{Items: items[:limit], HasNextPage: true}
		}
		s.lists.setPage(id, limit, l, items, generation)
		out[id] = l
	}
	return out, nil
}

// OpenForRole pages through one role's open vacancies after a cursor.
func (s *Service) OpenForRole(ctx context.Context, roleID string, page Page) (List, error) {
	return s.page(page, func(p Page) ([]*Vacancy, error) {
		return s.store.OpenVacancies(ctx, StoreFilter{RoleID: roleID}, p, s.clock())
	})
}

// CountForRoles counts open vacancies per role (0 for a role without):
// one statement for the roles the list cache does not hold.
func (s *Service) CountForRoles(ctx context.Context, roleIDs []string) (map[string]int, error) {
	now := s.clock()
	generation := s.lists.generation()
	out, missing := splitCached(roleIDs, func(id string) (int, bool) { return s.lists.count(id, now) })
	if len(missing) == 0 {
		return out, nil
	}
	counts, err := s.store.CountOpenByRoles(ctx, missing, now)
	if err != nil {
		return nil, err
	}
	for _, id := range missing {
		s.lists.setCount(id, counts[id], generation)
		out[id] = counts[id].N
	}
	return out, nil
}

// OpenByID returns the vacancies among ids that are open now; anyone may.
func (s *Service) OpenByID(ctx context.Context, ids []string) (map[string]*Vacancy, error) {
	list, err := s.store.VacanciesByID(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("load vacancies: %w", err)
	}
	now := s.clock()
	out := make(map[string]*Vacancy, len(list))
	for _, v := range list {
		if v.OpenAt(now) {
			out[v.ID] = v
		}
	}
	return out, nil
}

// AdminFilter narrows the admin's vacancy list.
type AdminFilter struct {
	SourceID string
	RoleSlug string
	// NoRole lists only vacancies that map to no role.
	NoRole bool
	Status Status // "" is any
}

// AllVacancies lists vacancies of any status for editors, newest first.
// Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND for an unknown role slug,
// BAD_USER_INPUT for an unknown status.
func (s *Service) AllVacancies(ctx context.Context, f AdminFilter, page Page) (List, int, error) {
	if _, err := account.Authorize(ctx, account.RoleEditor, "see every vacancy"); err != nil {
		return List{}, 0, err
	}
	sf := StoreFilter{SourceID: f.SourceID, NoRole: f.NoRole, Status: f.Status}
	switch f.Status {
	case "", StatusOpen, StatusClosed, StatusExpired:
	default:
		return List{}, 0, apperr.Invalid(apperr.UnsupportedValue, "unknown status %q", f.Status).With("field", "status").
			With("allowed", []Status{StatusOpen, StatusClosed, StatusExpired})
	}
	if f.RoleSlug != "" {
		roles, err := s.store.RoleIDsBySlug(ctx, []string{strings.ToLower(f.RoleSlug)})
		if err != nil {
			return List{}, 0, err
		}
		id, ok := roles[strings.ToLower(f.RoleSlug)]
		if !ok {
			return List{}, 0, apperr.New(apperr.NotFound, "no published role has the slug %q", f.RoleSlug).With("field", "roleSlug")
		}
		sf.RoleID = id
	}
	list, err := s.page(page, func(p Page) ([]*Vacancy, error) { return s.store.AllVacancies(ctx, sf, p) })
	if err != nil {
		return List{}, 0, err
	}
	n, err := s.store.CountAll(ctx, sf)
	if err != nil {
		return List{}, 0, fmt.Errorf("count vacancies: %w", err)
	}
	return list, n, nil
}

// ExpireDue marks every open vacancy past its expiry expired. The server
// runs it every minute; reads never serve such vacancies in between.
func (s *Service) ExpireDue(ctx context.Context) (int, error) {
	n, err := s.store.ExpireDue(ctx, "", s.clock())
	if err != nil {
		return 0, fmt.Errorf("expire vacancies: %w", err)
	}
	if n > 0 {
		s.changed(ctx)
	}
	return n, nil
}

// Prune deletes idempotency records older than IdempotencyKeyLifetime (a
// key replayed after that syncs again) and forgets snapshots that started
// as long ago and never completed (their later calls start afresh).
func (s *Service) Prune(ctx context.Context) error {
	before := s.clock().Add(-IdempotencyKeyLifetime)
	if _, err := s.store.PruneSyncRequests(ctx, before); err != nil {
		return fmt.Errorf("prune idempotency keys: %w", err)
	}
	if _, err := s.store.PruneSnapshots(ctx, before); err != nil {
		return fmt.Errorf("prune snapshots: %w", err)
	}
	return nil
}
