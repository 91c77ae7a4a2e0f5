package app

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/cachetag"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
)

func exportCmd(ctx context.Context, args []string, out, errOut *bytes.Buffer) error {
	return runExport(ctx, args, out, errOut)
}

var exportedAtLine = regexp.MustCompile(`(?m)^  "exportedAt": "[^"]*",$`)

// withoutExportTime blanks the one line two exports of the same data may
// differ in.
func withoutExportTime(t *testing.T, doc []byte) string {
	t.Helper()
	if len(exportedAtLine.FindAll(doc, -1)) != 1 {
		t.Fatalf("the export has no exportedAt line:\n%.300s", doc)
	}
	return exportedAtLine.ReplaceAllString(string(doc), "")
}

// TestMoveFromSQLiteToPostgres follows the README's recipe with the
// commands themselves: export the SQLite database to a file, check the
// import with --dry-run, import into an empty PostgreSQL database, and
// export that: the same document, apart from the export time.
func TestMoveFromSQLiteToPostgres(t *testing.T) {
	from := newCLI(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "export.json")
	if _, errOut, err := from.run(exportCmd, "--out", file); err != nil {
		t.Fatalf("export: %v\n%s", err, errOut)
	}
	first, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(file); info.Mode().Perm() != 0o600 {
		t.Fatalf("the export file has mode %v; want 0600: it holds users' emails", info.Mode().Perm())
	}
	stdout, _, err := from.run(exportCmd)
	if err != nil || withoutExportTime(t, []byte(stdout)) != withoutExportTime(t, first) {
		t.Fatalf("export to standard output differs from export to a file (%v)", err)
	}

	to := &cli{t: t, url: dbtest.NewPostgresURL(t)}
	out, errOut, err := to.run(importCmd, "content", file, "--dry-run")
	if err != nil || !strings.Contains(out, "dry run: nothing written") || !strings.Contains(out, "entries   10 created") {
		t.Fatalf("dry run: %v\n%s%s", err, out, errOut)
	}
	empty := filepath.Join(dir, "empty.json")
	if _, errOut, err := to.run(exportCmd, "--out", empty); err != nil {
		t.Fatalf("export: %v\n%s", err, errOut)
	}
	if doc, _ := os.ReadFile(empty); !strings.Contains(string(doc), `"entries": []`) {
		t.Fatal("the dry run wrote entries")
	}
	out, errOut, err = to.run(importCmd, "content", file)
	if err != nil || !strings.Contains(out, "vacancies 7 created") {
		t.Fatalf("import: %v\n%s%s", err, out, errOut)
	}
	second := filepath.Join(dir, "second.json")
	if _, errOut, err := to.run(exportCmd, "--out", second); err != nil {
		t.Fatalf("export: %v\n%s", err, errOut)
	}
	again, err := os.ReadFile(second)
	if err != nil {
		t.Fatal(err)
	}
	if withoutExportTime(t, first) != withoutExportTime(t, again) {
		t.Fatal("PostgreSQL's export differs from SQLite's")
	}
}

// TestContentImportTellsTheRunningServers: on PostgreSQL a content import
// that wrote something empties the running servers' caches, as entries,
// slugs and vacancies may all have changed; one that changed nothing
// leaves them.
func TestContentImportTellsTheRunningServers(t *testing.T) {
	file := filepath.Join(t.TempDir(), "export.json")
	if _, errOut, err := newCLI(t).run(exportCmd, "--out", file); err != nil {
		t.Fatalf("export: %v\n%s", err, errOut)
	}
	db, dbURL := dbtest.OpenPostgresWithURL(t)
	to := &cli{t: t, url: dbURL}
	heard := listenAsAServer(t, db)
	if out, errOut, err := to.run(importCmd, "content", file); err != nil {
		t.Fatalf("import: %v\n%s%s", err, out, errOut)
	}
	if !hears(heard, cachetag.All) {
		t.Fatal("the running servers were not told to empty their caches after an import")
	}
	if out, errOut, err := to.run(importCmd, "content", file); err != nil || !strings.Contains(out, "entries   0 created, 0 updated") {
		t.Fatalf("import again: %v\n%s%s", err, out, errOut)
	}
	if hears(heard, cachetag.All) {
		t.Fatal("an import that changed nothing emptied the running servers' caches")
	}
}

func TestImportContentRefusals(t *testing.T) {
	c := newCLI(t)
	file := filepath.Join(t.TempDir(), "export.json")
	if _, errOut, err := c.run(exportCmd, "--out", file); err != nil {
		t.Fatalf("export: %v\n%s", err, errOut)
	}
	if _, _, err := c.run(importCmd, "content"); !errors.As(err, new(usageError)) {
		t.Fatalf("import content without a file: %v; want a usage error", err)
	}
	doc, _ := os.ReadFile(file)
	newer := filepath.Join(t.TempDir(), "newer.json")
	if err := os.WriteFile(newer, bytes.Replace(doc, []byte(`"formatVersion": 1`), []byte(`"formatVersion": 7`), 1), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.run(importCmd, "content", newer); err == nil || !strings.Contains(err.Error(), "format version 7") {
		t.Fatalf("a newer format version: %v", err)
	}
	if _, _, err := c.run(importCmd, "content", file, "--max-bytes", "1000"); err == nil || !strings.Contains(err.Error(), "larger than the limit of 1000 bytes") {
		t.Fatalf("a document over --max-bytes: %v", err)
	}
	// Importing into the database it came from changes nothing.
	out, _, err := c.run(importCmd, "content", file)
	if err != nil || !strings.Contains(out, "entries   0 created, 0 updated, 10 unchanged, 0 kept") {
		t.Fatalf("import into the source database: %v\n%s", err, out)
	}
}
