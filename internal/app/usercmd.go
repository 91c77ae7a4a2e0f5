package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
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

Flags shared with the other commands:
`

// runUser manages editors' accounts from the command line.
func runUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintf(stderr, userUsage, account.MinPasswordLength)
		return errors.New("want: werkwijzer user create|password [flags]")
	}
	action, args := args[0], args[1:]
	var own []string
	switch action {
	case "create":
		own = []string{"email", "role", "locales"}
	case "password":
		own = []string{"email"}
	default:
		return fmt.Errorf("unknown user action %q; want create or password", action)
	}
	values, args, err := takeFlags(args, own...)
	if err != nil {
		return err
	}
	if wantsHelp(args) {
		fmt.Fprintf(stderr, userUsage, account.MinPasswordLength)
	}
	cfg, rest, err := parse("user "+action, args, stderr)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("unexpected arguments %q", rest)
	}
	email, ok := values["email"]
	if !ok {
		return errors.New("--email is required")
	}
	email, err = account.NormalizeEmail(email)
	if err != nil {
		return err
	}

	// Check what can be checked before the database and the prompt.
	var role account.Role
	var locales []string
	if action == "create" {
		r, ok := values["role"]
		if !ok {
			return errors.New("--role is required: ADMIN, EDITOR or TRANSLATOR")
		}
		if role, err = account.ParseRole(r); err != nil {
			return err
		}
		if l := values["locales"]; strings.TrimSpace(l) != "" {
			for _, code := range strings.Split(l, ",") {
				if code = strings.TrimSpace(code); code != "" {
					locales = append(locales, code)
				}
			}
		}
	}

	e, err := openMigrated(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer e.db.Close()
	accounts, err := account.NewService(store.NewAccounts(e.db.Gorm), account.Config{
		Locales: e.content.Locales(),
		Log:     e.log,
	})
	if err != nil {
		return err
	}
	ctx = account.WithOperator(ctx)

	switch action {
	case "create":
		if locales, err = accounts.CheckLocales(role, locales); err != nil {
			return err
		}
		password, err := readPassword(stdin, stderr, "Password for "+email)
		if err != nil {
			return err
		}
		u, err := accounts.CreateUser(ctx, account.NewUser{Email: email, Role: role, Locales: locales, Password: password})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "created %s user %s (id %s)", u.Role, u.Email, u.ID)
		if len(u.Locales) > 0 {
			fmt.Fprintf(stdout, " for locales %s", strings.Join(u.Locales, ", "))
		}
		fmt.Fprintln(stdout)
	case "password":
		u, err := accounts.UserByEmail(ctx, email)
		if apperr.Is(err, apperr.NotFound) {
			return fmt.Errorf("no user has the email address %s", email)
		}
		if err != nil {
			return err
		}
		password, err := readPassword(stdin, stderr, "New password for "+email)
		if err != nil {
			return err
		}
		if err := accounts.SetPassword(ctx, u.ID, password); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "changed the password of %s user %s and signed them out everywhere\n", u.Role, u.Email)
	}
	return nil
}

// takeFlags removes the named flags ("-name v", "--name v", "-name=v",
// "--name=v") from args and returns their values and the other arguments,
// which go to parse. They cannot live in parse's flag set: --locales there
// is the configured locale list.
func takeFlags(args []string, names ...string) (map[string]string, []string, error) {
	values := map[string]string{}
	var rest []string
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(arg, "-"), "-"), "=")
		mine := strings.HasPrefix(arg, "-") && slices.Contains(names, name)
		if !mine {
			rest = append(rest, arg)
			continue
		}
		if !hasValue {
			if i+1 >= len(args) {
				return nil, nil, fmt.Errorf("flag needs an argument: --%s", name)
			}
			i++
			value = args[i]
		}
		if _, dup := values[name]; dup {
			return nil, nil, fmt.Errorf("flag --%s given twice", name)
		}
		values[name] = value
	}
	return values, rest, nil
}

func wantsHelp(args []string) bool {
	for _, a := range args {
		if a == "-h" || a == "-help" || a == "--help" || a == "--h" {
			return true
		}
	}
	return false
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
