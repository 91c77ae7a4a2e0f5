package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/telemetry"
)

// minMetricsToken keeps the metrics token from being guessable.
const minMetricsToken = 16

// startTelemetry sets up the serving process's metrics and, when an OTLP
// endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT), its tracing: spans
// for requests, operations and database statements. stop flushes the last
// spans.
func (e *env) startTelemetry(ctx context.Context) (stop func(context.Context) error, err error) {
	cfg := telemetry.Config{}
	stop = func(context.Context) error { return nil }
	if telemetry.TracingConfigured() {
		tp, err := telemetry.NewTracerProvider(ctx)
		if err != nil {
			return nil, err
		}
		cfg.Tracer, stop = tp, tp.Shutdown
		e.log.Info("tracing on: spans go to the OTLP endpoint over HTTP")
	}
	e.tel = telemetry.New(cfg)
	system := "sqlite"
	if e.db.Dialect == database.Postgres {
		system = "postgresql"
	}
	if err := e.tel.TraceGORM(e.db.Gorm, system); err != nil {
		return nil, errors.Join(err, stop(ctx))
	}
	sqlDB, err := e.db.Gorm.DB()
	if err != nil {
		return nil, errors.Join(err, stop(ctx))
	}
	e.tel.ObserveDB(sqlDB, string(e.db.Dialect))
	return stop, nil
}

// metricsOnMain is the /metrics handler of the main listener: none when
// the metrics have an address of their own (WERKWIJZER_METRICS_ADDR) or
// no token protects them (WERKWIJZER_METRICS_TOKEN), since the main
// listener faces the public and the metrics name routes, operations and
// sources.
func (e *env) metricsOnMain(cfg *Config) (http.Handler, error) {
	if cfg.MetricsToken != "" && len(cfg.MetricsToken) < minMetricsToken {
		return nil, fmt.Errorf("WERKWIJZER_METRICS_TOKEN: want at least %d characters", minMetricsToken)
	}
	if cfg.MetricsAddr != "" || cfg.MetricsToken == "" {
		return nil, nil
	}
	return e.tel.Handler(cfg.MetricsToken), nil
}

// serveMetrics serves /metrics alone on cfg.MetricsAddr, behind the token
// when one is set, until ctx ends; done is closed once it has stopped.
func (e *env) serveMetrics(ctx context.Context, cfg *Config, stdout io.Writer) (done <-chan struct{}, err error) {
	listener, err := net.Listen("tcp", cfg.MetricsAddr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s (WERKWIJZER_METRICS_ADDR): %w", cfg.MetricsAddr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", e.tel.Handler(cfg.MetricsToken))
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		WriteTimeout:      30 * time.Second,
		ErrorLog:          slog.NewLogLogger(e.log.Handler(), slog.LevelWarn),
	}
	fmt.Fprintf(stdout, "  Metrics          http://%s/metrics\n", displayAddr(listener.Addr().String()))
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		if err := srv.Serve(listener); err != nil && !errors.Is(err, http.ErrServerClosed) {
			e.log.Error("metrics listener failed", "error", err)
		}
	}()
	go func() {
		<-ctx.Done()
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdownCtx)
	}()
	return stopped, nil
}
