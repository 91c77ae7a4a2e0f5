package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/store"
)

const userUsage = `Usage:
  werkwijzer user create --email E --role ADMIN|EDITOR|TRANSLATOR [--locales nl,en] [flags]
  werkwijzer user password --email E [flags]

The password is read from standard input when it is not a terminal (one
trailing newline is dropped), so scripts can run
  printf '%%s\n' "$PASSWORD" | werkwijzer user create --email E --role ADMIN
and asked for twice, without echo, when it is. It needs at least %d
characters. --locales lists a TRANSLATOR's locales, which must be among the
configured ones; other roles edit every locale. For "user create" the
configured locales come from WERKWIJZER_LOCALES only, since --locales is
the translator's.

Flags:
`

// runUser manages editors' accounts from the command line.
func runUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	usage := fmt.Sprintf(userUsage, account.MinPasswordLength)
	act, args, err := action("user", args, usage, stderr, "create", "password")
	if err != nil {
		return err
	}
	ctx = account.WithOperator(ctx)
	if act == "create" {
		return userCreate(ctx, args, stdin, stdout, stderr, usage)
	}
	return userPassword(ctx, args, stdin, stdout, stderr, usage)
}

// userFlags starts the flag set of "user action" with --email.
func userFlags(act, usage string, stderr io.Writer) (*cmdline, *string) {
	cl := newCmdline("user "+act, usage, stderr)
	return cl, stringOnce(cl.fs, "email", "the user's email address (required)")
}

// userEmail checks the required --email before the database is opened.
func userEmail(email string) (string, error) {
	if err := required("email", email); err != nil {
		return "", err
	}
	return account.NormalizeEmail(email)
}

// operatorAccounts is the account service of the user commands: it signs
// no tokens.
func (e *env) operatorAccounts() (*account.Service, error) {
	return account.NewService(store.NewAccounts(e.db.Gorm), account.Config{Locales: e.content.Locales(), Log: e.log})
}

func userCreate(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, usage string) error {
	cl, email := userFlags("create", usage, stderr)
	roleName := stringOnce(cl.fs, "role", "ADMIN, EDITOR or TRANSLATOR (required)")
	localeList := stringOnce(cl.fs, "locales", "comma-separated locales of a TRANSLATOR")
	cfg, err := cl.parseFlags(args)
	if err != nil {
		return err
	}
	// Check what can be checked before the database and the prompt.
	addr, err := userEmail(*email)
	if err != nil {
		return err
	}
	if *roleName == "" {
		return usagef("--role is required: ADMIN, EDITOR or TRANSLATOR")
	}
	role, err := account.ParseRole(*roleName)
	if err != nil {
		return err
	}
	locales := splitList(*localeList)
	return withDB(ctx, cfg, stderr, func(e *env) error {
		accounts, err := e.operatorAccounts()
		if err != nil {
			return err
		}
		if locales, err = accounts.CheckLocales(role, locales); err != nil {
			return err
		}
		password, err := readPassword(stdin, stderr, "Password for "+addr)
		if err != nil {
			return err
		}
		u, err := accounts.CreateUser(ctx, account.NewUser{Email: addr, Role: role, Locales: locales, Password: password})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "created %s user %s (id %s)", u.Role, u.Email, u.ID)
		if len(u.Locales) > 0 {
			fmt.Fprintf(stdout, " for locales %s", strings.Join(u.Locales, ", "))
		}
		fmt.Fprintln(stdout)
		return nil
	})
}

func userPassword(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, usage string) error {
	cl, email := userFlags("password", usage, stderr)
	cfg, err := cl.parseFlags(args)
	if err != nil {
		return err
	}
	addr, err := userEmail(*email)
	if err != nil {
		return err
	}
	return withDB(ctx, cfg, stderr, func(e *env) error {
		accounts, err := e.operatorAccounts()
		if err != nil {
			return err
		}
		u, err := accounts.UserByEmail(ctx, addr)
		if apperr.Is(err, apperr.NotFound) {
			return fmt.Errorf("no user has the email address %s", addr)
		}
		if err != nil {
			return err
		}
		password, err := readPassword(stdin, stderr, "New password for "+addr)
		if err != nil {
			return err
		}
		if err := accounts.SetPassword(ctx, u.ID, password); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "changed the password of %s user %s and signed them out everywhere\n", u.Role, u.Email)
		return nil
	})
}

// readPassword asks for a password twice on a terminal, or reads it from a
// pipe or file, dropping one trailing newline.
func readPassword(stdin io.Reader, stderr io.Writer, prompt string) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprintf(stderr, "%s (at least %d characters): ", prompt, account.MinPasswordLength)
		first, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		if err := account.ValidatePassword(string(first)); err != nil {
			return "", err
		}
		fmt.Fprint(stderr, "Repeat the password: ")
		second, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		if !bytes.Equal(first, second) {
			return "", errors.New("the passwords do not match")
		}
		return string(first), nil
	}
	// Read a little more than the longest password, so one that is too
	// long is reported as such rather than cut.
	b, err := io.ReadAll(io.LimitReader(stdin, account.MaxPasswordBytes+64))
	if err != nil {
		return "", fmt.Errorf("read password from standard input: %w", err)
	}
	s := string(b)
	if t, ok := strings.CutSuffix(s, "\n"); ok {
		s = strings.TrimSuffix(t, "\r")
	}
	return s, nil
}
