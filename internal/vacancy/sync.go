package vacancy

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/apperr"
)

// Mode is how a sync treats what it does not mention.
type Mode string

const (
	// ModeUpsert creates and updates the items given and leaves the
	// source's other vacancies alone.
	ModeUpsert Mode = "UPSERT"
	// ModeSnapshot says the items are everything the source has open:
	// when the snapshot is complete, its other open vacancies close.
	ModeSnapshot Mode = "SNAPSHOT"
)

// Limits of one sync call.
const (
	MaxItemsPerCall = 1000
	// MaxItemsPerServerCall bounds a call the server makes itself (a dry
	// run of a whole feed is one call).
	MaxItemsPerServerCall  = 100_000
	MaxIdempotencyKeyLen   = 200
	MaxSnapshotIDLen       = 100
	MaxChunk               = 100_000
	IdempotencyKeyLifetime = 7 * 24 * time.Hour
)

// SyncRequest is one sync call.
type SyncRequest struct {
	Mode  Mode
	Items []Item
	// Close names vacancies the source closed; a language "" means the
	// source's default language.
	Close []Key
	// DryRun runs everything and rolls it back, reporting what a real
	// run would have done.
	DryRun bool
	// IdempotencyKey, when given, makes a replay of the call return the
	// first call's report without writing again.
	IdempotencyKey string
	// SnapshotID ties the calls of one snapshot together; "" makes this
	// call a whole snapshot by itself.
	SnapshotID string
	// Chunk numbers the calls of a snapshot with a SnapshotID: 1, 2, ...;
	// the call that completes it is the last, n, and closes anything only
	// when chunks 1 to n-1 were all stored (a chunk that failed is
	// missing). Required from clients; 0 means not numbered, which only
	// the server's own importer may send (it stops at the first failed
	// call, so it never completes a snapshot with a hole).
	Chunk int
	// Complete says this call ends the snapshot; required with a
	// SnapshotID.
	Complete *bool
	// AllowMassClose lets a snapshot close most of the source's open
	// vacancies, or be empty.
	AllowMassClose bool
}

// Outcome is what a sync did with one item.
type Outcome string

const (
	OutcomeCreated   Outcome = "CREATED"
	OutcomeUpdated   Outcome = "UPDATED"
	OutcomeUnchanged Outcome = "UNCHANGED"
	OutcomeReopened  Outcome = "REOPENED"
	OutcomeExpired   Outcome = "EXPIRED"
	OutcomeStale     Outcome = "STALE"
	OutcomeRejected  Outcome = "REJECTED"
	OutcomeClosed    Outcome = "CLOSED"
	OutcomeNotFound  Outcome = "NOT_FOUND"
)

// Report says what a sync call did.
type Report struct {
	SourceID string `json:"sourceId"`
	Mode     Mode   `json:"mode"`
	DryRun   bool   `json:"dryRun"`
	// Replayed is true when the report is the stored one of an earlier
	// call with the same idempotency key.
	Replayed       bool   `json:"replayed"`
	IdempotencyKey string `json:"idempotencyKey,omitempty"`
	SnapshotID     string `json:"snapshotId,omitempty"`
	// Chunk is the call's number within its snapshot, 0 when unnumbered.
	Chunk int `json:"chunk,omitempty"`
	// SnapshotCompleted is true when this call completed a snapshot, so
	// the source's vacancies it did not contain were closed.
	SnapshotCompleted bool `json:"snapshotCompleted"`
	// MissingChunks lists the chunks of the snapshot not stored when this
	// call asked to complete it: nothing was closed, and the snapshot
	// stays open until they are sent and the last chunk is sent again.
	MissingChunks []int `json:"missingChunks,omitempty"`
	Received      int   `json:"received"`
	Created       int   `json:"created"`
	Updated       int   `json:"updated"`
	Unchanged     int   `json:"unchanged"`
	Reopened      int   `json:"reopened"`
	// Closed counts vacancies closed by the snapshot or the close list.
	Closed int `json:"closed"`
	// Expired counts items that arrived past their validThrough and the
	// source's vacancies that expired since its last sync.
	Expired  int `json:"expired"`
	Stale    int `json:"stale"`
	Rejected int `json:"rejected"`
	Warnings int `json:"warnings"`
	// Items lists every rejected, stale or warned item and every close
	// entry that matched nothing; the others are only counted.
	Items []ItemReport `json:"items"`
	At    time.Time    `json:"at"`
}

