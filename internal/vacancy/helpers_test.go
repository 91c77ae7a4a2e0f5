package vacancy_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/content"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/locale"
	"github.com/werkwijzer/werkwijzer/internal/seed"
	"github.com/werkwijzer/werkwijzer/internal/store"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
)

// env is a vacancy service on a real database holding the sample roles
// (office-manager, personal-assistant).
type env struct {
	t     testing.TB
	db    *database.DB
	store vacancy.Store
	svc   *vacancy.Service
	clock *clock
}

// clock is a settable test clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

var testNow = time.Date(2026, 10, 20, 9, 30, 0, 0, time.UTC)

func newEnv(t testing.TB, db *database.DB) *env {
	t.Helper()
	return newEnvWithStore(t, db, store.NewVacancies(db.Gorm))
}

func newEnvWithStore(t testing.TB, db *database.DB, st vacancy.Store) *env {
	t.Helper()
	locales, err := locale.NewSet([]string{"nl", "en"})
	if err != nil {
		t.Fatal(err)
	}
	sample, err := seed.Sample()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seed.Load(context.Background(), content.NewService(store.NewContent(db.Gorm), locales), sample); err != nil {
		t.Fatal(err)
	}
	c := &clock{now: testNow}
	svc := vacancy.NewService(st, vacancy.Config{Now: c.Now, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	return &env{t: t, db: db, store: st, svc: svc, clock: c}
}

var operator = account.WithOperator(context.Background())

// source creates a push source and returns a context that acts as it.
func (e *env) source(name string, hosts ...string) (*vacancy.Source, context.Context) {
	e.t.Helper()
	src, _, err := e.svc.CreateSource(operator, vacancy.NewSource{Name: name, AllowedHosts: hosts})
	if err != nil {
		e.t.Fatal(err)
	}
	return src, account.WithClient(context.Background(), account.Client{ID: src.ID, Scopes: []string{account.ScopeVacancySync}})
}

func (e *env) sync(ctx context.Context, req vacancy.SyncRequest) *vacancy.Report {
	e.t.Helper()
	rep, err := e.svc.Sync(ctx, req)
	if err != nil {
		e.t.Fatalf("sync: %v", err)
	}
	return rep
}

// item is a valid vacancy for the office-manager role.
func item(id string) vacancy.Item {
	return vacancy.Item{
		ExternalID:      id,
		Language:        "nl",
		Title:           "Office manager " + id,
		Description:     "<p>Je houdt het kantoor draaiende.</p><ul><li>Budgetten</li><li>Leveranciers</li></ul>",
		URL:             "https://werkenbij.example.com/vacatures/" + id,
		RoleSlug:        "office-manager",
		Organization:    vacancy.Organization{Name: "Bouwbedrijf De Vries"},
		EmploymentTypes: []string{"fulltime"},
		WorkplaceType:   "hybride",
		Locations:       []vacancy.Location{{Locality: "Utrecht", Country: "NL", PostalCode: "3511ab"}},
		HoursPerWeek:    &vacancy.HoursInput{Min: ptr(32.0), Max: ptr(40.0)},
		Salary:          &vacancy.SalaryInput{Min: ptr(3200.0), Max: ptr(4100.0), Currency: "EUR", Unit: "MONTH"},
		DatePosted:      "2026-10-01",
		ValidThrough:    "2026-12-31",
	}
}

func items(prefix string, n int) []vacancy.Item {
	out := make([]vacancy.Item, n)
	for i := range out {
		out[i] = item(fmt.Sprintf("%s-%04d", prefix, i))
	}
	return out
}

func ptr[T any](v T) *T { return &v }

// open lists a source's open vacancies through the public read.
func (e *env) open(f vacancy.Filter) []*vacancy.Vacancy {
	e.t.Helper()
	list, err := e.svc.Open(context.Background(), f, vacancy.Page{Limit: 100})
	if err != nil {
		e.t.Fatal(err)
	}
	return list.Items
}

// all returns every vacancy of a source, any status, by external id.
func (e *env) all(sourceID string) map[string]*vacancy.Vacancy {
	e.t.Helper()
	out := map[string]*vacancy.Vacancy{}
	var after *vacancy.Cursor
	for {
		list, _, err := e.svc.AllVacancies(operator, vacancy.AdminFilter{SourceID: sourceID}, vacancy.Page{Limit: 100, After: after})
		if err != nil {
			e.t.Fatal(err)
		}
		for _, v := range list.Items {
			out[v.ExternalID+"/"+v.Language] = v
		}
		if !list.HasNextPage {
			return out
		}
		last := list.Items[len(list.Items)-1]
		after = &vacancy.Cursor{Posted: last.DatePosted.At, ID: last.ID}
	}
}
