package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/answercache"
	"github.com/werkwijzer/werkwijzer/internal/cachetag"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/store"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
)

// cli runs commands on one SQLite file, with the sample content loaded.
type cli struct {
	t   *testing.T
	url string
}

func newCLI(t *testing.T) *cli {
	t.Helper()
	return newCLIAt(t, "sqlite:"+filepath.Join(t.TempDir(), "cli.db"))
}

// newCLIAt runs commands on the database at url.
func newCLIAt(t *testing.T, url string) *cli {
	t.Helper()
	t.Setenv("WERKWIJZER_LOCALES", "nl,en")
	t.Setenv("WERKWIJZER_LOG_LEVEL", "warn")
	c := &cli{t: t, url: url}
	var out, errOut bytes.Buffer
	if err := runSeed(context.Background(), []string{"--database-url", c.url}, &out, &errOut); err != nil {
		t.Fatalf("seed: %v\n%s", err, errOut.String())
	}
	return c
}

func (c *cli) run(cmd func(context.Context, []string, *bytes.Buffer, *bytes.Buffer) error, args ...string) (string, string, error) {
	c.t.Helper()
	var out, errOut bytes.Buffer
	err := cmd(context.Background(), append(args, "--database-url", c.url), &out, &errOut)
	return out.String(), errOut.String(), err
}

func source(ctx context.Context, args []string, out, errOut *bytes.Buffer) error {
	return runSource(ctx, args, out, errOut)
}

func importCmd(ctx context.Context, args []string, out, errOut *bytes.Buffer) error {
	return runImport(ctx, args, out, errOut)
}

// services opens the CLI's database as the server would.
func (c *cli) services() (*vacancy.Service, *account.Clients) {
	c.t.Helper()
	db, err := database.Open(context.Background(), database.Config{URL: c.url})
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { _ = db.Close() })
	keys, err := account.NewKeyRing([]byte(strings.Repeat("k", 32)))
	if err != nil {
		c.t.Fatal(err)
	}
	clients, err := account.NewClients(store.NewVacancies(db.Gorm), account.ClientConfig{Keys: keys})
	if err != nil {
		c.t.Fatal(err)
	}
	return vacancy.NewService(store.NewVacancies(db.Gorm), vacancy.Config{}), clients
}

func (c *cli) works(clientID, secret string) bool {
	c.t.Helper()
	_, clients := c.services()
	_, err := clients.IssueToken(context.Background(), clientID, secret, "", "")
	return err == nil
}

func TestSourceCommands(t *testing.T) {
	c := newCLI(t)
	created := checkSourceCreate(t, c)
	checkSecretRotation(t, c, created.ClientID, created.ClientSecret)
	checkSourceListUpdateDisable(t, c)
}

// createdSource is what `source create --json` prints.
type createdSource struct{ ID, Name, Kind, ClientID, ClientSecret, TokenEndpoint string }

