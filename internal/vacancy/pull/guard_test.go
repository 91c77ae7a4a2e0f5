package pull_test

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/vacancy/pull"
)

// countingServer answers every request with a small feed and counts them.
func countingServer(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = io.WriteString(w, feedOf("a"))
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func fetch(f *pull.Fetcher, rawURL string) error {
	resp, err := f.Fetch(operator, rawURL, "", "")
	if err == nil {
		resp.Body.Close()
	}
	return err
}

// TestFetcherRefusesNonPublicAddresses: however the feed URL spells the
// server's own address, the production fetcher never connects; with
// private addresses allowed it does.
func TestFetcherRefusesNonPublicAddresses(t *testing.T) {
	srv, hits := countingServer(t)
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	public := pull.NewFetcher(pull.PublicOnly)
	// Each names the test server, on 127.0.0.1, or another local address.
	for _, host := range []string{"127.0.0.1", "localhost", "[::ffff:127.0.0.1]", "0.0.0.0", "[::1]", "[::]", "[64:ff9b::7f00:1]", "127.0.0.2"} {
		rawURL := fmt.Sprintf("http://%s:%d/feed.xml", host, port)
		if err := fetch(public, rawURL); !errors.Is(err, pull.ErrAddressNotAllowed) {
			t.Errorf("%s: %v, want ErrAddressNotAllowed", rawURL, err)
		}
	}
	// Numeric forms the resolver may or may not read as 127.0.0.1: either
	// way, no connection.
	for _, host := range []string{"127.1", "2130706433", "0x7f.1"} {
		if err := fetch(public, fmt.Sprintf("http://%s:%d/feed.xml", host, port)); err == nil {
			t.Errorf("%s: fetched", host)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("the server got %d requests through the public-only fetcher", n)
	}
	if err := fetch(pull.NewFetcher(pull.AnyAddress), srv.URL+"/feed.xml"); err != nil || hits.Load() != 1 {
		t.Fatalf("with private addresses allowed: %v, %d requests", err, hits.Load())
	}
}

// TestRedirectsMeetTheSameCheck: a feed host that is allowed cannot
// redirect the fetcher to one that is not; and redirects are capped.
func TestRedirectsMeetTheSameCheck(t *testing.T) {
	inner, innerHits := countingServer(t)
	outer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, inner.URL+"/internal-feed.xml", http.StatusFound)
	}))
	t.Cleanup(outer.Close)
	outerAddr := netip.MustParseAddrPort(outer.Listener.Addr().String())
	// The outer server stands for a public host: only its address is allowed.
	onlyOuter := pull.NewFetcher(func(a netip.AddrPort) bool { return a == outerAddr })
	if err := fetch(onlyOuter, outer.URL+"/feed.xml"); !errors.Is(err, pull.ErrAddressNotAllowed) {
		t.Fatalf("redirect to a forbidden address: %v", err)
	}
	if n := innerHits.Load(); n != 0 {
		t.Fatalf("the redirect target got %d requests", n)
	}

	var loops atomic.Int32
	loop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		loops.Add(1)
		http.Redirect(w, r, fmt.Sprintf("/again/%d", loops.Load()), http.StatusFound)
	}))
	t.Cleanup(loop.Close)
	if err := fetch(pull.NewFetcher(pull.AnyAddress), loop.URL); !errors.Is(err, pull.ErrTooManyRedirects) || loops.Load() != pull.MaxRedirects+1 {
		t.Fatalf("endless redirects: %v after %d requests", err, loops.Load())
	}
}

