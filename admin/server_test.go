package admin_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/httpserver"
	"github.com/werkwijzer/werkwijzer/internal/testserver"
)

const (
	testPassword  = "correct horse battery staple"
	nlArticleSlug = "verschil-office-manager-en-personal-assistant"
)

type serverOptions struct {
	accessTTL time.Duration // 0: the service's default
}

// server is the full handler chain, as the binary serves it, on a seeded
// SQLite database, behind a real HTTP listener the browser can reach.
type server struct {
	URL      string
	accounts *account.Service

	refreshes     atomic.Int64
	outage        outage
	mu            sync.Mutex
	bearers       map[string]bool
	latestRefresh string
}

func startServer(t *testing.T, opts serverOptions) *server {
	t.Helper()
	ts := testserver.New(t, dbtest.SQLite(t), testserver.Options{
		SampleVacancies: true, AccessTokenTTL: opts.accessTTL,
		Configure: func(c *httpserver.Config) { c.Playground = false },
	})
	s := &server{accounts: ts.Accounts, bearers: map[string]bool{}}
	hs := httptest.NewServer(s.observe(ts.Handler))
	t.Cleanup(hs.Close)
	s.URL = hs.URL
	return s
}

// observe counts token refreshes and remembers the access tokens the page
// sends, so tests can check when the page refreshes and where it keeps
// its tokens.
func (s *server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/graphql" && s.outage.serve(w, r) {
			return
		}
		if token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			s.mu.Lock()
			s.bearers[token] = true
			s.mu.Unlock()
		}
		if r.URL.Path == "/graphql" && r.Method == http.MethodPost {
			body, err := io.ReadAll(r.Body)
			if err == nil && bytes.Contains(body, []byte("refreshToken(refreshToken:")) {
				r.Body = io.NopCloser(bytes.NewReader(body))
				rec := httptest.NewRecorder()
				next.ServeHTTP(rec, r)
				var res struct {
					Data struct{ RefreshToken struct{ RefreshToken string } }
				}
				if json.Unmarshal(rec.Body.Bytes(), &res) == nil && res.Data.RefreshToken.RefreshToken != "" {
					s.mu.Lock()
					s.latestRefresh = res.Data.RefreshToken.RefreshToken
					s.mu.Unlock()
					s.refreshes.Add(1)
				}
				maps.Copy(w.Header(), rec.Header())
				w.WriteHeader(rec.Code)
				_, _ = w.Write(rec.Body.Bytes())
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		next.ServeHTTP(w, r)
	})
}

// outage, while on, answers /graphql as a server whose database is down
// does: a refresh gets a GraphQL INTERNAL error, other requests alternately
// an HTTP 503 and a GraphQL UNAVAILABLE error. Nothing reaches the real
// handler, so no refresh token is used up meanwhile.
type outage struct {
	on        atomic.Bool
	refreshes atomic.Int64 // refreshes refused
	others    atomic.Int64 // other requests refused
}

func (o *outage) serve(w http.ResponseWriter, r *http.Request) bool {
	if !o.on.Load() {
		return false
	}
	body, _ := io.ReadAll(r.Body)
	gqlError := func(code string) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = fmt.Fprintf(w, `{"errors":[{"message":"internal error","extensions":{"code":%q}}],"data":null}`, code)
	}
	switch {
	case bytes.Contains(body, []byte("refreshToken(refreshToken:")):
		o.refreshes.Add(1)
		gqlError("INTERNAL")
	case o.others.Add(1)%2 == 1:
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
	default:
		gqlError("UNAVAILABLE")
	}
	return true
}

// startedOnPurpose tells whether failed requests to /graphql are the
// outage's doing, so the browser's "failed to load" lines are expected.
func (o *outage) startedOnPurpose() bool {
	return o.refreshes.Load()+o.others.Load() > 0
}

func (s *server) bearerTokens() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.bearers))
	for tok := range s.bearers {
		out = append(out, tok)
	}
	return out
}

// latestRefreshToken is the refresh token the server issued last.
func (s *server) latestRefreshToken() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.latestRefresh
}

