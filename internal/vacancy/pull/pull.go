// Package pull fetches vacancy feeds and imports them through the sync
// engine: by hand ("werkwijzer import vacancies") and on a schedule in the
// server, where a lease in the database makes one replica, not all of
// them, pull each source each interval.
//
// A feed is imported as one snapshot, in calls of BatchSize items; the
// source's vacancies the feed no longer holds close only when the last
// call completes it. A failed fetch, an error status or a malformed body
// stops the import before anything is synced, and a failure in a later
// call leaves the snapshot incomplete: either way nothing is closed.
package pull

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/netguard"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
	"github.com/werkwijzer/werkwijzer/internal/vacancy/feed"
)

// DefaultMaxBytes bounds a feed's size.
const DefaultMaxBytes = 64 << 20

// MaxRedirects bounds the redirects a fetch follows.
const MaxRedirects = 5

// MaxRetryAfter caps how long a feed host's Retry-After may hold off the
// next pull, so a typo on its side cannot stop pulling for good.
const MaxRetryAfter = 24 * time.Hour

// Errors of a fetch, besides *StatusError and *TooLargeError.
var (
	// ErrAddressNotAllowed: the feed's host (or a redirect's) resolved to
	// an address feeds are not fetched from (see vacancy.PublicAddr).
	ErrAddressNotAllowed = netguard.ErrAddressNotAllowed
	ErrTooManyRedirects  = fmt.Errorf("more than %d redirects", MaxRedirects)
	ErrInsecureRedirect  = errors.New("redirect from https to plain http refused")
)

// PublicOnly lets a fetcher connect to public addresses only: the
// production policy.
func PublicOnly(a netip.AddrPort) bool { return vacancy.PublicAddr(a.Addr()) }

// AnyAddress lets a fetcher connect anywhere
// (WERKWIJZER_FEED_ALLOW_PRIVATE).
func AnyAddress(netip.AddrPort) bool { return true }

// Fetcher downloads feeds with timeouts, a size limit and conditional
// GETs, connecting only to the addresses its policy allows.
type Fetcher struct {
	Client    *http.Client
	MaxBytes  int64
	UserAgent string
}

// NewFetcher returns a fetcher with production timeouts (10 s to connect
// and for TLS, 30 s for the response headers, 2 minutes in all) that
// follows at most MaxRedirects redirects and connects only to addresses
// allow accepts (PublicOnly, or AnyAddress for on-premise feeds).
//
// allow is checked on every connection, with the address it is about to
// connect to after DNS resolution: a name that resolves inward, DNS
// rebinding and every hop of a redirect meet the same check. For the same
// reason no proxy from the environment is used: the check would see the
// proxy's address, not the feed host's.
func NewFetcher(allow func(netip.AddrPort) bool) *Fetcher {
	return &Fetcher{
		Client: &http.Client{
			Transport: netguard.Transport(allow, 10*time.Second, 30*time.Second),
			Timeout:   2 * time.Minute,
			CheckRedirect: func(req *http.Request, via []*http.Request) error {
				if len(via) > MaxRedirects { // via holds the first request too
					return ErrTooManyRedirects
				}
				if via[0].URL.Scheme == "https" && req.URL.Scheme != "https" {
					return ErrInsecureRedirect
				}
				return nil
			},
		},
		MaxBytes:  DefaultMaxBytes,
		UserAgent: "Werkwijzer vacancy import (+https://github.com/werkwijzer/werkwijzer)",
	}
}

// Response is a fetched feed.
type Response struct {
	// NotModified is true when the server answered 304 to a conditional
	// GET: the feed did not change since the validators were stored.
	NotModified bool
	// Body streams the feed, at most the fetcher's MaxBytes of it; nil
	// when NotModified. The caller closes it.
	Body         io.ReadCloser
	ETag         string
	LastModified string
	URL          *url.URL // after redirects
}