// ItemReport is one listed item of a report.
type ItemReport struct {
	// Index is the item's position in the call's items, or for close
	// entries (outcome NOT_FOUND or problems on field "close") in close.
	Index      int       `json:"index"`
	ExternalID string    `json:"externalId"`
	Language   string    `json:"language"`
	Outcome    Outcome   `json:"outcome"`
	Problems   []Problem `json:"problems"`
}

// Sync runs a sync call for the source whose token ctx carries. Only a
// source's token with the vacancies:sync scope may sync (UNAUTHENTICATED
// without one, FORBIDDEN for an editor's token or another scope), and the
// source is always the token's: a source can never read or change
// another's vacancies. Errors: BAD_USER_INPUT for a malformed call or a
// refused mass close, CONFLICT for an idempotency key reused with another
// payload, FORBIDDEN for a disabled source. Problems with single items
// are in the report, not errors: the valid items are stored.
func (s *Service) Sync(ctx context.Context, req SyncRequest) (*Report, error) {
	c, ok := account.ClientFrom(ctx)
	if !ok {
		if _, user := account.PrincipalFrom(ctx); user {
			return nil, apperr.New(apperr.Forbidden, "only a vacancy source's token may sync vacancies; an editor's token may not (get one at /oauth/token with the source's client id and secret)")
		}
		return nil, apperr.New(apperr.Unauthenticated, "send a vacancy source's access token: Authorization: Bearer <token from /oauth/token>")
	}
	if !c.HasScope(account.ScopeVacancySync) {
		return nil, apperr.New(apperr.Forbidden, "the token lacks the %s scope", account.ScopeVacancySync).With("requiredScope", account.ScopeVacancySync)
	}
	return s.sync(ctx, c.ID, req, limits{maxItems: MaxItemsPerCall, chunkRequired: true})
}

// SyncSource runs a sync call for a source named by id: for the importer
// and the sample content, which act as the operator. Anyone else gets
// FORBIDDEN.
func (s *Service) SyncSource(ctx context.Context, sourceID string, req SyncRequest) (*Report, error) {
	if !account.IsOperator(ctx) {
		return nil, apperr.New(apperr.Forbidden, "only the server itself syncs a source by id")
	}
	return s.sync(ctx, sourceID, req, limits{maxItems: MaxItemsPerServerCall})
}

// limits are what a caller may send in one call.
type limits struct {
	maxItems int
	// chunkRequired makes the calls of a snapshot with a SnapshotID carry
	// their chunk number.
	chunkRequired bool
}

// errRollback ends a dry run's transaction after its report is made.
var errRollback = errors.New("dry run: roll back")

func (s *Service) sync(ctx context.Context, sourceID string, req SyncRequest, lim limits) (*Report, error) {
	if err := req.check(lim); err != nil {
		return nil, err
	}
	requestHash := ""
	if req.IdempotencyKey != "" {
		// Hashing encodes the whole request: only a call that may be
		// replayed pays for it.
		requestHash = req.hash()
	}
	now := s.clock()
	var report *Report
	var source *Source
	err := s.store.InTx(ctx, func(tx Store) error {
		src, err := lockActiveSource(ctx, tx, sourceID)
		if err != nil {
			return err
		}
		source = src
		if report, err = replay(ctx, tx, sourceID, req, requestHash); err != nil || report != nil {
			return err
		}
		r, err := s.apply(ctx, tx, src, req, now)
		if err != nil {
			return err
		}
		if req.IdempotencyKey != "" {
			if err := tx.SaveSyncRequest(ctx, sourceID, StoredRequest{Key: req.IdempotencyKey, RequestHash: requestHash, Report: r, CreatedAt: now}); err != nil {
				return fmt.Errorf("store idempotency key: %w", err)
			}
		}
		if err := tx.RecordSync(ctx, sourceID, r, now); err != nil {
			return fmt.Errorf("record sync: %w", err)
		}
		report = r
		if req.DryRun {
			return errRollback
		}
		if s.recordSync != nil && r.ChangedVacancies() {
			return s.recordSync(ctx, tx, src, r)
		}
		return nil
	})
	if errors.Is(err, errRollback) {
		report.DryRun = true
		return report, nil
	}
	if err != nil {
		if apperr.CodeOf(err) == apperr.Internal {
			// Nothing of the call was written; say so where the admin looks.
			if recErr := s.store.RecordSyncFailure(context.WithoutCancel(ctx), sourceID, "sync failed: internal error; nothing was written", now); recErr != nil {
				s.log.WarnContext(ctx, "could not record sync failure", "source", sourceID, "error", recErr)
			}
			s.log.ErrorContext(ctx, "vacancy sync failed", "source", sourceID, "error", err)
		}
		return nil, err
	}
	if !report.Replayed {
		s.changed(ctx)
		s.synced(ctx, source, report)
	}
	return report, nil
}

