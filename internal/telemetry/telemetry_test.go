package telemetry

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestOperationNames(t *testing.T) {
	s := newNameSet(2)
	for _, c := range []struct{ admit, want string }{
		{"", anonymous},
		{"RolePage", "RolePage"},
		{"9lives", other},    // not a GraphQL name
		{"role page", other}, // nor this
		{strings.Repeat("a", 65), other},
		{"ArticlePage", "ArticlePage"},
		{"Third", other},         // past the limit
		{"RolePage", "RolePage"}, // known names keep theirs
	} {
		if got := s.admit(c.admit); got != c.want {
			t.Errorf("admit(%q) = %q, want %q", c.admit, got, c.want)
		}
	}
	if got := s.label("Third"); got != other {
		t.Errorf("label of a name that never ran: %q", got)
	}
	if got := s.label("ArticlePage"); got != "ArticlePage" {
		t.Errorf("label of a name that ran: %q", got)
	}
	if !isGraphQLName("_a9") || !isGraphQLName(strings.Repeat("a", 64)) {
		t.Error("valid names refused")
	}
}

func TestErrorCodes(t *testing.T) {
	for ext, want := range map[string]string{
		"NOT_FOUND": "NOT_FOUND", "": "none", "not-a-code": other, strings.Repeat("A", 41): other, strings.Repeat("A", 40): strings.Repeat("A", 40),
	} {
		m := map[string]any{}
		if ext != "" {
			m["code"] = ext
		}
		if got := errorCode(m); got != want {
			t.Errorf("errorCode(%q) = %q, want %q", ext, got, want)
		}
	}
	if got := errorCode(map[string]any{"code": 42}); got != "none" {
		t.Errorf("a code that is not a string: %q", got)
	}
}

func TestRouteAndStatusLabels(t *testing.T) {
	for pattern, want := range map[string]string{"": "unmatched", "/graphql": "/graphql", "GET /admin/": "/admin/"} {
		r := httptest.NewRequest(http.MethodGet, "/x", nil)
		r.Pattern = pattern
		if got := routeOf(r); got != want {
			t.Errorf("routeOf(%q) = %q", pattern, got)
		}
	}
	for code, want := range map[int]string{200: "200", 418: "418", 42: "other", 600: "other"} {
		if got := statusLabel(code); got != want {
			t.Errorf("statusLabel(%d) = %q", code, got)
		}
	}
	if methodLabel("BREW") != "other" || methodLabel("GET") != "GET" {
		t.Error("method labels")
	}
}

// BenchmarkMiddleware is what the metrics middleware adds to a request
// with tracing off: compare "bare" and "metrics".
func BenchmarkMiddleware(b *testing.B) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	for name, h := range map[string]http.Handler{"bare": mux, "metrics": New(Config{}).Middleware(mux)} {
		b.Run(name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, "/healthz", nil)
			b.ReportAllocs()
			for b.Loop() {
				h.ServeHTTP(httptest.NewRecorder(), req)
			}
		})
	}
}
