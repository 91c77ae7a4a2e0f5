package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/werkwijzer/werkwijzer/internal/answercache"
	"github.com/werkwijzer/werkwijzer/internal/database"
)

// usageError is a command line Werkwijzer cannot read: an unknown flag or
// action, a missing required flag, a stray argument. Main exits 2 for it,
// as programs built on the flag package do, and 1 for everything that goes
// wrong after the command line was understood.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// cmdline is the flag set of one subcommand. The command defines its own
// flags on fs first; parse adds the configuration flags every command
// shares, except those the command defines itself: "user create --locales"
// is the translator's locales, not the configured ones.
type cmdline struct {
	fs *flag.FlagSet
}

// newCmdline starts the flag set of "werkwijzer name". usage, when not
// empty, is printed above the flags for -h and for a bad command line.
func newCmdline(name, usage string, stderr io.Writer) *cmdline {
	fs := flag.NewFlagSet("werkwijzer "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	if usage != "" {
		fs.Usage = func() {
			fmt.Fprint(stderr, usage)
			fs.PrintDefaults()
		}
	}
	return &cmdline{fs: fs}
}

// parse reads the command's flags and the shared configuration, with
// flags and positional arguments in any order ("--" ends the flags), and
// returns the configuration and the positional arguments.
func (c *cmdline) parse(args []string) (*Config, []string, error) {
	var cfg Config
	shared := flag.NewFlagSet("", flag.ContinueOnError)
	envErrs := cfg.register(shared)
	shared.VisitAll(func(f *flag.Flag) {
		if c.fs.Lookup(f.Name) == nil {
			c.fs.Var(f.Value, f.Name, f.Usage)
		}
	})
	var positional []string
	for {
		err := c.fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			return nil, nil, err
		}
		if err != nil {
			return nil, nil, usageError{err}
		}
		taken := len(args) - c.fs.NArg()
		rest := c.fs.Args()
		if taken > 0 && args[taken-1] == "--" {
			positional = append(positional, rest...)
			break
		}
		if len(rest) == 0 {
			break
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
	if len(envErrs) > 0 {
		return nil, nil, errors.Join(envErrs...)
	}
	return &cfg, positional, nil
}

// parseFlags is parse for commands that take no positional arguments.
func (c *cmdline) parseFlags(args []string) (*Config, error) {
	cfg, rest, err := c.parse(args)
	if err != nil {
		return nil, err
	}
	if len(rest) > 0 {
		return nil, usagef("unexpected arguments %q", rest)
	}
	return cfg, nil
}

// given reports the flags set on the command line, so an update changes
// only what was named.
func (c *cmdline) given() map[string]bool {
	set := map[string]bool{}
	c.fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
}

// stringOnce defines a string flag that may be given once: a second value
// is more likely a slip than an override.
func stringOnce(fs *flag.FlagSet, name, usage string) *string {
	var value string
	given := false
	fs.Func(name, usage, func(s string) error {
		if given {
			return errors.New("given twice")
		}
		given, value = true, s
		return nil
	})
	return &value
}

// required refuses an empty value of a required flag before anything is
// opened.
func required(name, value string) error {
	if value == "" {
		return usagef("--%s is required", name)
	}
	return nil
}

// action takes the action word of "werkwijzer command ACTION [flags]",
// one of actions. With none it prints usage and refuses; with -h it prints
// usage only.
func action(command string, args []string, usage string, stderr io.Writer, actions ...string) (string, []string, error) {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprint(stderr, usage)
		if len(args) > 0 && slices.Contains([]string{"-h", "-help", "--h", "--help"}, args[0]) {
			return "", nil, flag.ErrHelp
		}
		return "", nil, usagef("want: werkwijzer %s %s [flags]", command, strings.Join(actions, "|"))
	}
	if !slices.Contains(actions, args[0]) {
		want := actions[len(actions)-1]
		if len(actions) > 1 {
			want = strings.Join(actions[:len(actions)-1], ", ") + " or " + want
		}
		return "", nil, usagef("unknown %s action %q; want %s", command, args[0], want)
	}
	return args[0], args[1:], nil
}

// withDB opens the configured database, applies the pending migrations
// unless --migrate=false, runs fn and closes the database: what every
// command that works on data does first and last.
func withDB(ctx context.Context, cfg *Config, stderr io.Writer, fn func(*env) error) error {
	e, err := open(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer e.db.Close()
	// A command's vacancy changes (an import, a source disabled with its
	// vacancies closed) change what the running servers serve: on
	// PostgreSQL they hear of them as of a replica's. On SQLite they cannot,
	// and their caches catch up within tagcache.DefaultMaxAge.
	var notifier answercache.Notifier
	if e.db.Dialect == database.Postgres {
		notifier = e.db
	}
	e.replicas = answercache.NewReplicas(notifier, e.log)
	if cfg.Migrate {
		if err := e.migrateUp(ctx); err != nil {
			return err
		}
	}
	return fn(e)
}
