package vacancy_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/store"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
)

func upsert(items ...vacancy.Item) vacancy.SyncRequest {
	return vacancy.SyncRequest{Mode: vacancy.ModeUpsert, Items: items}
}

func snapshot(items ...vacancy.Item) vacancy.SyncRequest {
	return vacancy.SyncRequest{Mode: vacancy.ModeSnapshot, Items: items}
}

func listed(rep *vacancy.Report, index int) *vacancy.ItemReport {
	for i := range rep.Items {
		if rep.Items[i].Index == index {
			return &rep.Items[i]
		}
	}
	return nil
}

func hasCode(it *vacancy.ItemReport, code vacancy.ProblemCode) bool {
	if it == nil {
		return false
	}
	for _, p := range it.Problems {
		if p.Code == code {
			return true
		}
	}
	return false
}

func TestReplayedPayloadChangesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		src, ctx := e.source("devries")
		req := upsert(items("a", 3)...)
		if rep := e.sync(ctx, req); rep.Created != 3 || rep.Rejected != 0 {
			t.Fatalf("first sync: %+v", rep)
		}
		before := e.all(src.ID)
		e.clock.Add(time.Hour)
		rep := e.sync(ctx, req)
		if rep.Unchanged != 3 || rep.Created+rep.Updated+rep.Reopened+rep.Closed != 0 {
			t.Fatalf("replay: %+v", rep)
		}
		// An unchanged item writes nothing: not even when it was seen.
		if after := e.all(src.ID); !reflect.DeepEqual(before, after) {
			for k, b := range before {
				t.Errorf("%s changed on replay:\n%+v\n%+v", k, b, after[k])
			}
		}
		if got := len(e.open(vacancy.Filter{RoleSlug: "office-manager"})); got != 3 {
			t.Fatalf("open for the role: %d", got)
		}

		// A real change does bump updatedAt, of that vacancy only.
		changed := items("a", 3)
		changed[1].Title = "Office manager (32 uur)"
		e.clock.Add(time.Hour)
		if rep := e.sync(ctx, upsert(changed...)); rep.Updated != 1 || rep.Unchanged != 2 {
			t.Fatalf("change: %+v", rep)
		}
		now := e.all(src.ID)
		if !now["a-0001/nl"].UpdatedAt.Equal(e.clock.Now()) || !now["a-0000/nl"].UpdatedAt.Equal(before["a-0000/nl"].UpdatedAt) {
			t.Fatal("updatedAt moved on the wrong vacancy")
		}
	})
}

func TestReplayedIdempotencyKeyReturnsTheFirstReport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		src, ctx := e.source("devries")
		req := upsert(items("a", 2)...)
		req.IdempotencyKey = "batch-2026-10-20-1"
		first := e.sync(ctx, req)
		if first.Created != 2 || first.Replayed {
			t.Fatalf("first: %+v", first)
		}
		// Meanwhile the source closes one; a replay of the first call must
		// neither reopen it nor report anything but the first report.
		if rep := e.sync(ctx, vacancy.SyncRequest{Mode: vacancy.ModeUpsert, Close: []vacancy.Key{{ExternalID: "a-0000"}}}); rep.Closed != 1 {
			t.Fatalf("close: %+v", rep)
		}
		e.clock.Add(time.Minute)
		again := e.sync(ctx, req)
		if !again.Replayed || again.Created != 2 || !again.At.Equal(first.At) {
			t.Fatalf("replay: %+v, first %+v", again, first)
		}
		if v := e.all(src.ID)["a-0000/nl"]; v.Status != vacancy.StatusClosed {
			t.Fatalf("the replay wrote: a-0000 is %s", v.Status)
		}
		// The same key with another payload is a client bug.
		other := upsert(items("b", 1)...)
		other.IdempotencyKey = req.IdempotencyKey
		_, err := e.svc.Sync(ctx, other)
		if apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("reused key, other payload: %v", err)
		}
	})
}

func TestExternalIDsOfAnyPrintableCharacters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		src, ctx := e.source("devries")
		var list []vacancy.Item
		for i, id := range []string{`a"b`, `c\d`, `e,f`, `{g}`, `h i`, `NULL`, `'j'`, `ü-€-日本`} {
			it := item(id)
			it.URL = fmt.Sprintf("https://werkenbij.example.com/v/%d", i)
			list = append(list, it)
		}
		if rep := e.sync(ctx, upsert(list...)); rep.Created != len(list) {
			t.Fatalf("first: %+v", rep)
		}
		if rep := e.sync(ctx, upsert(list...)); rep.Unchanged != len(list) {
			t.Fatalf("the stored ones were not found again: %+v", rep)
		}
		rep := e.sync(ctx, vacancy.SyncRequest{Mode: vacancy.ModeUpsert, Close: []vacancy.Key{{ExternalID: `a"b`}, {ExternalID: "x\x00y"}}})
		if rep.Closed != 1 || rep.Rejected != 1 || rep.Items[0].Index != 1 {
			t.Fatalf("close: %+v", rep)
		}
		if v := e.all(src.ID)[`a"b/nl`]; v.Status != vacancy.StatusClosed {
			t.Fatalf("a\"b is %s", v.Status)
		}
	})
}

// TestExternalIDLimitHoldsForItemsAndCloses: an external id of
// MaxExternalIDLength characters (of three bytes each) is stored and can
// be closed; one character more is refused as too long both as an item
// and as a close entry, rather than looked up as if it could exist.
func TestExternalIDLimitHoldsForItemsAndCloses(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		_, ctx := e.source("devries")
		longest := strings.Repeat("€", vacancy.MaxExternalIDLength)
		tooLong := longest + "x"
		a, b := item(longest), item(tooLong)
		a.Title, b.Title = "Office manager", "Office manager"
		rep := e.sync(ctx, upsert(a, b))
		if rep.Created != 1 || rep.Rejected != 1 || rep.Items[0].Index != 1 || rep.Items[0].Problems[0].Code != vacancy.ProblemTooLong {
			t.Fatalf("items: %+v", rep)
		}
		rep = e.sync(ctx, vacancy.SyncRequest{Mode: vacancy.ModeUpsert, Close: []vacancy.Key{{ExternalID: tooLong}, {ExternalID: longest}}})
		if rep.Closed != 1 || rep.Rejected != 1 || len(rep.Items) != 1 {
			t.Fatalf("close: %+v", rep)
		}
		if got := rep.Items[0]; got.Index != 0 || got.Outcome != vacancy.OutcomeRejected || got.Problems[0].Field != "close" || got.Problems[0].Code != vacancy.ProblemTooLong {
			t.Fatalf("the over-long close entry: %+v", got)
		}
	})
}

