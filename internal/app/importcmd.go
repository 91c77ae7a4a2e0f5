package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
	"github.com/werkwijzer/werkwijzer/internal/vacancy/pull"
)

const importUsage = `Usage:
  werkwijzer import vacancies --source NAME [FILE|URL] [--dry-run] [--allow-mass-close] [--upsert] [--json]
  werkwijzer import content FILE [--dry-run] [--json]   (see werkwijzer import content -h)

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

Flags:
`

// runImport imports a vacancy feed by hand.
func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	act, args, err := action("import", args, importUsage, stderr, "vacancies", "content")
	if err != nil {
		return err
	}
	if act == "content" {
		return runImportContent(ctx, args, stdout, stderr)
	}
	cl := newCmdline("import vacancies", importUsage, stderr)
	name := stringOnce(cl.fs, "source", "the name of the source to import for (required)")
	dryRun := cl.fs.Bool("dry-run", false, "report what would happen and write nothing")
	allowMassClose := cl.fs.Bool("allow-mass-close", false, "close more than half of the source's open vacancies if the feed says so")
	upsert := cl.fs.Bool("upsert", false, "only create and update: close nothing")
	asJSON := cl.fs.Bool("json", false, "print the report as JSON")
	cfg, rest, err := cl.parse(args)
	if err != nil {
		return err
	}
	if len(rest) > 1 {
		return usagef("unexpected arguments %q: give one FILE or URL", rest[1:])
	}
	if err := required("source", *name); err != nil {
		return err
	}
	opt := pull.Options{DryRun: *dryRun, AllowMassClose: *allowMassClose}
	if *upsert {
		opt.Mode = vacancy.ModeUpsert
	}
	return withDB(ctx, cfg, stderr, func(e *env) error {
		res, err := e.importVacancies(account.WithOperator(ctx), *name, rest, opt, stderr)
		if err != nil {
			if res.Calls > 0 {
				printImport(stdout, res, false)
			}
			return err
		}
		return printImportResult(stdout, res, *asJSON)
	})
}

// importVacancies imports the feed at the one FILE or URL in rest, or
// without one the source's own feed as the scheduled pull does.
func (e *env) importVacancies(ctx context.Context, name string, rest []string, opt pull.Options, progress io.Writer) (pull.Result, error) {
	svc := e.vacancyService()
	src, err := svc.SourceByName(ctx, name)
	if err != nil {
		return pull.Result{}, err
	}
	if !src.Kind.Pulls() {
		return pull.Result{}, fmt.Errorf("source %s is a push source: it has no feed format to read (give it a feed kind with werkwijzer source update --kind)", src.Name)
	}
	im := &pull.Importer{Vacancies: svc, Fetcher: e.feedFetcher(), Progress: progress, Log: e.log}
	switch {
	case (len(rest) == 0 || rest[0] == src.FeedURL) && src.FeedURL != "":
		return im.PullNow(ctx, src, opt)
	case len(rest) == 1 && pull.IsURL(rest[0]):
		return im.ImportURL(ctx, src, rest[0], opt)
	case len(rest) == 1:
		return im.ImportFile(ctx, src, rest[0], opt)
	}
	return pull.Result{}, fmt.Errorf("source %s has no feed URL: give a FILE or URL", src.Name)
}

// printImportResult prints the report of a complete import.
func printImportResult(w io.Writer, res pull.Result, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if res.NotModified {
			return enc.Encode(map[string]bool{"notModified": true})
		}
		return enc.Encode(res.Total)
	}
	if res.NotModified {
		fmt.Fprintln(w, "not modified: the feed is the one last imported whole; nothing was synced")
		return nil
	}
	printImport(w, res, true)
	return nil
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
