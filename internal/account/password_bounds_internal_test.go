package account

import (
	"encoding/base64"
	"strings"
	"testing"
)

// The cost a stored hash may ask for is bounded on both sides, at exactly
// the limits the constants name: a hash at a limit is read, one past it
// is refused.
func TestPasswordParamsHoldTheirLimitsExactly(t *testing.T) {
	for _, c := range []struct {
		p  PasswordParams
		ok bool
	}{
		{PasswordParams{Memory: 19 * 1024, Time: 1, Threads: 1}, true},
		{PasswordParams{Memory: 19 * 1024, Time: 0, Threads: 1}, false},
		{PasswordParams{Memory: 19 * 1024, Time: maxTime, Threads: 1}, true},
		{PasswordParams{Memory: 19 * 1024, Time: maxTime + 1, Threads: 1}, false},
		{PasswordParams{Memory: 19 * 1024, Time: 2, Threads: 0}, false},
		{PasswordParams{Memory: 16, Time: 2, Threads: 2}, true},
		{PasswordParams{Memory: 15, Time: 2, Threads: 2}, false},
		{PasswordParams{Memory: maxMemoryKiB, Time: 2, Threads: 1}, true},
		{PasswordParams{Memory: maxMemoryKiB + 1, Time: 2, Threads: 1}, false},
	} {
		if err := c.p.validate(); (err == nil) != c.ok {
			t.Errorf("%+v: validate() = %v, want ok=%v", c.p, err, c.ok)
		}
	}
	err := PasswordParams{Memory: 15, Time: 2, Threads: 2}.validate()
	if err == nil || !strings.Contains(err.Error(), "want 16 to 4194304") {
		t.Errorf("memory below the minimum: %v; want the range 16 to 4194304 named", err)
	}
}

// A stored hash's salt and key must have a length within their bounds.
func TestStoredHashSaltAndKeyLengthsHoldTheirLimits(t *testing.T) {
	b64 := func(n int) string { return base64.RawStdEncoding.EncodeToString(make([]byte, n)) }
	phcOf := func(salt, key int) string {
		return "$argon2id$v=19$m=19456,t=2,p=1$" + b64(salt) + "$" + b64(key)
	}
	for _, c := range []struct {
		salt, key int
		ok        bool
	}{
		{minSaltLen, keyLen, true}, {minSaltLen - 1, keyLen, false},
		{maxSaltLen, keyLen, true}, {maxSaltLen + 1, keyLen, false},
		{saltLen, minKeyLen, true}, {saltLen, minKeyLen - 1, false},
		{saltLen, maxKeyLen, true}, {saltLen, maxKeyLen + 1, false},
	} {
		if _, err := parsePHC(phcOf(c.salt, c.key)); (err == nil) != c.ok {
			t.Errorf("salt %d, key %d bytes: %v, want ok=%v", c.salt, c.key, err, c.ok)
		}
	}
}