// waitRefreshes waits until the server has answered n refreshes;
// the test's deadline bounds the wait.
func (s *server) waitRefreshes(t *testing.T, ctx context.Context, n int64) {
	t.Helper()
	for s.refreshes.Load() < n {
		select {
		case <-ctx.Done():
			t.Fatalf("the page refreshed its session %d times, want %d", s.refreshes.Load(), n)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (s *server) createUser(t *testing.T, email string, role account.Role, locales ...string) string {
	t.Helper()
	u, err := s.accounts.CreateUser(account.WithOperator(context.Background()), account.NewUser{Email: email, Role: role, Locales: locales, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

func (s *server) setActive(t *testing.T, userID string, active bool) {
	t.Helper()
	if _, err := s.accounts.UpdateUser(account.WithOperator(context.Background()), userID, account.UserUpdate{Active: &active}); err != nil {
		t.Fatal(err)
	}
}

type gqlError struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
}

// query posts a GraphQL request, with a bearer token when one is given,
// and decodes the data into v.
func (s *server) query(t *testing.T, token, q string, vars map[string]any, v any) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
	req, err := http.NewRequest(http.MethodPost, s.URL+"/graphql", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct {
		Data   json.RawMessage `json:"data"`
		Errors []gqlError      `json:"errors"`
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		t.Fatalf("decode %s: %v", q, err)
	}
	if len(out.Errors) > 0 {
		t.Fatalf("%s: %+v", q, out.Errors)
	}
	if v != nil {
		if err := json.Unmarshal(out.Data, v); err != nil {
			t.Fatal(err)
		}
	}
}

func (s *server) apiLogin(t *testing.T, email string) string {
	t.Helper()
	var res struct{ Login struct{ AccessToken string } }
	s.query(t, "", `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }`,
		map[string]any{"e": email, "p": testPassword}, &res)
	return res.Login.AccessToken
}

// publicTitle is the seed article's title as the public API serves it.
func (s *server) publicTitle(t *testing.T, loc string) string {
	t.Helper()
	var res struct {
		Article *struct{ Title, Locale string }
	}
	s.query(t, "", `query($l: String) { article(slug: "`+nlArticleSlug+`", locale: $l) { title locale } }`, map[string]any{"l": loc}, &res)
	if res.Article == nil || res.Article.Locale != loc {
		return ""
	}
	return res.Article.Title
}

func (s *server) seedArticle(t *testing.T) string {
	t.Helper()
	var res struct{ Article struct{ ID string } }
	s.query(t, "", `{ article(slug: "`+nlArticleSlug+`") { id } }`, nil, &res)
	return res.Article.ID
}

// firstTextBlock is the id of the seed article's first rich text block.
func (s *server) firstTextBlock(t *testing.T) string {
	t.Helper()
	var res struct {
		Article struct {
			Blocks []struct {
				Typename string `json:"__typename"`
				ID       string
			}
		}
	}
	s.query(t, "", `{ article(slug: "`+nlArticleSlug+`") { blocks { __typename ... on RichTextBlock { id } } } }`, nil, &res)
	for _, b := range res.Article.Blocks {
		if b.Typename == "RichTextBlock" {
			return b.ID
		}
	}
	t.Fatal("the seed article has no text block")
	return ""
}

type draft struct {
	Version      int
	Translations []struct {
		Locale, Slug string
		Fields       map[string]any
	}
}

func (s *server) draft(t *testing.T, token, id string) draft {
	t.Helper()
	var res struct{ Entry draft }
	s.query(t, token, `query($id: ID!) { entry(id: $id) { version translations { locale slug fields } } }`, map[string]any{"id": id}, &res)
	return res.Entry
}

// previewFields is the seed article's draft text in loc.
func (s *server) previewFields(t *testing.T, token, loc string) map[string]any {
	t.Helper()
	d := s.draft(t, token, s.seedArticle(t))
	for _, tr := range d.Translations {
		if tr.Locale == loc {
			return tr.Fields
		}
	}
	t.Fatalf("no %s draft", loc)
	return nil
}

// updateEnglish saves the article's English draft with some fields
// changed, as another editor would from their own session.
func (s *server) updateEnglish(t *testing.T, token, id string, changes map[string]string) {
	t.Helper()
	d := s.draft(t, token, id)
	for _, tr := range d.Translations {
		if tr.Locale != "en" {
			continue
		}
		in := map[string]any{"locale": "en", "slug": tr.Slug}
		for _, k := range []string{"title", "lead", "seoTitle", "seoDescription"} {
			in[k], _ = tr.Fields[k].(string)
		}
		for k, v := range changes {
			in[k] = v
		}
		var blocks []map[string]any
		texts, _ := tr.Fields["blocks"].(map[string]any)
		for blockID, raw := range texts {
			text, _ := raw.(map[string]any)
			b := map[string]any{"blockId": blockID}
			for _, k := range []string{"anchor", "heading", "body", "label", "url"} {
				b[k], _ = text[k].(string)
			}
			blocks = append(blocks, b)
		}
		in["blocks"] = blocks
		s.query(t, token, `mutation($id: ID!, $v: Int!, $in: ArticleUpdateInput!) { updateArticle(id: $id, expectedVersion: $v, input: $in) { version } }`,
			map[string]any{"id": id, "v": d.Version, "in": map[string]any{"translations": []any{in}}}, nil)
		return
	}
	t.Fatal("no English draft")
}

// createDutchFAQ creates an FAQ with only a Dutch draft.
func (s *server) createDutchFAQ(t *testing.T, token, question string) string {
	t.Helper()
	var res struct{ CreateFAQ struct{ ID string } }
	s.query(t, token, `mutation($q: String!) { createFAQ(input: { translations: [{ locale: "nl", slug: "tablet-vraag", question: $q, answer: "Ja, de redactieomgeving werkt ook op een tablet." }] }) { id } }`,
		map[string]any{"q": question}, &res)
	return res.CreateFAQ.ID
}

// changeDutchQuestion saves a new Dutch question for the published FAQ
// that asks old, so its English translation is outdated.
func (s *server) changeDutchQuestion(t *testing.T, token, old, question string) string {
	t.Helper()
	var res struct {
		Entries struct {
			Edges []struct {
				Node struct {
					ID           string
					Version      int
					Translations []struct {
						Locale, Slug string
						Fields       struct{ Question, Answer string }
					}
				}
			}
		}
	}
	s.query(t, token, `{ entries(type: FAQ, first: 100) { edges { node { id version translations { locale slug fields } } } } }`, nil, &res)
	for _, e := range res.Entries.Edges {
		for _, tr := range e.Node.Translations {
			if tr.Locale == "nl" && tr.Fields.Question == old {
				s.query(t, token, `mutation($id: ID!, $v: Int!, $in: FAQInput!) { updateFAQ(id: $id, expectedVersion: $v, input: $in) { id } }`,
					map[string]any{"id": e.Node.ID, "v": e.Node.Version, "in": map[string]any{"translations": []any{map[string]any{
						"locale": "nl", "slug": tr.Slug, "question": question, "answer": tr.Fields.Answer,
					}}}}, nil)
				return e.Node.ID
			}
		}
	}
	t.Fatalf("no FAQ asks %q", old)
	return ""
}

// entryID finds an entry of type by its label.
func (s *server) entryID(t *testing.T, token, typ, label string) string {
	t.Helper()
	var res struct {
		Entries struct {
			Edges []struct{ Node struct{ ID, Label string } }
		}
	}
	s.query(t, token, `{ entries(type: `+typ+`, first: 100) { edges { node { id label } } } }`, nil, &res)
	for _, e := range res.Entries.Edges {
		if e.Node.Label == label {
			return e.Node.ID
		}
	}
	t.Fatalf("no %s %q", typ, label)
	return ""
}

// fields is an entry's draft text in loc.
func (s *server) fields(t *testing.T, token, id, loc string) map[string]any {
	t.Helper()
	for _, tr := range s.draft(t, token, id).Translations {
		if tr.Locale == loc {
			return tr.Fields
		}
	}
	t.Fatalf("entry %s has no %s draft", id, loc)
	return nil
}

// structure is an entry's draft structure.
func (s *server) structure(t *testing.T, token, id string) map[string]any {
	t.Helper()
	var res struct {
		Entry struct{ Structure map[string]any }
	}
	s.query(t, token, `query($id: ID!) { entry(id: $id) { structure } }`, map[string]any{"id": id}, &res)
	return res.Entry.Structure
}
