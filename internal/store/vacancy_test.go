package store_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/store"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
)

var vacT0 = time.Date(2026, 10, 20, 9, 30, 0, 0, time.UTC)

func vacSource(id, name string) *vacancy.Source {
	return &vacancy.Source{
		ID: id, Name: name, Kind: vacancy.KindPush, AllowedHosts: []string{"example.com"},
		RoleRules: []vacancy.RoleRule{}, Language: "nl", TimeZone: "Europe/Amsterdam", Active: true,
		CreatedAt: vacT0, UpdatedAt: vacT0,
	}
}

func vacSecret(id string) vacancy.SecretRecord {
	hash := fmt.Sprintf("%064x", id[len(id)-4:]) // the schema wants 64 hex digits, as a SHA-256 is
	return vacancy.SecretRecord{ID: id, Hash: hash, Hint: "…" + id[len(id)-4:], CreatedAt: vacT0}
}

// createSource stores a source with one secret the way the service does:
// inside InTx.
func createSource(t *testing.T, s *store.Vacancies, src *vacancy.Source, secret vacancy.SecretRecord) error {
	t.Helper()
	return s.InTx(context.Background(), func(tx vacancy.Store) error { return tx.CreateSource(context.Background(), src, secret) })
}

// TestVacanciesSourceSettingsIsOneStatementWithoutSecretsOrReport: what a
// sync call reads of its source is the settings, in one statement, without
// the secrets and without the last report (which every call writes).
func TestVacanciesSourceSettingsIsOneStatementWithoutSecretsOrReport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		s := store.NewVacancies(db.Gorm)
		want := vacSource("01900000-0000-7000-8000-000000000001", "devries")
		want.RoleRules = []vacancy.RoleRule{{Field: "category", Pattern: "kantoor", Role: "office-manager"}}
		if err := createSource(t, s, want, vacSecret("01900000-0000-7000-8000-0000000000a1")); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordSync(ctx, want.ID, &vacancy.Report{SourceID: want.ID, Created: 3, Items: []vacancy.ItemReport{}}, vacT0); err != nil {
			t.Fatal(err)
		}
		counter := dbtest.CountStatements(db)
		counter.Reset()
		got, err := s.SourceSettings(ctx, want.ID)
		if err != nil {
			t.Fatal(err)
		}
		if n := counter.Count(); n != 1 {
			t.Errorf("%d statements, want 1", n)
		}
		if got.Secrets != nil || got.State.LastReport != nil {
			t.Errorf("read more than the settings: secrets %+v, last report %+v", got.Secrets, got.State.LastReport)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("settings:\n got %+v\nwant %+v", got, want)
		}
		full, err := s.Source(ctx, want.ID)
		if err != nil || len(full.Secrets) != 1 || full.State.LastReport == nil {
			t.Fatalf("Source still reads secrets and report: %+v, %v", full, err)
		}
		if _, err := s.SourceSettings(ctx, "01900000-0000-7000-8000-00000000dead"); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("unknown source: %v", err)
		}
	})
}

// TestVacanciesCreateSourceIsAtomicInInTx: CreateSource has no
// transaction of its own; InTx makes the source and its secret one
// write, so a secret that cannot be stored leaves no source behind, and a
// taken name is a CONFLICT.
func TestVacanciesCreateSourceIsAtomicInInTx(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		s := store.NewVacancies(db.Gorm)
		secret := vacSecret("01900000-0000-7000-8000-0000000000a1")
		if err := createSource(t, s, vacSource("01900000-0000-7000-8000-000000000001", "devries"), secret); err != nil {
			t.Fatal(err)
		}
		// The same secret id again: the second insert fails after the
		// source's own insert succeeded.
		if err := createSource(t, s, vacSource("01900000-0000-7000-8000-000000000002", "jansen"), secret); err == nil {
			t.Fatal("a duplicate secret id was stored")
		}
		if _, err := s.SourceByName(ctx, "jansen"); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("the source of the failed create was kept: %v", err)
		}
		err := createSource(t, s, vacSource("01900000-0000-7000-8000-000000000003", "devries"), vacSecret("01900000-0000-7000-8000-0000000000a3"))
		if apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("taken name: %v", err)
		}
		list, err := s.Sources(ctx)
		if err != nil || len(list) != 1 || len(list[0].Secrets) != 1 {
			t.Fatalf("sources: %+v, %v", list, err)
		}
	})
}

// TestVacanciesLookUpsSpanSeveralBatches: id lists longer than one bind
// batch (500) are looked up in several statements and nothing is lost at
// the edges of a batch.
func TestVacanciesLookUpsSpanSeveralBatches(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		s := store.NewVacancies(db.Gorm)
		src := vacSource("01900000-0000-7000-8000-000000000001", "devries")
		if err := createSource(t, s, src, vacSecret("01900000-0000-7000-8000-0000000000a1")); err != nil {
			t.Fatal(err)
		}
		ids := make([]string, 1201)
		for i := range ids {
			ids[i] = fmt.Sprintf("ext-%04d", i)
		}
		var rows []*vacancy.Vacancy
		for n, i := range []int{0, 499, 500, 1000, 1200} {
			rows = append(rows, &vacancy.Vacancy{
				ID: fmt.Sprintf("01900000-0000-7000-8000-1000000000%02d", n), SourceID: src.ID, ExternalID: ids[i], Language: "nl",
				Title: "Office manager", Description: "<p>Werk</p>", URL: "https://example.com/" + ids[i], ApplyURL: "https://example.com/" + ids[i],
				Organization: vacancy.Organization{Name: "De Vries"}, Locations: []vacancy.Location{},
				DatePosted: vacancy.Date{At: vacT0, Text: "2026-10-20"}, Status: vacancy.StatusOpen,
				FirstSeenAt: vacT0, LastSeenAt: vacT0, ContentHash: fmt.Sprintf("%064d", n), CreatedAt: vacT0, UpdatedAt: vacT0,
			})
		}
		if err := s.InTx(ctx, func(tx vacancy.Store) error { return tx.UpsertVacancies(ctx, rows) }); err != nil {
			t.Fatal(err)
		}
		found, err := s.VacancyStates(ctx, src.ID, ids)
		if err != nil || len(found) != len(rows) {
			t.Fatalf("states: %d of %d, %v", len(found), len(rows), err)
		}
		closeIDs := make([]string, 0, 1100)
		for i := range 1100 {
			closeIDs = append(closeIDs, fmt.Sprintf("01900000-0000-7000-8000-2%011d", i))
		}
		closeIDs = append(closeIDs[:700], append([]string{rows[1].ID, rows[4].ID}, closeIDs[700:]...)...)
		if n, err := s.CloseVacancies(ctx, closeIDs, vacancy.ReasonSource, vacT0); err != nil || n != 2 {
			t.Fatalf("closed %d, %v", n, err)
		}
	})
}
