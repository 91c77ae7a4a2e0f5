package webhook

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/netip"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"

	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/netguard"
)

// Delivery limits.
const (
	// Timeout bounds one attempt, from connecting to the end of the
	// response read.
	Timeout = 10 * time.Second
	// MaxResponseBytes is how much of a receiver's answer is read.
	MaxResponseBytes = 64 << 10
	// excerptBytes is how much of it the attempt log keeps.
	excerptBytes = 1 << 10
	// MaxAttempts is how often a delivery is tried before it fails: with
	// Backoff, over about 24 hours.
	MaxAttempts = 12
)

// Backoff is the delay before retry number attempt (1 after the first
// failure): one minute doubling with each failure, at most 8 hours, each
// moved by up to 10% either way so receivers coming back from an outage
// are not hit by every delivery at once. Nominally 1m, 2m, 4m ... 4h16m,
// 8h, 8h: the 12th and last attempt comes about 24.5 hours after the first.
func Backoff(attempt int) time.Duration {
	d := 8 * time.Hour
	if attempt < 10 {
		d = min(time.Minute<<(max(attempt, 1)-1), d)
	}
	jitter := 0.9 + 0.2*rand.Float64()
	return time.Duration(float64(d) * jitter)
}

// Config configures a Service.
type Config struct {
	Store Store
	// Driver is River's driver on the same database as Store.
	Driver riverdriver.Driver[*sql.Tx]
	// Locales tells whether a locale code is configured.
	Locales func(code string) bool
	// AllowPrivate delivers to loopback and private addresses and over
	// plain http (WERKWIJZER_WEBHOOK_ALLOW_PRIVATE).
	AllowPrivate bool
	Log          *slog.Logger
	// Now is the clock (default time.Now).
	Now func() time.Time
	// RetryDelay replaces Backoff (tests use a short one).
	RetryDelay func(attempt int) time.Duration
	// PollInterval is how often the runner looks for due deliveries
	// (default 1s).
	PollInterval time.Duration
	// Workers is how many deliveries run at once per process (default 10).
	Workers int
	// Delivered, when set, is told the result of every attempt:
	// "succeeded", "retrying", "failed" or "refused".
	Delivered func(result string)
}

