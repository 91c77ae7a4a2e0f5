package httpserver_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/testserver"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
)

// vacancyAPI is the full handler chain with vacancy sources served.
type vacancyAPI struct {
	*api
	vacancies *vacancy.Service
	clients   *account.Clients
}

func newVacancyAPI(t testing.TB, db *database.DB) *vacancyAPI {
	t.Helper()
	s := testserver.New(t, db, testserver.Options{Vacancies: true})
	return &vacancyAPI{api: apiOf(t, db, s), vacancies: s.Vacancies, clients: s.Clients}
}

// createSource makes a push source as the operator and returns its
// credentials.
func (va *vacancyAPI) createSource(t testing.TB, name string, hosts ...string) vacancy.Credentials {
	t.Helper()
	_, creds, err := va.vacancies.CreateSource(account.WithOperator(context.Background()), vacancy.NewSource{Name: name, AllowedHosts: hosts})
	if err != nil {
		t.Fatal(err)
	}
	return creds
}

type tokenAnswer struct {
	status  int
	headers http.Header
	body    map[string]any
}

// tokenRequest posts a form to /oauth/token, with HTTP Basic credentials
// when basic is not empty, each from an address of its own so that failed
// requests do not delay the next.
func (va *vacancyAPI) tokenRequest(t testing.TB, form url.Values, basic ...string) tokenAnswer {
	t.Helper()
	return va.tokenRequestFrom(t, fmt.Sprintf("[2001:db8:%x::1]:1234", requestCount.Add(1)), form, basic...)
}

var requestCount atomic.Int64

// tokenRequestFrom is tokenRequest from the address remoteAddr.
func (va *vacancyAPI) tokenRequestFrom(t testing.TB, remoteAddr string, form url.Values, basic ...string) tokenAnswer {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/oauth/token", strings.NewReader(form.Encode()))
	req.RemoteAddr = remoteAddr
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if len(basic) == 2 {
		req.SetBasicAuth(url.QueryEscape(basic[0]), url.QueryEscape(basic[1]))
	}
	rec := httptest.NewRecorder()
	va.handler.ServeHTTP(rec, req)
	ans := tokenAnswer{status: rec.Code, headers: rec.Header()}
	if err := json.Unmarshal(rec.Body.Bytes(), &ans.body); err != nil {
		t.Fatalf("status %d, body is not JSON: %s", rec.Code, rec.Body.String())
	}
	return ans
}

// token gets a source's access token.
func (va *vacancyAPI) token(t testing.TB, c vacancy.Credentials) []string {
	t.Helper()
	ans := va.tokenRequest(t, url.Values{"grant_type": {"client_credentials"}}, c.ClientID, c.ClientSecret)
	if ans.status != http.StatusOK {
		t.Fatalf("token: %d %v", ans.status, ans.body)
	}
	return []string{"Authorization", "Bearer " + ans.body["access_token"].(string)}
}

func TestTokenEndpointIssuesTokensPerRFC6749(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		va := newVacancyAPI(t, db)
		c := va.createSource(t, "devries")
		grant := url.Values{"grant_type": {"client_credentials"}}

		for name, ans := range map[string]tokenAnswer{
			"basic": va.tokenRequest(t, grant, c.ClientID, c.ClientSecret),
			"form":  va.tokenRequest(t, url.Values{"grant_type": {"client_credentials"}, "client_id": {c.ClientID}, "client_secret": {c.ClientSecret}}),
			"scope": va.tokenRequest(t, url.Values{"grant_type": {"client_credentials"}, "scope": {"vacancies:sync"}}, c.ClientID, c.ClientSecret),
		} {
			if ans.status != http.StatusOK || ans.body["token_type"] != "Bearer" || ans.body["scope"] != "vacancies:sync" {
				t.Fatalf("%s: %d %v", name, ans.status, ans.body)
			}
			if exp, _ := ans.body["expires_in"].(float64); exp < 890 || exp > 900 {
				t.Fatalf("%s: expires_in %v", name, ans.body["expires_in"])
			}
			if ans.headers.Get("Cache-Control") != "no-store" || ans.headers.Get("Pragma") != "no-cache" || !strings.HasPrefix(ans.headers.Get("Content-Type"), "application/json") {
				t.Fatalf("%s: headers %v", name, ans.headers)
			}
			cl, err := va.clients.Verify(ans.body["access_token"].(string))
			if err != nil || cl.ID != c.ClientID || !cl.HasScope(account.ScopeVacancySync) {
				t.Fatalf("%s: token does not verify: %v %+v", name, err, cl)
			}
		}
	})
}