// FetchError is a feed that could not be fetched, or whose body broke off.
type FetchError struct {
	URL string
	Err error
}

func (e *FetchError) Error() string { return fmt.Sprintf("fetch %s: %v", e.URL, e.Err) }
func (e *FetchError) Unwrap() error { return e.Err }

// StatusError is a feed server's error answer.
type StatusError struct {
	Status int
	// RetryAfter is how long the server asked to wait (Retry-After on a
	// 429 or 503, capped at MaxRetryAfter); zero when it did not say.
	RetryAfter time.Duration
}

func (e *StatusError) Error() string {
	msg := fmt.Sprintf("the server answered %d %s", e.Status, http.StatusText(e.Status))
	if e.RetryAfter > 0 {
		msg += fmt.Sprintf(" and asked to retry after %s", e.RetryAfter)
	}
	return msg
}

// TooLargeError is a feed larger than the limit.
type TooLargeError struct{ Max int64 }

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("the feed is larger than %d MiB", e.Max>>20)
}

// Fetch GETs rawURL; a non-empty etag or lastModified makes it
// conditional. Errors are *FetchError.
func (f *Fetcher) Fetch(ctx context.Context, rawURL, etag, lastModified string) (*Response, error) {
	fail := func(err error) error { return &FetchError{URL: rawURL, Err: err} }
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, fail(err)
	}
	req.Header.Set("User-Agent", f.UserAgent)
	req.Header.Set("Accept", "application/xml, application/json, application/ld+json, text/html;q=0.9, */*;q=0.5")
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	if lastModified != "" {
		req.Header.Set("If-Modified-Since", lastModified)
	}
	resp, err := f.Client.Do(req)
	if err != nil {
		return nil, fail(err)
	}
	if resp.StatusCode == http.StatusNotModified {
		resp.Body.Close()
		return &Response{NotModified: true, ETag: etag, LastModified: lastModified, URL: resp.Request.URL}, nil
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		se := &StatusError{Status: resp.StatusCode}
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
			se.RetryAfter = retryAfter(resp.Header.Get("Retry-After"), time.Now())
		}
		return nil, fail(se)
	}
	max := f.MaxBytes
	if max <= 0 {
		max = DefaultMaxBytes
	}
	return &Response{
		Body: &limitedBody{body: resp.Body, left: max, max: max, url: rawURL},
		ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified"), URL: resp.Request.URL,
	}, nil
}

// retryAfter reads a Retry-After value, delay-seconds or an HTTP date
// (RFC 9110, 10.2.3), as a wait from now, capped at MaxRetryAfter; zero
// when it is absent, malformed or past.
func retryAfter(value string, now time.Time) time.Duration {
	value = strings.TrimSpace(value)
	if value != "" && strings.Trim(value, "0123456789") == "" {
		secs, err := strconv.ParseUint(value, 10, 64)
		if err != nil || secs > uint64(MaxRetryAfter/time.Second) { // err: too many digits
			return MaxRetryAfter
		}
		return time.Duration(secs) * time.Second
	}
	at, err := http.ParseTime(value)
	if err != nil {
		return 0
	}
	return min(max(at.Sub(now), 0), MaxRetryAfter)
}

// limitedBody reads a response body up to max bytes; reading more fails
// with *TooLargeError, and a broken connection with *FetchError.
type limitedBody struct {
	body      io.ReadCloser
	left, max int64
	url       string
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left < 0 {
		return 0, &TooLargeError{Max: b.max}
	}
	// One byte more than is left tells a feed of exactly max bytes from a
	// longer one.
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.body.Read(p)
	if int64(n) > b.left {
		n, b.left = int(b.left), -1
		return n, &TooLargeError{Max: b.max}
	}
	b.left -= int64(n)
	if err != nil && !errors.Is(err, io.EOF) {
		err = &FetchError{URL: b.url, Err: err}
	}
	return n, err
}

func (b *limitedBody) Close() error { return b.body.Close() }

