package httpserver

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/locale"
)

// FuzzAnswerKey feeds request bodies and Accept-Language headers to the
// answer cache's key: it must never panic, must hand the handler the body
// unchanged, and must give one request one key.
func FuzzAnswerKey(f *testing.F) {
	f.Add([]byte(`{"query":"{ locales { code } }","variables":{"b":1,"a":[true,null]}}`), "nl-NL,en;q=0.5")
	f.Add([]byte(`{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}}}`), "")
	f.Add([]byte(`{"query":1}`), "*")
	locales, err := locale.NewSet([]string{"nl", "en"})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte, acceptLanguage string) {
		request := func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
			r.Header.Set("Content-Type", "application/json")
			r.Header.Set("Accept-Language", acceptLanguage)
			return r
		}
		r := request()
		key, ok := answerKey(r, locales, nil)
		rest, err := io.ReadAll(r.Body)
		if err != nil || !bytes.Equal(rest, body) {
			t.Fatalf("the handler would get %q, not %q (%v)", rest, body, err)
		}
		if again, okAgain := answerKey(request(), locales, nil); again != key || okAgain != ok {
			t.Fatalf("one request, two keys: %q %v / %q %v", key, ok, again, okAgain)
		}
	})
}

// TestRememberedKeysAreTheKeys: a GET's remembered key is the one worked
// out afresh, for each language, and only short query strings are kept.
func TestRememberedKeysAreTheKeys(t *testing.T) {
	locales, err := locale.NewSet([]string{"nl", "en"})
	if err != nil {
		t.Fatal(err)
	}
	keys := newRequestKeys(1 << 20)
	get := func(rawQuery, lang string) *http.Request {
		r := httptest.NewRequest(http.MethodGet, "/graphql?"+rawQuery, nil)
		r.Header.Set("Accept-Language", lang)
		return r
	}
	short := url.Values{"query": {"{ locales { code } }"}, "variables": {`{"b":1,"a":2}`}}.Encode()
	long := url.Values{"query": {"{ locales { code } }" + strings.Repeat(" ", maxRememberedQuery)}}.Encode()
	for _, q := range []string{short, long, "query=%zz", "extensions=notjson"} {
		for _, lang := range []string{"nl", "en", "en", "nl"} {
			want, wantOK := answerKey(get(q, lang), locales, nil)
			if got, ok := answerKey(get(q, lang), locales, keys); got != want || ok != wantOK {
				t.Fatalf("%.40s in %s: remembered %q %v, want %q %v", q, lang, got, ok, want, wantOK)
			}
		}
	}
	if _, kept := keys.c.GetIfPresent(short); !kept {
		t.Fatal("a short query string is not remembered")
	}
	if _, kept := keys.c.GetIfPresent(long); kept {
		t.Fatal("a query string over the limit is remembered")
	}
	computed := 0
	for range 3 {
		keys.get(short, func() (string, bool) { computed++; return "", false })
	}
	if computed != 0 {
		t.Fatalf("a remembered key was worked out %d more times", computed)
	}
}