func TestInvalidItemsAreRejectedAndTheRestStored(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		src, ctx := e.source("devries", "example.com")
		list := items("a", 8)
		list[1].URL = "javascript:alert(document.cookie)"
		list[2].ValidThrough = "2026-09-01" // before datePosted
		list[3].Salary = &vacancy.SalaryInput{Min: ptr(5000.0), Max: ptr(4000.0), Currency: "EUR", Unit: "MONTH"}
		list[4].RoleSlug = "astronaut"
		list[6].ExternalID = list[5].ExternalID // duplicate within the call: the first copy wins
		list[7].ApplyURL = "https://phish.test/apply"
		rep := e.sync(ctx, upsert(list...))
		if rep.Created != 2 || rep.Rejected != 6 {
			t.Fatalf("report: %+v", rep)
		}
		for index, code := range map[int]vacancy.ProblemCode{
			1: vacancy.ProblemURLScheme, 2: vacancy.ProblemDateOrder, 3: vacancy.ProblemSalaryRange,
			4: vacancy.ProblemUnknownRole, 6: vacancy.ProblemDuplicateInBatch, 7: vacancy.ProblemURLHost,
		} {
			it := listed(rep, index)
			if it == nil || it.Outcome != vacancy.OutcomeRejected || !hasCode(it, code) {
				t.Errorf("item %d: want REJECTED with %s, got %+v", index, code, it)
			}
		}
		if dup := listed(rep, 6); dup == nil || !strings.Contains(dup.Problems[0].Message, "index 5") {
			t.Errorf("the duplicate does not name the first copy's index: %+v", dup)
		}
		stored := e.all(src.ID)
		if len(stored) != 2 || stored["a-0000/nl"] == nil || stored["a-0005/nl"].Title != "Office manager a-0005" {
			t.Fatalf("stored: %v", stored)
		}
		// The same external id in another language is another vacancy.
		en := item("a-0000")
		en.Language = "en"
		if rep := e.sync(ctx, upsert(item("a-0000"), en)); rep.Created != 1 || rep.Unchanged != 1 {
			t.Fatalf("languages: %+v", rep)
		}
	})
}

func TestSnapshotsCloseWhatTheyNoLongerContain(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		src, ctx := e.source("devries")
		all := items("s", 10)
		if rep := e.sync(ctx, snapshot(all...)); rep.Created != 10 || rep.Closed != 0 || !rep.SnapshotCompleted {
			t.Fatalf("first snapshot: %+v", rep)
		}
		// A snapshot of 8 closes the other 2.
		rep := e.sync(ctx, snapshot(all[:8]...))
		if rep.Unchanged != 8 || rep.Closed != 2 {
			t.Fatalf("second snapshot: %+v", rep)
		}
		stored := e.all(src.ID)
		for _, id := range []string{"s-0008/nl", "s-0009/nl"} {
			if v := stored[id]; v.Status != vacancy.StatusClosed || v.ClosedReason != vacancy.ReasonSnapshot {
				t.Fatalf("%s: %s %s", id, v.Status, v.ClosedReason)
			}
		}
		if n := len(e.open(vacancy.Filter{})); n != 8 {
			t.Fatalf("open: %d", n)
		}
		// An item that comes back reopens.
		if rep := e.sync(ctx, snapshot(all[:9]...)); rep.Reopened != 1 || rep.Closed != 0 {
			t.Fatalf("reopen: %+v", rep)
		}
		// An invalid copy of a vacancy in a snapshot keeps it open.
		broken := append([]vacancy.Item(nil), all[:9]...)
		broken[8].URL = "http://insecure.example.com/x"
		if rep := e.sync(ctx, snapshot(broken...)); rep.Rejected != 1 || rep.Closed != 0 {
			t.Fatalf("snapshot with an invalid copy: %+v", rep)
		}
		if v := e.all(src.ID)["s-0008/nl"]; v.Status != vacancy.StatusOpen {
			t.Fatal("an invalid copy in a snapshot closed the stored vacancy")
		}
	})
}

func TestSnapshotAcrossCallsClosesOnlyWhenComplete(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		src, ctx := e.source("devries")
		old := items("old", 4)
		e.sync(ctx, snapshot(old...))

		next := append(items("new", 6), old[:2]...) // old-0002 and old-0003 leave
		part := func(chunk int, items []vacancy.Item, complete bool) vacancy.SyncRequest {
			return vacancy.SyncRequest{Mode: vacancy.ModeSnapshot, Items: items, SnapshotID: "feed-2026-10-20", Chunk: chunk, Complete: &complete}
		}
		if rep := e.sync(ctx, part(1, next[:3], false)); rep.Closed != 0 || rep.SnapshotCompleted {
			t.Fatalf("first part: %+v", rep)
		}
		if rep := e.sync(ctx, part(2, next[3:6], false)); rep.Closed != 0 {
			t.Fatalf("second part: %+v", rep)
		}
		if n := len(e.open(vacancy.Filter{})); n != 10 {
			t.Fatalf("an incomplete snapshot closed something: %d open", n)
		}
		rep := e.sync(ctx, part(3, next[6:], true))
		if rep.Closed != 2 || !rep.SnapshotCompleted {
			t.Fatalf("last part: %+v", rep)
		}
		stored := e.all(src.ID)
		if stored["old-0002/nl"].Status != vacancy.StatusClosed || stored["old-0000/nl"].Status != vacancy.StatusOpen || stored["new-0005/nl"].Status != vacancy.StatusOpen {
			t.Fatal("the wrong vacancies closed")
		}

		// A snapshot id is required to say whether the call completes it,
		// and which chunk it is.
		_, err := e.svc.Sync(ctx, vacancy.SyncRequest{Mode: vacancy.ModeSnapshot, Items: next[:1], SnapshotID: "x", Chunk: 1})
		if apperr.CodeOf(err) != apperr.BadUserInput {
			t.Fatalf("snapshot id without complete: %v", err)
		}
		_, err = e.svc.Sync(ctx, vacancy.SyncRequest{Mode: vacancy.ModeSnapshot, Items: next[:1], SnapshotID: "x", Complete: ptr(true)})
		if apperr.CodeOf(err) != apperr.BadUserInput {
			t.Fatalf("snapshot id without chunk: %v", err)
		}
	})
}

func TestMassClosingSnapshotsAreRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		src, ctx := e.source("devries")
		all := items("m", 10)
		e.sync(ctx, snapshot(all...))

		for name, req := range map[string]vacancy.SyncRequest{
			"empty":         snapshot(),
			"most":          snapshot(all[:4]...),
			"only new ones": snapshot(items("other", 3)...),
		} {
			_, err := e.svc.Sync(ctx, req)
			var coded *apperr.Error
			if !errors.As(err, &coded) || coded.Code != apperr.BadUserInput || coded.Details["field"] != "allowMassClose" {
				t.Fatalf("%s snapshot: %v", name, err)
			}
			if n := len(e.open(vacancy.Filter{})); n != 10 {
				t.Fatalf("%s snapshot: a refused call wrote: %d open", name, n)
			}
		}
		if n := len(e.all(src.ID)); n != 10 {
			t.Fatalf("a refused call stored its items: %d", n)
		}
		// Half is not most.
		if rep := e.sync(ctx, snapshot(all[:5]...)); rep.Closed != 5 {
			t.Fatalf("half: %+v", rep)
		}
		// Allowed explicitly, the source may empty itself.
		req := snapshot()
		req.AllowMassClose = true
		if rep := e.sync(ctx, req); rep.Closed != 5 {
			t.Fatalf("allowed: %+v", rep)
		}
		if n := len(e.open(vacancy.Filter{})); n != 0 {
			t.Fatalf("open after an allowed empty snapshot: %d", n)
		}
	})
}

func TestASourceCannotTouchAnotherSourcesVacancies(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		a, ctxA := e.source("bron-a")
		b, ctxB := e.source("bron-b")
		e.sync(ctxA, snapshot(items("x", 3)...))

		// B names A's external ids: it closes nothing of A's.
		rep := e.sync(ctxB, vacancy.SyncRequest{Mode: vacancy.ModeUpsert, Close: []vacancy.Key{{ExternalID: "x-0000"}, {ExternalID: "x-0001", Language: "nl"}}})
		if rep.Closed != 0 || len(rep.Items) != 2 || rep.Items[0].Outcome != vacancy.OutcomeNotFound {
			t.Fatalf("B closing A's: %+v", rep)
		}
		// B's snapshot is B's alone, even with the same external ids.
		req := snapshot(items("x", 1)...)
		if rep := e.sync(ctxB, req); rep.Created != 1 || rep.Closed != 0 {
			t.Fatalf("B's snapshot: %+v", rep)
		}
		empty := snapshot()
		empty.AllowMassClose = true
		if rep := e.sync(ctxB, empty); rep.Closed != 1 {
			t.Fatalf("B emptying itself: %+v", rep)
		}
		for key, v := range e.all(a.ID) {
			if v.Status != vacancy.StatusOpen {
				t.Fatalf("A's %s is %s after B's syncs", key, v.Status)
			}
		}
		if n := len(e.all(b.ID)); n != 1 {
			t.Fatalf("B has %d vacancies", n)
		}
	})
}

func TestOnlyASourcesTokenSyncs(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		src, ctx := e.source("devries")
		req := upsert(item("a"))
		if _, err := e.svc.Sync(context.Background(), req); apperr.CodeOf(err) != apperr.Unauthenticated {
			t.Fatalf("anonymous: %v", err)
		}
		editor := account.WithPrincipal(context.Background(), account.Principal{UserID: "u1", Role: account.RoleAdmin})
		if _, err := e.svc.Sync(editor, req); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("an admin's token: %v", err)
		}
		wrongScope := account.WithClient(context.Background(), account.Client{ID: src.ID, Scopes: []string{"other"}})
		if _, err := e.svc.Sync(wrongScope, req); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("another scope: %v", err)
		}
		if _, err := e.svc.SetActive(operator, src.ID, false, false); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Sync(ctx, req); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("a disabled source's token: %v", err)
		}
		if _, err := e.svc.SyncSource(ctx, src.ID, req); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("a source naming a source by id: %v", err)
		}
	})
}

// compareReports tells whether two reports say the same, apart from
// whether they were dry runs.
func compareReports(t *testing.T, dry, real *vacancy.Report) {
	t.Helper()
	d, r := *dry, *real
	d.DryRun, r.DryRun = false, false
	if !reflect.DeepEqual(d, r) {
		t.Fatalf("dry run and real run differ:\ndry  %+v\nreal %+v", d, r)
	}
}

func TestDryRunReportsExactlyWhatARealRunDoes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		src, ctx := e.source("devries")
		base := items("d", 6)
		base[5].ValidThrough = "2026-10-21"
		e.sync(ctx, snapshot(base...))
		e.clock.Add(48 * time.Hour) // d-0005 expired meanwhile

		next := append([]vacancy.Item(nil), base[:4]...) // d-0004 leaves
		next[0].Title = "Office manager (gewijzigd)"     // updated
		next = append(next, item("d-new"))               // created
		bad := item("d-bad")
		bad.URL = "javascript:void(0)"
		next = append(next, bad) // rejected
		req := vacancy.SyncRequest{Mode: vacancy.ModeSnapshot, Items: next, IdempotencyKey: "k1"}

		before := e.all(src.ID)
		dryReq := req
		dryReq.DryRun = true
		dry := e.sync(ctx, dryReq)
		if !dry.DryRun {
			t.Fatal("the dry run says it was real")
		}
		if after := e.all(src.ID); !reflect.DeepEqual(before, after) {
			t.Fatal("the dry run wrote")
		}
		st, err := e.svc.Source(operator, src.ID)
		if err != nil {
			t.Fatal(err)
		}
		if st.State.LastReport == nil || st.State.LastReport.Created != 6 {
			t.Fatalf("the dry run replaced the last report: %+v", st.State.LastReport)
		}
		real := e.sync(ctx, req)
		compareReports(t, dry, real)
		if real.Created != 1 || real.Updated != 1 || real.Unchanged != 3 || real.Closed != 1 || real.Expired != 1 || real.Rejected != 1 {
			t.Fatalf("report: %+v", real)
		}
		// The dry run left no idempotency record: the key was first used
		// for real just now, so a replay returns the real report.
		if again := e.sync(ctx, req); !again.Replayed || again.Created != 1 {
			t.Fatalf("replay after a dry run: %+v", again)
		}
	})
}

