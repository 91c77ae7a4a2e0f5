package httpserver_test

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/httpserver"
)

// assetRef is a src or href attribute of the playground's page.
var assetRef = regexp.MustCompile(`(?:src|href)="([^"]*)"`)

// TestPlaygroundIsSelfContained checks /playground over plain HTTP: a strict
// Content-Security-Policy, no inline script, and every script and stylesheet
// it references served by this server, the vendored ones cacheable for long.
func TestPlaygroundIsSelfContained(t *testing.T) {
	a := newAPI(t, dbtest.SQLite(t))
	get := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		a.handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		return rec
	}

	page := get("/playground")
	if page.Code != http.StatusOK || !strings.HasPrefix(page.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("GET /playground: %d %q", page.Code, page.Header().Get("Content-Type"))
	}
	checkPlaygroundCSP(t, page.Header().Get("Content-Security-Policy"))
	html := page.Body.String()
	if strings.Count(html, "<script") != strings.Count(html, "<script src=") {
		t.Errorf("the playground's page has inline script:\n%s", html)
	}

	refs := assetRef.FindAllStringSubmatch(html, -1)
	var scripts, styles int
	for _, m := range refs {
		ref := m[1]
		if ref == "data:," {
			continue // the empty favicon, which spares a request
		}
		if !strings.HasPrefix(ref, "/playground/") {
			t.Errorf("the playground references %q, not an asset of this server", ref)
			continue
		}
		script, style := checkPlaygroundAsset(t, a.handler, get(ref), ref)
		if script {
			scripts++
		}
		if style {
			styles++
		}
	}
	// React, ReactDOM, GraphiQL and the start-up script; GraphiQL's and
	// the page's stylesheets.
	if scripts != 4 || styles != 2 {
		t.Errorf("the page references %d scripts and %d stylesheets, want 4 and 2:\n%s", scripts, styles, html)
	}

	for _, path := range []string{"/playground/", "/playground/vendor", "/playground/vendor/", "/playground/index.html", "/playground/missing.js"} {
		if rec := get(path); rec.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404 (no listings, one page address)", path, rec.Code)
		}
	}
}

// checkPlaygroundCSP checks the playground's Content-Security-Policy is
// strict: only this server, no eval, no framing.
func checkPlaygroundCSP(t *testing.T, csp string) {
	t.Helper()
	for _, directive := range []string{"default-src 'self'", "script-src 'self';", "connect-src 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp+";", directive) {
			t.Errorf("the playground's Content-Security-Policy %q lacks %q", csp, directive)
		}
	}
	if strings.Contains(csp, "unsafe-eval") || strings.Contains(csp, "http") {
		t.Errorf("the playground's Content-Security-Policy allows eval or other hosts: %q", csp)
	}
}

// checkPlaygroundAsset checks asset, the response to GET ref, an asset the
// playground's page references: its status, type, caching and ETag. It
// tells whether it was a script or a stylesheet served.
func checkPlaygroundAsset(t *testing.T, handler http.Handler, asset *httptest.ResponseRecorder, ref string) (script, style bool) {
	t.Helper()
	if asset.Code != http.StatusOK {
		t.Errorf("GET %s: %d", ref, asset.Code)
		return false, false
	}
	switch {
	case strings.HasSuffix(ref, ".js"):
		script = true
		if ct := asset.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/javascript") {
			t.Errorf("GET %s: Content-Type %q", ref, ct)
		}
	case strings.HasSuffix(ref, ".css"):
		style = true
		if ct := asset.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
			t.Errorf("GET %s: Content-Type %q", ref, ct)
		}
	}
	cache := asset.Header().Get("Cache-Control")
	if strings.HasPrefix(ref, "/playground/vendor/") != strings.Contains(cache, "immutable") {
		t.Errorf("GET %s: Cache-Control %q: only the versioned vendor files are immutable", ref, cache)
	}
	etag := asset.Header().Get("ETag")
	if etag == "" {
		t.Errorf("GET %s: no ETag", ref)
		return script, style
	}
	req := httptest.NewRequest(http.MethodGet, ref, nil)
	req.Header.Set("If-None-Match", etag)
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, req)
	if rec.Code != http.StatusNotModified {
		t.Errorf("GET %s with its ETag: %d, want 304", ref, rec.Code)
	}
	return script, style
}

// TestPlaygroundCanBeTurnedOff keeps the playground setting working: off,
// neither the page nor its assets are served.
func TestPlaygroundCanBeTurnedOff(t *testing.T) {
	a := newAPIWith(t, dbtest.SQLite(t), func(c *httpserver.Config) { c.Playground = false })
	for _, path := range []string{"/playground", "/playground/playground.js", "/playground/vendor/react-18.3.1.production.min.js"} {
		rec := httptest.NewRecorder()
		a.handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusNotFound {
			t.Errorf("GET %s with the playground off: %d, want 404", path, rec.Code)
		}
	}
}