// Options tune one import.
type Options struct {
	// Mode is ModeSnapshot (the default: the feed is everything the
	// source has open) or ModeUpsert.
	Mode           vacancy.Mode
	DryRun         bool
	AllowMassClose bool
	// BatchSize is the items per sync call (default 500).
	BatchSize int
}

// Result is what an import did.
type Result struct {
	// NotModified is true when a conditional GET found the feed unchanged;
	// nothing was synced.
	NotModified bool
	Items       int
	Calls       int
	// Total sums the calls' reports; its Items list every listed item
	// with its index in the whole feed.
	Total vacancy.Report
}

// Importer parses feeds and syncs them.
type Importer struct {
	Vacancies *vacancy.Service
	Fetcher   *Fetcher
	// Progress receives a line per call on long imports; nil for none.
	Progress io.Writer
	Log      *slog.Logger
	// Pulled, when set, is told of every pull of a source's feed (not dry
	// runs) and how it ended, for the metrics.
	Pulled func(context.Context, *vacancy.Source, Result, error)
}

// Import syncs a feed document read from r for src; base is where it
// came from (nil for a file). ctx must act as the operator.
func (im *Importer) Import(ctx context.Context, src *vacancy.Source, r io.Reader, base *url.URL, opt Options) (Result, error) {
	items, err := feed.Parse(src.Kind, r, base)
	if err != nil {
		return Result{}, err
	}
	im.progress("read %d vacancies from the %s feed of %s", len(items), src.Kind, src.Name)
	return im.sync(ctx, src, items, opt)
}

// ImportFile syncs a feed file of at most the fetcher's MaxBytes. A file
// is taken to be a copy of the source's feed, so its links resolve against
// the feed URL: a Personio feed holds only ids, its pages being /job/ID on
// the feed's host.
func (im *Importer) ImportFile(ctx context.Context, src *vacancy.Source, path string, opt Options) (Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return Result{}, fmt.Errorf("read feed: %w", err)
	}
	defer f.Close()
	var base *url.URL
	if src.FeedURL != "" {
		base, _ = url.Parse(src.FeedURL) // checked when the source was saved
	}
	max := im.maxBytes()
	res, err := im.Import(ctx, src, &limitedBody{body: f, left: max, max: max, url: path}, base, opt)
	if err != nil {
		return res, fmt.Errorf("import %s: %w", path, err)
	}
	return res, nil
}

// ImportURL fetches a feed at an address other than the source's feed
// URL, without conditions, and syncs it; nothing about the fetch is
// recorded on the source. (PullNow pulls the source's own feed.)
func (im *Importer) ImportURL(ctx context.Context, src *vacancy.Source, rawURL string, opt Options) (Result, error) {
	resp, err := im.Fetcher.Fetch(ctx, rawURL, "", "")
	if err != nil {
		return Result{}, err
	}
	defer resp.Body.Close()
	im.progress("fetched %s", rawURL)
	return im.Import(ctx, src, resp.Body, resp.URL, opt)
}

// Pull fetches a source's feed conditionally and syncs it as a snapshot;
// owner is the lease holder (see Scheduler), startedAt when it claimed it.
// The outcome is recorded on the source for the admin: when it was
// pulled, the validators of a feed imported whole, the feed host's
// Retry-After, and for a failure a summary that names no network detail
// (see Summary). The error returned has the detail, for the log.
func (im *Importer) Pull(ctx context.Context, src *vacancy.Source, owner string, startedAt time.Time) (Result, error) {
	return im.pullAndRecord(ctx, src, owner, startedAt, Options{})
}