// failingStore is a real store whose Nth write in a transaction fails, as
// a database that goes away in the middle of a call would.
type failingStore struct {
	vacancy.Store
	failAt int
	writes *int
	mu     *sync.Mutex
}

var errInjected = errors.New("injected database failure")

func (f *failingStore) InTx(ctx context.Context, fn func(vacancy.Store) error) error {
	return f.Store.InTx(ctx, func(tx vacancy.Store) error {
		return fn(&failingStore{Store: tx, failAt: f.failAt, writes: f.writes, mu: f.mu})
	})
}

func (f *failingStore) write() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	*f.writes++
	if *f.writes == f.failAt {
		return errInjected
	}
	return nil
}

func (f *failingStore) UpsertVacancies(ctx context.Context, vs []*vacancy.Vacancy) error {
	if err := f.write(); err != nil {
		return err
	}
	return f.Store.UpsertVacancies(ctx, vs)
}

func (f *failingStore) RecordCall(ctx context.Context, token, callID string, chunk int, seen []string, at time.Time) error {
	if err := f.write(); err != nil {
		return err
	}
	return f.Store.RecordCall(ctx, token, callID, chunk, seen, at)
}

func (f *failingStore) CloseUnseen(ctx context.Context, sourceID, snapshot string, at time.Time) (int, error) {
	if err := f.write(); err != nil {
		return 0, err
	}
	return f.Store.CloseUnseen(ctx, sourceID, snapshot, at)
}

func (f *failingStore) SaveSyncRequest(ctx context.Context, sourceID string, r vacancy.StoredRequest) error {
	if err := f.write(); err != nil {
		return err
	}
	return f.Store.SaveSyncRequest(ctx, sourceID, r)
}

func (f *failingStore) RecordSync(ctx context.Context, sourceID string, report *vacancy.Report, at time.Time) error {
	if err := f.write(); err != nil {
		return err
	}
	return f.Store.RecordSync(ctx, sourceID, report, at)
}

// panickingStore is a real store whose vacancy writes panic.
type panickingStore struct{ vacancy.Store }

func (p panickingStore) InTx(ctx context.Context, fn func(vacancy.Store) error) error {
	return p.Store.InTx(ctx, func(tx vacancy.Store) error { return fn(panickingStore{tx}) })
}

func (panickingStore) UpsertVacancies(context.Context, []*vacancy.Vacancy) error {
	panic("driver bug")
}

// TestAPanickingWriteIsAnError: rows are written on a goroutine of their
// own, while the next batch is normalized; a panic there comes back as the
// call's INTERNAL error, with nothing written, instead of ending the
// process.
func TestAPanickingWriteIsAnError(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e := newEnvWithStore(t, db, panickingStore{store.NewVacancies(db.Gorm)})
		src, ctx := e.source("devries")
		_, err := e.svc.Sync(ctx, upsert(items("a", 600)...))
		if apperr.CodeOf(err) != apperr.Internal {
			t.Fatalf("want INTERNAL, got %v", err)
		}
		if n := len(e.all(src.ID)); n != 0 {
			t.Fatalf("%d vacancies written", n)
		}
	})
}

func TestAFailingDatabaseMidCallWritesNothing(t *testing.T) {
	// The writes of a snapshot call with a key, in order: upsert, record
	// the call, close unseen, save the key, record the sync.
	for failAt := 1; failAt <= 5; failAt++ {
		t.Run(fmt.Sprintf("write%d", failAt), func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *database.DB) {
				writes := 0
				fs := &failingStore{Store: store.NewVacancies(db.Gorm), failAt: -1, writes: &writes, mu: &sync.Mutex{}}
				e := newEnvWithStore(t, db, fs)
				src, ctx := e.source("devries")
				e.sync(ctx, snapshot(items("f", 4)...))
				before := e.all(src.ID)

				next := append(items("f", 2), items("g", 2)...)
				next[0].Title = "Gewijzigd"
				req := vacancy.SyncRequest{Mode: vacancy.ModeSnapshot, Items: next, IdempotencyKey: "once"}
				writes, fs.failAt = 0, failAt
				_, err := e.svc.Sync(ctx, req)
				if !errors.Is(err, errInjected) || apperr.CodeOf(err) != apperr.Internal {
					t.Fatalf("the failure did not fail the call: %v", err)
				}
				if after := e.all(src.ID); !reflect.DeepEqual(before, after) {
					t.Fatalf("a failed call wrote: %d vacancies before, %d after", len(before), len(after))
				}
				st, err := e.svc.Source(operator, src.ID)
				if err != nil {
					t.Fatal(err)
				}
				if st.State.LastError == "" || st.State.LastReport.Created != 4 {
					t.Fatalf("state after the failure: %+v", st.State)
				}
				// The key was not kept: the retry runs for real.
				fs.failAt = -1
				rep := e.sync(ctx, req)
				if rep.Replayed || rep.Created != 2 || rep.Updated != 1 || rep.Closed != 2 {
					t.Fatalf("retry: %+v", rep)
				}
			})
		})
	}
}

// lockObserver is a real store that, once a sync holds its source's lock,
// reports it and waits to be released.
type lockObserver struct {
	vacancy.Store
	locked  chan string
	release chan struct{}
	hold    func(sourceID string) bool
}

func (l *lockObserver) InTx(ctx context.Context, fn func(vacancy.Store) error) error {
	return l.Store.InTx(ctx, func(tx vacancy.Store) error {
		return fn(&lockObserver{Store: tx, locked: l.locked, release: l.release, hold: l.hold})
	})
}

func (l *lockObserver) LockSource(ctx context.Context, id string) error {
	if err := l.Store.LockSource(ctx, id); err != nil {
		return err
	}
	if l.hold(id) {
		l.locked <- id
		<-l.release
	}
	return nil
}