func TestTokenEndpointRefusesPerRFC6749(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		va := newVacancyAPI(t, db)
		c := va.createSource(t, "devries")
		other := va.createSource(t, "andere")
		grant := url.Values{"grant_type": {"client_credentials"}}
		check := func(name string, ans tokenAnswer, status int, code string) {
			t.Helper()
			if ans.status != status || ans.body["error"] != code {
				t.Errorf("%s: %d %v; want %d %s", name, ans.status, ans.body, status, code)
			}
			if ans.headers.Get("Cache-Control") != "no-store" {
				t.Errorf("%s: an error answer may be cached", name)
			}
			if (status == http.StatusUnauthorized) != strings.HasPrefix(ans.headers.Get("WWW-Authenticate"), "Basic") {
				t.Errorf("%s: WWW-Authenticate %q with status %d", name, ans.headers.Get("WWW-Authenticate"), status)
			}
		}
		check("wrong secret, basic", va.tokenRequest(t, grant, c.ClientID, c.ClientSecret+"x"), 401, "invalid_client")
		check("another source's secret", va.tokenRequest(t, grant, c.ClientID, other.ClientSecret), 401, "invalid_client")
		check("wrong secret, form", va.tokenRequest(t, url.Values{"grant_type": {"client_credentials"}, "client_id": {c.ClientID}, "client_secret": {"wws_nope"}}), 401, "invalid_client")
		check("unknown client", va.tokenRequest(t, grant, "01939a4e-0000-7000-8000-000000000000", c.ClientSecret), 401, "invalid_client")
		check("no credentials", va.tokenRequest(t, grant), 401, "invalid_client")
		check("password grant", va.tokenRequest(t, url.Values{"grant_type": {"password"}, "username": {"x"}}, c.ClientID, c.ClientSecret), 400, "unsupported_grant_type")
		check("no grant", va.tokenRequest(t, url.Values{}, c.ClientID, c.ClientSecret), 400, "invalid_request")
		check("two methods", va.tokenRequest(t, url.Values{"grant_type": {"client_credentials"}, "client_secret": {c.ClientSecret}}, c.ClientID, c.ClientSecret), 400, "invalid_request")
		check("repeated grant", va.tokenRequest(t, url.Values{"grant_type": {"client_credentials", "client_credentials"}}, c.ClientID, c.ClientSecret), 400, "invalid_request")
		check("foreign scope", va.tokenRequest(t, url.Values{"grant_type": {"client_credentials"}, "scope": {"content:edit"}}, c.ClientID, c.ClientSecret), 400, "invalid_scope")

		// Disabled: the right secret no longer gets a token.
		if _, err := va.vacancies.SetActive(account.WithOperator(context.Background()), c.ClientID, false, false); err != nil {
			t.Fatal(err)
		}
		check("disabled source", va.tokenRequest(t, grant, c.ClientID, c.ClientSecret), 401, "invalid_client")

		send := func(method, target, contentType, body string) *httptest.ResponseRecorder {
			req := httptest.NewRequest(method, target, strings.NewReader(body))
			if contentType != "" {
				req.Header.Set("Content-Type", contentType)
			}
			req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(other.ClientID+":"+other.ClientSecret)))
			rec := httptest.NewRecorder()
			va.handler.ServeHTTP(rec, req)
			return rec
		}
		if rec := send(http.MethodGet, "/oauth/token?grant_type=client_credentials", "", ""); rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "POST" {
			t.Errorf("GET: %d %v", rec.Code, rec.Header())
		}
		if rec := send(http.MethodPost, "/oauth/token", "application/json", `{"grant_type":"client_credentials"}`); rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "invalid_request") {
			t.Errorf("JSON body: %d %s", rec.Code, rec.Body.String())
		}
		if rec := send(http.MethodPost, "/oauth/token?client_secret=leak", "application/x-www-form-urlencoded", "grant_type=client_credentials"); rec.Code != http.StatusBadRequest {
			t.Errorf("parameters in the URL: %d %s", rec.Code, rec.Body.String())
		}
		if rec := send(http.MethodPost, "/oauth/token", "application/x-www-form-urlencoded", "grant_type=client_credentials"); rec.Code != http.StatusOK {
			t.Errorf("raw Basic header: %d %s", rec.Code, rec.Body.String())
		}
	})
}

