// Package admin embeds the editors' web UI, served at /admin by the same
// binary. It talks to the server only over the public GraphQL API.
package admin

import "embed"

// FS holds the UI's static files, rooted at "static".
//
//go:embed static
var FS embed.FS
