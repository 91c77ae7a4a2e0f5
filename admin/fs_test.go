package admin_test

// Checks of the UI's files that need no browser: every module import
// resolves to an embedded file, nothing needs inline script or style (the
// Content-Security-Policy forbids both), HTML from the server goes into the
// page in one reviewed place only, and both interface languages have every
// text.

import (
	"io"
	"io/fs"
	"net/http"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/werkwijzer/werkwijzer/admin"
)

func staticFiles(t *testing.T) map[string]string {
	t.Helper()
	root, err := fs.Sub(admin.FS, "static")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	err = fs.WalkDir(root, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(root, p)
		files[p] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

var importPattern = regexp.MustCompile(`(?m)(?:^import\s[^'"]*?from\s+|^import\s+|import\()\s*'([^']+)'`)

func TestEveryModuleImportIsEmbedded(t *testing.T) {
	files := staticFiles(t)
	if _, ok := files["js/main.js"]; !ok {
		t.Fatal("js/main.js is not embedded")
	}
	if !strings.Contains(files["index.html"], `<script type="module" src="js/main.js"></script>`) {
		t.Error("index.html does not load js/main.js as a module")
	}
	for name, src := range files {
		if !strings.HasSuffix(name, ".js") {
			continue
		}
		for _, m := range importPattern.FindAllStringSubmatch(src, -1) {
			target := path.Join(path.Dir(name), m[1])
			if _, ok := files[target]; !ok {
				t.Errorf("%s imports %s, which is not embedded (%s)", name, m[1], target)
			}
		}
	}
}

func TestNothingNeedsInlineScriptOrStyle(t *testing.T) {
	inlineScript := regexp.MustCompile(`<script(?:\s[^>]*)?>\s*[^<\s]`)
	for name, src := range staticFiles(t) {
		switch {
		case strings.HasSuffix(name, ".html"):
			if inlineScript.MatchString(src) || strings.Contains(src, " style=") || strings.Contains(src, "<style") || regexp.MustCompile(`\son[a-z]+=`).MatchString(src) {
				t.Errorf("%s has inline script, style or event handlers, which the CSP blocks", name)
			}
		case strings.HasSuffix(name, ".js"):
			for _, banned := range []string{"setAttribute('style'", `setAttribute("style"`, ".style.cssText", "eval(", "new Function(", "document.write(", "insertAdjacentHTML", "outerHTML ="} {
				if strings.Contains(src, banned) {
					t.Errorf("%s uses %s", name, banned)
				}
			}
			// The only HTML the page parses is the server's sanitized
			// Markdown preview.
			if n := strings.Count(src, ".innerHTML"); n > 0 && !(name == "js/views/editor-form.js" && n == 1) {
				t.Errorf("%s sets innerHTML %d times; build elements with h() instead", name, n)
			}
		}
	}
}

var keyPattern = regexp.MustCompile(`(?m)^  '([a-zA-Z0-9_.]+)':`)

func TestBothLanguagesHaveEveryText(t *testing.T) {
	src := staticFiles(t)["js/i18n.js"]
	en, nl, ok := strings.Cut(src[strings.Index(src, "const en = {"):], "const nl = {")
	if !ok {
		t.Fatal("i18n.js has no nl dictionary after the en one")
	}
	nl, _, _ = strings.Cut(nl, "const DICTS")
	keys := func(s string) []string {
		var out []string
		for _, m := range keyPattern.FindAllStringSubmatch(s, -1) {
			out = append(out, m[1])
		}
		slices.Sort(out)
		return out
	}
	enKeys, nlKeys := keys(en), keys(nl)
	for _, k := range enKeys {
		if _, found := slices.BinarySearch(nlKeys, k); !found {
			t.Errorf("Dutch lacks %q", k)
		}
	}
	for _, k := range nlKeys {
		if _, found := slices.BinarySearch(enKeys, k); !found {
			t.Errorf("English lacks %q", k)
		}
	}
	if len(enKeys) < 100 {
		t.Fatalf("found only %d keys: the dictionary format changed and this test no longer reads it", len(enKeys))
	}
}

// TestAdminIsServedWithAStrictPolicy checks what the browser gets: the UI
// under /admin/ with the CSP that forbids inline script and style.
func TestAdminIsServedWithAStrictPolicy(t *testing.T) {
	srv := startServer(t, serverOptions{})
	for _, p := range []string{"/admin/", "/admin/js/main.js", "/admin/admin.css"} {
		res, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || len(body) == 0 {
			t.Fatalf("GET %s: %d", p, res.StatusCode)
		}
		csp := res.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "style-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("GET %s: Content-Security-Policy %q", p, csp)
		}
		if strings.HasSuffix(p, ".js") && !strings.Contains(res.Header.Get("Content-Type"), "javascript") {
			t.Errorf("GET %s: Content-Type %q; browsers refuse modules that are not JavaScript", p, res.Header.Get("Content-Type"))
		}
	}
}
