package app

import (
	"bytes"
	"context"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// runMain runs the command line as the binary does and returns the exit code
// and what went to standard output and standard error.
func runMain(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Main(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

// TestCommandLineMistakesExitTwo: a command line Werkwijzer cannot read
// exits 2 with a message naming the mistake, before any database is
// opened (the database URL points nowhere).
func TestCommandLineMistakesExitTwo(t *testing.T) {
	t.Setenv("WERKWIJZER_LOG_LEVEL", "warn")
	t.Setenv("DATABASE_URL", "sqlite:"+filepath.Join(t.TempDir(), "missing", "dir", "x.db"))
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--bogus"}, "werkwijzer serve: flag provided but not defined: -bogus"},
		{[]string{"serve", "extra"}, `werkwijzer serve: unexpected arguments ["extra"]`},
		{[]string{"seed", "--bogus"}, "flag provided but not defined: -bogus"},
		{[]string{"migrate"}, "want: werkwijzer migrate up|down|status"},
		{[]string{"migrate", "sideways"}, `unknown migrate action "sideways"; want up, down or status`},
		{[]string{"migrate", "up", "--migrate=maybe"}, `invalid boolean value "maybe" for -migrate`},
		{[]string{"user"}, "want: werkwijzer user create|password"},
		{[]string{"user", "delete", "--email", "a@example.nl"}, `unknown user action "delete"; want create or password`},
		{[]string{"user", "create", "--role", "EDITOR"}, "--email is required"},
		{[]string{"user", "create", "--email", "a@example.nl"}, "--role is required"},
		{[]string{"user", "password", "--email"}, "flag needs an argument: -email"},
		{[]string{"user", "password", "--email", "a@example.nl", "--email", "b@example.nl"}, `invalid value "b@example.nl" for flag -email: given twice`},
		{[]string{"user", "password", "--email", "a@example.nl", "--role", "ADMIN"}, "flag provided but not defined: -role"},
		{[]string{"source", "frobnicate"}, `unknown source action "frobnicate"`},
		{[]string{"source", "create"}, "--name is required"},
		{[]string{"source", "create", "--name", "acme", "--role-rule", "no-colon"}, `invalid value "no-colon" for flag -role-rule: want FIELD:PATTERN=ROLE`},
		{[]string{"source", "list", "--name", "acme"}, "flag provided but not defined: -name"},
		{[]string{"source", "enable", "--name", "acme", "--close-vacancies"}, "flag provided but not defined: -close-vacancies"},
		{[]string{"source", "disable", "acme"}, `unexpected arguments ["acme"]`},
		{[]string{"import", "roles"}, `unknown import action "roles"; want vacancies`},
		{[]string{"import", "vacancies", "feed.xml"}, "--source is required"},
		{[]string{"import", "vacancies", "--source", "acme", "a.xml", "b.xml"}, `unexpected arguments ["b.xml"]: give one FILE or URL`},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, out, errOut := runMain(t, "", tc.args...)
			if code != 2 || !strings.Contains(errOut, tc.want) || out != "" {
				t.Fatalf("exit %d, stdout %q, stderr:\n%s\nwant exit 2 and %q", code, out, errOut, tc.want)
			}
			last := strings.TrimSpace(errOut[strings.LastIndex(strings.TrimSpace(errOut), "\n")+1:])
			if !strings.HasPrefix(last, "werkwijzer "+tc.args[0]+": ") {
				t.Fatalf("the last line of standard error, %q, does not say which command failed", last)
			}
		})
	}
}

// TestHelpListsTheCommandsOwnFlags: -h exits 0 and shows the command's own
// flags beside the shared ones.
func TestHelpListsTheCommandsOwnFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"source", "create", "-h"}, []string{"werkwijzer source create --name NAME", "-role-rule", "-allowed-hosts", "-database-url"}},
		{[]string{"source", "disable", "--help"}, []string{"-close-vacancies", "-name"}},
		{[]string{"source", "-h"}, []string{"werkwijzer source list [--json]"}},
		{[]string{"user", "create", "-h"}, []string{"-role", "comma-separated locales of a TRANSLATOR", "-data-dir"}},
		{[]string{"import", "vacancies", "-h"}, []string{"-allow-mass-close", "-upsert"}},
		{[]string{"migrate", "status", "-h"}, []string{"werkwijzer migrate up|down|status", "-database-url"}},
		{[]string{"serve", "-h"}, []string{"werkwijzer [serve] [flags]", "-addr"}},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, _, errOut := runMain(t, "", tc.args...)
			if code != 0 {
				t.Fatalf("exit %d; stderr:\n%s", code, errOut)
			}
			for _, w := range tc.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("help lacks %q:\n%s", w, errOut)
				}
			}
		})
	}
}

