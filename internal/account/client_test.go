package account_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/store"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
)

const clientID = "01939a4e-1111-7000-8000-000000000001"

func validClientClaims(now time.Time) jwt.MapClaims {
	return jwt.MapClaims{
		"sub": account.ClientSubjectPrefix + clientID, "client_id": clientID, "scope": account.ScopeVacancySync,
		"iss": account.DefaultIssuer, "aud": []string{account.DefaultClientAudience},
		"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(15 * time.Minute).Unix(), "jti": "c-1",
		"secret_id": "s-1",
	}
}

// signClient signs claims as a client token would be, with header typ.
func signClient(t *testing.T, method jwt.SigningMethod, claims jwt.MapClaims, typ, kid string, key any) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, claims)
	if typ == "" {
		delete(tok.Header, "typ")
	} else {
		tok.Header["typ"] = typ
	}
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func newClients(t testing.TB, clk *clock) *account.Clients {
	t.Helper()
	c, err := account.NewClients(store.NewVacancies(dbtest.SQLite(t).Gorm), account.ClientConfig{Keys: testRing(t), Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestClientTokensVerifyOnlyAsThemselves(t *testing.T) {
	clk := newClock()
	clients := newClients(t, clk)
	editors := newService(t, dbtest.SQLite(t), clk, account.Config{})
	now := clk.Now()
	kid, secret := account.KeyID(testSecret), testSecret

	good := signClient(t, jwt.SigningMethodHS256, validClientClaims(now), "at+jwt", kid, secret)
	c, err := clients.Verify(good)
	if err != nil || c.ID != clientID || !c.HasScope(account.ScopeVacancySync) {
		t.Fatalf("a valid client token: %+v %v", c, err)
	}
	if _, err := editors.Verify(good); err == nil {
		t.Fatal("a client token verified as an editor's")
	}
	editorToken := sign(t, jwt.SigningMethodHS256, validClaims(now), kid, secret)
	if _, err := editors.Verify(editorToken); err != nil {
		t.Fatalf("the editor token itself is valid: %v", err)
	}

	forged := map[string]string{
		"an editor's token":             editorToken,
		"an editor's token, typ at+jwt": signClient(t, jwt.SigningMethodHS256, validClaims(now), "at+jwt", kid, secret),
		"client claims, editors' aud":   signClient(t, jwt.SigningMethodHS256, with(validClientClaims(now), map[string]any{"aud": []string{account.DefaultAudience}}), "at+jwt", kid, secret),
		"no typ":                        signClient(t, jwt.SigningMethodHS256, validClientClaims(now), "", kid, secret),
		"typ JWT":                       signClient(t, jwt.SigningMethodHS256, validClientClaims(now), "JWT", kid, secret),
		"HS512":                         signClient(t, jwt.SigningMethodHS512, validClientClaims(now), "at+jwt", kid, secret),
		"alg none":                      signClient(t, jwt.SigningMethodNone, validClientClaims(now), "at+jwt", kid, jwt.UnsafeAllowNoneSignatureType),
		"another key, same kid":         signClient(t, jwt.SigningMethodHS256, validClientClaims(now), "at+jwt", kid, []byte("another-secret-another-secret-another")),
		"unknown kid":                   signClient(t, jwt.SigningMethodHS256, validClientClaims(now), "at+jwt", "0000000000000000", secret),
		"expired":                       signClient(t, jwt.SigningMethodHS256, with(validClientClaims(now), map[string]any{"exp": now.Add(-time.Hour).Unix()}), "at+jwt", kid, secret),
		"no exp":                        signClient(t, jwt.SigningMethodHS256, with(validClientClaims(now), map[string]any{"exp": nil}), "at+jwt", kid, secret),
		"other issuer":                  signClient(t, jwt.SigningMethodHS256, with(validClientClaims(now), map[string]any{"iss": "elsewhere"}), "at+jwt", kid, secret),
		"sub is a user":                 signClient(t, jwt.SigningMethodHS256, with(validClientClaims(now), map[string]any{"sub": "user-1"}), "at+jwt", kid, secret),
		"client_id is another":          signClient(t, jwt.SigningMethodHS256, with(validClientClaims(now), map[string]any{"client_id": "someone-else"}), "at+jwt", kid, secret),
		"no scope":                      signClient(t, jwt.SigningMethodHS256, with(validClientClaims(now), map[string]any{"scope": nil}), "at+jwt", kid, secret),
		"no jti":                        signClient(t, jwt.SigningMethodHS256, with(validClientClaims(now), map[string]any{"jti": nil}), "at+jwt", kid, secret),
		"no secret_id":                  signClient(t, jwt.SigningMethodHS256, with(validClientClaims(now), map[string]any{"secret_id": nil}), "at+jwt", kid, secret),
		"a role claim too":              signClient(t, jwt.SigningMethodHS256, with(validClientClaims(now), map[string]any{"role": "ADMIN"}), "at+jwt", kid, secret),
		"tampered scope":                tamper(t, good, func(m map[string]any) { m["scope"] = "vacancies:sync content:edit" }),
	}
	for name, token := range forged {
		if _, err := clients.Verify(token); err == nil {
			t.Errorf("%s verified as a client token", name)
		} else if apperr.CodeOf(err) != apperr.Unauthenticated {
			t.Errorf("%s: %v is not UNAUTHENTICATED", name, err)
		}
	}
}

func TestIssueTokenChecksTheSecret(t *testing.T) {
	clk := newClock()
	db := dbtest.SQLite(t)
	st := store.NewVacancies(db.Gorm)
	svc := vacancy.NewService(st, vacancy.Config{Now: clk.Now})
	_, creds, err := svc.CreateSource(account.WithOperator(context.Background()), vacancy.NewSource{Name: "bron"})
	if err != nil {
		t.Fatal(err)
	}
	clients, err := account.NewClients(st, account.ClientConfig{Keys: testRing(t), Now: clk.Now, TokenTTL: 5 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := clients.IssueToken(context.Background(), creds.ClientID, creds.ClientSecret, "", "192.0.2.1")
	if err != nil || !tok.ExpiresAt.Equal(clk.Now().Add(5*time.Minute)) {
		t.Fatalf("issue: %+v %v", tok, err)
	}
	c, err := clients.Verify(tok.AccessToken)
	if err != nil || c.ID != creds.ClientID {
		t.Fatalf("verify an issued token: %+v %v", c, err)
	}
	clk.Advance(5*time.Minute + account.ClockSkew + time.Second)
	if _, err := clients.Verify(tok.AccessToken); err == nil {
		t.Fatal("an expired token verified")
	}
	for name, try := range map[string][3]string{
		"wrong secret":  {creds.ClientID, creds.ClientSecret[:len(creds.ClientSecret)-1] + "x", ""},
		"empty secret":  {creds.ClientID, "", ""},
		"malformed id":  {"bron", creds.ClientSecret, ""},
		"unknown id":    {"01939a4e-1111-7000-8000-000000000009", creds.ClientSecret, ""},
		"huge secret":   {creds.ClientID, strings.Repeat("x", 10_000), ""},
		"foreign scope": {creds.ClientID, creds.ClientSecret, "content:edit"},
		"partial scope": {creds.ClientID, creds.ClientSecret, "vacancies:sync content:edit"},
	} {
		// Each from its own address, so none is delayed by the others.
		_, err := clients.IssueToken(context.Background(), try[0], try[1], try[2], name)
		want := apperr.Unauthenticated
		if strings.Contains(name, "scope") {
			want = apperr.Forbidden
		}
		if apperr.CodeOf(err) != want {
			t.Errorf("%s: %v, want %s", name, err, want)
		}
	}
	if got := account.HashClientSecret(creds.ClientSecret); len(got) != 64 || strings.Contains(got, creds.ClientSecret) {
		t.Fatal("the stored form of a secret must be its hash")
	}
}

func FuzzClientVerify(f *testing.F) {
	clk := newClock()
	clients := newClients(f, clk)
	for _, s := range []string{"", "a.b.c", "eyJhbGciOiJub25lIn0.e30.", strings.Repeat("x", 9000)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, token string) {
		if c, err := clients.Verify(token); err == nil {
			t.Fatalf("a fuzzed token verified: %+v", c)
		}
	})
}

// credentialLookups counts the client lookups that reach the store.
type credentialLookups struct {
	account.ClientStore
	ids []string
}

func (s *credentialLookups) ClientCredentials(ctx context.Context, clientID string) (account.ClientCredentials, error) {
	s.ids = append(s.ids, clientID)
	return s.ClientStore.ClientCredentials(ctx, clientID)
}

// Token requests with an empty or over-long secret, or a client id that is
// not a UUID in its canonical 36-character form, are refused before the
// database is asked.
func TestMalformedClientCredentialsNeverReachTheStore(t *testing.T) {
	clk := newClock()
	st := &credentialLookups{ClientStore: store.NewVacancies(dbtest.SQLite(t).Gorm)}
	clients, err := account.NewClients(st, account.ClientConfig{Keys: testRing(t), Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	const id = "01939a4e-1111-7000-8000-000000000009"
	for name, try := range map[string][2]string{
		"empty secret":      {id, ""},
		"257-byte secret":   {id, strings.Repeat("s", 257)},
		"braced id":         {"{" + id + "}", "secret"},
		"urn id":            {"urn:uuid:" + id, "secret"},
		"id without dashes": {strings.ReplaceAll(id, "-", ""), "secret"},
	} {
		_, err := clients.IssueToken(context.Background(), try[0], try[1], "", name)
		wantCode(t, err, apperr.Unauthenticated)
	}
	if len(st.ids) != 0 {
		t.Fatalf("malformed credentials reached the store: %q", st.ids)
	}
	_, err = clients.IssueToken(context.Background(), id, strings.Repeat("s", 256), "", "longest")
	wantCode(t, err, apperr.Unauthenticated)
	if len(st.ids) != 1 || st.ids[0] != id {
		t.Fatalf("a 256-byte secret for a well-formed id was looked up as %q; want once", st.ids)
	}
}

// A hint shows the prefix and four characters of a secret, never more, and
// nothing of a secret too short to spare four.
func TestSecretHintShowsFourCharactersAtMost(t *testing.T) {
	for secret, want := range map[string]string{
		account.SecretPrefix + "abcdefgh": account.SecretPrefix + "abcd…",
		account.SecretPrefix + "abcde":    account.SecretPrefix + "abcd…",
		account.SecretPrefix + "abcd":     account.SecretPrefix + "…",
		account.SecretPrefix + "ab":       account.SecretPrefix + "…",
		"":                                account.SecretPrefix + "…",
	} {
		if got := account.SecretHint(secret); got != want {
			t.Errorf("SecretHint(%q) = %q, want %q", secret, got, want)
		}
	}
}

// unprunableFailures fails to delete old sign-in failures, as a database
// under load might.
type unprunableFailures struct{ account.ClientStore }

func (unprunableFailures) DeleteLoginFailures(context.Context, time.Time) (int, error) {
	return 0, errors.New("database is busy")
}

// Clients made without a logger still report a failed prune and answer the
// failed sign-in as such: the prune is housekeeping, not the answer.
func TestFailedPruneWithoutALoggerStillAnswersTheSignIn(t *testing.T) {
	clk := newClock()
	st := unprunableFailures{store.NewVacancies(dbtest.SQLite(t).Gorm)}
	clients, err := account.NewClients(st, account.ClientConfig{Keys: testRing(t), Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	_, err = clients.IssueToken(context.Background(), clientID, account.SecretPrefix+strings.Repeat("x", 43), "", "192.0.2.7")
	if apperr.CodeOf(err) != apperr.Unauthenticated {
		t.Fatalf("unknown client with a failing prune: %v, want UNAUTHENTICATED", err)
	}
}
