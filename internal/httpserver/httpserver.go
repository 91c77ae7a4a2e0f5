// Package httpserver is Werkwijzer's HTTP front: the routes (/graphql,
// /oauth/token, /playground, /schema.graphql, /admin, /healthz, /readyz,
// /metrics when asked) and the middleware every request passes (panic
// recovery, request ids, metrics and traces, access log, body limits,
// per-request dataloaders, cache headers).
package httpserver

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/werkwijzer/werkwijzer/admin"
	"github.com/werkwijzer/werkwijzer/graph"
	"github.com/werkwijzer/werkwijzer/graph/loaders"
	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/answercache"
	"github.com/werkwijzer/werkwijzer/internal/content"
	"github.com/werkwijzer/werkwijzer/internal/telemetry"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
	"github.com/werkwijzer/werkwijzer/internal/webhook"
)

// Config is what the router needs.
type Config struct {
	Content  *content.Service
	Accounts *account.Service
	// Vacancies and Clients serve vacancy sources: syncVacancies with a
	// source's token from /oauth/token, and the vacancy queries.
	Vacancies  *vacancy.Service
	Clients    *account.Clients
	Ready      func(context.Context) error // database reachable
	Playground bool
	Limits     graph.Limits
	// PublicMaxAge is how long shared caches may keep anonymous GET
	// answers of /graphql.
	PublicMaxAge time.Duration
	// AnswerCache keeps anonymous query answers; nil keeps none.
	AnswerCache *answercache.Cache
	// PersistedQueries shares automatic persisted queries between
	// replicas; nil keeps them per process.
	PersistedQueries graph.PersistedQueryStore
	// TrustedProxies are the load balancers whose X-Forwarded-For is
	// believed.
	TrustedProxies []netip.Prefix
	// CORSOrigins may call /graphql from browsers; empty or "*" is any.
	CORSOrigins []string
	// CORSHeaders are the request headers those origins may send; empty
	// is DefaultCORSHeaders.
	CORSHeaders []string
	Log         *slog.Logger
	// Telemetry times requests and GraphQL operations and traces them;
	// nil records nothing.
	Telemetry *telemetry.Telemetry
	// Metrics, when set, is served at GET /metrics (the caller decides
	// whether the main listener serves it and behind what token).
	Metrics http.Handler
	// Webhooks manages the publish webhooks; nil answers their fields
	// with an error.
	Webhooks *webhook.Service
}

// maxBodyBytes bounds a GraphQL request body; gqlgen reads it whole.
const maxBodyBytes = 1 << 20

// New returns the root handler.
func New(cfg Config) http.Handler {
	gql := graph.NewHandler(&graph.Resolver{Content: cfg.Content, Accounts: cfg.Accounts, VacancyService: cfg.Vacancies,
		PersistedQueries: cfg.PersistedQueries, Webhooks: cfg.Webhooks}, cfg.Limits, cfg.Log, cfg.Telemetry.GraphQL())

	mux := http.NewServeMux()
	var api http.Handler = loaders.Middleware(cfg.Content, cfg.Accounts, gql)
	api = loaders.VacancyMiddleware(cfg.Vacancies, api)
	api = limitGraphQLBody(api)
	api = authenticate(cfg.Accounts, cfg.Clients, cfg.Log, api)
	api = clientAddress(cfg.TrustedProxies, api)
	api = publicCache(cfg.PublicMaxAge, cfg.AnswerCache, cfg.Content.Locales(), api)
	api = cors(cfg.CORSOrigins, cfg.CORSHeaders, api)
	mux.Handle("/graphql", api)
	if cfg.Clients != nil {
		mux.Handle("/oauth/token", tokenEndpoint(cfg.Clients, cfg.TrustedProxies, cfg.Log))
	}
	mux.HandleFunc("GET /schema.graphql", serveSchema)
	if cfg.Metrics != nil {
		mux.Handle("GET /metrics", cfg.Metrics)
	}
	if cfg.Playground {
		servePlayground(mux)
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if err := cfg.Ready(ctx); err != nil {
			cfg.Log.WarnContext(ctx, "readiness check failed", "error", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("database unreachable\n"))
			return
		}
		_, _ = w.Write([]byte("ready\n"))
	})
	static, err := fs.Sub(admin.FS, "static")
	if err != nil {
		panic(err) // the embed pattern guarantees the directory exists
	}
	mux.Handle("GET /admin/", adminHeaders(http.StripPrefix("/admin/", http.FileServerFS(static))))
	mux.Handle("GET /admin", http.RedirectHandler("/admin/", http.StatusMovedPermanently))
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/admin/", http.StatusFound)
	})

	var h http.Handler = mux
	h = limitBody(h)
	h = accessLog(cfg.Log, h)
	h = recoverPanics(cfg.Log, h)
	// Inside the request id (it copies the request) and outside the
	// access log (whose lines get the trace id); nothing between it and
	// the router copies the request, so it learns the matched route.
	h = cfg.Telemetry.Middleware(h)
	h = requestID(h)
	h = noSniff(h)
	return h
}

// noSniff tells browsers to take every answer for the type it declares:
// a GraphQL answer that echoes user text must never be sniffed into HTML
// or script.
func noSniff(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		next.ServeHTTP(w, r)
	})
}

func serveSchema(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write([]byte(graph.SDL()))
}

type requestIDKey struct{}

// requestID tags each request with an id, taken from X-Request-Id when a
// proxy set a sane one, so log lines of one request can be found together.
func requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if id == "" || len(id) > 64 {
			b := make([]byte, 8)
			_, _ = rand.Read(b)
			id = hex.EncodeToString(b)
		}
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id)))
	})
}

// RequestID returns the request's id, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

func recoverPanics(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				log.ErrorContext(r.Context(), "panic serving request", "panic", p, "path", r.URL.Path, "request_id", RequestID(r.Context()))
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}

func accessLog(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		log.InfoContext(r.Context(), "request",
			"method", r.Method, "path", r.URL.Path, "status", rec.status, "bytes", rec.bytes,
			"duration_ms", float64(time.Since(start).Microseconds())/1000, "request_id", RequestID(r.Context()))
	})
}

func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/graphql" { // limitGraphQLBody, once it knows who calls
			r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
		}
		next.ServeHTTP(w, r)
	})
}

// maxSyncBodyBytes bounds a GraphQL request of an authenticated vacancy
// source: a sync call of 1,000 items with long descriptions is far more
// than 1 MiB. Anonymous callers never get more than maxBodyBytes.
const maxSyncBodyBytes = 32 << 20

func limitGraphQLBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := int64(maxBodyBytes)
		if _, ok := account.ClientFrom(r.Context()); ok {
			limit = maxSyncBodyBytes
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

// adminHeaders locks the editors' UI down: scripts and styles only from
// this origin, no framing, no inline script.
func adminHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-cache")
		next.ServeHTTP(w, r)
	})
}