// checkSourceCreate creates the sources acme (pull) and handmatig (push)
// and checks the names and rules create refuses.
func checkSourceCreate(t *testing.T, c *cli) createdSource {
	t.Helper()
	out, _, err := c.run(source, "create", "--name", "Acme", "--kind", "indeed-xml", "--allowed-hosts", "example.com, jobs.example.com",
		"--role-rule", "category:^office management$=office-manager", "--role-rule", "title:assistent=personal-assistant", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var created createdSource
	if err := json.Unmarshal([]byte(out), &created); err != nil {
		t.Fatalf("--json output is not JSON: %v\n%s", err, out)
	}
	if created.Name != "acme" || created.Kind != "indeed-xml" || created.ClientID != created.ID || !strings.HasPrefix(created.ClientSecret, account.SecretPrefix) {
		t.Fatalf("created: %+v", created)
	}
	if !c.works(created.ClientID, created.ClientSecret) {
		t.Fatal("the printed secret does not get a token")
	}

	out, _, err = c.run(source, "create", "--name", "handmatig")
	if err != nil || !strings.Contains(out, "client_secret: wws_") || !strings.Contains(out, "curl -s -u") {
		t.Fatalf("human output: %v\n%s", err, out)
	}
	if _, _, err := c.run(source, "create", "--name", "acme"); err == nil || !strings.Contains(err.Error(), "exists already") {
		t.Fatalf("a taken name: %v", err)
	}
	if _, _, err := c.run(source, "create", "--name", "x", "--role-rule", "title:x=astronaut"); err == nil {
		t.Fatal("a rule for an unknown role was accepted")
	}
	return created
}

// checkSecretRotation checks that a rotation keeps the old secret working
// beside the new one and that --revoke-others ends both.
func checkSecretRotation(t *testing.T, c *cli, clientID, secret string) {
	t.Helper()
	out, _, err := c.run(source, "rotate-secret", "--name", "acme", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var rotated struct{ ClientSecret string }
	_ = json.Unmarshal([]byte(out), &rotated)
	if !c.works(clientID, secret) || !c.works(clientID, rotated.ClientSecret) {
		t.Fatal("both secrets must work after one rotation")
	}
	if _, _, err := c.run(source, "rotate-secret", "--name", "acme", "--revoke-others"); err != nil {
		t.Fatal(err)
	}
	if c.works(clientID, secret) || c.works(clientID, rotated.ClientSecret) {
		t.Fatal("--revoke-others left old secrets working")
	}
}

func checkSourceListUpdateDisable(t *testing.T, c *cli) {
	t.Helper()
	out, _, err := c.run(source, "list")
	if err != nil || !strings.Contains(out, "acme") || !strings.Contains(out, "demo") || !strings.Contains(out, "indeed-xml") {
		t.Fatalf("list: %v\n%s", err, out)
	}
	out, _, err = c.run(source, "update", "--name", "acme", "--feed-url", "https://jobs.example.com/feed.xml", "--json")
	if err != nil || !strings.Contains(out, `"feedUrl": "https://jobs.example.com/feed.xml"`) || !strings.Contains(out, `"role": "personal-assistant"`) {
		t.Fatalf("update: %v\n%s", err, out)
	}

	out, _, err = c.run(source, "disable", "--name", "handmatig")
	if err != nil || !strings.Contains(out, "disabled source handmatig") {
		t.Fatalf("disable: %v %s", err, out)
	}
	if _, _, err := c.run(source, "enable", "--name", "nobody"); err == nil {
		t.Fatal("enabled an unknown source")
	}
	if _, _, err := c.run(source, "frobnicate", "--name", "acme"); err == nil {
		t.Fatal("an unknown action was accepted")
	}
}

func TestImportCommand(t *testing.T) {
	c := newCLI(t)
	if _, _, err := c.run(source, "create", "--name", "acme", "--kind", "indeed-xml",
		"--role-rule", "category:office=office-manager"); err != nil {
		t.Fatal(err)
	}
	feed := filepath.Join("testdata", "feed.xml")
	svc, _ := c.services()
	open := func() int {
		n, err := svc.CountOpen(context.Background(), vacancy.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := open()

	out, progress, err := c.run(importCmd, "vacancies", "--source", "acme", feed, "--dry-run")
	if err != nil || !strings.HasPrefix(out, "dry run: would import 3 vacancies") || !strings.Contains(progress, "read 3 vacancies") {
		t.Fatalf("dry run: %v\n%s\n%s", err, out, progress)
	}
	if n := open(); n != before {
		t.Fatalf("the dry run wrote: %d open, %d before", n, before)
	}

	out, _, err = c.run(importCmd, "vacancies", "--source", "acme", feed)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"imported 3 vacancies in 1 call(s): 2 created", "1 rejected", "1 with warnings",
		"#2 CLI-3 (nl) REJECTED", "URL_SCHEME_NOT_ALLOWED", "ROLE_UNMAPPED"} {
		if !strings.Contains(out, want) {
			t.Errorf("import output lacks %q:\n%s", want, out)
		}
	}
	if n := open(); n != before+2 {
		t.Fatalf("%d open after importing 2 valid vacancies, %d before", n, before)
	}
	out, _, err = c.run(importCmd, "vacancies", "--source", "acme", feed, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var rep vacancy.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Unchanged != 2 || rep.Rejected != 1 {
		t.Fatalf("--json: %v %+v", err, rep)
	}
	checkImportRefusals(t, c, feed)
}

// checkImportRefusals checks that import refuses a missing file, a push
// source and a pull source without a file or feed URL.
func checkImportRefusals(t *testing.T, c *cli, feed string) {
	t.Helper()
	if _, _, err := c.run(importCmd, "vacancies", "--source", "demo", filepath.Join("testdata", "missing.xml")); err == nil {
		t.Fatal("a missing file was imported")
	}
	if _, _, err := c.run(source, "create", "--name", "push-bron"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.run(importCmd, "vacancies", "--source", "push-bron", feed); err == nil || !strings.Contains(err.Error(), "push source") {
		t.Fatalf("importing into a push source: %v", err)
	}
	if _, _, err := c.run(importCmd, "vacancies", "--source", "acme"); err == nil || !strings.Contains(err.Error(), "no feed URL") {
		t.Fatalf("no file and no feed URL: %v", err)
	}
}

// TestSeedShowsVacanciesOnBothRolePages: the zero-setup start imports
// the sample feed, so both role pages list vacancies.
func TestSeedShowsVacanciesOnBothRolePages(t *testing.T) {
	c := newCLI(t)
	svc, _ := c.services()
	for _, role := range []string{"office-manager", "personal-assistant"} {
		n, err := svc.CountOpen(context.Background(), vacancy.Filter{RoleSlug: role})
		if err != nil || n < 3 {
			t.Fatalf("%s: %d open vacancies (%v)", role, n, err)
		}
	}
	src, err := svc.SourceByName(account.WithOperator(context.Background()), "demo")
	if err != nil || src.State.LastReport == nil || src.State.LastReport.Rejected != 0 || src.State.LastReport.Warnings != 0 {
		t.Fatalf("demo source: %+v %v", src, err)
	}
}

// TestImportCommandTellsTheRunningServers: on PostgreSQL, vacancies
// imported by a command reach the running servers' caches as a change of
// another replica does, or their role pages would show the old lists.
func TestImportCommandTellsTheRunningServers(t *testing.T) {
	c, db := newPostgresCLI(t)
	if _, _, err := c.run(source, "create", "--name", "acme", "--kind", "indeed-xml",
		"--role-rule", "category:office=office-manager"); err != nil {
		t.Fatal(err)
	}
	heard := listenAsAServer(t, db)
	if _, _, err := c.run(importCmd, "vacancies", "--source", "acme", filepath.Join("testdata", "feed.xml")); err != nil {
		t.Fatal(err)
	}
	if !hears(heard, cachetag.Vacancies) {
		t.Fatal("the running servers were not told of the imported vacancies")
	}
}

// listenAsAServer listens on db for the replicas' invalidations as a
// running server does, from before it returns, and hands over their
// payloads.
func listenAsAServer(t *testing.T, db *database.DB) <-chan string {
	t.Helper()
	heard := make(chan string, 64)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = db.Listen(ctx, answercache.Channel, func(p string) { heard <- p }, slog.New(slog.NewTextHandler(io.Discard, nil)))
	}()
	t.Cleanup(func() { cancel(); <-done })
	for i := 0; ; i++ {
		if err := db.Notify(context.Background(), answercache.Channel, fmt.Sprint("test probe:", i)); err != nil {
			t.Fatal(err)
		}
		select {
		case <-heard:
			return heard
		case <-time.After(100 * time.Millisecond):
			if i > 100 {
				t.Fatal("never heard the probe")
			}
		}
	}
}

// hears reports whether an invalidation of tag arrives within 2 seconds.
func hears(heard <-chan string, tag string) bool {
	deadline := time.After(2 * time.Second)
	for {
		select {
		case p := <-heard:
			if slices.Contains(strings.Fields(p)[1:], tag) {
				return true
			}
		case <-deadline:
			return false
		}
	}
}
