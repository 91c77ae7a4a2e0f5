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
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/werkwijzer/werkwijzer/internal/vacancy"
	"github.com/werkwijzer/werkwijzer/internal/vacancy/feed"
)

// DefaultMaxBytes bounds a feed's size.
const DefaultMaxBytes = 64 << 20

// Fetcher downloads feeds with timeouts, a size limit and conditional
// GETs.
type Fetcher struct {
	Client    *http.Client
	MaxBytes  int64
	UserAgent string
}

// NewFetcher returns a fetcher with production timeouts: 10 s to connect
// and for TLS, 30 s for the response headers, 2 minutes in all, at most 5
// redirects.
func NewFetcher() *Fetcher {
	transport := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 30 * time.Second,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConnsPerHost:   2,
		ForceAttemptHTTP2:     true,
	}
	return &Fetcher{
		Client: &http.Client{
			Transport: transport,
			Timeout:   2 * time.Minute,
			CheckRedirect: func(req *http.Request, via []*http.Request) error {
				if len(via) >= 5 {
					return errors.New("more than 5 redirects")
				}
				if via[0].URL.Scheme == "https" && req.URL.Scheme != "https" {
					return errors.New("redirect from https to plain http refused")
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
	NotModified  bool
	Body         []byte
	ETag         string
	LastModified string
	URL          *url.URL // after redirects
}

// StatusError is a feed server's error answer.
type StatusError struct {
	URL    string
	Status int
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("fetch %s: the server answered %d %s", e.URL, e.Status, http.StatusText(e.Status))
}

// Fetch GETs rawURL; a non-empty etag or lastModified makes it conditional.
func (f *Fetcher) Fetch(ctx context.Context, rawURL, etag, lastModified string) (*Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
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
		return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotModified {
		return &Response{NotModified: true, ETag: etag, LastModified: lastModified, URL: resp.Request.URL}, nil
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil, &StatusError{URL: rawURL, Status: resp.StatusCode}
	}
	max := f.MaxBytes
	if max <= 0 {
		max = DefaultMaxBytes
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, fmt.Errorf("fetch %s: read the body: %w", rawURL, err)
	}
	if int64(len(body)) > max {
		return nil, fmt.Errorf("fetch %s: the feed is larger than %d MiB", rawURL, max>>20)
	}
	return &Response{Body: body, ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified"), URL: resp.Request.URL}, nil
}

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
}

// ImportData syncs a feed document for src. ctx must act as the operator.
func (im *Importer) ImportData(ctx context.Context, src *vacancy.Source, data []byte, base *url.URL, opt Options) (Result, error) {
	items, err := feed.Parse(src.Kind, data, base)
	if err != nil {
		return Result{}, err
	}
	im.progress("read %d vacancies from the %s feed of %s", len(items), src.Kind, src.Name)
	return im.sync(ctx, src, items, opt)
}

// ImportFile syncs a feed file. A file is taken to be a copy of the
// source's feed, so its links resolve against the feed URL: a Personio
// feed holds only ids, its pages being /job/ID on the feed's host.
func (im *Importer) ImportFile(ctx context.Context, src *vacancy.Source, path string, opt Options) (Result, error) {
	data, err := readFile(path, im.maxBytes())
	if err != nil {
		return Result{}, err
	}
	var base *url.URL
	if src.FeedURL != "" {
		base, _ = url.Parse(src.FeedURL) // checked when the source was saved
	}
	return im.ImportData(ctx, src, data, base, opt)
}

// ImportURL fetches a feed without conditions and syncs it; when rawURL
// is the source's feed URL and the import was real and complete, the
// feed's validators are stored for the next conditional pull.
func (im *Importer) ImportURL(ctx context.Context, src *vacancy.Source, rawURL string, opt Options) (Result, error) {
	started := im.Vacancies.Now()
	resp, err := im.Fetcher.Fetch(ctx, rawURL, "", "")
	if err != nil {
		return Result{}, err
	}
	im.progress("fetched %s (%d KiB)", rawURL, len(resp.Body)>>10)
	res, err := im.ImportData(ctx, src, resp.Body, resp.URL, opt)
	if err == nil && !opt.DryRun && rawURL == src.FeedURL {
		err = im.Vacancies.FinishPull(ctx, src.ID, "", started, &resp.ETag, &resp.LastModified, true)
	}
	return res, err
}

// Pull fetches a source's feed conditionally and syncs it as a snapshot;
// owner is the lease holder (see Scheduler), startedAt when it claimed it.
// Failures are recorded on the source for the admin.
func (im *Importer) Pull(ctx context.Context, src *vacancy.Source, owner string, startedAt time.Time) (Result, error) {
	res, etag, lastModified, err := im.pull(ctx, src)
	if err != nil {
		if recErr := im.Vacancies.RecordFailure(context.WithoutCancel(ctx), src.ID, err); recErr != nil {
			im.logger().Warn("could not record pull failure", "source", src.Name, "error", recErr)
		}
	}
	// Validators are kept only for a feed imported whole; after a failure
	// the next pull must fetch it again.
	if finErr := im.Vacancies.FinishPull(context.WithoutCancel(ctx), src.ID, owner, startedAt, etag, lastModified, err == nil); finErr != nil && err == nil {
		err = finErr
	}
	return res, err
}

func (im *Importer) pull(ctx context.Context, src *vacancy.Source) (Result, *string, *string, error) {
	if !src.Kind.Pulls() || src.FeedURL == "" {
		return Result{}, nil, nil, fmt.Errorf("source %s has no feed to pull", src.Name)
	}
	resp, err := im.Fetcher.Fetch(ctx, src.FeedURL, src.State.FeedETag, src.State.FeedLastModified)
	if err != nil {
		return Result{}, nil, nil, err
	}
	if resp.NotModified {
		return Result{NotModified: true}, nil, nil, nil
	}
	res, err := im.ImportData(ctx, src, resp.Body, resp.URL, Options{})
	if err != nil {
		return res, nil, nil, err
	}
	return res, &resp.ETag, &resp.LastModified, nil
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

func readFile(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read feed: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("read feed %s: %w", path, err)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("read feed %s: larger than %d MiB", path, max>>20)
	}
	return data, nil
}

// IsURL reports whether a command-line argument is a URL rather than a
// file.
func IsURL(arg string) bool {
	return strings.HasPrefix(arg, "https://") || strings.HasPrefix(arg, "http://")
}
