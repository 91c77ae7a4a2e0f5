package httpserver_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/answercache"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/httpserver"
	"github.com/werkwijzer/werkwijzer/internal/loadtest"
	"github.com/werkwijzer/werkwijzer/internal/store"
	"github.com/werkwijzer/werkwijzer/internal/telemetry"
	"github.com/werkwijzer/werkwijzer/internal/testserver"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
)

// newTelemetryAPI is the vacancy API (content, vacancies, tokens) with the
// telemetry wired as serve wires it: the middleware, the GraphQL
// extension, /metrics on the router, the vacancy sync observer.
func newTelemetryAPI(t testing.TB, db *database.DB, tel *telemetry.Telemetry, configure func(*httpserver.Config)) *vacancyAPI {
	t.Helper()
	va := &vacancyAPI{vacancies: vacancy.NewService(store.NewVacancies(db.Gorm), vacancy.Config{Synced: tel.VacancySynced})}
	keys, err := account.NewKeyRing([]byte(testserver.KeySecret))
	if err != nil {
		t.Fatal(err)
	}
	if va.clients, err = account.NewClients(store.NewVacancies(db.Gorm), account.ClientConfig{Keys: keys}); err != nil {
		t.Fatal(err)
	}
	va.api = newAPIWith(t, db, func(c *httpserver.Config) {
		c.Vacancies, c.Clients = va.vacancies, va.clients
		c.Telemetry, c.Metrics = tel, tel.Handler("")
		if configure != nil {
			configure(c)
		}
	})
	return va
}

// metrics is a scrape of /metrics: each sample line's series ("name{labels}"
// with labels as Prometheus writes them, sorted) and its value.
type metrics map[string]float64

func scrape(t testing.TB, h http.Handler) (metrics, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain") {
		t.Fatalf("/metrics: %d %s\n%s", rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
	}
	m := metrics{}
	sc := bufio.NewScanner(bytes.NewReader(rec.Body.Bytes()))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("unparsable sample %q", line)
		}
		m[line[:i]] = v
	}
	return m, rec.Body.String()
}

// get returns a series' value, failing the test when it is absent.
func (m metrics) get(t testing.TB, series string) float64 {
	t.Helper()
	v, ok := m[series]
	if !ok {
		t.Fatalf("no series %s", series)
	}
	return v
}

// labelValues lists the values label takes in the series of name.
func (m metrics) labelValues(name, label string) map[string]float64 {
	out := map[string]float64{}
	for series, v := range m {
		if !strings.HasPrefix(series, name+"{") {
			continue
		}
		for _, pair := range strings.Split(strings.Trim(series[len(name):], "{}"), ",") {
			if k, val, _ := strings.Cut(pair, "="); k == label {
				out[strings.Trim(val, `"`)] += v
			}
		}
	}
	return out
}

const rolesQuery = `query Roles { roles(first: 2) { edges { node { slug } } } }`