// lockActiveSource serializes the source's syncs for the rest of the
// transaction and reads its settings: FORBIDDEN when it no longer exists
// or is disabled.
func lockActiveSource(ctx context.Context, tx Store, sourceID string) (*Source, error) {
	if err := tx.LockSource(ctx, sourceID); err != nil {
		return nil, fmt.Errorf("lock source: %w", err)
	}
	src, err := tx.SourceSettings(ctx, sourceID)
	if apperr.Is(err, apperr.NotFound) {
		return nil, apperr.New(apperr.Forbidden, "the token's source no longer exists")
	}
	if err != nil {
		return nil, err
	}
	if !src.Active {
		return nil, apperr.New(apperr.Forbidden, "the source %s is disabled", src.Name)
	}
	return src, nil
}

// replay returns the stored report of an earlier call with the request's
// idempotency key, or nil when there is none (or no key). The same key
// with another payload is a CONFLICT.
func replay(ctx context.Context, tx Store, sourceID string, req SyncRequest, requestHash string) (*Report, error) {
	if req.IdempotencyKey == "" {
		return nil, nil
	}
	prev, err := tx.SyncRequest(ctx, sourceID, req.IdempotencyKey)
	if err != nil {
		return nil, fmt.Errorf("look up idempotency key: %w", err)
	}
	if prev == nil {
		return nil, nil
	}
	if prev.RequestHash != requestHash {
		return nil, apperr.New(apperr.Conflict, "the idempotency key %q was used before for a different request; use a new key for a new request", req.IdempotencyKey).
			With("field", "idempotencyKey")
	}
	prev.Report.Replayed = true
	prev.Report.DryRun = req.DryRun
	return prev.Report, nil
}

// check validates the shape of a call; items are checked one by one later.
func (r *SyncRequest) check(lim limits) error {
	switch r.Mode {
	case ModeUpsert, ModeSnapshot:
	default:
		return badRequest("mode", apperr.UnsupportedValue, "mode must be UPSERT or SNAPSHOT").With("allowed", []Mode{ModeUpsert, ModeSnapshot})
	}
	if n := len(r.Items) + len(r.Close); n > lim.maxItems {
		return badRequest("items", apperr.TooMany, "at most %d items and close entries per call, got %d; split the call (a snapshot may span several calls with one snapshotId)", lim.maxItems, n).
			With("max", lim.maxItems)
	}
	if len(r.IdempotencyKey) > MaxIdempotencyKeyLen || strings.ContainsFunc(r.IdempotencyKey, isControl) || !utf8.ValidString(r.IdempotencyKey) {
		return badRequest("idempotencyKey", apperr.InvalidFormat, "idempotencyKey must be at most %d printable characters", MaxIdempotencyKeyLen)
	}
	switch {
	case r.Mode == ModeUpsert:
		if r.SnapshotID != "" || r.Complete != nil || r.AllowMassClose || r.Chunk != 0 {
			return badRequest("snapshotId", apperr.NotApplicable, "snapshotId, chunk, complete and allowMassClose belong to SNAPSHOT mode")
		}
		return nil
	case r.SnapshotID == "":
		return r.checkSingleCallSnapshot()
	default:
		return r.checkSnapshotCall(lim)
	}
}

// checkSingleCallSnapshot validates a snapshot without a snapshotId: one
// call that is the whole snapshot.
func (r *SyncRequest) checkSingleCallSnapshot() error {
	if r.Complete != nil && !*r.Complete {
		return badRequest("complete", apperr.Required, "a snapshot of several calls needs a snapshotId shared by its calls")
	}
	if r.Chunk != 0 {
		return badRequest("chunk", apperr.NotApplicable, "chunk numbers the calls of a snapshot with a snapshotId")
	}
	return nil
}

// checkSnapshotCall validates one call of a snapshot with a snapshotId.
func (r *SyncRequest) checkSnapshotCall(lim limits) error {
	if len(r.SnapshotID) > MaxSnapshotIDLen || strings.ContainsFunc(r.SnapshotID, isControl) || strings.HasPrefix(r.SnapshotID, "call:") {
		return badRequest("snapshotId", apperr.InvalidFormat, "snapshotId must be at most %d printable characters and not start with \"call:\"", MaxSnapshotIDLen)
	}
	if r.Complete == nil {
		return badRequest("complete", apperr.Required, "with a snapshotId, say whether this call completes the snapshot: complete: true on the last call, false on the others")
	}
	if r.Chunk < 0 || r.Chunk > MaxChunk || (r.Chunk == 0 && lim.chunkRequired) {
		return badRequest("chunk", apperr.OutOfRange, "with a snapshotId, number the snapshot's calls with chunk: 1, 2, ... (at most %d); the call with complete: true is the last", MaxChunk).
			With("min", 1).With("max", MaxChunk)
	}
	return nil
}

