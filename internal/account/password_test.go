package account

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/apperr"
)

var cheap = PasswordParams{Memory: 64, Time: 1, Threads: 1}

func TestHashThenVerifyAcceptsOnlyTheSamePassword(t *testing.T) {
	ctx := context.Background()
	h, err := newHasher(cheap)
	if err != nil {
		t.Fatal(err)
	}
	encoded, err := h.hash(ctx, "correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(encoded, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("hash %q is not in PHC format with the parameters", encoded)
	}
	ok, outdated, err := h.verify(ctx, encoded, "correct horse battery staple")
	if err != nil || !ok || outdated {
		t.Fatalf("verify(right password) = %v, %v, %v; want true, false, nil", ok, outdated, err)
	}
	for _, wrong := range []string{"", "correct horse battery stapl", "correct horse battery staple ", "Correct horse battery staple"} {
		if ok, _, err := h.verify(ctx, encoded, wrong); err != nil || ok {
			t.Errorf("verify(%q) = %v, %v; want false, nil", wrong, ok, err)
		}
	}
	again, err := h.hash(ctx, "correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if again == encoded {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
}

func TestVerifyUsesTheParametersInTheHash(t *testing.T) {
	ctx := context.Background()
	old, _ := newHasher(cheap)
	encoded, err := old.hash(ctx, "a long enough password")
	if err != nil {
		t.Fatal(err)
	}
	stronger, _ := newHasher(PasswordParams{Memory: 128, Time: 2, Threads: 1})
	ok, outdated, err := stronger.verify(ctx, encoded, "a long enough password")
	if err != nil || !ok {
		t.Fatalf("a hash made with older parameters no longer verifies: %v, %v", ok, err)
	}
	if !outdated {
		t.Fatal("a hash weaker than the current parameters is not reported as outdated")
	}
	newer, err := stronger.hash(ctx, "a long enough password")
	if err != nil {
		t.Fatal(err)
	}
	if _, outdated, _ := old.verify(ctx, newer, "a long enough password"); outdated {
		t.Fatal("a hash stronger than the current parameters is reported as outdated")
	}
}

func TestParsePHCRejectsMalformedHashes(t *testing.T) {
	const salt, key = "c29tZXNhbHRzb21lc2FsdA", "aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"
	valid := "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$" + key
	if _, err := parsePHC(valid); err != nil {
		t.Fatalf("valid hash rejected: %v", err)
	}
	for name, s := range map[string]string{
		"empty":               "",
		"bcrypt":              "$2a$10$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyz01234",
		"argon2i":             "$argon2i$v=19$m=19456,t=2,p=1$" + salt + "$" + key,
		"old version":         "$argon2id$v=16$m=19456,t=2,p=1$" + salt + "$" + key,
		"no version":          "$argon2id$m=19456,t=2,p=1$" + salt + "$" + key,
		"params out of order": "$argon2id$v=19$t=2,m=19456,p=1$" + salt + "$" + key,
		"missing param":       "$argon2id$v=19$m=19456,t=2$" + salt + "$" + key,
		"extra param":         "$argon2id$v=19$m=19456,t=2,p=1,k=1$" + salt + "$" + key,
		"leading zero":        "$argon2id$v=19$m=019456,t=2,p=1$" + salt + "$" + key,
		"plus sign":           "$argon2id$v=19$m=+19456,t=2,p=1$" + salt + "$" + key,
		"zero time":           "$argon2id$v=19$m=19456,t=0,p=1$" + salt + "$" + key,
		"zero threads":        "$argon2id$v=19$m=19456,t=2,p=0$" + salt + "$" + key,
		"threads overflow":    "$argon2id$v=19$m=19456,t=2,p=256$" + salt + "$" + key,
		"memory too small":    "$argon2id$v=19$m=7,t=2,p=1$" + salt + "$" + key,
		"memory too large":    "$argon2id$v=19$m=4294967295,t=2,p=1$" + salt + "$" + key,
		"time too large":      "$argon2id$v=19$m=19456,t=1000000,p=1$" + salt + "$" + key,
		"padded salt":         "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "==$" + key,
		"url-safe base64":     "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$" + strings.ReplaceAll(key, "a", "-"),
		"short salt":          "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$" + key,
		"short hash":          "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$aGFzaA",
		"no hash":             "$argon2id$v=19$m=19456,t=2,p=1$" + salt,
		"line break in hash":  "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$" + key[:10] + "\r\n" + key[10:],
		"trailing field":      valid + "$",
		"no leading dollar":   valid[1:],
	} {
		if _, err := parsePHC(s); !errors.Is(err, errMalformedHash) {
			t.Errorf("%s: parsePHC(%q) = %v; want errMalformedHash", name, s, err)
		}
	}
}

func FuzzParsePHC(f *testing.F) {
	f.Add("$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g")
	f.Add("$argon2id$v=19$m=64,t=1,p=1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA")
	f.Add("$argon2id$v=19$m=,t=,p=$$")
	f.Add("$$$$$")
	f.Fuzz(func(t *testing.T, s string) {
		h, err := parsePHC(s)
		if err != nil {
			if !errors.Is(err, errMalformedHash) {
				t.Fatalf("parsePHC(%q) failed without errMalformedHash: %v", s, err)
			}
			return
		}
		// Whatever parses is canonical, within bounds, and safe to hand
		// to argon2 (which panics on zero time or threads).
		if got := h.String(); got != s {
			t.Fatalf("parsePHC(%q).String() = %q", s, got)
		}
		if err := h.params.validate(); err != nil {
			t.Fatalf("parsePHC(%q) accepted invalid parameters: %v", s, err)
		}
		if len(h.salt) < minSaltLen || len(h.salt) > maxSaltLen || len(h.key) < minKeyLen || len(h.key) > maxKeyLen {
			t.Fatalf("parsePHC(%q) accepted salt %d / hash %d bytes", s, len(h.salt), len(h.key))
		}
	})
}

func TestValidatePassword(t *testing.T) {
	for _, tc := range []struct {
		password string
		ok       bool
	}{
		{"", false},
		{"elevenchars", false},
		{"twelve chars", true},
		{"ééééééééééé", false}, // 11 characters, 22 bytes
		{"éééééééééééé", true}, // 12 characters
		{strings.Repeat("x", MaxPasswordBytes), true},
		{strings.Repeat("x", MaxPasswordBytes+1), false},
		{"two\nlines password", false},
		{"carriage\rreturn password", false},
		{"nul\x00 in the password", false},
	} {
		err := ValidatePassword(tc.password)
		if (err == nil) != tc.ok {
			t.Errorf("ValidatePassword(%.20q) = %v; want ok=%v", tc.password, err, tc.ok)
		}
		if err != nil && apperr.CodeOf(err) != apperr.BadUserInput {
			t.Errorf("ValidatePassword(%.20q) code = %s; want BAD_USER_INPUT", tc.password, apperr.CodeOf(err))
		}
	}
}

// A hash is upgraded at the next sign-in when any one of its costs, its
// salt or its key is below what the server now uses: raising one parameter
// alone must be enough.
func TestVerifyReportsAHashWeakerInAnyParameterAsOutdated(t *testing.T) {
	ctx := context.Background()
	const pw = "correct horse battery staple"
	stored := PasswordParams{Memory: 64, Time: 2, Threads: 2}
	encode := func(p PasswordParams, saltBytes, keyBytes int) string {
		t.Helper()
		h, err := newHasher(p)
		if err != nil {
			t.Fatal(err)
		}
		salt := []byte(strings.Repeat("s", saltBytes))
		key, err := h.derive(ctx, pw, salt, p, keyBytes)
		if err != nil {
			t.Fatal(err)
		}
		return phc{params: p, salt: salt, key: key}.String()
	}
	current := encode(stored, saltLen, keyLen)
	for _, c := range []struct {
		name     string
		now      PasswordParams
		encoded  string
		outdated bool
	}{
		{"same parameters", stored, current, false},
		{"weaker parameters now", PasswordParams{Memory: 32, Time: 1, Threads: 1}, current, false},
		{"more memory", PasswordParams{Memory: 128, Time: 2, Threads: 2}, current, true},
		{"more passes", PasswordParams{Memory: 64, Time: 3, Threads: 2}, current, true},
		{"more threads", PasswordParams{Memory: 64, Time: 2, Threads: 3}, current, true},
		{"short salt", stored, encode(stored, saltLen-1, keyLen), true},
		{"short key", stored, encode(stored, saltLen, keyLen-1), true},
	} {
		h, err := newHasher(c.now)
		if err != nil {
			t.Fatal(err)
		}
		ok, outdated, err := h.verify(ctx, c.encoded, pw)
		if err != nil || !ok || outdated != c.outdated {
			t.Errorf("%s: ok %v, outdated %v, err %v; want ok, outdated %v", c.name, ok, outdated, err, c.outdated)
		}
	}
}
