package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/werkwijzer/werkwijzer/internal/cachetag"
	"github.com/werkwijzer/werkwijzer/internal/store"
	"github.com/werkwijzer/werkwijzer/internal/transfer"
)

const exportUsage = `Usage:
  werkwijzer export [--out FILE] [--with-credentials]

Writes everything another installation needs to serve the same content
to one JSON document (format version 1, described by
internal/transfer/schema/export-v1.schema.json): every entry in every
locale with its draft, every revision, what is live and its former
slugs; the users; the vacancy sources; the open vacancies. Password
hashes are left out unless --with-credentials, and the sources' client
secrets always are. The same data always gives the same bytes, apart
from exportedAt. Without --out the document goes to standard output;
with it, FILE is replaced only once the whole document is written, and
is readable by its owner only.

Flags:
`

// runExport writes the export document.
func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cl := newCmdline("export", exportUsage, stderr)
	out := stringOnce(cl.fs, "out", "write the document to FILE instead of standard output")
	withCredentials := cl.fs.Bool("with-credentials", false, "include the users' password hashes")
	cfg, err := cl.parseFlags(args)
	if err != nil {
		return err
	}
	opt := transfer.ExportOptions{WithCredentials: *withCredentials}
	return withDB(ctx, cfg, stderr, func(e *env) error {
		st := store.NewTransfer(e.db.Gorm)
		if *out == "" {
			return transfer.Export(ctx, st, stdout, opt)
		}
		return writeFileAtomically(*out, func(w io.Writer) error { return transfer.Export(ctx, st, w, opt) })
	})
}

// writeFileAtomically writes a temporary file beside path and renames it
// over path once write succeeded, so a failed export never leaves half a
// document where a whole one is expected.
func writeFileAtomically(path string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	defer os.Remove(f.Name()) // a no-op after the rename
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

const importContentUsage = `Usage:
  werkwijzer import content FILE [--dry-run] [--json] [--max-bytes N]

Imports a document written by "werkwijzer export", in one transaction:
into an empty database it restores everything as it was (ids,
timestamps, versions, revision history); into one that holds data it
merges by id: records it lacks are created, records whose copy in the
document is newer (a higher entry version, a later update) are replaced,
and records whose database copy is newer or differs otherwise are kept
and reported. A document that is not an export, is of a newer format
version, is invalid, or collides with other records (a slug or email
held by another) is refused and nothing is written. Users exported
without credentials are created with no usable password: set one with
"werkwijzer user password". --dry-run reports what would change and
writes nothing.

Flags:
`

// runImportContent imports an export document.
func runImportContent(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cl := newCmdline("import content", importContentUsage, stderr)
	dryRun := cl.fs.Bool("dry-run", false, "report what would change and write nothing")
	asJSON := cl.fs.Bool("json", false, "print the report as JSON")
	maxBytes := cl.fs.Int64("max-bytes", transfer.DefaultMaxBytes, "refuse a document larger than this many bytes")
	cfg, rest, err := cl.parse(args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("want one FILE, got %q", rest)
	}
	f, err := os.Open(rest[0])
	if err != nil {
		return err
	}
	defer f.Close()
	return withDB(ctx, cfg, stderr, func(e *env) error {
		rep, err := transfer.Import(ctx, store.NewTransfer(e.db.Gorm), f, transfer.ImportOptions{DryRun: *dryRun, MaxBytes: *maxBytes})
		if err != nil {
			return err
		}
		if rep.Wrote() {
			// Entries, slugs, users, sources and vacancies may all have
			// changed: the running servers (on PostgreSQL) empty their
			// caches rather than be told every tag.
			e.replicas.Invalidate(ctx, cachetag.All)
		}
		return printContentImport(stdout, rep, *asJSON)
	})
}

func printContentImport(w io.Writer, rep *transfer.Report, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	what := "imported"
	if rep.DryRun {
		what = "dry run: nothing written; would import"
	}
	fmt.Fprintln(w, what+":")
	for _, k := range []struct {
		name string
		c    transfer.Counts
	}{{"entries", rep.Entries}, {"users", rep.Users}, {"sources", rep.Sources}, {"vacancies", rep.Vacancies}} {
		fmt.Fprintf(w, "  %-9s %d created, %d updated, %d unchanged, %d kept\n", k.name, k.c.Created, k.c.Updated, k.c.Unchanged, k.c.Kept)
	}
	for _, ch := range rep.Changes {
		fmt.Fprintf(w, "  %-9s %s %s %s", ch.Outcome, ch.Kind, ch.ID, ch.Label)
		if ch.Detail != "" {
			fmt.Fprintf(w, " (%s)", ch.Detail)
		}
		fmt.Fprintln(w)
	}
	return nil
}
