package app

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is serve's standard output, read while it runs.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var (
	servingOn = regexp.MustCompile(`serving on (http://\S+)`)
	metricsAt = regexp.MustCompile(`Metrics +(http://\S+/metrics)`)
)

// serveForTest runs "werkwijzer serve" on SQLite in a temporary directory
// on free ports until the test ends, and returns its main URL and the
// metrics URL it announces ("" for none).
func serveForTest(t *testing.T, args ...string) (base, metrics string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &lockedBuffer{}
	done := make(chan error, 1)
	all := append([]string{"-addr", "127.0.0.1:0", "-database-url=", "-data-dir", t.TempDir(), "-seed=false",
		"-pull-interval", "0", "-log-level", "error"}, args...)
	go func() { done <- runServe(ctx, all, out, io.Discard) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	wantSeparate := strings.Contains(strings.Join(args, " "), "-metrics-addr")
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); {
		select {
		case err := <-done:
			done <- err
			t.Fatalf("serve stopped: %v\n%s", err, out)
		case <-time.After(20 * time.Millisecond):
		}
		s := out.String()
		if !strings.Contains(s, "Health") || (wantSeparate && !metricsAt.MatchString(s)) {
			continue
		}
		if m := metricsAt.FindStringSubmatch(s); m != nil {
			metrics = m[1]
		}
		return servingOn.FindStringSubmatch(s)[1], metrics
	}
	t.Fatalf("serve did not start:\n%s", out)
	return "", ""
}

func status(t *testing.T, url, token string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

const testMetricsToken = "metrics-token-for-tests"

func TestMetricsAreNotOnTheMainListenerWithoutAToken(t *testing.T) {
	base, metrics := serveForTest(t)
	if metrics != "" {
		t.Fatalf("serve announces metrics at %s", metrics)
	}
	if code, _ := status(t, base+"/metrics", ""); code != http.StatusNotFound {
		t.Fatalf("/metrics on the main listener without a token: %d, want 404", code)
	}
}

func TestMetricsOnTheMainListenerNeedTheToken(t *testing.T) {
	base, metrics := serveForTest(t, "-metrics-token", testMetricsToken)
	if metrics != base+"/metrics" {
		t.Fatalf("metrics announced at %q, want %s/metrics", metrics, base)
	}
	for _, token := range []string{"", "not-the-metrics-token"} {
		if code, body := status(t, metrics, token); code != http.StatusUnauthorized || strings.Contains(body, "go_goroutines") {
			t.Fatalf("token %q: %d", token, code)
		}
	}
	status(t, base+"/healthz", "")
	code, body := status(t, metrics, testMetricsToken)
	if code != http.StatusOK || !strings.Contains(body, `werkwijzer_http_request_duration_seconds_count{code="200",method="GET",route="/healthz"} 1`) {
		t.Fatalf("with the token: %d\n%s", code, body)
	}
}

func TestMetricsAddressServesMetricsAloneAndTheMainListenerNone(t *testing.T) {
	base, metrics := serveForTest(t, "-metrics-addr", "127.0.0.1:0", "-metrics-token", testMetricsToken)
	if metrics == "" || strings.HasPrefix(metrics, base) {
		t.Fatalf("metrics at %q, main listener %s: want a listener of their own", metrics, base)
	}
	if code, _ := status(t, base+"/metrics", testMetricsToken); code != http.StatusNotFound {
		t.Fatalf("/metrics on the main listener: %d, want 404", code)
	}
	if code, _ := status(t, strings.TrimSuffix(metrics, "/metrics")+"/graphql", ""); code != http.StatusNotFound {
		t.Fatalf("/graphql on the metrics listener: %d, want 404", code)
	}
	if code, _ := status(t, metrics, ""); code != http.StatusUnauthorized {
		t.Fatalf("the token also guards the metrics listener: %d", code)
	}
	status(t, base+"/healthz", "")
	if code, body := status(t, metrics, testMetricsToken); code != http.StatusOK || !strings.Contains(body, `route="/healthz"`) {
		t.Fatalf("metrics listener: %d\n%s", code, body)
	}
}

func TestMetricsAddressWithoutTokenIsOpen(t *testing.T) {
	_, metrics := serveForTest(t, "-metrics-addr", "127.0.0.1:0")
	if code, body := status(t, metrics, ""); code != http.StatusOK || !strings.Contains(body, "go_sql_open_connections") {
		t.Fatalf("metrics listener: %d\n%s", code, body)
	}
}

func TestShortMetricsTokenIsRefused(t *testing.T) {
	err := runServe(context.Background(), []string{"-addr", "127.0.0.1:0", "-database-url=", "-data-dir", t.TempDir(),
		"-seed=false", "-log-level", "error", "-metrics-token", "short"}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "WERKWIJZER_METRICS_TOKEN") {
		t.Fatalf("serve with a 5-character token: %v", err)
	}
}

// TestCacheLookupsAreMetrics: serve counts the entity cache's hits and
// misses and the vacancy-list cache's, beside the answer cache's.
func TestCacheLookupsAreMetrics(t *testing.T) {
	base, metrics := serveForTest(t, "-metrics-addr", "127.0.0.1:0", "-answer-cache", "0")
	query := `{"query":"{ role(slug: \"nobody\", locale: \"nl\") { id } }"}`
	for range 2 {
		resp, err := http.Post(base+"/graphql", "application/json", strings.NewReader(query))
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
	}
	_, body := status(t, metrics, "")
	for _, want := range []string{
		`werkwijzer_cache_lookups_total{cache="entity",result="hit"} 1`,
		`werkwijzer_cache_lookups_total{cache="entity",result="miss"} 1`,
		`werkwijzer_cache_lookups_total{cache="vacancy_list",result="hit"} 0`,
		`werkwijzer_cache_lookups_total{cache="vacancy_list",result="miss"} 0`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s:\n%s", want, grepLines(body, "werkwijzer_cache_lookups_total"))
		}
	}
}

func grepLines(text, substr string) string {
	var out []string
	for line := range strings.SplitSeq(text, "\n") {
		if strings.Contains(line, substr) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}
