package telemetry

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// Middleware times every request into werkwijzer_http_request_duration_seconds
// and, with tracing on, wraps it in a server span that continues the
// caller's trace (W3C traceparent). It must wrap the router without any
// handler in between that copies the request: the route label is the
// pattern the ServeMux matched, which it records on the request it gets.
func (t *Telemetry) Middleware(next http.Handler) http.Handler {
	if t == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		var span trace.Span
		if t.tracer != nil {
			ctx := t.propagator.Extract(r.Context(), propagation.HeaderCarrier(r.Header))
			ctx, span = t.tracer.Start(ctx, r.Method, trace.WithSpanKind(trace.SpanKindServer),
				trace.WithAttributes(attribute.String("http.request.method", r.Method), attribute.String("url.path", r.URL.Path)))
			r = r.WithContext(ctx)
		}
		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			// Also after a panic that recovery above re-raised (an aborted
			// handler): the span must end.
			route := routeOf(r)
			status := rec.status
			if status == 0 {
				status = http.StatusOK
			}
			t.httpDuration.WithLabelValues(route, methodLabel(r.Method), statusLabel(status)).Observe(time.Since(start).Seconds())
			if span != nil {
				span.SetName(r.Method + " " + route)
				span.SetAttributes(attribute.String("http.route", route), attribute.Int("http.response.status_code", status))
				if status >= http.StatusInternalServerError {
					span.SetStatus(codes.Error, http.StatusText(status))
				}
				span.End()
			}
		}()
		next.ServeHTTP(rec, r)
	})
}

// routeOf is the pattern the request matched without its method ("GET
// /admin/" is "/admin/"), or "unmatched" for a 404 of the router: never
// the path, whose values are unbounded.
func routeOf(r *http.Request) string {
	p := r.Pattern
	if p == "" {
		return "unmatched"
	}
	if i := strings.IndexByte(p, ' '); i >= 0 {
		p = p[i+1:]
	}
	return p
}

func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "other"
}

// statusLabels spares an allocation per request for the usual codes.
var statusLabels = func() map[int]string {
	m := map[int]string{}
	for _, c := range []int{200, 204, 301, 302, 304, 400, 401, 403, 404, 405, 413, 415, 422, 429, 500, 503} {
		m[c] = strconv.Itoa(c)
	}
	return m
}()

func statusLabel(code int) string {
	if s, ok := statusLabels[code]; ok {
		return s
	}
	if code < 100 || code > 599 {
		return "other"
	}
	return strconv.Itoa(code)
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 && code >= http.StatusOK { // 1xx are interim
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (flushes,
// deadlines).
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }
