// Package migrations embeds the versioned SQL migrations, one goose set per
// database dialect. Both directories must list the same versions; a test in
// internal/database enforces it.
package migrations

import "embed"

// FS holds postgres/*.sql and sqlite/*.sql.
//
//go:embed postgres/*.sql sqlite/*.sql
var FS embed.FS
