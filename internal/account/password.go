package account

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/werkwijzer/werkwijzer/internal/apperr"
)

// Password length limits: at least MinPasswordLength characters, at most
// MaxPasswordBytes bytes (which bounds the work one sign-in can cause).
const (
	MinPasswordLength = 12
	MaxPasswordBytes  = 1024
)

// PasswordParams are the argon2id cost parameters of new password hashes.
// Each hash records its own, so they can be raised later: a user whose
// hash is weaker than the current parameters is rehashed at sign-in.
type PasswordParams struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8  // lanes
}

// DefaultPasswordParams follow OWASP's Password Storage Cheat Sheet for
// argon2id: 19 MiB, 2 passes, 1 lane.
var DefaultPasswordParams = PasswordParams{Memory: 19 * 1024, Time: 2, Threads: 1}

// Bounds on what a stored hash may ask for, so a corrupt or hostile hash
// cannot make a sign-in allocate gigabytes or spin forever.
const (
	maxMemoryKiB = 4 << 20 // 4 GiB
	maxTime      = 64
	minSaltLen   = 8
	maxSaltLen   = 64
	minKeyLen    = 16
	maxKeyLen    = 64

	saltLen = 16
	keyLen  = 32
)

func (p PasswordParams) validate() error {
	if p.Time < 1 || p.Time > maxTime {
		return fmt.Errorf("argon2id time %d: want 1 to %d", p.Time, maxTime)
	}
	if p.Threads < 1 {
		return errors.New("argon2id threads must be at least 1")
	}
	if p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemoryKiB {
		return fmt.Errorf("argon2id memory %d KiB: want %d to %d", p.Memory, 8*uint32(p.Threads), maxMemoryKiB)
	}
	return nil
}

// phc is a parsed argon2id hash in PHC string format:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>, salt and hash in
// unpadded standard base64.
type phc struct {
	params PasswordParams
	salt   []byte
	key    []byte
}

var b64 = base64.RawStdEncoding.Strict()

// String encodes h in PHC string format.
func (h phc) String() string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, h.params.Memory, h.params.Time, h.params.Threads,
		b64.EncodeToString(h.salt), b64.EncodeToString(h.key))
}

var errMalformedHash = errors.New("malformed argon2id hash")

// parsePHC parses an argon2id hash in PHC string format. It accepts only
// the canonical encoding parsePHC(s).String() == s, with parameters in the
// order m, t, p and within the bounds above.
func parsePHC(s string) (phc, error) {
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" {
		return phc{}, fmt.Errorf("%w: want 5 fields separated by $", errMalformedHash)
	}
	if parts[1] != "argon2id" {
		return phc{}, fmt.Errorf("%w: algorithm %q is not argon2id", errMalformedHash, parts[1])
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return phc{}, fmt.Errorf("%w: version %q is not v=%d", errMalformedHash, parts[2], argon2.Version)
	}
	params := strings.Split(parts[3], ",")
	if len(params) != 3 {
		return phc{}, fmt.Errorf("%w: want parameters m,t,p", errMalformedHash)
	}
	var h phc
	m, err := phcParam(params[0], "m", 32)
	if err != nil {
		return phc{}, err
	}
	t, err := phcParam(params[1], "t", 32)
	if err != nil {
		return phc{}, err
	}
	p, err := phcParam(params[2], "p", 8)
	if err != nil {
		return phc{}, err
	}
	h.params = PasswordParams{Memory: uint32(m), Time: uint32(t), Threads: uint8(p)}
	if err := h.params.validate(); err != nil {
		return phc{}, fmt.Errorf("%w: %v", errMalformedHash, err)
	}
	if h.salt, err = decodeB64(parts[4]); err != nil {
		return phc{}, fmt.Errorf("%w: salt: %v", errMalformedHash, err)
	}
	if len(h.salt) < minSaltLen || len(h.salt) > maxSaltLen {
		return phc{}, fmt.Errorf("%w: salt of %d bytes", errMalformedHash, len(h.salt))
	}
	if h.key, err = decodeB64(parts[5]); err != nil {
		return phc{}, fmt.Errorf("%w: hash: %v", errMalformedHash, err)
	}
	if len(h.key) < minKeyLen || len(h.key) > maxKeyLen {
		return phc{}, fmt.Errorf("%w: hash of %d bytes", errMalformedHash, len(h.key))
	}
	return h, nil
}