func TestMetricsShowRequestsOperationsErrorsCacheAndPool(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		tel := telemetry.New(telemetry.Config{})
		cache := answercache.New(1 << 20)
		tel.ObserveAnswerCache(cache.Stats)
		sqlDB, err := db.Gorm.DB()
		if err != nil {
			t.Fatal(err)
		}
		tel.ObserveDB(sqlDB, string(db.Dialect))
		va := newTelemetryAPI(t, db, tel, func(c *httpserver.Config) { c.AnswerCache = cache })

		va.post(rolesQuery, nil).ok(t, new(any)) // executed, stored
		va.post(rolesQuery, nil).ok(t, new(any)) // from the answer cache
		if code := va.post(`query BadLocale { roles(locale: "xx", first: 1) { totalCount } }`, nil).code(t); code != "BAD_USER_INPUT" {
			t.Fatalf("BadLocale: code %s", code)
		}
		if code := va.post(`query Broken { noSuchField }`, nil).code(t); code != "GRAPHQL_VALIDATION_FAILED" {
			t.Fatalf("Broken: code %s", code)
		}
		// A request that claims the name of an operation that ran is
		// counted under it; one that claims another, under "other".
		for _, name := range []string{"Roles", "Invented"} {
			body, _ := json.Marshal(map[string]any{"query": "query " + name + " { nope }", "operationName": name})
			req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			if code := va.do(req).code(t); code != "GRAPHQL_VALIDATION_FAILED" {
				t.Fatalf("%s: code %s", name, code)
			}
		}
		rec := httptest.NewRecorder()
		va.handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
		rec = httptest.NewRecorder()
		va.handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/no/such/page/123", nil))
		src := va.createSource(t, "devries")
		token := va.token(t, src)
		push := map[string]any{"mode": "UPSERT", "idempotencyKey": "push-1", "items": []any{
			vacancyInput("v1", "office-manager"), vacancyInput("v2", "office-manager"),
		}}
		va.sync(t, token, push)
		va.sync(t, token, push) // a replay: nothing new happened
		push["idempotencyKey"], push["dryRun"] = "push-2", true
		va.sync(t, token, push) // a dry run: nothing was stored

		m, text := scrape(t, va.handler)
		if n := m.get(t, `werkwijzer_http_request_duration_seconds_count{code="200",method="POST",route="/graphql"}`); n != 9 {
			t.Errorf("POST /graphql answered 200: %v, want 9 (two Roles, BadLocale, three refused, three syncs)", n)
		}
		m.get(t, `werkwijzer_http_request_duration_seconds_bucket{code="200",method="GET",route="/healthz",le="0.1"}`)
		m.get(t, `werkwijzer_http_request_duration_seconds_count{code="404",method="GET",route="unmatched"}`)
		if n := m.get(t, `werkwijzer_graphql_operation_duration_seconds_count{operation="Roles",type="query"}`); n != 1 {
			t.Errorf("Roles ran %v times, want 1: the second answer came from the cache", n)
		}
		if n := m.get(t, `werkwijzer_graphql_errors_total{code="BAD_USER_INPUT",operation="BadLocale",type="query"}`); n != 1 {
			t.Errorf("BadLocale errors: %v", n)
		}
		if n := m.labelValues("werkwijzer_graphql_errors_total", "code")["BAD_USER_INPUT"]; n != 1 {
			t.Errorf("BAD_USER_INPUT counted %v times in all, want once", n)
		}
		for op, want := range map[string]float64{"unknown": 1, "Roles": 1, "other": 1} {
			if n := m.get(t, `werkwijzer_graphql_errors_total{code="GRAPHQL_VALIDATION_FAILED",operation="`+op+`",type="unknown"}`); n != want {
				t.Errorf("refused requests counted under %s: %v", op, n)
			}
		}
		if hit, miss := m.get(t, `werkwijzer_answer_cache_requests_total{result="hit"}`), m.get(t, `werkwijzer_answer_cache_requests_total{result="miss"}`); hit != 1 || miss < 1 {
			t.Errorf("answer cache: %v hits, %v misses", hit, miss)
		}
		if n := m.get(t, `werkwijzer_graphql_operation_duration_seconds_count{operation="Sync",type="mutation"}`); n != 3 {
			t.Errorf("Sync ran %v times", n)
		}
		if n := m.get(t, `werkwijzer_vacancy_sync_items_total{outcome="created",source="devries"}`); n != 2 {
			t.Errorf("created by the sync: %v", n)
		}
		m.get(t, `werkwijzer_vacancy_sync_items_total{outcome="rejected",source="devries"}`)
		if n := m.get(t, `werkwijzer_vacancy_syncs_total{source="devries"}`); n != 1 {
			t.Errorf("syncs: %v", n)
		}
		dbName := fmt.Sprintf(`{db_name="%s"}`, db.Dialect)
		if n := m.get(t, "go_sql_open_connections"+dbName); n < 1 {
			t.Errorf("open connections: %v", n)
		}
		m.get(t, "go_sql_in_use_connections"+dbName)
		m.get(t, "go_sql_wait_count_total"+dbName)
		m.get(t, "go_goroutines")
		m.get(t, "process_resident_memory_bytes")
		for _, leak := range []string{"noSuchField", "Invented", "edges", "xx", "v1", "/no/such/page"} {
			if strings.Contains(text, leak) {
				t.Errorf("/metrics shows request text %q", leak)
			}
		}
	})
}

// TestOperationLabelsStayBounded sends 1000 differently named operations:
// the operation label takes at most DefaultMaxOperationNames values of
// their own, and the rest are counted, as "other".
func TestOperationLabelsStayBounded(t *testing.T) {
	tel := telemetry.New(telemetry.Config{})
	va := newTelemetryAPI(t, dbtest.SQLite(t), tel, nil)
	const sent = 1000
	for i := range sent {
		va.post(fmt.Sprintf("query Op%d { __typename }", i), nil).ok(t, new(any))
	}
	m, _ := scrape(t, va.handler)
	names := m.labelValues("werkwijzer_graphql_operation_duration_seconds_count", "operation")
	if len(names) != telemetry.DefaultMaxOperationNames+1 {
		t.Fatalf("%d operation label values, want %d names and other", len(names), telemetry.DefaultMaxOperationNames)
	}
	if names["other"] != sent-telemetry.DefaultMaxOperationNames || names["Op0"] != 1 {
		t.Fatalf("other counted %v operations, Op0 %v", names["other"], names["Op0"])
	}
	total := 0.0
	for _, n := range names {
		total += n
	}
	if total != sent {
		t.Fatalf("%v operations counted, %d sent", total, sent)
	}
}

// logBuffer collects log lines written concurrently.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) lines(t testing.TB) []map[string]any {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	for line := range strings.SplitSeq(strings.TrimSpace(b.buf.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