// badRequest is a malformed call, naming the field at fault.
func badRequest(field string, reason apperr.Reason, format string, args ...any) *apperr.Error {
	return apperr.Invalid(reason, format, args...).With("field", field)
}

// hash identifies a request's payload, dry run or not, for idempotency.
func (r *SyncRequest) hash() string {
	doc := struct {
		Mode           Mode
		Items          []Item
		Close          []Key
		SnapshotID     string
		Chunk          int `json:",omitempty"`
		Complete       *bool
		AllowMassClose bool
	}{r.Mode, r.Items, r.Close, r.SnapshotID, r.Chunk, r.Complete, r.AllowMassClose}
	b, err := json.Marshal(doc)
	if err != nil {
		panic(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// apply does the work of one call inside its transaction, step by step:
// open the snapshot run, expire what is due, key the items and the close
// entries, load what is stored of them, decide and write each item,
// decide the closes, record what the snapshot saw, close, and complete
// the snapshot when this call ends it.
func (s *Service) apply(ctx context.Context, tx Store, src *Source, req SyncRequest, now time.Time) (*Report, error) {
	c := &syncCall{tx: tx, src: src, req: req, now: now, rep: &Report{
		SourceID: src.ID, Mode: req.Mode, IdempotencyKey: req.IdempotencyKey, SnapshotID: req.SnapshotID, Chunk: req.Chunk,
		Received: len(req.Items), Items: []ItemReport{}, At: now,
	}}
	if err := c.openSnapshot(ctx); err != nil {
		return nil, err
	}
	if err := c.expireDue(ctx); err != nil {
		return nil, err
	}
	if err := c.newNormalizer(ctx); err != nil {
		return nil, err
	}
	c.keyItems()
	c.resolveCloseKeys()
	if err := c.loadStored(ctx); err != nil {
		return nil, err
	}
	if err := c.decideAndWriteItems(ctx); err != nil {
		return nil, err
	}
	c.decideCloses()
	if err := c.recordSeen(ctx); err != nil {
		return nil, err
	}
	if err := c.closeListed(ctx); err != nil {
		return nil, err
	}
	if c.completesSnapshot() {
		if err := c.completeSnapshot(ctx); err != nil {
			return nil, err
		}
	}
	return c.rep, nil
}

// syncCall is one call on its way through apply's steps: the request,
// what the steps found out so far and the report they fill in.
type syncCall struct {
	tx  Store
	src *Source
	req SyncRequest
	now time.Time
	rep *Report
	// token names the snapshot run the call belongs to ("" in UPSERT
	// mode) and callID the call itself.
	token, callID string
	n             *normalizer
	fingerprint   []byte // the normalizer's, for input hashes
	cands         []candidate
	first         map[Key]int // the index of each key's first copy in the call
	closeKeys     []Key
	stored        map[Key]*Vacancy
	seen          []string // ids the snapshot contains but this call does not write
	closeIDs      []string // open vacancies the close list closes
}

// candidate is one item of the call.
type candidate struct {
	key      Key
	keyOK    bool
	v        Vacancy
	problems []Problem
	// same says the item is the input the stored vacancy was written
	// from: it is unchanged, with nothing to check or write.
	same bool
}

// openSnapshot ties a SNAPSHOT call to its run: a call of its own, or the
// running snapshot its SnapshotID names (started by its first call).
func (c *syncCall) openSnapshot(ctx context.Context) error {
	if c.req.Mode != ModeSnapshot {
		return nil
	}
	id, err := uuid.NewV7()
	if err != nil {
		return err
	}
	c.callID = id.String()
	c.token = "call:" + c.callID
	if c.req.SnapshotID != "" {
		if c.token, err = c.tx.OpenSnapshot(ctx, c.src.ID, c.req.SnapshotID, c.callID, c.now); err != nil {
			return fmt.Errorf("open snapshot: %w", err)
		}
	}
	return nil
}

// expireDue expires what expired since the source last synced, so that
// this report counts it and an item sent for it is compared with what is
// really stored.
func (c *syncCall) expireDue(ctx context.Context) error {
	expired, err := c.tx.ExpireDue(ctx, c.src.ID, c.now)
	if err != nil {
		return fmt.Errorf("expire vacancies: %w", err)
	}
	c.rep.Expired += expired
	return nil
}

// newNormalizer prepares the source's normalizer with the live roles the
// items and the source's role rules name.
func (c *syncCall) newNormalizer(ctx context.Context) error {
	n, err := newNormalizer(c.src, nil, c.now)
	if err != nil {
		return err
	}
	if slugs := n.roleSlugs(c.req.Items); len(slugs) > 0 {
		if n.roles, err = c.tx.RoleIDsBySlug(ctx, slugs); err != nil {
			return fmt.Errorf("look up roles: %w", err)
		}
	}
	c.n, c.fingerprint = n, n.fingerprint()
	return nil
}

// keyItems finds each item's key and the first copy of each key.
func (c *syncCall) keyItems() {
	c.cands = make([]candidate, len(c.req.Items))
	c.first = make(map[Key]int, len(c.req.Items))
	for i, item := range c.req.Items {
		var kp problems
		key, ok := c.n.key(item, &kp)
		c.cands[i] = candidate{key: key, keyOK: ok}
		if _, dup := c.first[key]; ok && !dup {
			c.first[key] = i
		}
	}
}

// resolveCloseKeys trims the close entries' ids and fills in their
// language: the source's, when they name none.
func (c *syncCall) resolveCloseKeys() {
	c.closeKeys = make([]Key, len(c.req.Close))
	for i, k := range c.req.Close {
		k.ExternalID = strings.TrimSpace(k.ExternalID)
		if k.Language == "" {
			k.Language = c.src.Language
		} else if l, err := CheckLanguage(k.Language); err == nil {
			k.Language = l
		}
		c.closeKeys[i] = k
	}
}

// loadStored loads the sync state of the stored vacancies the items and
// the valid close entries name.
func (c *syncCall) loadStored(ctx context.Context) error {
	ids := make([]string, 0, len(c.first)+len(c.closeKeys))
	for k := range c.first {
		ids = append(ids, k.ExternalID)
	}
	for _, k := range c.closeKeys {
		if code, _ := externalIDProblem(k.ExternalID); code == "" {
			ids = append(ids, k.ExternalID)
		}
	}
	c.stored = make(map[Key]*Vacancy, len(ids))
	if len(ids) == 0 {
		return nil
	}
	found, err := c.tx.VacancyStates(ctx, c.src.ID, ids)
	if err != nil {
		return fmt.Errorf("load stored vacancies: %w", err)
	}
	for _, v := range found {
		c.stored[v.Key()] = v
	}
	return nil
}

// writeBatch is how many items apply normalizes before it hands their
// rows to the database, and how many rows it hands over at once: while one
// batch is written, the next is normalized, so the database's work and
// ours (sanitizing descriptions above all) overlap instead of adding up.
// It matches the store's rows per INSERT, so a call writes in as few
// statements as before.
const writeBatch = 250

// decideAndWriteItems normalizes the items, decides what happens to each
// and writes the rows that change, in batches: the rows of one batch go to
// the database on another goroutine while the next batch is normalized.
// The transaction is used by that goroutine alone until it is done.
func (c *syncCall) decideAndWriteItems(ctx context.Context) error {
	w := startWriter(ctx, c.tx)
	var pending []*Vacancy
	for lo := 0; lo < len(c.cands); lo += writeBatch {
		hi := min(lo+writeBatch, len(c.cands))
		c.normalizeItems(lo, hi)
		for i := lo; i < hi; i++ {
			if v := c.decideItem(i); v != nil {
				pending = append(pending, v)
			}
		}
		if full := len(pending) / writeBatch * writeBatch; full > 0 {
			w.write(pending[:full])
			pending = pending[full:]
		}
	}
	if len(pending) > 0 {
		w.write(pending)
	}
	if err := w.wait(); err != nil {
		return fmt.Errorf("store vacancies: %w", err)
	}
	return nil
}

// normalizeItems normalizes the items from lo to hi in parallel, except
// the first copy of a stored open vacancy sent exactly as it was written
// from, which is marked the same.
func (c *syncCall) normalizeItems(lo, hi int) {
	eachInParallel(hi-lo, func(j int) {
		i := lo + j
		cand := &c.cands[i]
		input := c.n.inputHash(c.fingerprint, c.req.Items[i])
		if old := c.stored[cand.key]; cand.keyOK && c.first[cand.key] == i && old != nil && old.Status == StatusOpen && old.InputHash == input {
			cand.same = true
			return
		}
		cand.v, cand.problems = c.n.normalize(c.req.Items[i])
		if len(cand.problems) == 0 {
			cand.v.InputHash = input
		}
	})
}

// decideItem decides what happens to item i, counts and reports it, and
// returns the row to write, or nil when nothing is written (the stored
// vacancy then counts as seen).
func (c *syncCall) decideItem(i int) *Vacancy {
	cand := &c.cands[i]
	old := c.stored[cand.key]
	if cand.same {
		c.rep.Unchanged++
		c.seen = append(c.seen, old.ID)
		return nil
	}
	if at := c.first[cand.key]; cand.keyOK && at != i {
		cand.problems = append(cand.problems, Problem{Field: "externalId", Code: ProblemDuplicateInBatch,
			Message: fmt.Sprintf("externalId %q (language %s) already appears at index %d of this call; this copy is not stored", cand.key.ExternalID, cand.key.Language, at)})
	}
	if Rejected(cand.problems) {
		c.reject(i, cand, old)
		return nil
	}
	v := cand.v
	outcome, write, kept := decide(old, &v, c.now, c.token, c.req.Items[i].Repost)
	c.count(outcome)
	cand.problems = append(cand.problems, outcomeWarnings(outcome, kept, old, &v, &cand.v)...)
	if len(cand.problems) > 0 {
		if outcome != OutcomeStale {
			c.rep.Warnings++
		}
		c.rep.Items = append(c.rep.Items, ItemReport{Index: i, ExternalID: cand.key.ExternalID, Language: cand.key.Language, Outcome: outcome, Problems: cand.problems})
	}
	if outcome == OutcomeUnchanged && v.InputHash != old.InputHash && v.InputHash != "" {
		// Written once (a vacancy stored before input hashes, or under
		// other source settings) so that the next copy is recognised
		// without checking it again.
		write = true
	}
	if !write {
		c.seen = append(c.seen, old.ID)
		return nil
	}
	return &v
}

// reject reports a rejected item. A snapshot must not close a vacancy
// because this copy of it was invalid: what is stored stays, and counts as
// seen.
func (c *syncCall) reject(i int, cand *candidate, old *Vacancy) {
	c.rep.Rejected++
	c.rep.Items = append(c.rep.Items, ItemReport{Index: i, ExternalID: cand.key.ExternalID, Language: cand.key.Language, Outcome: OutcomeRejected, Problems: cand.problems})
	if old != nil {
		c.seen = append(c.seen, old.ID)
	}
}

// count adds an item's outcome to the report's counts.
func (c *syncCall) count(outcome Outcome) {
	switch outcome {
	case OutcomeCreated:
		c.rep.Created++
	case OutcomeUpdated:
		c.rep.Updated++
	case OutcomeUnchanged:
		c.rep.Unchanged++
	case OutcomeReopened:
		c.rep.Reopened++
	case OutcomeExpired:
		c.rep.Expired++
	case OutcomeStale:
		c.rep.Stale++
	}
}

// outcomeWarnings explains a reopened vacancy that kept its datePosted
// and a stale item; v is the row decided on, sent the item as normalized.
func outcomeWarnings(outcome Outcome, kept bool, old, v, sent *Vacancy) []Problem {
	switch {
	case outcome == OutcomeReopened && kept:
		return []Problem{{Field: "datePosted", Code: ProblemDatePostedKept, Warning: true,
			Message: fmt.Sprintf("the vacancy reopens with its original datePosted %s; send repost: true to post it anew as of %s", v.DatePosted.Text, sent.DatePosted.Text)}}
	case outcome == OutcomeStale:
		return []Problem{{Field: "sourceUpdatedAt", Code: ProblemStale, Warning: true,
			Message: fmt.Sprintf("sourceUpdatedAt %s is older than the stored version's %s; nothing changed",
				v.SourceUpdatedAt.Format(time.RFC3339), old.SourceUpdatedAt.Format(time.RFC3339))}}
	}
	return nil
}

// decideCloses checks the close entries and collects the open vacancies
// they close; an entry that is invalid, also among the items, or names
// nothing stored is reported.
func (c *syncCall) decideCloses() {
	for i, k := range c.closeKeys {
		if code, msg := externalIDProblem(k.ExternalID); code != "" {
			c.rejectClose(i, Key{}, code, msg+"; close entries name a vacancy by the externalId it was sent with")
			continue
		}
		if _, inItems := c.first[k]; inItems {
			c.rejectClose(i, k, ProblemDuplicate, "the vacancy is both in items and in close; it is not closed")
			continue
		}
		old := c.stored[k]
		if old == nil {
			c.rep.Items = append(c.rep.Items, ItemReport{Index: i, ExternalID: k.ExternalID, Language: k.Language, Outcome: OutcomeNotFound,
				Problems: []Problem{{Field: "close", Code: ProblemNotFound, Message: fmt.Sprintf("this source has no vacancy %q in language %s", k.ExternalID, k.Language)}}})
			continue
		}
		if old.Status == StatusOpen {
			c.closeIDs = append(c.closeIDs, old.ID)
		}
	}
}

// rejectClose reports close entry i as rejected.
func (c *syncCall) rejectClose(i int, k Key, code ProblemCode, msg string) {
	c.rep.Rejected++
	c.rep.Items = append(c.rep.Items, ItemReport{Index: i, ExternalID: k.ExternalID, Language: k.Language, Outcome: OutcomeRejected,
		Problems: []Problem{{Field: "close", Code: code, Message: msg}}})
}

// recordSeen records the call in its snapshot run with the stored
// vacancies it contained without writing them. Only a snapshot needs to
// know what it saw; an unchanged item in UPSERT mode writes nothing at
// all.
func (c *syncCall) recordSeen(ctx context.Context) error {
	if c.token == "" {
		return nil
	}
	if err := c.tx.RecordCall(ctx, c.token, c.callID, c.req.Chunk, c.seen, c.now); err != nil {
		return fmt.Errorf("record the snapshot's call: %w", err)
	}
	return nil
}

// closeListed closes the open vacancies the close list names.
func (c *syncCall) closeListed(ctx context.Context) error {
	if len(c.closeIDs) == 0 {
		return nil
	}
	closed, err := c.tx.CloseVacancies(ctx, c.closeIDs, ReasonSource, c.now)
	if err != nil {
		return fmt.Errorf("close vacancies: %w", err)
	}
	c.rep.Closed += closed
	return nil
}

// completesSnapshot says whether the call ends a snapshot: a SNAPSHOT
// call that is a whole snapshot by itself or says it is complete.
func (c *syncCall) completesSnapshot() bool {
	return c.req.Mode == ModeSnapshot && (c.req.Complete == nil || *c.req.Complete)
}

// writer writes batches of rows in one transaction on a goroutine of its
// own, in the order given; after its first error it writes nothing more.
type writer struct {
	batches chan []*Vacancy
	done    chan error
}

func startWriter(ctx context.Context, tx Store) *writer {
	w := &writer{batches: make(chan []*Vacancy, 1), done: make(chan error, 1)}
	go func() {
		var err error
		defer func() {
			// Written on the caller's goroutine, a panic reached the
			// server's recovery; here it would end the process.
			if p := recover(); p != nil {
				err = fmt.Errorf("writing vacancies panicked: %v", p)
				for range w.batches { // let the caller finish queueing
				}
			}
			w.done <- err
		}()
		for rows := range w.batches {
			if err == nil {
				err = tx.UpsertVacancies(ctx, rows)
			}
		}
	}()
	return w
}

// write queues rows; write returns at once unless a batch is waiting.
func (w *writer) write(rows []*Vacancy) { w.batches <- rows }

// wait returns when everything queued is written, with the first error.
func (w *writer) wait() error {
	close(w.batches)
	return <-w.done
}

// eachInParallel calls fn(0) to fn(n-1) on as many goroutines as there
// are CPUs. Normalizing (sanitizing HTML above all) is most of a sync's
// own work, and the items of a call are independent.
func eachInParallel(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), (n+minPerWorker-1)/minPerWorker)
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				fn(i)
			}
		}()
	}
	wg.Wait()
}