// TestFailedPullsShowEditorsNoNetworkDetail: what every editor reads in
// lastError says what went wrong with the feed, never which address or
// port answered how.
func TestFailedPullsShowEditorsNoNetworkDetail(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fs := newFeedServer(t)
		e := newEnv(t, db, fs.URL+"/feed.xml")
		fs.serve(feedOf("a"), http.StatusOK)
		closed := httptest.NewServer(http.NotFoundHandler())
		closedURL := closed.URL + "/feed.xml"
		closed.Close() // nothing listens there any more
		cases := []struct {
			name    string
			fetcher *pull.Fetcher
			feedURL string
			want    string
		}{
			{"loopback feed", pull.NewFetcher(pull.PublicOnly), fs.URL + "/feed.xml", "could not fetch the feed: address not allowed"},
			{"closed port", pull.NewFetcher(pull.AnyAddress), closedURL, "could not fetch the feed: connection failed"},
			{"missing feed", pull.NewFetcher(pull.AnyAddress), fs.URL + "/feed.xml", "could not fetch the feed: HTTP 404"},
		}
		for _, c := range cases {
			if c.name == "missing feed" {
				fs.serve("", http.StatusNotFound)
			}
			im := importer(e)
			im.Fetcher = c.fetcher
			src := e.source(t)
			src.FeedURL = c.feedURL
			_, err := im.Pull(operator, src, "", e.svc.Now())
			if err == nil {
				t.Fatalf("%s: the pull succeeded", c.name)
			}
			got := e.source(t).State.LastError
			if got != c.want {
				t.Errorf("%s: lastError %q, want %q (the error itself: %v)", c.name, got, c.want, err)
			}
			u, _ := url.Parse(c.feedURL)
			if strings.Contains(got, u.Port()) || strings.Contains(got, "127.0.0.1") {
				t.Errorf("%s: lastError %q names the address", c.name, got)
			}
		}
	})
}

// TestFetchStopsAtMaxBytes: a feed over the limit fails as too large,
// one of exactly the limit is read.
func TestFetchStopsAtMaxBytes(t *testing.T) {
	const max = 1 << 20
	size := atomic.Int64{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(w, io.LimitReader(zeros{}, size.Load()))
	}))
	t.Cleanup(srv.Close)
	f := pull.NewFetcher(pull.AnyAddress)
	f.MaxBytes = max
	for _, n := range []int64{max, max + 1, 8 * max} {
		size.Store(n)
		resp, err := f.Fetch(operator, srv.URL, "", "")
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		var tooLarge *pull.TooLargeError
		if n <= max && (err != nil || got != n) {
			t.Fatalf("%d bytes: read %d, %v", n, got, err)
		}
		if n > max && (!errors.As(err, &tooLarge) || got != max) {
			t.Fatalf("%d bytes: read %d, %v; want a TooLargeError after %d", n, got, err, max)
		}
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestPullHoldsOneJobAtATime pulls a 48 MiB feed whose jobs carry data no
// vacancy keeps: the heap must grow far less than the feed is large, as
// it cannot when the body is read whole before it is parsed.
func TestPullHoldsOneJobAtATime(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		padding := strings.Repeat("x", 512<<10)
		var peak atomic.Uint64
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.WriteString(w, `<?xml version="1.0"?><source>`)
			for i := range 96 {
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				peak.Store(max(peak.Load(), ms.HeapAlloc))
				_, _ = io.WriteString(w, strings.Replace(job(fmt.Sprint(i), "Office manager"), "</job>", "<tracking>"+padding+"</tracking></job>", 1))
			}
			_, _ = io.WriteString(w, `</source>`)
		}))
		t.Cleanup(srv.Close)
		e := newEnv(t, db, srv.URL+"/feed.xml")
		im := importer(e)
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		base := ms.HeapAlloc
		res, err := im.Pull(operator, e.source(t), "", e.svc.Now())
		if err != nil || res.Total.Created != 96 {
			t.Fatalf("pull: %+v %v", res.Total, err)
		}
		grew := int64(peak.Load()) - int64(base)
		t.Logf("the heap grew by at most %.1f MiB while the 48 MiB feed was read", float64(grew)/(1<<20))
		if grew > 16<<20 {
			t.Fatalf("the heap grew by %d MiB while a 48 MiB feed was read; want under 16", grew>>20)
		}
	})
}