func TestTokenKindsNeverPassForEachOther(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		va := newVacancyAPI(t, db)
		c := va.createSource(t, "devries")
		source := va.token(t, c)
		editor := va.signIn(t, "admin@example.com", account.RoleAdmin)

		// An editor's token, even an admin's, cannot sync.
		sync := `mutation($in: SyncVacanciesInput!) { syncVacancies(input: $in) { created } }`
		in := map[string]any{"in": map[string]any{"mode": "UPSERT", "items": []any{}}}
		if code := va.post(sync, in, editor...).code(t); code != "FORBIDDEN" {
			t.Fatalf("an admin's token synced: %s", code)
		}
		if code := va.post(sync, in).code(t); code != "UNAUTHENTICATED" {
			t.Fatalf("anonymous sync: %s", code)
		}
		var ok struct{ SyncVacancies struct{ Created int } }
		va.post(sync, in, source...).ok(t, &ok)

		// A source's token cannot edit content, see editors' data or read
		// drafts.
		for name, q := range map[string]string{
			"createFAQ": `mutation { createFAQ(input: { translations: [{ locale: "nl", slug: "x", question: "Q?", answer: "A." }] }) { id } }`,
			"me":        `{ me { email } }`,
			"entries":   `{ entries { totalCount } }`,
			"sources":   `{ sources { name } }`,
			"users":     `{ users { email } }`,
		} {
			if code := va.post(q, nil, source...).code(t); code != "FORBIDDEN" {
				t.Errorf("%s with a source's token: %s", name, code)
			}
		}
		res := va.post(`{ article(slug: "`+nlArticleSlug+`", preview: true) { title } }`, nil, source...)
		if len(res.Errors) == 0 || (res.code(t) != "UNAUTHENTICATED" && res.code(t) != "FORBIDDEN") {
			t.Fatalf("a source's token previewed drafts: %s", res.raw)
		}
		// Public reads still work with a source's token.
		var pub struct{ Role struct{ Title string } }
		va.post(`{ role(slug: "office-manager") { title } }`, nil, source...).ok(t, &pub)
		if pub.Role.Title == "" {
			t.Fatal("a source cannot read public content")
		}

		// The verifiers themselves: an editor's token is no client token,
		// a client token no editor's.
		editorToken := strings.TrimPrefix(editor[1], "Bearer ")
		if _, err := va.clients.Verify(editorToken); err == nil {
			t.Fatal("an editor's token verified as a source's")
		}
		if _, err := va.accounts.Authenticate(context.Background(), strings.TrimPrefix(source[1], "Bearer ")); err == nil {
			t.Fatal("a source's token authenticated as an editor")
		}
	})
}

func TestASyncAfterDisablingIsRefusedAtOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		va := newVacancyAPI(t, db)
		c := va.createSource(t, "devries")
		source := va.token(t, c)
		if _, err := va.vacancies.SetActive(account.WithOperator(context.Background()), c.ClientID, false, false); err != nil {
			t.Fatal(err)
		}
		sync := `mutation($in: SyncVacanciesInput!) { syncVacancies(input: $in) { created } }`
		in := map[string]any{"in": map[string]any{"mode": "UPSERT", "items": []any{}}}
		// The token's secret is checked on every request.
		if code := va.post(sync, in, source...).code(t); code != "UNAUTHENTICATED" {
			t.Fatalf("a token of a disabled source: %s; want UNAUTHENTICATED", code)
		}
	})
}
