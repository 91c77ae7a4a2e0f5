// Package playground embeds GraphiQL, served at /playground: the page, its
// start-up script and the vendored React and GraphiQL builds, so the
// playground works offline and under a strict Content-Security-Policy.
// fetch.sh says where static/vendor comes from and updates it.
package playground

import "embed"

// FS holds static/: index.html, playground.js, playground.css and vendor/.
//
//go:embed static
var FS embed.FS