// minPerWorker is the fewest items worth a goroutine of their own.
const minPerWorker = 32

// completeSnapshot ends the call's snapshot: unless one of its chunks is
// missing, and unless the mass-close guard refuses, it closes the
// source's open vacancies the snapshot did not contain.
func (c *syncCall) completeSnapshot(ctx context.Context) error {
	missing, err := c.missingChunks(ctx)
	if err != nil || len(missing) > 0 {
		// A chunk that failed or never came may hold vacancies that are
		// still open: closing now would take them off the site.
		c.rep.MissingChunks = missing
		return err
	}
	counts, err := c.tx.SnapshotCounts(ctx, c.src.ID, c.token)
	if err != nil {
		return fmt.Errorf("count snapshot: %w", err)
	}
	if err := c.guardMassClose(counts); err != nil {
		return err
	}
	closed, err := c.tx.CloseUnseen(ctx, c.src.ID, c.token, c.now)
	if err != nil {
		return fmt.Errorf("close vacancies missing from the snapshot: %w", err)
	}
	if err := c.tx.EndSnapshot(ctx, c.token); err != nil {
		return fmt.Errorf("end snapshot: %w", err)
	}
	c.rep.Closed += closed
	c.rep.SnapshotCompleted = true
	return nil
}

// missingChunks lists the chunks before this last one that were not
// stored; a numbered chunk stored after it makes the call wrong.
func (c *syncCall) missingChunks(ctx context.Context) ([]int, error) {
	if c.req.Chunk == 0 {
		return nil, nil
	}
	chunks, err := c.tx.SnapshotChunks(ctx, c.token)
	if err != nil {
		return nil, fmt.Errorf("list the snapshot's chunks: %w", err)
	}
	if last := chunks[len(chunks)-1]; last > c.req.Chunk {
		return nil, apperr.Invalid(apperr.SnapshotIncomplete, "chunk %d of this snapshot was stored, but this call says chunk %d is the last; nothing was written", last, c.req.Chunk).
			With("field", "chunk")
	}
	return missingChunks(chunks, c.req.Chunk), nil
}