// PullNow pulls a source's feed by hand, as "werkwijzer import vacancies"
// does: like Pull, with the same conditional GET and the same record on
// the source, but with opt. A dry run records nothing.
func (im *Importer) PullNow(ctx context.Context, src *vacancy.Source, opt Options) (Result, error) {
	if wait := src.State.PullNotBefore; !wait.IsZero() && im.Vacancies.Now().Before(wait) {
		im.progress("note: the feed host asked not to be fetched before %s; fetching anyway, since you asked", wait.Format(time.RFC3339))
	}
	return im.pullAndRecord(ctx, src, "", im.Vacancies.Now(), opt)
}

func (im *Importer) pullAndRecord(ctx context.Context, src *vacancy.Source, owner string, startedAt time.Time, opt Options) (Result, error) {
	res, out, err := im.pull(ctx, src, opt)
	if opt.DryRun {
		return res, err
	}
	out.At, out.Succeeded = startedAt, err == nil
	ctx = context.WithoutCancel(ctx)
	if err != nil {
		if recErr := im.Vacancies.RecordFailure(ctx, src.ID, Summary(err)); recErr != nil {
			im.logger().Warn("could not record pull failure", "source", src.Name, "error", recErr)
		}
		var se *StatusError
		if errors.As(err, &se) && se.RetryAfter > 0 {
			out.NotBefore = startedAt.Add(se.RetryAfter)
		}
	}
	if finErr := im.Vacancies.FinishPull(ctx, src.ID, owner, out); finErr != nil && err == nil {
		err = finErr
	}
	if im.Pulled != nil {
		im.Pulled(ctx, src, res, err)
	}
	return res, err
}

// pull fetches and imports; the outcome holds the validators of a feed
// imported whole (and no others: after a failure the next pull must fetch
// the feed again).
func (im *Importer) pull(ctx context.Context, src *vacancy.Source, opt Options) (Result, vacancy.PullOutcome, error) {
	var out vacancy.PullOutcome
	if !src.Kind.Pulls() || src.FeedURL == "" {
		return Result{}, out, apperr.Invalid(apperr.NoFeed, "source %s has no feed to pull", src.Name)
	}
	resp, err := im.Fetcher.Fetch(ctx, src.FeedURL, src.State.FeedETag, src.State.FeedLastModified)
	if err != nil {
		return Result{}, out, err
	}
	if resp.NotModified {
		im.progress("the feed did not change since it was last imported whole: nothing to do")
		return Result{NotModified: true}, out, nil
	}
	defer resp.Body.Close()
	im.progress("fetched %s", src.FeedURL)
	res, err := im.Import(ctx, src, resp.Body, resp.URL, opt)
	if err != nil {
		return res, out, err
	}
	if opt.Mode == "" || opt.Mode == vacancy.ModeSnapshot {
		// An upsert import is not the whole feed's state: a later
		// snapshot must not skip the feed as "not modified".
		out.ETag, out.LastModified = &resp.ETag, &resp.LastModified
	}
	return res, out, nil
}

// Summary is what editors see of a failed pull (a source's lastError):
// what went wrong with the feed, never the network-level detail (socket
// errors, resolved addresses, ports), which would let anyone who can read
// sources map the server's network through feed URLs.
func Summary(err error) string {
	var (
		fetchErr  *FetchError
		statusErr *StatusError
		tooLarge  *TooLargeError
	)
	switch {
	case errors.As(err, &tooLarge):
		return tooLarge.Error()
	case errors.As(err, &statusErr):
		msg := fmt.Sprintf("could not fetch the feed: HTTP %d", statusErr.Status)
		if statusErr.RetryAfter > 0 {
			msg += fmt.Sprintf("; the server asked to wait %s", statusErr.RetryAfter)
		}
		return msg
	case errors.Is(err, ErrAddressNotAllowed):
		return "could not fetch the feed: address not allowed"
	case errors.Is(err, ErrTooManyRedirects):
		return "could not fetch the feed: " + ErrTooManyRedirects.Error()
	case errors.Is(err, ErrInsecureRedirect):
		return "could not fetch the feed: " + ErrInsecureRedirect.Error()
	case errors.As(err, &fetchErr):
		var ne net.Error
		if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
			return "could not fetch the feed: timed out"
		}
		return "could not fetch the feed: connection failed"
	case errors.Is(err, feed.ErrMalformed):
		return err.Error()
	case apperr.CodeOf(err) != apperr.Internal:
		return err.Error() // the sync's own verdict, such as a refused mass close
	}
	return "the import failed on the server's side; its log has the details"
}

