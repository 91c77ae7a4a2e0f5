// Package telemetry is how Werkwijzer is watched in production: Prometheus
// metrics on a registry of its own (HTTP requests, GraphQL operations, the
// answer cache, the database pool, vacancy syncs and feed pulls, the Go
// runtime and the process) and optional OpenTelemetry traces (a span per
// request, per GraphQL operation and per database statement), with the
// trace id in the log lines.
//
// A nil *Telemetry is valid and records nothing, so tests and commands
// that do not serve need no wiring.
package telemetry

import (
	"crypto/subtle"
	"database/sql"
	"maps"
	"net/http"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// DefaultMaxOperationNames is how many distinct GraphQL operation names
// get a label value of their own; later names are counted as "other".
const DefaultMaxOperationNames = 200

// Config says what to record.
type Config struct {
	// Tracer, when set, traces requests, operations and statements; nil
	// traces nothing and costs nothing on the request path.
	Tracer trace.TracerProvider
	// MaxOperationNames bounds the operation label (0:
	// DefaultMaxOperationNames).
	MaxOperationNames int
}

// Telemetry holds the metrics and the tracer of one serving process.
type Telemetry struct {
	// Registry holds every metric; /metrics serves it. It is not the
	// global default registry, so two servers in one test process never
	// share counters.
	Registry *prometheus.Registry

	tracer     trace.Tracer // nil: tracing off
	propagator propagation.TextMapPropagator
	names      *nameSet

	httpDuration *prometheus.HistogramVec
	gqlDuration  *prometheus.HistogramVec
	gqlErrors    *prometheus.CounterVec
	syncCalls    *prometheus.CounterVec
	syncItems    *prometheus.CounterVec
	feedPulls    *prometheus.CounterVec
}

// New returns the telemetry with the Go runtime and process collectors
// registered.
func New(cfg Config) *Telemetry {
	reg := prometheus.NewRegistry()
	t := &Telemetry{
		Registry:   reg,
		propagator: propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}),
		names:      newNameSet(cfg.MaxOperationNames),
		httpDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "werkwijzer_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route (the pattern it matched), method and status code.",
			Buckets: latencyBuckets,
		}, []string{"route", "method", "code"}),
		gqlDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "werkwijzer_graphql_operation_duration_seconds",
			Help:    "Time to execute a GraphQL operation, by operation name and type; answers served from the answer cache never get here.",
			Buckets: latencyBuckets,
		}, []string{"operation", "type"}),
		gqlErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "werkwijzer_graphql_errors_total",
			Help: "GraphQL errors returned, by operation name and type and by extensions.code; type is \"unknown\" for requests refused before an operation ran (parse, validation, persisted query not found).",
		}, []string{"operation", "type", "code"}),
		syncCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "werkwijzer_vacancy_syncs_total",
			Help: "Committed vacancy sync calls (pushed or pulled; dry runs and replays not counted), by source name.",
		}, []string{"source"}),
		syncItems: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "werkwijzer_vacancy_sync_items_total",
			Help: "What committed vacancy syncs did, by source name and outcome (created, updated, unchanged, reopened, closed, expired, stale, rejected).",
		}, []string{"source", "outcome"}),
		feedPulls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "werkwijzer_vacancy_feed_pulls_total",
			Help: "Feed pulls of vacancy sources, by source name and result (imported, not_modified, failed).",
		}, []string{"source", "result"}),
	}
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		t.httpDuration, t.gqlDuration, t.gqlErrors, t.syncCalls, t.syncItems, t.feedPulls,
	)
	if cfg.Tracer != nil {
		t.tracer = cfg.Tracer.Tracer("github.com/werkwijzer/werkwijzer")
	}
	return t
}

// latencyBuckets span a cached answer (a millisecond) to a mutation near
// its 25-second deadline.
var latencyBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 25}

// Tracing reports whether spans are recorded.
func (t *Telemetry) Tracing() bool { return t != nil && t.tracer != nil }

// ObserveDB adds the connection pool's statistics (open, in use, idle,
// waits and time waited) as go_sql_* metrics labelled db_name=name.
func (t *Telemetry) ObserveDB(db *sql.DB, name string) {
	if t == nil {
		return
	}
	t.Registry.MustRegister(collectors.NewDBStatsCollector(db, name))
}

// ObserveAnswerCache adds the answer cache's hits and misses, read from
// stats when scraped.
func (t *Telemetry) ObserveAnswerCache(stats func() (hits, misses uint64)) {
	t.observeLookups("werkwijzer_answer_cache_requests_total",
		"Anonymous GraphQL requests looked up in the answer cache, by result (hit or miss).", nil, stats)
}

// ObserveCache adds the hits and misses of an in-process cache of what
// answers are built from: cache is "entity" (published entries and slug
// lookups) or "vacancy_list" (role pages' vacancy lists and counts).
func (t *Telemetry) ObserveCache(cache string, stats func() (hits, misses uint64)) {
	t.observeLookups("werkwijzer_cache_lookups_total",
		"Lookups in the caches answers are built from (cache entity or vacancy_list), by result (hit or miss).",
		prometheus.Labels{"cache": cache}, stats)
}

// observeLookups registers name{labels, result="hit"|"miss"}, read from
// stats when scraped.
func (t *Telemetry) observeLookups(name, help string, labels prometheus.Labels, stats func() (hits, misses uint64)) {
	if t == nil || stats == nil {
		return
	}
	with := func(result string) prometheus.Labels {
		l := prometheus.Labels{"result": result}
		maps.Copy(l, labels)
		return l
	}
	t.Registry.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help, ConstLabels: with("hit")},
			func() float64 { h, _ := stats(); return float64(h) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help, ConstLabels: with("miss")},
			func() float64 { _, m := stats(); return float64(m) }),
	)
}

// Handler serves the metrics in the Prometheus text format. With a token,
// only requests with "Authorization: Bearer <token>" get them; the
// others get 401.
func (t *Telemetry) Handler(token string) http.Handler {
	metrics := promhttp.HandlerFor(t.Registry, promhttp.HandlerOpts{})
	if token == "" {
		return metrics
	}
	want := []byte(token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(got), want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			w.Header().Set("Cache-Control", "no-store")
			http.Error(w, "send the metrics token: Authorization: Bearer <WERKWIJZER_METRICS_TOKEN>", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		metrics.ServeHTTP(w, r)
	})
}