func TestConcurrentSyncsOfOneSourceRunOneAfterAnother(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		obs := &lockObserver{Store: store.NewVacancies(db.Gorm), locked: make(chan string, 4), release: make(chan struct{})}
		holdFirst := sync.Once{}
		obs.hold = func(string) bool {
			hold := false
			holdFirst.Do(func() { hold = true })
			return hold
		}
		e := newEnvWithStore(t, db, obs)
		src, ctx := e.source("devries")
		other, otherCtx := e.source("andere-bron")

		// Same key, same payload, at the same time: exactly one creates,
		// the other, serialized behind it, replays its report.
		req := upsert(items("c", 5)...)
		req.IdempotencyKey = "concurrent"
		reports := make(chan *vacancy.Report, 2)
		errs := make(chan error, 2)
		run := func() {
			rep, err := e.svc.Sync(ctx, req)
			reports <- rep
			errs <- err
		}
		go run()
		if id := <-obs.locked; id != src.ID {
			t.Fatalf("locked %s", id)
		}
		go run()
		if db.Dialect == database.Postgres {
			waitForAdvisoryLockWaiter(t, db)
			// Another source is not held up meanwhile.
			if rep := e.sync(otherCtx, upsert(items("o", 2)...)); rep.Created != 2 {
				t.Fatalf("the other source: %+v", rep)
			}
			if n := len(e.all(other.ID)); n != 2 {
				t.Fatalf("the other source has %d", n)
			}
		}
		close(obs.release)
		var created, replayed int
		for range 2 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
			rep := <-reports
			created += rep.Created
			if rep.Replayed {
				replayed++
			}
		}
		if created != 10 || replayed != 1 {
			t.Fatalf("created %d (reported twice: 10), replayed %d", created, replayed)
		}
		if n := len(e.all(src.ID)); n != 5 {
			t.Fatalf("%d vacancies", n)
		}
	})
}

// waitForAdvisoryLockWaiter returns once a session waits for an advisory
// lock: the second sync is queued behind the first, not running beside it.
func waitForAdvisoryLockWaiter(t *testing.T, db *database.DB) {
	t.Helper()
	for range 6000 { // up to a minute, for slow machines; it returns as soon as it sees the waiter
		var n int
		if err := db.Gorm.Raw("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted").Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the second sync never waited for the first one's lock")
}

func TestExpiredVacanciesAreNeverServed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		src, ctx := e.source("devries")
		short := item("kort")
		short.ValidThrough = "2026-10-22"
		long := item("lang")
		e.sync(ctx, upsert(short, long))
		if n := len(e.open(vacancy.Filter{})); n != 2 {
			t.Fatalf("open: %d", n)
		}
		// Past the end of 22 October in Amsterdam, nobody has synced and no
		// job has run: the read already leaves it out.
		e.clock.Set(time.Date(2026, 10, 22, 22, 0, 1, 0, time.UTC))
		open := e.open(vacancy.Filter{})
		if len(open) != 1 || open[0].ExternalID != "lang" {
			t.Fatalf("served after expiry: %d", len(open))
		}
		if got, err := e.svc.OpenByID(context.Background(), []string{e.all(src.ID)["kort/nl"].ID}); err != nil || len(got) != 0 {
			t.Fatalf("by id after expiry: %v %v", got, err)
		}
		if n, err := e.svc.CountOpen(context.Background(), vacancy.Filter{}); err != nil || n != 1 {
			t.Fatalf("count: %d %v", n, err)
		}
		// The job marks it expired, as of its validThrough.
		if n, err := e.svc.ExpireDue(context.Background()); err != nil || n != 1 {
			t.Fatalf("expire: %d %v", n, err)
		}
		v := e.all(src.ID)["kort/nl"]
		if v.Status != vacancy.StatusExpired || !v.ClosedAt.Equal(time.Date(2026, 10, 22, 22, 0, 0, 0, time.UTC)) {
			t.Fatalf("expired: %s at %v", v.Status, v.ClosedAt)
		}
		// Sent again unchanged it stays expired; extended, it reopens.
		if rep := e.sync(ctx, upsert(short)); rep.Unchanged != 1 {
			t.Fatalf("unchanged expired: %+v", rep)
		}
		short.ValidThrough = "2026-11-30"
		if rep := e.sync(ctx, upsert(short)); rep.Reopened != 1 {
			t.Fatalf("extended: %+v", rep)
		}
	})
}

func TestStaleItemsChangeNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		src, ctx := e.source("devries")
		v1 := item("st")
		v1.SourceUpdatedAt = "2026-10-10T10:00:00Z"
		e.sync(ctx, upsert(v1))
		// The same content, newer: unchanged, but the newer time is kept.
		v2 := v1
		v2.SourceUpdatedAt = "2026-10-12T10:00:00Z"
		if rep := e.sync(ctx, upsert(v2)); rep.Unchanged != 1 {
			t.Fatalf("newer, same: %+v", rep)
		}
		// An older change, delivered late, is stale and changes nothing.
		old := v1
		old.SourceUpdatedAt = "2026-10-11T10:00:00Z"
		old.Title = "Oude titel"
		rep := e.sync(ctx, upsert(old))
		if rep.Stale != 1 || rep.Updated != 0 || rep.Items[0].Outcome != vacancy.OutcomeStale {
			t.Fatalf("stale: %+v", rep)
		}
		if v := e.all(src.ID)["st/nl"]; v.Title != "Office manager st" {
			t.Fatalf("a stale item changed the title to %q", v.Title)
		}
	})
}