// sync sends items in calls of BatchSize as one snapshot (or as upserts).
func (im *Importer) sync(ctx context.Context, src *vacancy.Source, items []vacancy.Item, opt Options) (Result, error) {
	size := opt.BatchSize
	if size <= 0 {
		size = 500
	}
	mode := opt.Mode
	if mode == "" {
		mode = vacancy.ModeSnapshot
	}
	res := Result{Items: len(items), Total: vacancy.Report{SourceID: src.ID, Mode: mode, DryRun: opt.DryRun, Items: []vacancy.ItemReport{}}}
	snapshotID := ""
	if mode == vacancy.ModeSnapshot {
		id, err := uuid.NewV7()
		if err != nil {
			return res, err
		}
		snapshotID = "import-" + id.String()
		res.Total.SnapshotID = snapshotID
	}
	for start := 0; start < len(items) || (start == 0 && len(items) == 0); start += size {
		end := min(start+size, len(items))
		req := vacancy.SyncRequest{Mode: mode, Items: items[start:end], DryRun: opt.DryRun}
		if mode == vacancy.ModeSnapshot {
			last := end == len(items)
			req.SnapshotID, req.Complete, req.AllowMassClose = snapshotID, &last, opt.AllowMassClose && last
			if opt.DryRun && len(items) > size {
				// A dry run rolls every call back, so a later call cannot
				// see what an earlier one marked: check the whole feed in
				// one call instead.
				req.Items, end, req.Complete = items, len(items), ptrTrue()
			}
		}
		rep, err := im.Vacancies.SyncSource(ctx, src.ID, req)
		if err != nil {
			return res, fmt.Errorf("sync vacancies %d to %d of %d: %w", start+1, end, len(items), err)
		}
		res.Calls++
		add(&res.Total, rep, start)
		im.progress("synced %d/%d: %d created, %d updated, %d unchanged, %d reopened, %d rejected",
			end, len(items), res.Total.Created, res.Total.Updated, res.Total.Unchanged, res.Total.Reopened, res.Total.Rejected)
		if end == len(items) {
			break
		}
	}
	return res, nil
}

func ptrTrue() *bool {
	t := true
	return &t
}

func add(total, r *vacancy.Report, offset int) {
	total.Received += r.Received
	total.Created += r.Created
	total.Updated += r.Updated
	total.Unchanged += r.Unchanged
	total.Reopened += r.Reopened
	total.Closed += r.Closed
	total.Expired += r.Expired
	total.Stale += r.Stale
	total.Rejected += r.Rejected
	total.Warnings += r.Warnings
	total.SnapshotCompleted = total.SnapshotCompleted || r.SnapshotCompleted
	total.At = r.At
	for _, it := range r.Items {
		it.Index += offset
		total.Items = append(total.Items, it)
	}
}

func (im *Importer) progress(format string, args ...any) {
	if im.Progress != nil {
		fmt.Fprintf(im.Progress, format+"\n", args...)
	}
}

func (im *Importer) logger() *slog.Logger {
	if im.Log != nil {
		return im.Log
	}
	return slog.Default()
}

func (im *Importer) maxBytes() int64 {
	if im.Fetcher != nil && im.Fetcher.MaxBytes > 0 {
		return im.Fetcher.MaxBytes
	}
	return DefaultMaxBytes
}

// IsURL reports whether a command-line argument is a URL rather than a
// file.
func IsURL(arg string) bool {
	return strings.HasPrefix(arg, "https://") || strings.HasPrefix(arg, "http://")
}
