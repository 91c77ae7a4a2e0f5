package httpserver_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/werkwijzer/werkwijzer/graph"
	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/httpserver"
	"github.com/werkwijzer/werkwijzer/internal/testserver"
)

// TestBadUserInputCarriesAReasonAndItsParameters sends representative bad
// input to every layer that refuses some (argument parsing and guards in
// graph, content, vacancy, account, the transport) through the whole
// handler chain, and checks the stable reason and its parameters a client
// translates.
func TestBadUserInputCarriesAReasonAndItsParameters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		limits := graph.DefaultLimits
		limits.MaxDepth = 6
		a := apiOf(t, db, testserver.New(t, db, testserver.Options{Vacancies: true,
			Configure: func(c *httpserver.Config) { c.Limits = limits }}))
		admin := a.signIn(t, "admin@example.com", account.RoleAdmin)
		type params = map[string]any
		cases := []struct {
			name   string
			send   func() gqlResponse
			reason string
			want   params
		}{
			{"page size (graph)", func() gqlResponse {
				return a.post(`{ articles(first: 500) { totalCount } }`, nil)
			}, "OUT_OF_RANGE", params{"field": "first", "min": 1.0, "max": 100.0}},
			{"first and last (graph)", func() gqlResponse {
				return a.post(`{ articles(first: 5, last: 5) { totalCount } }`, nil)
			}, "EXCLUSIVE_ARGUMENTS", params{"field": "last"}},
			{"cursor (graph)", func() gqlResponse {
				return a.post(`{ articles(after: "bm9wZQ") { totalCount } }`, nil)
			}, "INVALID_CURSOR", params{"field": "after"}},
			{"locale (content)", func() gqlResponse {
				return a.post(`{ articles(locale: "xx") { totalCount } }`, nil)
			}, "INVALID_LOCALE", params{"field": "locale", "supportedLocales": []any{"nl", "en"}}},
			{"slug (content)", func() gqlResponse {
				return a.post(`mutation { createFAQ(input: { translations: [{ locale: "nl", slug: "Niet Goed", question: "V?", answer: "A." }] }) { id } }`, nil, admin...)
			}, "INVALID_SLUG", params{"field": "slug", "slug": "Niet Goed"}},
			{"duplicate locale (graph editing)", func() gqlResponse {
				return a.post(`mutation { createFAQ(input: { translations: [
					{ locale: "nl", slug: "a", question: "V?", answer: "A." }, { locale: "nl", slug: "b", question: "V?", answer: "A." }] }) { id } }`, nil, admin...)
			}, "DUPLICATE", params{"field": "translations", "value": "nl"}},
			{"markdown (graph editor)", func() gqlResponse {
				return a.post(`query($m: String!) { renderMarkdown(markdown: $m) }`, params{"m": strings.Repeat("x", 64<<10+1)}, admin...)
			}, "TOO_LONG", params{"field": "markdown", "max": float64(64 << 10), "unit": "bytes"}},
			{"range (vacancy)", func() gqlResponse {
				return a.post(`{ vacancies(filter: { hoursPerWeek: { min: 40, max: 10 } }) { totalCount } }`, nil)
			}, "MIN_ABOVE_MAX", params{"field": "hoursPerWeek"}},
			{"search words (vacancy)", func() gqlResponse {
				return a.post(`query($q: String!) { vacancies(filter: { query: $q }) { totalCount } }`, params{"q": "een twee drie vier vijf zes zeven acht negen tien elf"})
			}, "TOO_LONG", params{"field": "query", "max": 10.0, "unit": "words"}},
			{"feed URL (vacancy)", func() gqlResponse {
				return a.post(`mutation { createSource(input: { name: "feed", kind: INDEED_XML, feedUrl: "ftp://example.com/feed" }) { clientId } }`, nil, admin...)
			}, "INVALID_URL", params{"field": "feedUrl"}},
			{"email (account)", func() gqlResponse {
				return a.post(`mutation { createUser(input: { email: "geen-adres", password: "correct horse battery", role: EDITOR }) { id } }`, nil, admin...)
			}, "INVALID_EMAIL", params{"field": "email"}},
			{"password (account)", func() gqlResponse {
				return a.post(`mutation { createUser(input: { email: "kort@example.com", password: "kort", role: EDITOR }) { id } }`, nil, admin...)
			}, "TOO_SHORT", params{"field": "password", "min": float64(account.MinPasswordLength), "unit": "characters"}},
			{"depth (graph guard)", func() gqlResponse {
				return a.post(`{ article(slug: "x") { blocks { ... on ComparisonBlock { comparison { roles { vacancies { edges { node { id } } } } } } } } }`, nil)
			}, "QUERY_TOO_LARGE", params{"limit": "maxDepth", "max": 6.0}},
			{"mutation with GET (transport)", func() gqlResponse {
				return a.get(`mutation { logout(refreshToken: "x") }`, nil)
			}, "METHOD_NOT_ALLOWED", params{"allowedMethod": "POST"}},
			{"body that is not JSON (transport)", func() gqlResponse {
				req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader([]byte(`{"query":`)))
				req.Header.Set("Content-Type", "application/json")
				return a.do(req)
			}, "INVALID_REQUEST", params{}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				res := c.send()
				if len(res.Errors) != 1 {
					t.Fatalf("want one error, got %s", res.raw)
				}
				ext := res.Errors[0].Extensions
				if ext["code"] != "BAD_USER_INPUT" || ext["reason"] != c.reason {
					t.Fatalf("code %v, reason %v; want BAD_USER_INPUT, %s: %s", ext["code"], ext["reason"], c.reason, res.raw)
				}
				for k, want := range c.want {
					if !reflect.DeepEqual(ext[k], want) {
						got, _ := json.Marshal(ext[k])
						t.Errorf("extensions.%s = %s; want %v", k, got, want)
					}
				}
			})
		}
	})
}
