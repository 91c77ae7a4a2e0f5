package vacancy_test

import (
	"context"
	"fmt"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/store"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
)

const (
	benchVacancies = 10_000
	benchCallSize  = 500
)

// benchItems are n realistic items: a description of about 1.5 KB, two
// locations, hours, a salary, and a role.
func benchItems(n int) []vacancy.Item {
	desc := "<p>" + strings.Repeat("Je zorgt dat het kantoor soepel draait, van inkoop tot planning. ", 12) + "</p>" +
		"<ul><li>Budgetten beheren</li><li>Leveranciers aansturen</li><li>Het secretariaat coördineren</li></ul>" +
		"<p><strong>Wat vragen we?</strong> Hbo-denkniveau en een paar jaar ervaring.</p>"
	out := make([]vacancy.Item, n)
	for i := range out {
		it := item(fmt.Sprintf("bench-%05d", i))
		it.Description = desc
		it.Locations = append(it.Locations, vacancy.Location{Locality: "Amersfoort", Region: "Utrecht", Country: "NL"})
		if i%2 == 1 {
			it.RoleSlug = "personal-assistant"
		}
		out[i] = it
	}
	return out
}

// peakHeap samples the live heap every millisecond, without stopping the
// world, until stop is called; it returns the highest value seen.
func peakHeap() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		wg.Wait()
		return peak.Load()
	}
}

// syncSnapshot sends items as one snapshot in calls of benchCallSize and
// returns the summed counts.
func syncSnapshot(b *testing.B, svc *vacancy.Service, ctx context.Context, items []vacancy.Item, id string) (created, unchanged int) {
	for start := 0; start < len(items); start += benchCallSize {
		end := min(start+benchCallSize, len(items))
		last := end == len(items)
		req := vacancy.SyncRequest{Mode: vacancy.ModeSnapshot, Items: items[start:end], SnapshotID: id, Chunk: start/benchCallSize + 1, Complete: &last}
		rep, err := svc.Sync(ctx, req)
		if err != nil {
			b.Fatal(err)
		}
		if rep.Rejected != 0 {
			b.Fatalf("rejected: %+v", rep.Items[0])
		}
		created += rep.Created
		unchanged += rep.Unchanged
	}
	return created, unchanged
}

// BenchmarkSnapshotSync10k syncs a snapshot of 10,000 vacancies for one
// source in calls of 500, then the same snapshot again (every item
// unchanged). For scale it also times writing the same 10,000 normalised
// rows with the store's multi-row INSERT alone (no checks, no lookups):
// the floor any sync has to pay. rows-written counts the vacancy rows the
// unchanged re-sync wrote: on PostgreSQL those whose xmin (the transaction
// that wrote the row version) changed, on SQLite those whose sync columns
// changed. Run it with
//
//	WERKWIJZER_REQUIRE_POSTGRES=1 go test -run '^$' -bench SnapshotSync10k -benchtime 3x ./internal/vacancy/
func BenchmarkSnapshotSync10k(b *testing.B) {
	items := benchItems(benchVacancies)
	for name, open := range map[string]func(testing.TB) *database.DB{"postgres": dbtest.Postgres, "sqlite": dbtest.SQLite} {
		b.Run(name, func(b *testing.B) {
			var first, again, baseline time.Duration
			var peak, allocated uint64
			var calls, stmts, written int
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				db := open(b)
				e := newEnv(b, db)
				_, ctx := e.source("bench")
				counter := dbtest.CountStatements(db)
				runtime.GC()
				var before runtime.MemStats
				runtime.ReadMemStats(&before)
				stop := peakHeap()
				counter.Reset()
				b.StartTimer()

				start := time.Now()
				created, _ := syncSnapshot(b, e.svc, ctx, items, fmt.Sprintf("first-%d", i))
				first += time.Since(start)

				b.StopTimer()
				stmts += counter.Count()
				calls += (len(items) + benchCallSize - 1) / benchCallSize
				var after runtime.MemStats
				runtime.ReadMemStats(&after)
				allocated += after.TotalAlloc - before.TotalAlloc
				versions := rowVersions(b, db)
				b.StartTimer()

				start = time.Now()
				_, unchanged := syncSnapshot(b, e.svc, ctx, items, fmt.Sprintf("again-%d", i))
				again += time.Since(start)

				b.StopTimer()
				for id, v := range rowVersions(b, db) {
					if versions[id] != v {
						written++
					}
				}
				if p := stop(); p > peak {
					peak = p
				}
				if created != benchVacancies || unchanged != benchVacancies {
					b.Fatalf("created %d, then %d unchanged", created, unchanged)
				}
				baseline += insertBaseline(b, db, e, items)
			}
			n := float64(b.N)
			b.ReportMetric(first.Seconds()/n, "first-s")
			b.ReportMetric(again.Seconds()/n, "unchanged-s")
			b.ReportMetric(baseline.Seconds()/n, "insert-only-s")
			b.ReportMetric(again.Seconds()/first.Seconds(), "unchanged/first")
			b.ReportMetric(first.Seconds()/baseline.Seconds(), "first/insert-only")
			b.ReportMetric(float64(benchVacancies)*n/first.Seconds(), "first-rows/s")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
			b.ReportMetric(float64(allocated)/n/(1<<20), "first-alloc-MB")
			b.ReportMetric(float64(stmts)/float64(calls), "stmts/call")
			b.ReportMetric(float64(written)/n, "rows-written")
		})
	}
}

// insertBaseline writes the same items, already normalised, for another
// source straight through the store's multi-row upsert, and returns how
// long that took.
func insertBaseline(b *testing.B, db *database.DB, e *env, items []vacancy.Item) time.Duration {
	src, _ := e.source("baseline")
	roles, err := e.store.RoleIDsBySlug(context.Background(), []string{"office-manager", "personal-assistant"})
	if err != nil {
		b.Fatal(err)
	}
	now := e.clock.Now()
	rows := make([]*vacancy.Vacancy, len(items))
	for i, it := range items {
		v, ps, err := vacancy.Normalize(src, roles, now, it)
		if err != nil || vacancy.Rejected(ps) {
			b.Fatalf("%v %+v", err, ps)
		}
		v.ID = fmt.Sprintf("00000000-0000-7000-8000-%012d", i)
		v.FirstSeenAt, v.LastSeenAt, v.CreatedAt, v.UpdatedAt = now, now, now, now
		rows[i] = &v
	}
	st := store.NewVacancies(db.Gorm)
	b.StartTimer()
	start := time.Now()
	for s := 0; s < len(rows); s += benchCallSize {
		batch := rows[s:min(s+benchCallSize, len(rows))]
		if err := st.InTx(context.Background(), func(tx vacancy.Store) error { return tx.UpsertVacancies(context.Background(), batch) }); err != nil {
			b.Fatal(err)
		}
	}
	d := time.Since(start)
	b.StopTimer()
	return d
}
