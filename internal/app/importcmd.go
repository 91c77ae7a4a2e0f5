package app

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
	"github.com/werkwijzer/werkwijzer/internal/vacancy/pull"
)

const importUsage = `Usage:
  werkwijzer import vacancies --source NAME [FILE|URL] [--dry-run] [--allow-mass-close] [--upsert] [--json]

Imports a vacancy feed for a source through the same sync engine as
syncVacancies: the feed of the source's kind (any kind but push) from
FILE, from URL, or without either from the source's feed URL.

The source's own feed URL is pulled as the server's scheduled pull does:
with a conditional GET against the validators of the last feed imported
whole (a feed that did not change is not imported again), and with the
outcome recorded on the source (last pull, last error, the feed host's
Retry-After). Another FILE or URL is imported as it is and leaves the
source's pull state alone. Feeds are fetched from public addresses only
unless WERKWIJZER_FEED_ALLOW_PRIVATE=true.

The feed is one snapshot: the source's open vacancies it no longer holds
are closed, once the whole feed is synced (in calls of 500). A feed that
cannot be fetched or read closes nothing, and a snapshot that would close
more than half of the source's open vacancies (or is empty) is refused
unless --allow-mass-close. --upsert only creates and updates. --dry-run
reports what would happen and writes nothing. Progress goes to standard
error, the report to standard output (as JSON with --json).

Flags shared with the other commands:
`

// runImport imports a vacancy feed by hand.
func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "vacancies" {
		fmt.Fprint(stderr, importUsage)
		return errors.New("want: werkwijzer import vacancies --source NAME [FILE|URL]")
	}
	flags, args, err := takeCLIFlags(args[1:], []string{"source"}, []string{"dry-run", "allow-mass-close", "upsert", "json"}, nil)
	if err != nil {
		return err
	}
	if wantsHelp(args) {
		fmt.Fprint(stderr, importUsage)
	}
	positional, args := splitPositional(args)
	cfg, rest, err := parse("import vacancies", args, stderr)
	if err != nil {
		return err
	}
	rest = append(positional, rest...)
	if len(rest) > 1 {
		return fmt.Errorf("unexpected arguments %q: give one FILE or URL", rest[1:])
	}
	name := flags.value("source")
	if name == "" {
		return errors.New("--source is required")
	}
	e, err := openMigrated(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer e.db.Close()
	ctx = account.WithOperator(ctx)
	svc := e.vacancyService()
	src, err := svc.SourceByName(ctx, name)
	if err != nil {
		return err
	}
	if !src.Kind.Pulls() {
		return fmt.Errorf("source %s is a push source: it has no feed format to read (give it a feed kind with werkwijzer source update --kind)", src.Name)
	}
	opt := pull.Options{DryRun: flags.on("dry-run"), AllowMassClose: flags.on("allow-mass-close")}
	if flags.on("upsert") {
		opt.Mode = vacancy.ModeUpsert
	}
	im := &pull.Importer{Vacancies: svc, Fetcher: e.feedFetcher(), Progress: stderr, Log: e.log}
	var res pull.Result
	switch {
	case (len(rest) == 0 || rest[0] == src.FeedURL) && src.FeedURL != "":
		res, err = im.PullNow(ctx, src, opt)
	case len(rest) == 1 && pull.IsURL(rest[0]):
		res, err = im.ImportURL(ctx, src, rest[0], opt)
	case len(rest) == 1:
		res, err = im.ImportFile(ctx, src, rest[0], opt)
	default:
		return fmt.Errorf("source %s has no feed URL: give a FILE or URL", src.Name)
	}
	if err != nil {
		if res.Calls > 0 {
			printImport(stdout, res, false)
		}
		return err
	}
	if flags.on("json") {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if res.NotModified {
			return enc.Encode(map[string]bool{"notModified": true})
		}
		return enc.Encode(res.Total)
	}
	if res.NotModified {
		fmt.Fprintln(stdout, "not modified: the feed is the one last imported whole; nothing was synced")
		return nil
	}
	printImport(stdout, res, true)
	return nil
}

// splitPositional takes the arguments that are neither flags nor flag
// values out of args, so FILE may come before or after the flags.
func splitPositional(args []string) (positional, flags []string) {
	fs := flag.NewFlagSet("", flag.ContinueOnError)
	var cfg Config
	cfg.register(fs)
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			return append(positional, args[i+1:]...), flags
		}
		if !strings.HasPrefix(arg, "-") || arg == "-" {
			positional = append(positional, arg)
			continue
		}
		flags = append(flags, arg)
		name, _, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		f := fs.Lookup(name)
		if hasValue || f == nil {
			continue
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			continue
		}
		if i+1 < len(args) {
			i++
			flags = append(flags, args[i])
		}
	}
	return positional, flags
}

func printImport(w io.Writer, res pull.Result, complete bool) {
	t := res.Total
	what := "imported"
	if t.DryRun {
		what = "dry run: would import"
	}
	fmt.Fprintf(w, "%s %d vacancies in %d call(s): %d created, %d updated, %d unchanged, %d reopened, %d closed, %d expired, %d stale, %d rejected, %d with warnings\n",
		what, res.Items, res.Calls, t.Created, t.Updated, t.Unchanged, t.Reopened, t.Closed, t.Expired, t.Stale, t.Rejected, t.Warnings)
	if !complete {
		fmt.Fprintln(w, "the import stopped before the snapshot was complete: nothing was closed")
	}
	for _, it := range t.Items {
		var probs []string
		for _, p := range it.Problems {
			kind := "error"
			if p.Warning {
				kind = "warning"
			}
			probs = append(probs, fmt.Sprintf("%s %s %s: %s", kind, p.Code, p.Field, p.Message))
		}
		fmt.Fprintf(w, "  #%d %s (%s) %s\n      %s\n", it.Index, it.ExternalID, it.Language, it.Outcome, strings.Join(probs, "\n      "))
	}
}
