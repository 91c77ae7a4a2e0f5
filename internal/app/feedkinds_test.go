package app

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
)

// TestATSFeedKinds: Personio, Greenhouse and Lever sources are created
// and imported from a saved feed through the CLI, on both databases; a
// saved feed's links resolve against the source's feed URL.
func TestATSFeedKinds(t *testing.T) {
	t.Setenv("WERKWIJZER_LOCALES", "nl,en")
	t.Setenv("WERKWIJZER_LOG_LEVEL", "warn")
	for name, dbURL := range map[string]func(t *testing.T) string{
		"sqlite":   func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "cli.db") },
		"postgres": func(t *testing.T) string { return dbtest.NewPostgresURL(t) },
	} {
		t.Run(name, func(t *testing.T) {
			c := &cli{t: t, url: dbURL(t)}
			fixture := func(name string) string { return filepath.Join("..", "vacancy", "feed", "testdata", name) }
			for _, tc := range []struct {
				kind, feedURL, file, report string
			}{
				{"personio", "https://fietsfabriek-oost.jobs.personio.de/xml", "personio.xml",
					"imported 3 vacancies in 1 call(s): 3 created, 0 updated, 0 unchanged, 0 reopened, 0 closed, 0 expired, 0 stale, 0 rejected"},
				// The third job of the fixture has an object for a title.
				{"greenhouse", "https://boards-api.greenhouse.io/v1/boards/kaasenco/jobs?content=true", "greenhouse.json",
					"imported 3 vacancies in 1 call(s): 2 created, 0 updated, 0 unchanged, 0 reopened, 0 closed, 0 expired, 0 stale, 1 rejected"},
				{"lever", "https://api.eu.lever.co/v0/postings/havenlogistiek?mode=json", "lever.json",
					"imported 3 vacancies in 1 call(s): 3 created, 0 updated, 0 unchanged, 0 reopened, 0 closed, 0 expired, 0 stale, 0 rejected"},
			} {
				src := tc.kind + "-bron"
				out, _, err := c.run(source, "create", "--name", src, "--kind", tc.kind, "--feed-url", tc.feedURL, "--json")
				if err != nil {
					t.Fatalf("create %s: %v", tc.kind, err)
				}
				var created struct{ Kind string }
				if err := json.Unmarshal([]byte(out), &created); err != nil || created.Kind != tc.kind {
					t.Fatalf("create %s: %v %s", tc.kind, err, out)
				}
				out, _, err = c.run(importCmd, "vacancies", "--source", src, fixture(tc.file))
				if err != nil || !strings.HasPrefix(out, tc.report) {
					t.Fatalf("import %s: %v\n%s", tc.kind, err, out)
				}
			}
			out, _, err := c.run(source, "list")
			if err != nil || !strings.Contains(out, "personio") || !strings.Contains(out, "greenhouse") || !strings.Contains(out, "lever") {
				t.Fatalf("list: %v\n%s", err, out)
			}
			if _, _, err := c.run(source, "create", "--name", "wd", "--kind", "workday"); err == nil ||
				!strings.Contains(err.Error(), "personio, greenhouse or lever") {
				t.Fatalf("unknown kind: %v", err)
			}

			db, err := database.Open(context.Background(), database.Config{URL: c.url})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			var links []string
			if err := db.Gorm.Raw(`SELECT url FROM vacancies WHERE external_id = '1873402'`).Scan(&links).Error; err != nil {
				t.Fatal(err)
			}
			if len(links) != 1 || links[0] != "https://fietsfabriek-oost.jobs.personio.de/job/1873402" {
				t.Fatalf("personio link: %q", links)
			}
		})
	}
}
