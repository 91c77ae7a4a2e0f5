package httpserver

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
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
		key, ok := answerKey(r, locales)
		rest, err := io.ReadAll(r.Body)
		if err != nil || !bytes.Equal(rest, body) {
			t.Fatalf("the handler would get %q, not %q (%v)", rest, body, err)
		}
		if again, okAgain := answerKey(request(), locales); again != key || okAgain != ok {
			t.Fatalf("one request, two keys: %q %v / %q %v", key, ok, again, okAgain)
		}
	})
}