// New returns the service. It records and redelivers events at once, and
// delivers them after Start.
func New(cfg Config) (*Service, error) {
	s := &Service{
		store: cfg.Store, locales: cfg.Locales, allowPrivate: cfg.AllowPrivate, now: cfg.Now, log: cfg.Log,
		retryDelay: cfg.RetryDelay, delivered: cfg.Delivered,
	}
	if s.now == nil {
		s.now = func() time.Time { return time.Now().UTC() }
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.retryDelay == nil {
		s.retryDelay = Backoff
	}
	if s.delivered == nil {
		s.delivered = func(string) {}
	}
	if s.locales == nil {
		s.locales = func(string) bool { return true }
	}
	allow := netguard.PublicOnly
	if cfg.AllowPrivate {
		allow = netguard.AnyAddress
	}
	s.client = guardedClient(allow)
	q, err := newQueue(s, cfg)
	if err != nil {
		return nil, err
	}
	s.queue = q
	return s, nil
}

// guardedClient posts only to addresses allow accepts, checked at dial time
// after DNS resolution, never through a proxy (the check would see the
// proxy), never following a redirect, within Timeout.
func guardedClient(allow func(netip.AddrPort) bool) *http.Client {
	return &http.Client{
		Transport:     netguard.Transport(allow, Timeout, Timeout),
		Timeout:       Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// Start delivers queued events until Stop.
func (s *Service) Start(ctx context.Context) error { return s.queue.client.Start(ctx) }

// Stop lets running deliveries finish (until ctx ends) and stops.
func (s *Service) Stop(ctx context.Context) error { return s.queue.client.Stop(ctx) }

// errRefused is a delivery whose URL may not be connected to.
var errRefused = errors.New("refused")

// deliver makes one attempt at a delivery. final says whether it is the
// last the queue will make. It returns nil when nothing more is to be done.
func (s *Service) deliver(ctx context.Context, deliveryID string, final bool) error {
	w, body, d, err := s.store.DeliveryBody(ctx, deliveryID)
	if apperr.Is(err, apperr.NotFound) {
		return nil // the webhook was deleted with its deliveries
	}
	if err != nil {
		return err
	}
	if d.Status == Succeeded {
		return nil // a duplicate job: at least once, but not twice on purpose
	}
	a := s.post(ctx, &w, body, d)
	status, result := Pending, "retrying"
	switch {
	case a.Error == "" && a.StatusCode >= 200 && a.StatusCode < 300:
		status, result = Succeeded, "succeeded"
	case errors.Is(a.err, errRefused):
		status, result = Failed, "refused"
	case final:
		status, result = Failed, "failed"
	}
	if err := s.store.RecordAttempt(context.WithoutCancel(ctx), a.Attempt, status); err != nil {
		return err
	}
	s.delivered(result)
	s.log.InfoContext(ctx, "webhook delivery attempt", "delivery", d.ID, "webhook", w.ID, "event", d.EventID,
		"attempt", a.Number, "status", a.StatusCode, "duration", a.Duration, "result", result, "error", a.Error)
	switch status {
	case Succeeded:
		return nil
	case Failed:
		if result == "refused" {
			return river.JobCancel(a.err)
		}
	}
	return fmt.Errorf("webhook delivery %s attempt %d: %s", d.ID, a.Number, a.describe())
}

// attempt is an Attempt and the error behind it.
type attempt struct {
	Attempt
	err error
}

func (a *attempt) describe() string {
	if a.Error != "" {
		return a.Error
	}
	return fmt.Sprintf("HTTP %d", a.StatusCode)
}

// post sends body to w once, signed.
func (s *Service) post(ctx context.Context, w *Webhook, body []byte, d Delivery) (a attempt) {
	start := s.now()
	a = attempt{Attempt: Attempt{ID: newID(), DeliveryID: d.ID, Number: d.Attempts + 1, StartedAt: start}}
	defer func() { a.Duration = s.now().Sub(start) }()
	if !s.allowPrivate && !strings.HasPrefix(w.URL, "https://") {
		a.err = fmt.Errorf("%w: the URL is not https", errRefused)
		a.Error = a.err.Error()
		return a
	}
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		a.err = fmt.Errorf("%w: %v", errRefused, err)
		a.Error = a.err.Error()
		return a
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Werkwijzer-Webhooks/1")
	req.Header.Set(EventIDHeader, d.EventID)
	req.Header.Set(EventTypeHeader, string(d.EventType))
	req.Header.Set(SignatureHeader, Signature(start, body, w.secrets(start)...))
	resp, err := s.client.Do(req)
	if err != nil {
		a.err = err
		if errors.Is(err, netguard.ErrAddressNotAllowed) {
			a.err = fmt.Errorf("%w: %w", errRefused, err)
		}
		a.Error = describeError(a.err)
		return a
	}
	defer resp.Body.Close()
	a.StatusCode = resp.StatusCode
	head, readErr := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBytes))
	a.ResponseExcerpt = excerpt(head)
	if readErr != nil {
		a.err = readErr
		a.Error = "reading the response: " + describeError(readErr)
	}
	return a
}

// describeError says what went wrong without Go's wrapping noise.
func describeError(err error) string {
	switch {
	case errors.Is(err, netguard.ErrAddressNotAllowed):
		return "refused: the host resolves to a loopback, private or otherwise non-public address"
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("no answer within %s", Timeout)
	}
	msg := err.Error()
	if len(msg) > 300 {
		msg = msg[:300]
	}
	return msg
}

// excerpt is the start of a response, cut at a character boundary.
func excerpt(b []byte) string {
	if len(b) > excerptBytes {
		b = b[:excerptBytes]
	}
	for len(b) > 0 && !utf8.Valid(b) {
		b = b[:len(b)-1]
	}
	return string(b)
}