func TestSecretRotationKeepsTwoActive(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		src, first, err := e.svc.CreateSource(operator, vacancy.NewSource{Name: "devries"})
		if err != nil {
			t.Fatal(err)
		}
		clients, err := account.NewClients(store.NewVacancies(db.Gorm), account.ClientConfig{Keys: testKeys(t)})
		if err != nil {
			t.Fatal(err)
		}
		works := func(c vacancy.Credentials) bool {
			_, err := clients.IssueToken(context.Background(), c.ClientID, c.ClientSecret, "", "")
			return err == nil
		}
		_, second, err := e.svc.RotateSecret(operator, src.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		if !works(first) || !works(second) {
			t.Fatal("during a rotation both secrets must work")
		}
		_, third, err := e.svc.RotateSecret(operator, src.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		if works(first) || !works(second) || !works(third) {
			t.Fatal("a third secret must retire the first")
		}
		got, fourth, err := e.svc.RotateSecret(operator, src.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		if works(second) || works(third) || !works(fourth) {
			t.Fatal("revokeOthers must leave only the new secret")
		}
		if activeSecrets(got.Secrets) != 1 || len(got.Secrets) != 4 {
			t.Fatalf("secrets: %+v", got.Secrets)
		}
		if _, err := e.svc.SetActive(operator, src.ID, false, false); err != nil {
			t.Fatal(err)
		}
		if works(fourth) {
			t.Fatal("a disabled source got a token")
		}
		editor := account.WithPrincipal(context.Background(), account.Principal{UserID: "u1", Role: account.RoleEditor})
		if _, _, err := e.svc.RotateSecret(editor, src.ID, false); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("an editor rotated a secret: %v", err)
		}
	})
}

func activeSecrets(list []vacancy.Secret) int {
	n := 0
	for _, s := range list {
		if s.Active() {
			n++
		}
	}
	return n
}

func testKeys(t testing.TB) *account.KeyRing {
	t.Helper()
	keys, err := account.NewKeyRing([]byte("vacancy-test-secret-vacancy-test-secret"))
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

func TestPublicListFiltersAndPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		_, ctx := e.source("devries")
		var list []vacancy.Item
		for i := range 25 {
			it := item(fmt.Sprintf("p-%02d", i))
			it.DatePosted = fmt.Sprintf("2026-10-%02d", i%19+1)
			if i%2 == 0 {
				it.RoleSlug, it.EmploymentTypes, it.WorkplaceType = "personal-assistant", []string{"deeltijd"}, "remote"
				it.Locations = []vacancy.Location{{Locality: "Amsterdam", Region: "Noord-Holland", Country: "NL"}}
			}
			if i%5 == 0 {
				it.Language = "en"
			}
			list = append(list, it)
		}
		e.sync(ctx, upsert(list...))

		checkPagesNewestFirst(t, e, 25)
		count := func(f vacancy.Filter) int {
			n, err := e.svc.CountOpen(context.Background(), f)
			if err != nil {
				t.Fatal(err)
			}
			if got := len(e.open(f)); got != n {
				t.Fatalf("filter %+v: listed %d, counted %d", f, got, n)
			}
			return n
		}
		for name, c := range map[string]struct {
			f    vacancy.Filter
			want int
		}{
			"role":       {vacancy.Filter{RoleSlug: "personal-assistant"}, 13},
			"role (en)":  {vacancy.Filter{RoleSlug: "office-manager"}, 12},
			"city":       {vacancy.Filter{Location: "AMSTERDAM"}, 13},
			"region":     {vacancy.Filter{Location: "noord-holland"}, 13},
			"country":    {vacancy.Filter{Location: "nl"}, 25},
			"employment": {vacancy.Filter{EmploymentType: "PART_TIME"}, 13},
			"workplace":  {vacancy.Filter{WorkplaceType: "REMOTE"}, 13},
			"language":   {vacancy.Filter{Language: "en"}, 5},
			"posted":     {vacancy.Filter{PostedAfter: time.Date(2026, 10, 17, 22, 0, 0, 0, time.UTC)}, 2}, // 18 October, Amsterdam
			"combined":   {vacancy.Filter{RoleSlug: "personal-assistant", Language: "en"}, 3},
			"wildcards":  {vacancy.Filter{Location: "%"}, 0},
		} {
			if got := count(c.f); got != c.want {
				t.Errorf("%s: %d, want %d", name, got, c.want)
			}
		}
		if _, err := e.svc.Open(context.Background(), vacancy.Filter{RoleSlug: "astronaut"}, vacancy.Page{Limit: 5}); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("unknown role slug: %v", err)
		}
		pages, err := e.svc.OpenForRoles(context.Background(), []string{roleID(t, e, "office-manager"), roleID(t, e, "personal-assistant")}, 4)
		if err != nil {
			t.Fatal(err)
		}
		for id, l := range pages {
			if len(l.Items) != 4 || !l.HasNextPage {
				t.Fatalf("role %s: %d items, next %v", id, len(l.Items), l.HasNextPage)
			}
			for _, v := range l.Items {
				if v.RoleID != id {
					t.Fatalf("role %s got a vacancy of %s", id, v.RoleID)
				}
			}
		}
	})
}

// checkPagesNewestFirst pages through all open vacancies, total of them,
// and checks they come newest first by (datePosted, id), across equal dates.
func checkPagesNewestFirst(t *testing.T, e *env, total int) {
	t.Helper()
	var seen []*vacancy.Vacancy
	page := vacancy.Page{Limit: 7}
	for {
		l, err := e.svc.Open(context.Background(), vacancy.Filter{}, page)
		if err != nil {
			t.Fatal(err)
		}
		seen = append(seen, l.Items...)
		if !l.HasNextPage {
			break
		}
		last := l.Items[len(l.Items)-1]
		page.After = &vacancy.Cursor{Posted: last.DatePosted.At, ID: last.ID}
	}
	if len(seen) != total {
		t.Fatalf("paged through %d of %d", len(seen), total)
	}
	for i := 1; i < len(seen); i++ {
		a, b := seen[i-1], seen[i]
		if a.DatePosted.At.Before(b.DatePosted.At) || (a.DatePosted.At.Equal(b.DatePosted.At) && a.ID < b.ID) {
			t.Fatalf("not newest first at %d", i)
		}
	}
}

func roleID(t *testing.T, e *env, slug string) string {
	t.Helper()
	ids, err := e.store.RoleIDsBySlug(context.Background(), []string{slug})
	if err != nil || ids[slug] == "" {
		t.Fatalf("role %s: %v", slug, err)
	}
	return ids[slug]
}

