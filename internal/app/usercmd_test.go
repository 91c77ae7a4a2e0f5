package app

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/locale"
	"github.com/werkwijzer/werkwijzer/internal/store"
)

// userCLI runs "werkwijzer user ..." on a fresh SQLite file per test.
type userCLI struct {
	t   *testing.T
	url string
}

func newUserCLI(t *testing.T) *userCLI {
	t.Setenv("WERKWIJZER_LOCALES", "nl,en")
	t.Setenv("WERKWIJZER_LOG_LEVEL", "warn")
	return &userCLI{t: t, url: "sqlite:" + filepath.Join(t.TempDir(), "cli.db")}
}

func (c *userCLI) run(stdin string, args ...string) (stdout, stderr string, err error) {
	c.t.Helper()
	var out, errOut bytes.Buffer
	err = runUser(context.Background(), append(args, "--database-url", c.url), strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

// login signs in through the account service on the same database.
func (c *userCLI) login(email, password string) (account.Tokens, error) {
	c.t.Helper()
	ctx := context.Background()
	db, err := database.Open(ctx, database.Config{URL: c.url})
	if err != nil {
		c.t.Fatal(err)
	}
	defer db.Close()
	locales, _ := locale.NewSet([]string{"nl", "en"})
	keys, err := account.NewKeyRing([]byte(strings.Repeat("k", 32)))
	if err != nil {
		c.t.Fatal(err)
	}
	svc, err := account.NewService(store.NewAccounts(db.Gorm), account.Config{Keys: keys, Locales: locales})
	if err != nil {
		c.t.Fatal(err)
	}
	return svc.Login(ctx, email, password, "")
}

func TestUserCreateReadsThePasswordFromAPipe(t *testing.T) {
	cli := newUserCLI(t)
	out, _, err := cli.run("a very long password\n", "create", "--email", " Admin@Example.NL", "--role", "admin")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "created ADMIN user admin@example.nl") {
		t.Fatalf("output %q does not say what was done", out)
	}
	if strings.Contains(out, "a very long password") {
		t.Fatal("the password was printed")
	}
	tokens, err := cli.login("admin@example.nl", "a very long password")
	if err != nil {
		t.Fatalf("the created admin cannot sign in (was the newline kept?): %v", err)
	}
	if tokens.User.Role != account.RoleAdmin {
		t.Fatalf("role %s", tokens.User.Role)
	}

	out, _, err = cli.run("vertalen is een vak\r\n", "create", "--email=vertaler@example.nl", "--role=TRANSLATOR", "--locales", "EN")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "created TRANSLATOR user vertaler@example.nl") || !strings.Contains(out, "for locales en") {
		t.Fatalf("output %q", out)
	}
	if _, err := cli.login("vertaler@example.nl", "vertalen is een vak"); err != nil {
		t.Fatalf("translator cannot sign in: %v", err)
	}
}

func TestUserCreateRejectsBadInput(t *testing.T) {
	cli := newUserCLI(t)
	for _, tc := range []struct {
		name, stdin string
		args        []string
		want        string
	}{
		{"short password", "elevenchars\n", []string{"create", "--email", "a@example.nl", "--role", "EDITOR"}, "too short"},
		{"empty password", "", []string{"create", "--email", "a@example.nl", "--role", "EDITOR"}, "too short"},
		{"unknown role", "a very long password\n", []string{"create", "--email", "a@example.nl", "--role", "OWNER"}, `unknown role "OWNER"`},
		{"no role", "a very long password\n", []string{"create", "--email", "a@example.nl"}, "--role is required"},
		{"no email", "a very long password\n", []string{"create", "--role", "EDITOR"}, "--email is required"},
		{"bad email", "a very long password\n", []string{"create", "--email", "nobody", "--role", "EDITOR"}, "invalid email"},
		{"translator without locales", "a very long password\n", []string{"create", "--email", "a@example.nl", "--role", "TRANSLATOR"}, "at least one locale"},
		{"unconfigured locale", "a very long password\n", []string{"create", "--email", "a@example.nl", "--role", "TRANSLATOR", "--locales", "nl,fr"}, `"fr"`},
		{"editor with locales", "a very long password\n", []string{"create", "--email", "a@example.nl", "--role", "EDITOR", "--locales", "nl"}, "only a TRANSLATOR"},
		{"unknown action", "", []string{"delete", "--email", "a@example.nl"}, "unknown user action"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := cli.run(tc.stdin, tc.args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v; want one containing %q", err, tc.want)
			}
		})
	}
	err := runUser(context.Background(), []string{"create", "--role", "EDITOR", "--email"}, strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "needs an argument") {
		t.Fatalf("--email without a value: %v", err)
	}
	if _, err := cli.login("a@example.nl", "a very long password"); apperr.CodeOf(err) != apperr.Unauthenticated {
		t.Fatalf("a rejected command created the user: %v", err)
	}
	_, _, err = cli.run("a very long password\n", "create", "--email", "a@example.nl", "--role", "EDITOR")
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = cli.run("another long password\n", "create", "--email", "A@example.nl", "--role", "ADMIN")
	if err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("second user with the same email: %v", err)
	}
}

func TestUserPasswordChangesThePassword(t *testing.T) {
	cli := newUserCLI(t)
	if _, _, err := cli.run("the first password\n", "create", "--email", "editor@example.nl", "--role", "EDITOR"); err != nil {
		t.Fatal(err)
	}
	out, _, err := cli.run("the second password\n", "password", "--email", "Editor@example.nl")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "changed the password of EDITOR user editor@example.nl") {
		t.Fatalf("output %q", out)
	}
	if _, err := cli.login("editor@example.nl", "the first password"); err == nil {
		t.Fatal("the old password still works")
	}
	if _, err := cli.login("editor@example.nl", "the second password"); err != nil {
		t.Fatalf("the new password does not work: %v", err)
	}
	if _, _, err := cli.run("short\n", "password", "--email", "editor@example.nl"); err == nil || !strings.Contains(err.Error(), "too short") {
		t.Fatalf("short new password: %v", err)
	}
	if _, _, err := cli.run("the third password\n", "password", "--email", "nobody@example.nl"); err == nil || !strings.Contains(err.Error(), "no user") {
		t.Fatalf("unknown user: %v", err)
	}
}

func TestUserCommandThroughMain(t *testing.T) {
	cli := newUserCLI(t)
	var out, errOut bytes.Buffer
	code := Main([]string{"user", "create", "--email", "a@example.nl", "--role", "ROOT", "--database-url", cli.url},
		strings.NewReader("a very long password\n"), &out, &errOut)
	if code != 1 || !strings.Contains(errOut.String(), `werkwijzer user: unknown role "ROOT"`) {
		t.Fatalf("exit %d, stderr %q", code, errOut.String())
	}
	out.Reset()
	code = Main([]string{"user", "create", "--email", "a@example.nl", "--role", "EDITOR", "--database-url", cli.url},
		strings.NewReader("a very long password\n"), &out, &errOut)
	if code != 0 || !strings.Contains(out.String(), "created EDITOR user a@example.nl") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out.String(), errOut.String())
	}
}
