package httpserver_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/dbtest"
)

// TestEveryAnswerForbidsContentSniffing: GraphQL answers echo user text,
// so no answer of the server may be sniffed into another type.
func TestEveryAnswerForbidsContentSniffing(t *testing.T) {
	a := newAPI(t, dbtest.SQLite(t))
	answers := map[string]http.Header{
		"POST /graphql":          a.post(`{ locales { code } }`, nil).headers,
		"GET /graphql":           a.get(`{ locales { code } }`, nil).headers,
		"GET /graphql (refused)": a.get(`mutation { __typename }`, nil).headers,
		"POST /graphql (error)":  a.post(`{ nope }`, nil).headers,
	}
	for _, path := range []string{"/healthz", "/readyz", "/schema.graphql", "/admin/", "/no-such-page"} {
		rec := httptest.NewRecorder()
		a.handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		answers["GET "+path] = rec.Header()
	}
	for what, h := range answers {
		if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options %q, want nosniff", what, got)
		}
	}
}

// TestMutationOverGETIsACodedRefusal: a mutation sent with GET is not run
// and is refused like any other error, with extensions.code, 405 and the
// method to use.
func TestMutationOverGETIsACodedRefusal(t *testing.T) {
	a := newAPI(t, dbtest.SQLite(t))
	res := a.get(`mutation { logout(refreshToken: "x") }`, nil)
	if res.status != http.StatusMethodNotAllowed {
		t.Errorf("status %d, want 405", res.status)
	}
	if got := res.code(t); got != "BAD_USER_INPUT" {
		t.Fatalf("extensions.code %q, want BAD_USER_INPUT: %s", got, res.raw)
	}
	if got := res.Errors[0].Extensions["allowedMethod"]; got != "POST" {
		t.Errorf("extensions.allowedMethod %v, want POST", got)
	}
	if len(res.Data) > 0 && string(res.Data) != "null" {
		t.Errorf("the mutation ran: data %s", res.Data)
	}
	// Queries over GET still work.
	var ok struct{ Locales []struct{ Code string } }
	a.get(`{ locales { code } }`, nil).ok(t, &ok)
	if len(ok.Locales) != 2 {
		t.Fatalf("locales over GET: %+v", ok)
	}
}