// TestUserCreateLocalesAreTheTranslators: on "user create", --locales is
// the translator's list, not the configured locales (which then come from
// WERKWIJZER_LOCALES only), and flags may come in any order.
func TestUserCreateLocalesAreTheTranslators(t *testing.T) {
	c := newUserCLI(t)
	out, _, err := c.run("a very long password\n", "create", "--locales", "en", "--role", "TRANSLATOR", "--email", "t@example.nl")
	if err != nil || !strings.Contains(out, "for locales en") {
		t.Fatalf("%v: %q", err, out)
	}
}

// TestMigrateCommand: status lists the pending migrations without
// applying them (the migrate command does not migrate first), up applies
// them, down rolls back exactly the latest.
func TestMigrateCommand(t *testing.T) {
	t.Setenv("WERKWIJZER_LOG_LEVEL", "warn")
	url := "sqlite:" + filepath.Join(t.TempDir(), "m.db")
	code, out, errOut := runMain(t, "", "migrate", "status", "--database-url", url)
	if code != 0 || !strings.HasPrefix(out, "sqlite database ") || strings.Contains(out, "applied") || !strings.Contains(out, "pending") {
		t.Fatalf("status of a new database: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = runMain(t, "", "migrate", "up", "--database-url", url)
	applied := regexp.MustCompile(`(?m)^applied (\d{5})$`).FindAllStringSubmatch(out, -1)
	if code != 0 || len(applied) == 0 {
		t.Fatalf("up: exit %d\n%s%s", code, out, errOut)
	}
	latest := applied[len(applied)-1][1]
	if code, out, _ = runMain(t, "", "migrate", "up", "--database-url", url); code != 0 || out != "no pending migrations\n" {
		t.Fatalf("second up: exit %d %q", code, out)
	}
	if code, out, errOut = runMain(t, "", "migrate", "down", "--database-url", url); code != 0 || out != "rolled back "+latest+"\n" {
		t.Fatalf("down: exit %d %q %s", code, out, errOut)
	}
	code, out, _ = runMain(t, "", "migrate", "status", "--database-url", url)
	if code != 0 || strings.Count(out, "pending") != 1 || !regexp.MustCompile(`(?m)^  `+latest+`  pending `).MatchString(out) {
		t.Fatalf("status after down: exit %d\n%s", code, out)
	}
}

// syncBuffer is a bytes.Buffer the serving goroutine writes while the test
// reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServeMigratesSeedsServesAndStops: serve on an empty SQLite file
// migrates it, loads the sample content, answers /readyz and returns
// cleanly when its context ends.
func TestServeMigratesSeedsServesAndStops(t *testing.T) {
	t.Setenv("WERKWIJZER_LOG_LEVEL", "warn")
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- runServe(ctx, []string{"--addr", "127.0.0.1:0", "--data-dir", dir, "--pull-interval", "0"}, &out, &errOut)
	}()
	base := ""
	for deadline := time.Now().Add(30 * time.Second); base == ""; {
		if m := regexp.MustCompile(`serving on (http://\S+)`).FindStringSubmatch(out.String()); m != nil {
			base = m[1]
			break
		}
		select {
		case err := <-done:
			t.Fatalf("serve returned early: %v\n%s", err, errOut.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start:\n%s", errOut.String())
		}
	}
	res, err := http.Get(base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("/readyz: %s", res.Status)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve after its context ended: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
	// The sample content is there: seeding again is refused.
	code, _, errOut2 := runMain(t, "", "seed", "--data-dir", dir)
	if code != 1 || !strings.Contains(errOut2, "already holds content") {
		t.Fatalf("seed after serve: exit %d %s", code, errOut2)
	}
}
