package account_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
)

// sign makes a token the way an attacker or another server could.
func sign(t *testing.T, method jwt.SigningMethod, claims jwt.MapClaims, kid string, key any) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func validClaims(now time.Time) jwt.MapClaims {
	return jwt.MapClaims{
		"sub": "user-1", "role": "TRANSLATOR", "locales": []string{"en"},
		"iss": account.DefaultIssuer, "aud": []string{account.DefaultAudience},
		"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(15 * time.Minute).Unix(),
		"jti": "token-1", "sid": "session-1",
	}
}

func with(c jwt.MapClaims, changes map[string]any) jwt.MapClaims {
	out := jwt.MapClaims{}
	for k, v := range c {
		out[k] = v
	}
	for k, v := range changes {
		if v == nil {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	return out
}

// tamper replaces the payload of a signed token and keeps the signature.
func tamper(t *testing.T, token string, change func(map[string]any)) string {
	t.Helper()
	parts := strings.Split(token, ".")
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var claims map[string]any
	if err := json.Unmarshal(payload, &claims); err != nil {
		t.Fatal(err)
	}
	change(claims)
	payload, err = json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	parts[1] = base64.RawURLEncoding.EncodeToString(payload)
	return strings.Join(parts, ".")
}

func TestVerifyAcceptsAValidToken(t *testing.T) {
	clk := newClock()
	svc := newService(t, dbtest.SQLite(t), clk, account.Config{})
	now := clk.Now()
	p, err := svc.Verify(sign(t, jwt.SigningMethodHS256, validClaims(now), account.KeyID(testSecret), testSecret))
	if err != nil {
		t.Fatal(err)
	}
	if p.UserID != "user-1" || p.Role != account.RoleTranslator || len(p.Locales) != 1 || p.Locales[0] != "en" ||
		p.TokenID != "token-1" || !p.ExpiresAt.Equal(now.Add(15*time.Minute)) || !p.IssuedAt.Equal(now) {
		t.Fatalf("principal = %+v", p)
	}
	// Clocks may disagree by up to 30 seconds.
	clk.Advance(15*time.Minute + 25*time.Second)
	if _, err := svc.Verify(sign(t, jwt.SigningMethodHS256, validClaims(now), account.KeyID(testSecret), testSecret)); err != nil {
		t.Fatalf("a token expired 25s ago is refused despite the 30s leeway: %v", err)
	}
}

func TestVerifyRejectsBadTokens(t *testing.T) {
	clk := newClock()
	svc := newService(t, dbtest.SQLite(t), clk, account.Config{})
	now := clk.Now()
	kid := account.KeyID(testSecret)
	good := func(c jwt.MapClaims) string { return sign(t, jwt.SigningMethodHS256, c, kid, testSecret) }
	valid := good(validClaims(now))
	otherSecret := []byte(strings.Repeat("o", 32))
	noneToken := sign(t, jwt.SigningMethodNone, validClaims(now), kid, jwt.UnsafeAllowNoneSignatureType)

	for _, tc := range []struct {
		name  string
		token string
		why   error // the reason in the error chain, proving which check fired
	}{
		{"expired", good(with(validClaims(now), map[string]any{
			"iat": now.Add(-20 * time.Minute).Unix(), "nbf": now.Add(-20 * time.Minute).Unix(), "exp": now.Add(-31 * time.Second).Unix(),
		})), jwt.ErrTokenExpired},
		{"not yet valid", good(with(validClaims(now), map[string]any{"nbf": now.Add(5 * time.Minute).Unix()})), jwt.ErrTokenNotValidYet},
		{"issued in the future", good(with(validClaims(now), map[string]any{"iat": now.Add(5 * time.Minute).Unix()})), jwt.ErrTokenUsedBeforeIssued},
		{"without exp", good(with(validClaims(now), map[string]any{"exp": nil})), jwt.ErrTokenRequiredClaimMissing},
		{"wrong audience", good(with(validClaims(now), map[string]any{"aud": []string{"someone-else"}})), jwt.ErrTokenInvalidAudience},
		{"without audience", good(with(validClaims(now), map[string]any{"aud": nil})), jwt.ErrTokenRequiredClaimMissing},
		{"wrong issuer", good(with(validClaims(now), map[string]any{"iss": "evil"})), jwt.ErrTokenInvalidIssuer},
		{"alg none", noneToken, jwt.ErrTokenSignatureInvalid},
		{"HS512", sign(t, jwt.SigningMethodHS512, validClaims(now), kid, testSecret), jwt.ErrTokenSignatureInvalid},
		{"wrong key", sign(t, jwt.SigningMethodHS256, validClaims(now), kid, otherSecret), jwt.ErrTokenSignatureInvalid},
		{"tampered role", tamper(t, valid, func(c map[string]any) { c["role"] = "ADMIN" }), jwt.ErrTokenSignatureInvalid},
		{"tampered expiry", tamper(t, valid, func(c map[string]any) { c["exp"] = now.Add(24 * time.Hour).Unix() }), jwt.ErrTokenSignatureInvalid},
		{"unknown kid", sign(t, jwt.SigningMethodHS256, validClaims(now), account.KeyID(otherSecret), otherSecret), jwt.ErrTokenUnverifiable},
		{"no kid", sign(t, jwt.SigningMethodHS256, validClaims(now), "", testSecret), jwt.ErrTokenUnverifiable},
		{"unknown role", good(with(validClaims(now), map[string]any{"role": "ROOT"})), jwt.ErrTokenInvalidClaims},
		{"translator without locales", good(with(validClaims(now), map[string]any{"locales": []string{}})), jwt.ErrTokenInvalidClaims},
		{"without sub", good(with(validClaims(now), map[string]any{"sub": nil})), jwt.ErrTokenInvalidClaims},
		{"without jti", good(with(validClaims(now), map[string]any{"jti": nil})), jwt.ErrTokenInvalidClaims},
		{"without sid", good(with(validClaims(now), map[string]any{"sid": nil})), jwt.ErrTokenInvalidClaims},
		{"garbage", "not.a.token", jwt.ErrTokenMalformed},
		{"empty", "", jwt.ErrTokenMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := svc.Verify(tc.token)
			if err == nil {
				t.Fatalf("accepted: %+v", p)
			}
			if apperr.CodeOf(err) != apperr.Unauthenticated {
				t.Fatalf("code %s; want UNAUTHENTICATED", apperr.CodeOf(err))
			}
			if !errors.Is(err, tc.why) {
				t.Fatalf("rejected for another reason: %v", err.(*account.InvalidTokenError).Reason())
			}
			var coded *apperr.Error
			errors.As(err, &coded)
			if err.Error() != "the access token is invalid or has expired; sign in again" || coded.Message != err.Error() {
				t.Fatalf("message %q tells more than the generic one", err.Error())
			}
		})
	}
}

func TestKeyRotation(t *testing.T) {
	db := dbtest.SQLite(t)
	clk := newClock()
	oldSecret := []byte(strings.Repeat("o", 32))
	newSecret := []byte(strings.Repeat("n", 32))
	token := sign(t, jwt.SigningMethodHS256, validClaims(clk.Now()), account.KeyID(oldSecret), oldSecret)

	oldOnly, _ := account.NewKeyRing(oldSecret)
	rotated, _ := account.NewKeyRing(newSecret, oldSecret)
	newOnly, _ := account.NewKeyRing(newSecret)
	if _, err := newService(t, db, clk, account.Config{Keys: oldOnly}).Verify(token); err != nil {
		t.Fatalf("before rotation: %v", err)
	}
	if _, err := newService(t, db, clk, account.Config{Keys: rotated}).Verify(token); err != nil {
		t.Fatalf("a token signed with the previous key is refused during rotation: %v", err)
	}
	if rotated.CurrentKeyID() != account.KeyID(newSecret) {
		t.Fatal("the rotated ring does not sign with the new key")
	}
	_, err := newService(t, db, clk, account.Config{Keys: newOnly}).Verify(token)
	if apperr.CodeOf(err) != apperr.Unauthenticated || !errors.Is(err, jwt.ErrTokenUnverifiable) {
		t.Fatalf("a token signed with a removed key: %v; want UNAUTHENTICATED (unknown kid)", err)
	}
	// A token naming the new kid but signed with the old key fails too.
	forged := sign(t, jwt.SigningMethodHS256, validClaims(clk.Now()), account.KeyID(newSecret), oldSecret)
	if _, err := newService(t, db, clk, account.Config{Keys: rotated}).Verify(forged); !errors.Is(err, jwt.ErrTokenSignatureInvalid) {
		t.Fatalf("kid of the new key with the old key's signature: %v", err)
	}
}

func TestVerifyRejectsWrongIssuerAndAudienceConfigured(t *testing.T) {
	clk := newClock()
	svc := newService(t, dbtest.SQLite(t), clk, account.Config{Issuer: "cms.example", Audience: "cms-api"})
	token := sign(t, jwt.SigningMethodHS256, validClaims(clk.Now()), account.KeyID(testSecret), testSecret)
	if _, err := svc.Verify(token); !errors.Is(err, jwt.ErrTokenInvalidIssuer) || !errors.Is(err, jwt.ErrTokenInvalidAudience) {
		t.Fatalf("token for the default issuer/audience at a configured service: %v", err)
	}
	ok := sign(t, jwt.SigningMethodHS256, with(validClaims(clk.Now()), map[string]any{"iss": "cms.example", "aud": "cms-api"}), account.KeyID(testSecret), testSecret)
	if _, err := svc.Verify(ok); err != nil {
		t.Fatalf("configured issuer and audience (aud as a string): %v", err)
	}
}