func TestTracingNestsRequestOperationAndStatements(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		spans := tracetest.NewSpanRecorder()
		tel := telemetry.New(telemetry.Config{Tracer: sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))})
		if err := tel.TraceGORM(db.Gorm, string(db.Dialect)); err != nil {
			t.Fatal(err)
		}
		logs := &logBuffer{}
		va := newTelemetryAPI(t, db, tel, func(c *httpserver.Config) {
			c.Log = slog.New(telemetry.LogHandler(slog.NewJSONHandler(logs, nil)))
		})
		// The caller's trace goes on: its trace id, our request span a
		// child of its span.
		const callerTrace, callerSpan = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
		va.post(rolesQuery, nil, "traceparent", "00-"+callerTrace+"-"+callerSpan+"-01").ok(t, new(any))

		request, operation, statements := splitSpans(spans.Ended())
		if request == nil || operation == nil || len(statements) == 0 {
			t.Fatalf("spans %v: want a request, an operation and statements", names(spans.Ended()))
		}
		if request.Name() != "POST /graphql" || operation.Name() != "graphql.query Roles" {
			t.Errorf("span names %q, %q", request.Name(), operation.Name())
		}
		if request.SpanContext().TraceID().String() != callerTrace || request.Parent().SpanID().String() != callerSpan {
			t.Errorf("request span %s under %s: the caller's traceparent was not continued", request.SpanContext().TraceID(), request.Parent().SpanID())
		}
		if operation.Parent().SpanID() != request.SpanContext().SpanID() {
			t.Errorf("the operation span is not the request span's child")
		}
		checkStatementSpans(t, statements, operation)

		access := accessLogLine(logs.lines(t))
		if access == nil || access["trace_id"] != callerTrace || access["span_id"] != request.SpanContext().SpanID().String() {
			t.Fatalf("the access log line does not name the request's trace and span: %v", access)
		}
	})
}

// splitSpans sorts ended spans into the server request span, the GraphQL
// operation span and the database statement spans.
func splitSpans(ended []sdktrace.ReadOnlySpan) (request, operation sdktrace.ReadOnlySpan, statements []sdktrace.ReadOnlySpan) {
	for _, s := range ended {
		switch {
		case s.SpanKind() == trace.SpanKindServer:
			request = s
		case strings.HasPrefix(s.Name(), "graphql."):
			operation = s
		case s.SpanKind() == trace.SpanKindClient:
			statements = append(statements, s)
		}
	}
	return request, operation, statements
}

// checkStatementSpans checks every statement span is a SELECT and a child
// of the operation span.
func checkStatementSpans(t *testing.T, statements []sdktrace.ReadOnlySpan, operation sdktrace.ReadOnlySpan) {
	t.Helper()
	for _, s := range statements {
		if s.Parent().SpanID() != operation.SpanContext().SpanID() {
			t.Errorf("statement span %q is not the operation span's child", s.Name())
		}
		if !strings.HasPrefix(s.Name(), "SELECT") {
			t.Errorf("statement span named %q", s.Name())
		}
	}
}

// accessLogLine is the last access log line of lines, or nil.
func accessLogLine(lines []map[string]any) map[string]any {
	var access map[string]any
	for _, l := range lines {
		if l["msg"] == "request" {
			access = l
		}
	}
	return access
}

func names(spans []sdktrace.ReadOnlySpan) []string {
	out := make([]string, len(spans))
	for i, s := range spans {
		out[i] = s.Name()
	}
	return out
}

func TestMetricsTokenGuardsMetrics(t *testing.T) {
	tel := telemetry.New(telemetry.Config{})
	const token = "metrics-token-0123456789"
	h := tel.Handler(token)
	for header, want := range map[string]int{
		"":                             http.StatusUnauthorized,
		"Bearer wrong-token-012345678": http.StatusUnauthorized,
		"Basic " + token:               http.StatusUnauthorized,
		"Bearer " + token:              http.StatusOK,
	} {
		req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
		if header != "" {
			req.Header.Set("Authorization", header)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != want {
			t.Errorf("Authorization %q: %d, want %d", header, rec.Code, want)
		}
		if want == http.StatusOK && !strings.Contains(rec.Body.String(), "go_goroutines") {
			t.Errorf("no metrics with the right token")
		}
		if want == http.StatusUnauthorized && (strings.Contains(rec.Body.String(), "go_goroutines") || rec.Header().Get("WWW-Authenticate") == "") {
			t.Errorf("Authorization %q: metrics shown, or no challenge", header)
		}
	}
}

// BenchmarkRolePageInstrumented is BenchmarkRolePage with the telemetry
// wired as serve wires it: "metrics" with tracing off (the default),
// "tracing" with every span sampled and dropped (the cost of making
// spans, without an exporter's).
func BenchmarkRolePageInstrumented(b *testing.B) {
	for _, mode := range []string{"metrics", "tracing"} {
		for name, open := range map[string]func(testing.TB) *database.DB{"sqlite": dbtest.SQLite, "postgres": dbtest.Postgres} {
			b.Run(mode+"/"+name, func(b *testing.B) {
				db := open(b)
				cfg := telemetry.Config{}
				if mode == "tracing" {
					cfg.Tracer = sdktrace.NewTracerProvider()
				}
				tel := telemetry.New(cfg)
				if err := tel.TraceGORM(db.Gorm, string(db.Dialect)); err != nil {
					b.Fatal(err)
				}
				va := newTelemetryAPI(b, db, tel, nil)
				fillRolePage(b, va, benchRole, 10)
				benchPOST(b, va.handler, loadtest.RolePageQuery, map[string]any{"slug": benchRole, "locale": "nl"})
			})
		}
	}
}
