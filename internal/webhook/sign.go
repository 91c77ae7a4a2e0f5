package webhook

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// Headers a delivery carries.
const (
	SignatureHeader = "Werkwijzer-Signature"
	EventIDHeader   = "Werkwijzer-Event-Id"
	EventTypeHeader = "Werkwijzer-Event-Type"
)

// secretPrefix marks a webhook signing secret, so one found in a log or a
// repository is recognised for what it is.
const secretPrefix = "whsec_"

// newSecret returns a fresh signing secret of 52 random base32 characters
// (260 bits).
func newSecret() string { return secretPrefix + rand.Text() + rand.Text() }

// Signature is the Werkwijzer-Signature header value for body sent at t:
// "t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">" with one v1 per
// secret (two during a rotation).
func Signature(t time.Time, body []byte, secrets ...string) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	var b strings.Builder
	b.WriteString("t=" + ts)
	for _, s := range secrets {
		mac := hmac.New(sha256.New, []byte(s))
		mac.Write([]byte(ts))
		mac.Write([]byte{'.'})
		mac.Write(body)
		b.WriteString(",v1=" + hex.EncodeToString(mac.Sum(nil)))
	}
	return b.String()
}
