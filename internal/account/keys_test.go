package account_test

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/account"
)

func TestKeyRingNeedsLongSecrets(t *testing.T) {
	if _, err := account.NewKeyRing([]byte(strings.Repeat("x", 31))); err == nil || !strings.Contains(err.Error(), "at least 32") {
		t.Fatalf("31-byte secret: %v; want an error saying 32 bytes are needed", err)
	}
	if _, err := account.NewKeyRing([]byte(strings.Repeat("x", 32))); err != nil {
		t.Fatalf("32-byte secret: %v", err)
	}
	if _, err := account.NewKeyRing([]byte(strings.Repeat("x", 32)), []byte("short")); err == nil {
		t.Fatal("a short previous secret was accepted")
	}
	_, _, err := account.LoadKeyRing("too short", nil, t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "WERKWIJZER_JWT_SECRET") {
		t.Fatalf("LoadKeyRing with a short secret: %v; want an error naming WERKWIJZER_JWT_SECRET", err)
	}
}

func TestKeyIDIsTheStartOfTheSecretsSHA256(t *testing.T) {
	// printf %s 'abcdefghijklmnopqrstuvwxyz012345' | sha256sum
	const want = "653bb1245e828fcd"
	if got := account.KeyID([]byte("abcdefghijklmnopqrstuvwxyz012345")); got != want {
		t.Fatalf("KeyID = %s; want %s", got, want)
	}
}

func TestLoadKeyRingUsesTheConfiguredSecret(t *testing.T) {
	dir := t.TempDir()
	secret := strings.Repeat("s", 40)
	ring, generated, err := account.LoadKeyRing(" "+secret+"\n", []string{"", " " + strings.Repeat("p", 32) + " "}, dir)
	if err != nil || generated {
		t.Fatalf("LoadKeyRing = %v, generated %v", err, generated)
	}
	if ring.CurrentKeyID() != account.KeyID([]byte(secret)) {
		t.Fatal("the configured secret does not sign")
	}
	if _, err := os.Stat(filepath.Join(dir, account.SecretFileName)); !os.IsNotExist(err) {
		t.Fatalf("a secret file was written although a secret is configured: %v", err)
	}
}

func TestLoadKeyRingGeneratesAndReusesASecretFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	ring, generated, err := account.LoadKeyRing("", nil, dir)
	if err != nil {
		t.Fatal(err)
	}
	if !generated {
		t.Fatal("generated = false for a new secret file")
	}
	path := filepath.Join(dir, account.SecretFileName)
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if mode := info.Mode().Perm(); mode != 0o600 {
		t.Fatalf("secret file mode %o; want 600", mode)
	}
	content, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.TrimSpace(string(content))
	raw, err := base64.StdEncoding.DecodeString(text)
	if err != nil || len(raw) != 32 {
		t.Fatalf("secret file holds %q: want base64 of 32 bytes (%v)", text, err)
	}
	if ring.CurrentKeyID() != account.KeyID([]byte(text)) {
		t.Fatal("the ring does not sign with the file's secret")
	}

	again, generated, err := account.LoadKeyRing("", nil, dir)
	if err != nil || generated {
		t.Fatalf("second LoadKeyRing = %v, generated %v; want the file reused", err, generated)
	}
	if again.CurrentKeyID() != ring.CurrentKeyID() {
		t.Fatal("the second start uses a different secret: tokens would not survive a restart")
	}
	// The file's content works as WERKWIJZER_JWT_SECRET unchanged.
	fromEnv, _, err := account.LoadKeyRing(text, nil, t.TempDir())
	if err != nil || fromEnv.CurrentKeyID() != ring.CurrentKeyID() {
		t.Fatalf("the file's secret as the variable: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("data directory holds %d files; want only the secret", len(entries))
	}
}

func TestLoadKeyRingRefusesAShortSecretFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, account.SecretFileName), []byte("short\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := account.LoadKeyRing("", nil, dir); err == nil {
		t.Fatal("a short secret file was accepted")
	}
}

// A secret file holding exactly MinSecretBytes is long enough; one byte
// fewer is refused.
func TestSecretFileOfTheMinimumLengthIsAccepted(t *testing.T) {
	for n, ok := range map[int]bool{account.MinSecretBytes: true, account.MinSecretBytes - 1: false} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, account.SecretFileName), []byte(strings.Repeat("k", n)+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		_, generated, err := account.LoadKeyRing("", nil, dir)
		if (err == nil) != ok || generated {
			t.Errorf("a %d-byte secret file: err %v, generated %v; want ok=%v and the file used", n, err, generated, ok)
		}
	}
}
