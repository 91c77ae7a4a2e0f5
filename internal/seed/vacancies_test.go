package seed_test

import (
	"context"
	"testing"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/content"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/locale"
	"github.com/werkwijzer/werkwijzer/internal/seed"
	"github.com/werkwijzer/werkwijzer/internal/store"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
)

func TestSampleVacanciesFillBothRolePagesThroughTheSyncEngine(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		locales, _ := locale.NewSet([]string{"nl", "en"})
		f, err := seed.Sample()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := seed.Load(context.Background(), content.NewService(store.NewContent(db.Gorm), locales), f); err != nil {
			t.Fatal(err)
		}
		// Loaded years after the feed was written: the dates move along.
		now := time.Date(2031, 5, 14, 10, 0, 0, 0, time.UTC)
		svc := vacancy.NewService(store.NewVacancies(db.Gorm), vacancy.Config{Now: func() time.Time { return now }})
		rep, err := seed.LoadVacancies(context.Background(), svc, now)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Created != 7 || rep.Rejected != 0 || rep.Warnings != 0 {
			t.Fatalf("report: %+v", rep)
		}
		newest := newestDemoVacancy(t, svc, "office-manager", "personal-assistant")
		if newest != "2031-05-14" {
			t.Fatalf("the newest sample vacancy is from %s, want the day it was loaded", newest)
		}
		// Loading again does nothing.
		if rep, err := seed.LoadVacancies(context.Background(), svc, now); err != nil || rep != nil {
			t.Fatalf("second load: %+v %v", rep, err)
		}
		src, err := svc.SourceByName(account.WithOperator(context.Background()), seed.DemoSourceName)
		if err != nil || src.Kind != vacancy.KindIndeedXML || src.State.Open != 7 {
			t.Fatalf("demo source: %+v %v", src, err)
		}
	})
}

// newestDemoVacancy checks that each role has at least three open vacancies
// with everything the demo shows, and returns the newest posting date.
func newestDemoVacancy(t *testing.T, svc *vacancy.Service, roles ...string) string {
	t.Helper()
	newest := ""
	for _, role := range roles {
		list, err := svc.Open(context.Background(), vacancy.Filter{RoleSlug: role}, vacancy.Page{Limit: 50})
		if err != nil || len(list.Items) < 3 {
			t.Fatalf("%s: %d open (%v)", role, len(list.Items), err)
		}
		for _, v := range list.Items {
			if vacancy.JobPosting(v) == nil || v.Salary == nil || v.Hours == nil || len(v.EmploymentTypes) == 0 {
				t.Fatalf("%s: %s lacks what the demo should show: %+v", role, v.ExternalID, v)
			}
			if v.DatePosted.Text > newest {
				newest = v.DatePosted.Text
			}
		}
	}
	return newest
}