// poison makes the database fail any write of a vacancy whose external id
// starts with "poison", as a transient infrastructure error would: the
// call rolls back and reports INTERNAL.
func poison(t *testing.T, db *database.DB) {
	t.Helper()
	stmts := []string{`CREATE TRIGGER poison BEFORE INSERT ON vacancies WHEN NEW.external_id LIKE 'poison%'
		BEGIN SELECT RAISE(ABORT, 'injected failure'); END`}
	if db.Dialect == database.Postgres {
		stmts = []string{
			`CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$
			 BEGIN IF NEW.external_id LIKE 'poison%' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$`,
			`CREATE TRIGGER poison BEFORE INSERT OR UPDATE ON vacancies FOR EACH ROW EXECUTE FUNCTION poison()`,
		}
	}
	for _, s := range stmts {
		if err := db.Gorm.Exec(s).Error; err != nil {
			t.Fatal(err)
		}
	}
}

func TestAFailedChunkBlocksTheSnapshotsClose(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		src, ctx := e.source("devries")
		all := items("a", 6)
		e.sync(ctx, snapshot(all...))
		poison(t, db)

		part := func(chunk int, complete bool, items ...vacancy.Item) vacancy.SyncRequest {
			return vacancy.SyncRequest{Mode: vacancy.ModeSnapshot, Items: items, SnapshotID: "feed-2", Chunk: chunk, Complete: &complete}
		}
		e.sync(ctx, part(1, false, all[0], all[1]))
		// Chunk 2 fails on a database error; the client carries on.
		_, err := e.svc.Sync(ctx, part(2, false, all[2], all[3], item("poison-1")))
		if apperr.CodeOf(err) != apperr.Internal {
			t.Fatalf("the injected failure did not fail chunk 2: %v", err)
		}
		rep := e.sync(ctx, part(3, true, all[4]))
		if rep.SnapshotCompleted || rep.Closed != 0 || !reflect.DeepEqual(rep.MissingChunks, []int{2}) {
			t.Fatalf("completing with chunk 2 missing: %+v", rep)
		}
		if n := len(e.open(vacancy.Filter{})); n != 6 {
			t.Fatalf("a snapshot with a failed chunk closed vacancies: %d of 6 open", n)
		}
		// Once chunk 2 arrives, the last chunk sent again completes it and
		// closes only what the whole snapshot left out.
		e.sync(ctx, part(2, false, all[2], all[3]))
		rep = e.sync(ctx, part(3, true, all[4]))
		if !rep.SnapshotCompleted || rep.Closed != 1 || len(rep.MissingChunks) != 0 {
			t.Fatalf("completing after the retry: %+v", rep)
		}
		if v := e.all(src.ID)["a-0005/nl"]; v.Status != vacancy.StatusClosed {
			t.Fatalf("a-0005 is %s", v.Status)
		}

		// A chunk that never came blocks it too; so does a last chunk
		// numbered below one stored.
		rep = e.sync(ctx, part(2, true, all[:5]...))
		if rep.SnapshotCompleted || !reflect.DeepEqual(rep.MissingChunks, []int{1}) {
			t.Fatalf("snapshot without chunk 1: %+v", rep)
		}
		_, err = e.svc.Sync(ctx, part(1, true, all[:5]...))
		if apperr.CodeOf(err) != apperr.BadUserInput {
			t.Fatalf("complete at chunk 1 after chunk 2: %v", err)
		}
	})
}

func TestReopeningKeepsTheOriginalDatePosted(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		src, ctx := e.source("devries")
		first := item("r")
		created := e.sync(ctx, upsert(first))
		if created.Created != 1 {
			t.Fatalf("create: %+v", created)
		}
		id := e.all(src.ID)["r/nl"].ID
		e.sync(ctx, vacancy.SyncRequest{Mode: vacancy.ModeUpsert, Close: []vacancy.Key{{ExternalID: "r"}}})

		// It comes back with a new datePosted: same vacancy, same posting.
		e.clock.Add(24 * time.Hour)
		back := item("r")
		back.DatePosted = "2026-10-20"
		rep := e.sync(ctx, upsert(back))
		if rep.Reopened != 1 || !hasCode(listed(rep, 0), vacancy.ProblemDatePostedKept) {
			t.Fatalf("reopen: %+v", rep)
		}
		v := e.all(src.ID)["r/nl"]
		if v.ID != id || v.Status != vacancy.StatusOpen || v.DatePosted.Text != "2026-10-01" {
			t.Fatalf("reopened as %s %s posted %s", v.ID, v.Status, v.DatePosted.Text)
		}
		// Sending that date again changes nothing.
		if rep := e.sync(ctx, upsert(back)); rep.Unchanged != 1 {
			t.Fatalf("again: %+v", rep)
		}
		// A repost takes the new date.
		back.Repost = true
		if rep := e.sync(ctx, upsert(back)); rep.Updated != 1 {
			t.Fatalf("repost: %+v", rep)
		}
		if v := e.all(src.ID)["r/nl"]; v.ID != id || v.DatePosted.Text != "2026-10-20" {
			t.Fatalf("after the repost: %s posted %s", v.ID, v.DatePosted.Text)
		}
	})
}

func TestWhereTheJobIs(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		src, ctx := e.source("devries")
		onsite, hybrid, remote, remoteNL := item("onsite"), item("hybrid"), item("remote"), item("remote-nl")
		onsite.WorkplaceType, onsite.Locations = "ONSITE", nil
		hybrid.WorkplaceType, hybrid.Locations = "hybride", []vacancy.Location{{}}
		remote.WorkplaceType, remote.Locations = "REMOTE", nil
		remoteNL.WorkplaceType, remoteNL.Locations = "REMOTE", []vacancy.Location{{Country: "Nederland"}}
		rep := e.sync(ctx, upsert(onsite, hybrid, remote, remoteNL))
		if rep.Created != 2 || rep.Rejected != 2 || rep.Warnings != 1 {
			t.Fatalf("report: %+v", rep)
		}
		for i := range 2 {
			it := listed(rep, i)
			if it == nil || it.Outcome != vacancy.OutcomeRejected || it.Problems[0].Field != "locations" || it.Problems[0].Code != vacancy.ProblemRequired {
				t.Errorf("item %d without a location: %+v", i, it)
			}
		}
		if it := listed(rep, 2); it == nil || it.Outcome != vacancy.OutcomeCreated || !hasCode(it, vacancy.ProblemNoJobPosting) {
			t.Errorf("remote without a country: %+v", it)
		}
		if it := listed(rep, 3); it != nil {
			t.Errorf("remote with a country: %+v", it)
		}
		stored := e.all(src.ID)
		if stored["onsite/nl"] != nil || stored["hybrid/nl"] != nil || stored["remote/nl"] == nil {
			t.Fatalf("stored: %v", stored)
		}
	})
}

