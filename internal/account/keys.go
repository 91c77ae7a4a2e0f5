package account

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// MinSecretBytes is the shortest signing secret accepted: HS256 keys
// should be at least as long as the hash (RFC 7518 section 3.2).
const MinSecretBytes = 32

// SecretFileName is the file in the data directory that holds the
// generated signing secret when none is configured.
const SecretFileName = "jwt-secret"

// KeyRing holds the secrets that sign and verify access tokens. The current
// key signs; previous keys only verify, so a secret can be rotated without
// signing everybody out: configure the new secret, keep the old one among
// the previous secrets for one access-token lifetime, then drop it. Every
// key is known by its kid, the first 16 hex digits of the SHA-256 of the
// secret, which tokens carry in their header. Immutable and safe for
// concurrent use.
type KeyRing struct {
	current signingKey
	byID    map[string][]byte
}

type signingKey struct {
	id     string
	secret []byte
}

// NewKeyRing returns a ring that signs with current and also verifies with
// previous. Each secret must have at least MinSecretBytes bytes; secrets are
// used as given (their bytes are the HMAC key).
func NewKeyRing(current []byte, previous ...[]byte) (*KeyRing, error) {
	if len(current) < MinSecretBytes {
		return nil, fmt.Errorf("the JWT signing secret has %d bytes; it needs at least %d (generate one with: openssl rand -base64 32)", len(current), MinSecretBytes)
	}
	k := &KeyRing{current: signingKey{id: KeyID(current), secret: clone(current)}, byID: map[string][]byte{}}
	k.byID[k.current.id] = k.current.secret
	for i, p := range previous {
		if len(p) < MinSecretBytes {
			return nil, fmt.Errorf("previous JWT secret %d has %d bytes; it needs at least %d", i+1, len(p), MinSecretBytes)
		}
		if _, dup := k.byID[KeyID(p)]; !dup {
			k.byID[KeyID(p)] = clone(p)
		}
	}
	return k, nil
}

func clone(b []byte) []byte { return append([]byte(nil), b...) }

// KeyID is the kid of a secret: the first 16 hex digits of its SHA-256.
func KeyID(secret []byte) string {
	sum := sha256.Sum256(secret)
	return hex.EncodeToString(sum[:8])
}

// CurrentKeyID is the kid that new tokens carry.
func (k *KeyRing) CurrentKeyID() string { return k.current.id }

// key returns the secret known by kid.
func (k *KeyRing) key(kid string) ([]byte, bool) {
	secret, ok := k.byID[kid]
	return secret, ok
}

// LoadKeyRing builds the key ring from the configuration: secret
// (WERKWIJZER_JWT_SECRET) signs and previous (WERKWIJZER_JWT_PREVIOUS_SECRETS,
// already split at commas) only verify. Surrounding space is trimmed and
// empty entries are skipped.
//
// With no secret configured it uses the one in dataDir/jwt-secret,
// creating it (32 random bytes, base64, mode 0600) when it does not exist;
// generated reports that it created the file, so the caller can say so.
// The file holds the secret as text, so its content can be moved into
// WERKWIJZER_JWT_SECRET unchanged. A generated secret suits one server or
// replicas that share the data directory; other replicas need the variable.
func LoadKeyRing(secret string, previous []string, dataDir string) (ring *KeyRing, generated bool, err error) {
	var prev [][]byte
	for _, p := range previous {
		if p = strings.TrimSpace(p); p != "" {
			prev = append(prev, []byte(p))
		}
	}
	secret = strings.TrimSpace(secret)
	if secret == "" {
		secret, generated, err = secretFile(dataDir)
		if err != nil {
			return nil, false, err
		}
	}
	ring, err = NewKeyRing([]byte(secret), prev...)
	if err != nil {
		if generated {
			return nil, false, err
		}
		return nil, false, fmt.Errorf("WERKWIJZER_JWT_SECRET: %w", err)
	}
	return ring, generated, nil
}

// secretFile reads dataDir/jwt-secret, or creates it. Creation writes a
// temporary file and links it into place, so a process starting at the
// same time either sees the whole secret or creates the file first and
// wins; both then use the same secret.
func secretFile(dataDir string) (secret string, generated bool, err error) {
	if dataDir == "" {
		dataDir = "data"
	}
	path := filepath.Join(dataDir, SecretFileName)
	if s, err := readSecretFile(path); err == nil || !errors.Is(err, fs.ErrNotExist) {
		return s, false, err
	}
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return "", false, fmt.Errorf("create data directory for the JWT secret: %w", err)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", false, fmt.Errorf("generate JWT secret: %w", err)
	}
	secret = base64.StdEncoding.EncodeToString(raw)
	tmp, err := os.CreateTemp(dataDir, SecretFileName+".*.tmp")
	if err != nil {
		return "", false, fmt.Errorf("write JWT secret: %w", err)
	}
	defer os.Remove(tmp.Name())
	// CreateTemp makes the file 0600; set it anyway in case that changes.
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return "", false, fmt.Errorf("write JWT secret: %w", err)
	}
	if _, err := tmp.WriteString(secret + "\n"); err != nil {
		tmp.Close()
		return "", false, fmt.Errorf("write JWT secret: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return "", false, fmt.Errorf("write JWT secret: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return "", false, fmt.Errorf("write JWT secret: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			s, err := readSecretFile(path)
			return s, false, err
		}
		return "", false, fmt.Errorf("write JWT secret %s: %w", path, err)
	}
	return secret, true, nil
}

func readSecretFile(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		return "", fmt.Errorf("read JWT secret: %w", err)
	}
	s := strings.TrimSpace(string(b))
	if len(s) < MinSecretBytes {
		return "", fmt.Errorf("the JWT secret in %s has %d bytes; it needs at least %d (delete the file to generate a new one)", path, len(s), MinSecretBytes)
	}
	return s, nil
}
