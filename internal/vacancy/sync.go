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
	requestHash := req.hash()
	now := s.clock()
	var report *Report
	var source *Source
	err := s.store.InTx(ctx, func(tx Store) error {
		if err := tx.LockSource(ctx, sourceID); err != nil {
			return fmt.Errorf("lock source: %w", err)
		}
		src, err := tx.Source(ctx, sourceID)
		if apperr.Is(err, apperr.NotFound) {
			return apperr.New(apperr.Forbidden, "the token's source no longer exists")
		}
		if err != nil {
			return err
		}
		if !src.Active {
			return apperr.New(apperr.Forbidden, "the source %s is disabled", src.Name)
		}
		source = src
		if req.IdempotencyKey != "" {
			prev, err := tx.SyncRequest(ctx, sourceID, req.IdempotencyKey)
			if err != nil {
				return fmt.Errorf("look up idempotency key: %w", err)
			}
			if prev != nil {
				if prev.RequestHash != requestHash {
					return apperr.New(apperr.Conflict, "the idempotency key %q was used before for a different request; use a new key for a new request", req.IdempotencyKey).
						With("field", "idempotencyKey")
				}
				report = prev.Report
				report.Replayed = true
				report.DryRun = req.DryRun
				return nil
			}
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

// check validates the shape of a call; items are checked one by one later.
func (r *SyncRequest) check(lim limits) error {
	maxItems := lim.maxItems
	bad := func(field, format string, args ...any) error {
		return apperr.New(apperr.BadUserInput, format, args...).With("field", field)
	}
	switch r.Mode {
	case ModeUpsert, ModeSnapshot:
	default:
		return bad("mode", "mode must be UPSERT or SNAPSHOT")
	}
	if n := len(r.Items) + len(r.Close); n > maxItems {
		return bad("items", "at most %d items and close entries per call, got %d; split the call (a snapshot may span several calls with one snapshotId)", maxItems, n)
	}
	if len(r.IdempotencyKey) > MaxIdempotencyKeyLen || strings.ContainsFunc(r.IdempotencyKey, isControl) || !utf8.ValidString(r.IdempotencyKey) {
		return bad("idempotencyKey", "idempotencyKey must be at most %d printable characters", MaxIdempotencyKeyLen)
	}
	if r.Mode == ModeUpsert {
		if r.SnapshotID != "" || r.Complete != nil || r.AllowMassClose || r.Chunk != 0 {
			return bad("snapshotId", "snapshotId, chunk, complete and allowMassClose belong to SNAPSHOT mode")
		}
		return nil
	}
	if r.SnapshotID == "" {
		if r.Complete != nil && !*r.Complete {
			return bad("complete", "a snapshot of several calls needs a snapshotId shared by its calls")
		}
		if r.Chunk != 0 {
			return bad("chunk", "chunk numbers the calls of a snapshot with a snapshotId")
		}
		return nil
	}
	if len(r.SnapshotID) > MaxSnapshotIDLen || strings.ContainsFunc(r.SnapshotID, isControl) || strings.HasPrefix(r.SnapshotID, "call:") {
		return bad("snapshotId", "snapshotId must be at most %d printable characters and not start with \"call:\"", MaxSnapshotIDLen)
	}
	if r.Complete == nil {
		return bad("complete", "with a snapshotId, say whether this call completes the snapshot: complete: true on the last call, false on the others")
	}
	if r.Chunk < 0 || r.Chunk > MaxChunk || (r.Chunk == 0 && lim.chunkRequired) {
		return bad("chunk", "with a snapshotId, number the snapshot's calls with chunk: 1, 2, ... (at most %d); the call with complete: true is the last", MaxChunk)
	}
	return nil
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

// apply does the work of one call inside its transaction.
func (s *Service) apply(ctx context.Context, tx Store, src *Source, req SyncRequest, now time.Time) (*Report, error) {
	rep := &Report{
		SourceID: src.ID, Mode: req.Mode, IdempotencyKey: req.IdempotencyKey, SnapshotID: req.SnapshotID, Chunk: req.Chunk,
		Received: len(req.Items), Items: []ItemReport{}, At: now,
	}
	token, callID := "", "" // the snapshot run this call belongs to, and the call
	complete := false
	if req.Mode == ModeSnapshot {
		complete = req.Complete == nil || *req.Complete
		id, err := uuid.NewV7()
		if err != nil {
			return nil, err
		}
		callID = id.String()
		token = "call:" + callID
		if req.SnapshotID != "" {
			if token, err = tx.OpenSnapshot(ctx, src.ID, req.SnapshotID, callID, now); err != nil {
				return nil, fmt.Errorf("open snapshot: %w", err)
			}
		}
	}

	// What expired since the source last synced expires now, so that this
	// report counts it and an item sent for it is compared with what is
	// really stored.
	expired, err := tx.ExpireDue(ctx, src.ID, now)
	if err != nil {
		return nil, fmt.Errorf("expire vacancies: %w", err)
	}
	rep.Expired += expired

	n, err := newNormalizer(src, nil, now)
	if err != nil {
		return nil, err
	}
	if slugs := n.roleSlugs(req.Items); len(slugs) > 0 {
		if n.roles, err = tx.RoleIDsBySlug(ctx, slugs); err != nil {
			return nil, fmt.Errorf("look up roles: %w", err)
		}
	}

	type candidate struct {
		key      Key
		keyOK    bool
		v        Vacancy
		problems []Problem
		// same says the item is the input the stored vacancy was written
		// from: it is unchanged, with nothing to check or write.
		same bool
	}
	cands := make([]candidate, len(req.Items))
	first := map[Key]int{} // the index of each key's first copy in the call
	for i, item := range req.Items {
		var kp problems
		key, ok := n.key(item, &kp)
		cands[i] = candidate{key: key, keyOK: ok}
		if _, dup := first[key]; ok && !dup {
			first[key] = i
		}
	}
	closeKeys := make([]Key, len(req.Close))
	for i, k := range req.Close {
		k.ExternalID = strings.TrimSpace(k.ExternalID)
		if k.Language == "" {
			k.Language = src.Language
		} else if l, err := CheckLanguage(k.Language); err == nil {
			k.Language = l
		}
		closeKeys[i] = k
	}

	ids := make([]string, 0, len(first)+len(closeKeys))
	for k := range first {
		ids = append(ids, k.ExternalID)
	}
	for _, k := range closeKeys {
		if k.ExternalID != "" && utf8.ValidString(k.ExternalID) && !strings.ContainsFunc(k.ExternalID, isControl) {
			ids = append(ids, k.ExternalID)
		}
	}
	stored := map[Key]*Vacancy{}
	if len(ids) > 0 {
		found, err := tx.VacancyStates(ctx, src.ID, ids)
		if err != nil {
			return nil, fmt.Errorf("load stored vacancies: %w", err)
		}
		for _, v := range found {
			stored[v.Key()] = v
		}
	}

	fingerprint := n.fingerprint()
	eachInParallel(len(req.Items), func(i int) {
		c := &cands[i]
		input := n.inputHash(fingerprint, req.Items[i])
		if old := stored[c.key]; c.keyOK && first[c.key] == i && old != nil && old.Status == StatusOpen && old.InputHash == input {
			c.same = true
			return
		}
		c.v, c.problems = n.normalize(req.Items[i])
		if len(c.problems) == 0 {
			c.v.InputHash = input
		}
	})

	var writes []*Vacancy
	var seen []string // ids the snapshot contains but this call does not write
	for i, c := range cands {
		old := stored[c.key]
		if c.same {
			rep.Unchanged++
			seen = append(seen, old.ID)
			continue
		}
		if at := first[c.key]; c.keyOK && at != i {
			c.problems = append(c.problems, Problem{Field: "externalId", Code: ProblemDuplicateInBatch,
				Message: fmt.Sprintf("externalId %q (language %s) already appears at index %d of this call; this copy is not stored", c.key.ExternalID, c.key.Language, at)})
		}
		if Rejected(c.problems) {
			rep.Rejected++
			rep.Items = append(rep.Items, ItemReport{Index: i, ExternalID: c.key.ExternalID, Language: c.key.Language, Outcome: OutcomeRejected, Problems: c.problems})
			// A snapshot must not close a vacancy because this copy of it
			// was invalid: what is stored stays, and counts as seen.
			if old != nil {
				seen = append(seen, old.ID)
			}
			continue
		}
		v := c.v
		outcome, write, kept := decide(old, &v, now, token, req.Items[i].Repost)
		switch outcome {
		case OutcomeCreated:
			rep.Created++
		case OutcomeUpdated:
			rep.Updated++
		case OutcomeUnchanged:
			rep.Unchanged++
		case OutcomeReopened:
			rep.Reopened++
			if kept {
				c.problems = append(c.problems, Problem{Field: "datePosted", Code: ProblemDatePostedKept, Warning: true,
					Message: fmt.Sprintf("the vacancy reopens with its original datePosted %s; send repost: true to post it anew as of %s", v.DatePosted.Text, c.v.DatePosted.Text)})
			}
		case OutcomeExpired:
			rep.Expired++
		case OutcomeStale:
			rep.Stale++
			c.problems = append(c.problems, Problem{Field: "sourceUpdatedAt", Code: ProblemStale, Warning: true,
				Message: fmt.Sprintf("sourceUpdatedAt %s is older than the stored version's %s; nothing changed",
					v.SourceUpdatedAt.Format(time.RFC3339), old.SourceUpdatedAt.Format(time.RFC3339))})
		}
		if len(c.problems) > 0 {
			if outcome != OutcomeStale {
				rep.Warnings++
			}
			rep.Items = append(rep.Items, ItemReport{Index: i, ExternalID: c.key.ExternalID, Language: c.key.Language, Outcome: outcome, Problems: c.problems})
		}
		if outcome == OutcomeUnchanged && v.InputHash != old.InputHash && v.InputHash != "" {
			// Written once (a vacancy stored before input hashes, or under
			// other source settings) so that the next copy is recognised
			// without checking it again.
			write = true
		}
		if write {
			writes = append(writes, &v)
		} else {
			seen = append(seen, old.ID)
		}
	}

	var closeIDs []string
	for i, k := range closeKeys {
		if k.ExternalID == "" || len(k.ExternalID) > 4*MaxExternalIDLength || !utf8.ValidString(k.ExternalID) || strings.ContainsFunc(k.ExternalID, isControl) {
			rep.Items = append(rep.Items, ItemReport{Index: i, Outcome: OutcomeRejected, Problems: []Problem{{Field: "close", Code: ProblemInvalid,
				Message: "close entries need an externalId of printable characters, as the vacancy was sent with"}}})
			rep.Rejected++
			continue
		}
		if _, inItems := first[k]; inItems {
			rep.Items = append(rep.Items, ItemReport{Index: i, ExternalID: k.ExternalID, Language: k.Language, Outcome: OutcomeRejected,
				Problems: []Problem{{Field: "close", Code: ProblemDuplicate, Message: "the vacancy is both in items and in close; it is not closed"}}})
			rep.Rejected++
			continue
		}
		old := stored[k]
		if old == nil {
			rep.Items = append(rep.Items, ItemReport{Index: i, ExternalID: k.ExternalID, Language: k.Language, Outcome: OutcomeNotFound,
				Problems: []Problem{{Field: "close", Code: ProblemNotFound, Message: fmt.Sprintf("this source has no vacancy %q in language %s", k.ExternalID, k.Language)}}})
			continue
		}
		if old.Status == StatusOpen {
			closeIDs = append(closeIDs, old.ID)
		}
	}

	if err := tx.UpsertVacancies(ctx, writes); err != nil {
		return nil, fmt.Errorf("store vacancies: %w", err)
	}
	if token != "" {
		// Only a snapshot needs to know what it saw; an unchanged item in
		// UPSERT mode writes nothing at all.
		if err := tx.RecordCall(ctx, token, callID, req.Chunk, seen, now); err != nil {
			return nil, fmt.Errorf("record the snapshot's call: %w", err)
		}
	}
	if len(closeIDs) > 0 {
		closed, err := tx.CloseVacancies(ctx, closeIDs, ReasonSource, now)
		if err != nil {
			return nil, fmt.Errorf("close vacancies: %w", err)
		}
		rep.Closed += closed
	}
	if req.Mode == ModeSnapshot && complete {
		if err := s.complete(ctx, tx, src, req, token, rep, now); err != nil {
			return nil, err
		}
	}
	return rep, nil
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

// complete ends a snapshot: unless one of its chunks is missing, it closes
// the source's open vacancies the snapshot did not contain.
func (s *Service) complete(ctx context.Context, tx Store, src *Source, req SyncRequest, token string, rep *Report, now time.Time) error {
	if req.Chunk > 0 {
		chunks, err := tx.SnapshotChunks(ctx, token)
		if err != nil {
			return fmt.Errorf("list the snapshot's chunks: %w", err)
		}
		if last := chunks[len(chunks)-1]; last > req.Chunk {
			return apperr.New(apperr.BadUserInput, "chunk %d of this snapshot was stored, but this call says chunk %d is the last; nothing was written", last, req.Chunk).
				With("field", "chunk")
		}
		rep.MissingChunks = missingChunks(chunks, req.Chunk)
		if len(rep.MissingChunks) > 0 {
			// A chunk that failed or never came may hold vacancies that are
			// still open: closing now would take them off the site.
			return nil
		}
	}
	counts, err := tx.SnapshotCounts(ctx, src.ID, token)
	if err != nil {
		return fmt.Errorf("count snapshot: %w", err)
	}
	if counts.Unseen > 0 && !req.AllowMassClose && (counts.Seen == 0 || counts.Unseen*2 > counts.Open) {
		what := fmt.Sprintf("close %d of the source's %d open vacancies", counts.Unseen, counts.Open)
		if counts.Seen == 0 {
			what = fmt.Sprintf("be empty and close all %d of the source's open vacancies", counts.Unseen)
		}
		return apperr.New(apperr.BadUserInput, "this snapshot would %s; nothing was written. If that is right, send it again with allowMassClose: true", what).
			With("field", "allowMassClose").With("wouldClose", counts.Unseen).With("openVacancies", counts.Open)
	}
	closed, err := tx.CloseUnseen(ctx, src.ID, token, now)
	if err != nil {
		return fmt.Errorf("close vacancies missing from the snapshot: %w", err)
	}
	if err := tx.EndSnapshot(ctx, token); err != nil {
		return fmt.Errorf("end snapshot: %w", err)
	}
	rep.Closed += closed
	rep.SnapshotCompleted = true
	return nil
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