func TestCurrenciesAreCodesOrReportedAliases(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		src, ctx := e.source("devries")
		var list []vacancy.Item
		for i, cur := range []string{"EURO", "eur", "CHF", "NLG", "XYZ", "€"} {
			it := item(fmt.Sprintf("c-%d", i))
			it.Salary.Currency = cur
			list = append(list, it)
		}
		rep := e.sync(ctx, upsert(list...))
		if rep.Created != 4 || rep.Rejected != 2 || rep.Warnings != 2 {
			t.Fatalf("report: %+v", rep)
		}
		for i, code := range map[int]vacancy.ProblemCode{0: vacancy.ProblemCurrencyMapped, 5: vacancy.ProblemCurrencyMapped,
			3: vacancy.ProblemInvalidCurrency, 4: vacancy.ProblemInvalidCurrency} {
			if it := listed(rep, i); !hasCode(it, code) {
				t.Errorf("item %d: want %s, got %+v", i, code, it)
			}
		}
		stored := e.all(src.ID)
		for id, want := range map[string]string{"c-0/nl": "EUR", "c-1/nl": "EUR", "c-2/nl": "CHF", "c-5/nl": "EUR"} {
			if got := stored[id].Salary.Currency; got != want {
				t.Errorf("%s stored in %s, want %s", id, got, want)
			}
		}
	})
}

func TestAnUnchangedSnapshotWritesNoVacancyRow(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		src, ctx := e.source("devries")
		all := items("u", 6)
		send := func(id string) {
			for c := 1; c <= 3; c++ {
				last := c == 3
				rep := e.sync(ctx, vacancy.SyncRequest{Mode: vacancy.ModeSnapshot, Items: all[2*(c-1) : 2*c], SnapshotID: id, Chunk: c, Complete: &last})
				if last && (!rep.SnapshotCompleted || rep.Closed != 0) {
					t.Fatalf("%s: %+v", id, rep)
				}
			}
		}
		send("first")
		before := e.all(src.ID)
		versions := rowVersions(t, db)
		e.clock.Add(time.Hour)
		send("again")
		if after := e.all(src.ID); !reflect.DeepEqual(before, after) {
			t.Fatal("an unchanged snapshot changed vacancies")
		}
		if now := rowVersions(t, db); !reflect.DeepEqual(versions, now) {
			t.Fatalf("an unchanged snapshot wrote vacancy rows: %v -> %v", versions, now)
		}
		// What it did not contain still closes.
		send2 := all[:4]
		last := true
		rep := e.sync(ctx, vacancy.SyncRequest{Mode: vacancy.ModeSnapshot, Items: send2, SnapshotID: "third", Chunk: 1, Complete: &last})
		if rep.Closed != 2 || rep.Unchanged != 4 {
			t.Fatalf("third: %+v", rep)
		}
	})
}

// rowVersions identifies each vacancy row's version: PostgreSQL's xmin, or
// on SQLite (which has none) the row's full text.
func rowVersions(t testing.TB, db *database.DB) map[string]string {
	t.Helper()
	q := `SELECT id, xmin::text AS version FROM vacancies`
	if db.Dialect != database.Postgres {
		q = `SELECT id, json_array(last_seen_at, seen_snapshot, updated_at, content_hash, status) AS version FROM vacancies`
	}
	var rows []struct{ ID, Version string }
	if err := db.Gorm.Raw(q).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range rows {
		out[r.ID] = r.Version
	}
	return out
}

func TestAnItemSentAgainIsCheckedAgainWhenTheSourcesSettingsChange(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		src, ctx := e.source("devries", "example.com")
		it := item("h")
		if rep := e.sync(ctx, upsert(it)); rep.Created != 1 {
			t.Fatalf("first: %+v", rep)
		}
		if rep := e.sync(ctx, upsert(it)); rep.Unchanged != 1 {
			t.Fatalf("again: %+v", rep)
		}
		// The same item, under narrower allowed hosts, is rejected: an
		// unchanged input is recognised only under unchanged settings.
		if _, err := e.svc.UpdateSource(operator, src.ID, vacancy.SourceUpdate{AllowedHosts: &[]string{"other.example.org"}}); err != nil {
			t.Fatal(err)
		}
		if rep := e.sync(ctx, upsert(it)); rep.Rejected != 1 || !hasCode(listed(rep, 0), vacancy.ProblemURLHost) {
			t.Fatalf("after the hosts changed: %+v", rep)
		}
	})
}

// A call large enough to be normalized on several goroutines reports
// every item at its own index, as a small one does.
func TestALargeCallReportsEachItemAtItsIndex(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		src, ctx := e.source("devries")
		list := items("l", 300)
		for i := 7; i < len(list); i += 37 {
			list[i].URL = "http://insecure.example.com/" + list[i].ExternalID
		}
		list[299].ExternalID = list[3].ExternalID
		rep := e.sync(ctx, upsert(list...))
		if rep.Created != 291 || rep.Rejected != 9 {
			t.Fatalf("report: %d created, %d rejected", rep.Created, rep.Rejected)
		}
		for i := 7; i < len(list); i += 37 {
			if it := listed(rep, i); it == nil || it.ExternalID != list[i].ExternalID || !hasCode(it, vacancy.ProblemURLScheme) {
				t.Errorf("item %d: %+v", i, it)
			}
		}
		if it := listed(rep, 299); !hasCode(it, vacancy.ProblemDuplicateInBatch) {
			t.Errorf("item 299: %+v", it)
		}
		if got := e.all(src.ID)["l-0100/nl"]; got == nil || got.Title != "Office manager l-0100" {
			t.Fatalf("l-0100 stored as %+v", got)
		}
		if rep := e.sync(ctx, upsert(list...)); rep.Unchanged != 291 || rep.Rejected != 9 {
			t.Fatalf("again: %d unchanged, %d rejected", rep.Unchanged, rep.Rejected)
		}
	})
}