// guardMassClose refuses, unless the call allows it, a snapshot that would
// close most of the source's open vacancies or that contained none.
func (c *syncCall) guardMassClose(counts SnapshotCounts) error {
	if counts.Unseen == 0 || c.req.AllowMassClose || (counts.Seen > 0 && counts.Unseen*2 <= counts.Open) {
		return nil
	}
	what := fmt.Sprintf("close %d of the source's %d open vacancies", counts.Unseen, counts.Open)
	if counts.Seen == 0 {
		what = fmt.Sprintf("be empty and close all %d of the source's open vacancies", counts.Unseen)
	}
	return apperr.Invalid(apperr.MassCloseUnconfirmed, "this snapshot would %s; nothing was written. If that is right, send it again with allowMassClose: true", what).
		With("field", "allowMassClose").With("wouldClose", counts.Unseen).With("openVacancies", counts.Open)
}

// missingChunks lists the numbers from 1 to last that stored (ascending)
// lacks.
func missingChunks(stored []int, last int) []int {
	var out []int
	next := 1
	for _, c := range stored {
		for ; next < c && next <= last; next++ {
			out = append(out, next)
		}
		next = max(next, c+1)
	}
	for ; next <= last; next++ {
		out = append(out, next)
	}
	return out
}

// decide compares an item with what is stored, fills in the row to write
// (v) and says what happens to it and whether the row must be written:
// when it is new or changed, or when only its sourceUpdatedAt moved on (so
// an older copy arriving later is recognised as stale). UpdatedAt moves
// only when what the public sees changes. A stored vacancy keeps its
// datePosted when the item's is later, unless the item is a repost: job
// boards and Google read a later date as a new posting, and a vacancy that
// closed and comes back is the same posting. kept says the item's date
// was set aside.
func decide(old *Vacancy, v *Vacancy, now time.Time, snapshot string, repost bool) (outcome Outcome, write, kept bool) {
	v.LastSeenAt = now
	v.SeenSnapshot = snapshot
	if old == nil {
		id, err := uuid.NewV7()
		if err != nil {
			panic(err) // the random source failed; nothing sensible to do
		}
		v.ID, v.FirstSeenAt, v.CreatedAt, v.UpdatedAt = id.String(), now, now, now
		if v.Status == StatusExpired {
			return OutcomeExpired, true, false
		}
		return OutcomeCreated, true, false
	}
	v.ID, v.FirstSeenAt, v.CreatedAt, v.UpdatedAt = old.ID, old.FirstSeenAt, old.CreatedAt, old.UpdatedAt
	if snapshot == "" {
		v.SeenSnapshot = old.SeenSnapshot
	}
	if !v.SourceUpdatedAt.IsZero() && !old.SourceUpdatedAt.IsZero() && v.SourceUpdatedAt.Before(old.SourceUpdatedAt) {
		return OutcomeStale, false, false
	}
	if !repost && v.DatePosted.At.After(old.DatePosted.At) {
		v.DatePosted = old.DatePosted
		v.ContentHash = contentHash(v)
		kept = true
	}
	newer := v.SourceUpdatedAt.After(old.SourceUpdatedAt)
	if !newer {
		v.SourceUpdatedAt = old.SourceUpdatedAt
	}
	same := old.ContentHash == v.ContentHash
	switch {
	case v.Status == StatusOpen && old.Status != StatusOpen:
		v.UpdatedAt = now
		return OutcomeReopened, true, kept
	case same && (v.Status == old.Status || (v.Status != StatusOpen && old.Status != StatusOpen)):
		// Not open either way: it stays closed the way it was.
		v.Status, v.ClosedReason, v.ClosedAt = old.Status, old.ClosedReason, old.ClosedAt
		return OutcomeUnchanged, newer, kept
	case v.Status == StatusExpired && old.Status == StatusOpen:
		v.UpdatedAt = now
		return OutcomeExpired, true, kept
	default:
		v.UpdatedAt = now
		return OutcomeUpdated, true, kept
	}
}