// decodeB64 decodes unpadded standard base64, refusing the line breaks
// that encoding/base64 would skip.
func decodeB64(s string) ([]byte, error) {
	if i := strings.IndexFunc(s, func(c rune) bool {
		return !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/')
	}); i >= 0 {
		return nil, fmt.Errorf("character %q is not base64", s[i])
	}
	return b64.DecodeString(s)
}

// phcParam parses "name=decimal" with no sign, no leading zeros.
func phcParam(s, name string, bits int) (uint64, error) {
	value, ok := strings.CutPrefix(s, name+"=")
	if !ok {
		return 0, fmt.Errorf("%w: want parameter %s", errMalformedHash, name)
	}
	n, err := strconv.ParseUint(value, 10, bits)
	if err != nil || strconv.FormatUint(n, 10) != value {
		return 0, fmt.Errorf("%w: parameter %s=%q", errMalformedHash, name, value)
	}
	return n, nil
}

// passwordHasher makes and checks password hashes; *hasher is the one
// implementation, tests wrap it to count the work done.
type passwordHasher interface {
	hash(ctx context.Context, password string) (string, error)
	verify(ctx context.Context, encoded, password string) (ok, outdated bool, err error)
}

// hasher hashes and verifies passwords. Each argon2id run holds Memory KiB,
// so at most one run per CPU happens at a time; the others wait, which
// bounds the memory a burst of sign-ins can take.
type hasher struct {
	params PasswordParams
	slots  chan struct{}
}

func newHasher(p PasswordParams) (*hasher, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	return &hasher{params: p, slots: make(chan struct{}, runtime.GOMAXPROCS(0))}, nil
}

func (h *hasher) derive(ctx context.Context, password string, salt []byte, p PasswordParams, n int) ([]byte, error) {
	select {
	case h.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-h.slots }()
	return argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(n)), nil
}

// hash returns a new PHC string for password with a fresh random salt.
func (h *hasher) hash(ctx context.Context, password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	key, err := h.derive(ctx, password, salt, h.params, keyLen)
	if err != nil {
		return "", err
	}
	return phc{params: h.params, salt: salt, key: key}.String(), nil
}

// verify reports whether password matches the PHC string encoded, in time
// that does not depend on where they differ, and whether the hash is weaker
// than the current parameters and should be replaced.
func (h *hasher) verify(ctx context.Context, encoded, password string) (ok, outdated bool, err error) {
	stored, err := parsePHC(encoded)
	if err != nil {
		return false, false, err
	}
	key, err := h.derive(ctx, password, stored.salt, stored.params, len(stored.key))
	if err != nil {
		return false, false, err
	}
	ok = subtle.ConstantTimeCompare(key, stored.key) == 1
	outdated = stored.params.Memory < h.params.Memory || stored.params.Time < h.params.Time ||
		stored.params.Threads < h.params.Threads || len(stored.salt) < saltLen || len(stored.key) < keyLen
	return ok, outdated, nil
}

// ValidatePassword checks a new password: at least MinPasswordLength
// characters, at most MaxPasswordBytes bytes, one line. Anything else is
// allowed; there are no composition rules (NIST SP 800-63B).
func ValidatePassword(password string) error {
	bad := func(reason apperr.Reason, format string, args ...any) *apperr.Error {
		return apperr.Invalid(reason, format, args...).With("field", "password")
	}
	if n := utf8.RuneCountInString(password); n < MinPasswordLength {
		return bad(apperr.TooShort, "the password is too short: it has %d characters, the minimum is %d", n, MinPasswordLength).
			With("minLength", MinPasswordLength).With("min", MinPasswordLength).With("unit", "characters")
	}
	if len(password) > MaxPasswordBytes {
		return bad(apperr.TooLong, "the password is too long: it has %d bytes, the maximum is %d", len(password), MaxPasswordBytes).
			With("maxBytes", MaxPasswordBytes).With("max", MaxPasswordBytes).With("unit", "bytes")
	}
	if strings.ContainsAny(password, "\r\n\x00") {
		return bad(apperr.InvalidText, "the password must be one line without NUL characters")
	}
	return nil
}
