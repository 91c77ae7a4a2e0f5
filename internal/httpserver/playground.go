package httpserver

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/httpserver/playground"
)

// playgroundCSP lets the playground page load and run only what this
// server sends and talk only to it: GraphiQL needs no CDN. Its stylesheet
// inlines its fonts and icons as data: URLs.
const playgroundCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// vendorCache is for the vendored builds, whose file names carry their
// versions: a new version is a new URL, so browsers may keep them a year.
const vendorCache = "public, max-age=31536000, immutable"

// servePlayground routes GET /playground (GraphiQL's page) and
// /playground/{file} (its script, style and vendored builds) from the
// embedded files.
func servePlayground(mux *http.ServeMux) {
	static, err := fs.Sub(playground.FS, "static")
	if err != nil {
		panic(err) // the embed pattern guarantees the directory exists
	}
	etags := map[string]string{}
	err = fs.WalkDir(static, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(static, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		etags[name] = `"` + hex.EncodeToString(sum[:16]) + `"`
		return nil
	})
	if err != nil {
		panic(err) // reading an embedded file does not fail
	}
	serve := func(w http.ResponseWriter, r *http.Request, name string) {
		etag, ok := etags[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Security-Policy", playgroundCSP)
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("ETag", etag)
		if strings.HasPrefix(name, "vendor/") {
			h.Set("Cache-Control", vendorCache)
		} else {
			h.Set("Cache-Control", "no-cache")
		}
		f, err := static.Open(name)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		defer f.Close()
		// ServeContent sets the type from the extension, answers
		// If-None-Match with 304 and serves ranges; embedded files have
		// no modification time, hence the ETag.
		http.ServeContent(w, r, name, time.Time{}, f.(io.ReadSeeker))
	}
	mux.HandleFunc("GET /playground", func(w http.ResponseWriter, r *http.Request) {
		serve(w, r, "index.html")
	})
	mux.HandleFunc("GET /playground/{file...}", func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("file")
		if name == "index.html" {
			http.NotFound(w, r) // the page lives at /playground only
			return
		}
		serve(w, r, name)
	})
}
