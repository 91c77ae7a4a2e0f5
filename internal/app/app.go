// Package app wires Werkwijzer together: configuration, the subcommands
// (serve, migrate, seed), start-up and graceful shutdown. cmd/werkwijzer
// only calls Main.
package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"golang.org/x/net/http/httpguts"

	"github.com/werkwijzer/werkwijzer/graph"
	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/answercache"
	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/content"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/httpserver"
	"github.com/werkwijzer/werkwijzer/internal/locale"
	"github.com/werkwijzer/werkwijzer/internal/seed"
	"github.com/werkwijzer/werkwijzer/internal/store"
	"github.com/werkwijzer/werkwijzer/internal/telemetry"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
	"github.com/werkwijzer/werkwijzer/internal/webhook"
)

const usage = `Werkwijzer: a headless CMS for career content with a GraphQL API.

Usage:
  werkwijzer [serve] [flags]          serve the API (the default command)
  werkwijzer migrate up|down|status [flags]
                                      apply, roll back one, or list migrations
  werkwijzer seed [flags]             load the sample content into an empty database
  werkwijzer user create --email E --role ADMIN|EDITOR|TRANSLATOR [--locales nl,en]
  werkwijzer user password --email E
                                      manage editors' accounts (password from stdin or a prompt)
  werkwijzer source create --name NAME [--kind push|indeed-xml|recruitee|jsonld|personio|greenhouse|lever] [--json]
  werkwijzer source list|update|rotate-secret|disable|enable ...
                                      manage vacancy sources and their OAuth client secrets
  werkwijzer import vacancies --source NAME [FILE|URL] [--dry-run]
                                      import a vacancy feed through the sync engine
  werkwijzer export [--out FILE] [--with-credentials]
                                      write all content, users, sources and open vacancies as JSON
  werkwijzer import content FILE [--dry-run]
                                      restore or merge an export

Run "werkwijzer COMMAND -h" for the flags; every flag has an environment variable.
`

// Main runs the command line and returns the process exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	command := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		command, args = args[0], args[1:]
	}
	var err error
	switch command {
	case "serve":
		err = runServe(ctx, args, stdout, stderr)
	case "migrate":
		err = runMigrate(ctx, args, stdout, stderr)
	case "seed":
		err = runSeed(ctx, args, stdout, stderr)
	case "user":
		err = runUser(ctx, args, stdin, stdout, stderr)
	case "source":
		err = runSource(ctx, args, stdout, stderr)
	case "import":
		err = runImport(ctx, args, stdout, stderr)
	case "export":
		err = runExport(ctx, args, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "unknown command %q\n\n%s", command, usage)
		return 2
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if errors.As(err, new(usageError)) {
		fmt.Fprintf(stderr, "werkwijzer %s: %v\n", command, err)
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "werkwijzer %s: %v\n", command, err)
		return 1
	}
	return 0
}

func newLogger(cfg *Config, w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		return nil, fmt.Errorf("log level %q: want debug, info, warn or error", cfg.LogLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	// Lines logged inside a traced request carry its trace id.
	switch cfg.LogFormat {
	case "text":
		return slog.New(telemetry.LogHandler(slog.NewTextHandler(w, opts))), nil
	case "json":
		return slog.New(telemetry.LogHandler(slog.NewJSONHandler(w, opts))), nil
	}
	return nil, fmt.Errorf("log format %q: want text or json", cfg.LogFormat)
}

// env is what every command that touches the database needs.
type env struct {
	cfg     *Config
	log     *slog.Logger
	db      *database.DB
	content *content.Service
	// keys sign editors' and sources' tokens; set by accountService.
	keys *account.KeyRing
	// answers is the serving process's answer cache (nil: none), and
	// replicas invalidates it here and on the other replicas.
	answers  *answercache.Cache
	replicas *answercache.Replicas
	// vacancyLists caches the role pages' vacancy reads (nil: none);
	// replicas invalidates it too.
	vacancyLists *vacancy.ListCache
	// tel is the serving process's metrics and tracing (nil: none).
	tel *telemetry.Telemetry
	// webhooks records and delivers the publish webhooks' events;
	// countDelivery counts delivery attempts in serve's metrics.
	webhooks      *webhook.Service
	webhookStore  *store.Webhooks
	countDelivery func(result string)
}

func open(ctx context.Context, cfg *Config, stderr io.Writer) (*env, error) {
	log, err := newLogger(cfg, stderr)
	if err != nil {
		return nil, err
	}
	codes, err := locale.ParseList(cfg.Locales)
	if err != nil {
		return nil, fmt.Errorf("WERKWIJZER_LOCALES: %w", err)
	}
	locales, err := locale.NewSet(codes)
	if err != nil {
		return nil, fmt.Errorf("WERKWIJZER_LOCALES: %w", err)
	}
	seo, err := cfg.seo()
	if err != nil {
		return nil, err
	}
	db, err := database.Open(ctx, database.Config{URL: cfg.DatabaseURL, DataDir: cfg.DataDir, MaxOpenConns: cfg.DBMaxConns, Logger: log})
	if err != nil {
		return nil, err
	}
	contentService := content.NewService(store.NewContent(db.Gorm), locales)
	contentService.SetSEO(seo)
	e := &env{
		cfg:     cfg,
		log:     log,
		db:      db,
		content: contentService,
	}
	if err := e.setUpWebhooks(); err != nil {
		_ = db.Close()
		return nil, err
	}
	return e, nil
}

const serveUsage = `Usage:
  werkwijzer [serve] [flags]

Serves the API, the editors' web UI and the health checks.

Flags:
`

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := newCmdline("serve", serveUsage, stderr).parseFlags(args)
	if err != nil {
		return err
	}
	return withDB(ctx, cfg, stderr, func(e *env) error { return e.serve(ctx, stdout) })
}

// serve answers requests until ctx ends, then shuts down gracefully.
func (e *env) serve(ctx context.Context, stdout io.Writer) error {
	cfg := e.cfg
	e.log.Info("database opened", "dialect", e.db.Dialect, "location", e.db.Location)
	stopTelemetry, err := e.startTelemetry(ctx)
	if err != nil {
		return err
	}
	defer e.flushTelemetry(stopTelemetry)
	svc, err := e.buildServices(ctx, cfg)
	if err != nil {
		return err
	}
	handler := e.buildHandler(cfg, svc)
	listener, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	srv := e.httpServer(handler)
	printAddresses(stdout, cfg, listener, svc.metricsOnMain != nil)
	stopMetrics, err := e.startMetricsListener(ctx, cfg, stdout)
	if err != nil {
		_ = listener.Close()
		return err
	}
	defer stopMetrics()
	// The scheduler stops before the database closes (defers run last
	// first), so a pull in progress ends cleanly and releases its lease.
	stopJobs := e.startBackgroundJobs(ctx, cfg, svc)
	defer stopJobs()
	stopWebhooks, err := e.startWebhooks(ctx)
	if err != nil {
		_ = listener.Close()
		return err
	}
	defer stopWebhooks()
	return e.serveUntilDone(ctx, srv, listener)
}

// flushTelemetry sends the spans still buffered, giving up after a while so
// that a dead collector does not hold up the shutdown.
func (e *env) flushTelemetry(stopTelemetry func(context.Context) error) {
	flushCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := stopTelemetry(flushCtx); err != nil {
		e.log.Warn("sending the last spans failed", "error", err)
	}
}

// serveServices are what the HTTP handler and the background jobs of serve
// share.
type serveServices struct {
	metricsOnMain http.Handler
	accounts      *account.Service
	vacancies     *vacancy.Service
	clients       *account.Clients
	proxies       []netip.Prefix
	corsHeaders   []string
}

// buildServices seeds when asked, validates the HTTP settings and wires the
// domain services and their caches, in that order.
func (e *env) buildServices(ctx context.Context, cfg *Config) (*serveServices, error) {
	var svc serveServices
	var err error
	svc.metricsOnMain, err = e.metricsOnMain(cfg)
	if err != nil {
		return nil, err
	}
	if cfg.Seed {
		if err := e.seedIfEmpty(ctx); err != nil {
			return nil, err
		}
	}
	svc.accounts, err = e.accountService(cfg)
	if err != nil {
		return nil, err
	}
	if err := e.warnWithoutUsers(ctx, svc.accounts); err != nil {
		return nil, err
	}
	svc.proxies, err = parsePrefixes(cfg.TrustedProxies)
	if err != nil {
		return nil, fmt.Errorf("WERKWIJZER_TRUSTED_PROXIES: %w", err)
	}
	svc.corsHeaders, err = parseHeaderNames(cfg.CORSHeaders)
	if err != nil {
		return nil, fmt.Errorf("WERKWIJZER_CORS_HEADERS: %w", err)
	}
	e.setUpCaches(ctx, cfg)
	e.content.UseDirectory(svc.accounts)
	svc.vacancies = e.vacancyService()
	svc.vacancies.UseListCache(e.vacancyLists)
	svc.clients, err = e.clientService(cfg)
	if err != nil {
		return nil, err
	}
	return &svc, nil
}

// warnWithoutUsers tells the operator how to create the first account, since
// nobody can sign in to the editors' UI before there is one.
func (e *env) warnWithoutUsers(ctx context.Context, accounts *account.Service) error {
	has, err := accounts.HasUsers(ctx)
	if err != nil {
		return err
	}
	if !has {
		e.log.Warn("no editor accounts exist yet; create the first admin with: " +
			"werkwijzer user create --email you@example.com --role ADMIN" +
			" (with go run: go run ./cmd/werkwijzer user create ...); it asks for a password of at least 12 characters," +
			" or reads it from standard input in a script")
	}
	return nil
}

// setUpCaches creates the answer, entity and vacancy-list caches and, on
// PostgreSQL, keeps them in step with the other replicas until ctx ends.
// The entity cache's setting bounds the entity and vacancy-list caches
// together: entries get three quarters of it, vacancy lists a quarter.
func (e *env) setUpCaches(ctx context.Context, cfg *Config) {
	e.answers = answercache.New(uint64(cfg.AnswerCache))
	if e.answers != nil {
		e.tel.ObserveAnswerCache(e.answers.Stats)
	}
	entities := content.NewEntityCache(uint64(cfg.EntityCache) - uint64(cfg.EntityCache)/4)
	e.content.UseEntityCache(entities)
	e.vacancyLists = vacancy.NewListCache(uint64(cfg.EntityCache) / 4)
	if entities != nil {
		e.tel.ObserveCache("entity", entities.Stats)
		e.tel.ObserveCache("vacancy_list", e.vacancyLists.Stats)
	}
	var notifier answercache.Notifier
	if e.db.Dialect == database.Postgres && (e.answers != nil || entities != nil) {
		notifier = e.db
	}
	e.replicas = answercache.NewReplicas(notifier, e.log, e.answers, entities, e.vacancyLists)
	if notifier != nil {
		// This replica hears of the others' changes; they hear of its.
		go func() { _ = e.db.Listen(ctx, answercache.Channel, e.replicas.Receive, e.log) }()
	}
	e.content.OnChange(func(ctx context.Context, tags []string) { e.replicas.Invalidate(ctx, tags...) })
}

// buildHandler is the API, the editors' UI and the health checks on one
// handler.
func (e *env) buildHandler(cfg *Config, svc *serveServices) http.Handler {
	limits := graph.DefaultLimits
	limits.Introspection = cfg.Introspection
	limits.QueryBudget = cfg.QueryBudget
	return httpserver.New(httpserver.Config{
		Content:          e.content,
		Accounts:         svc.accounts,
		Vacancies:        svc.vacancies,
		Clients:          svc.clients,
		Ready:            e.db.Ping,
		Playground:       cfg.Playground,
		Limits:           limits,
		PublicMaxAge:     cfg.CacheMaxAge,
		AnswerCache:      e.answers,
		PersistedQueries: store.NewPersistedQueries(e.db.Gorm),
		TrustedProxies:   svc.proxies,
		CORSOrigins:      splitList(cfg.CORSOrigins),
		CORSHeaders:      svc.corsHeaders,
		Log:              e.log,
		Telemetry:        e.tel,
		Metrics:          svc.metricsOnMain,
		Webhooks:         e.webhooks,
	})
}

// httpServer bounds how long a client may take, so slow or idle ones cannot
// hold connections forever.
func (e *env) httpServer(handler http.Handler) *http.Server {
	return &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(e.log.Handler(), slog.LevelWarn),
	}
}

// printAddresses tells the operator where each part is served.
func printAddresses(stdout io.Writer, cfg *Config, listener net.Listener, metricsOnMain bool) {
	base := "http://" + displayAddr(listener.Addr().String())
	fmt.Fprintf(stdout, "Werkwijzer is serving on %s\n", base)
	fmt.Fprintf(stdout, "  GraphQL API      %s/graphql\n", base)
	if cfg.Playground {
		fmt.Fprintf(stdout, "  Playground       %s/playground\n", base)
	}
	fmt.Fprintf(stdout, "  Schema (SDL)     %s/schema.graphql\n", base)
	fmt.Fprintf(stdout, "  Editors          %s/admin/\n", base)
	fmt.Fprintf(stdout, "  Health           %s/healthz  %s/readyz\n", base, base)
	if metricsOnMain {
		fmt.Fprintf(stdout, "  Metrics          %s/metrics (with the metrics token)\n", base)
	}
}

// startMetricsListener serves /metrics on its own address when one is
// configured; stop ends it and waits until it has.
func (e *env) startMetricsListener(ctx context.Context, cfg *Config, stdout io.Writer) (stop func(), err error) {
	if cfg.MetricsAddr == "" {
		return func() {}, nil
	}
	metricsCtx, stopMetrics := context.WithCancel(ctx)
	metricsDone, err := e.serveMetrics(metricsCtx, cfg, stdout)
	if err != nil {
		stopMetrics()
		return nil, err
	}
	return func() {
		stopMetrics()
		<-metricsDone
	}, nil
}

// startBackgroundJobs prunes accounts, runs the feed scheduler and
// performs scheduled publications until ctx ends; stop ends the last two
// and waits until they have.
func (e *env) startBackgroundJobs(ctx context.Context, cfg *Config, svc *serveServices) (stop func()) {
	go e.pruneEvery(ctx, time.Hour, svc.accounts)
	schedulerCtx, stopScheduler := context.WithCancel(ctx)
	schedulerDone := make(chan struct{})
	go func() {
		defer close(schedulerDone)
		e.runScheduler(schedulerCtx, cfg, svc.vacancies)
	}()
	publicationsDone := make(chan struct{})
	go func() {
		defer close(publicationsDone)
		(&content.Runner{Content: e.content, Log: e.log}).Run(schedulerCtx)
	}()
	return func() {
		stopScheduler()
		<-schedulerDone
		<-publicationsDone
	}
}

// serveUntilDone serves on listener until it fails or ctx ends, then shuts
// down gracefully.
func (e *env) serveUntilDone(ctx context.Context, srv *http.Server, listener net.Listener) error {
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(listener) }()
	select {
	case err := <-serveErr:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	e.log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// pruneEvery deletes expired refresh tokens and old sign-in failures now
// and then; every replica may do it, the deletes are idempotent.
func (e *env) pruneEvery(ctx context.Context, interval time.Duration, accounts *account.Service) {
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			if err := accounts.Prune(ctx); err != nil && ctx.Err() == nil {
				e.log.Warn("pruning expired sessions failed", "error", err)
			}
		}
	}
}

// accountService builds the account service with the signing keys,
// generating and storing a secret in the data directory when none is
// configured.
func (e *env) accountService(cfg *Config) (*account.Service, error) {
	keys, generated, err := account.LoadKeyRing(cfg.JWTSecret, splitList(cfg.JWTPreviousSecrets), cfg.DataDir)
	if err != nil {
		return nil, fmt.Errorf("JWT signing keys: %w", err)
	}
	e.keys = keys
	if generated {
		e.log.Warn("no WERKWIJZER_JWT_SECRET configured: generated one and stored it in " +
			filepath.Join(cfg.DataDir, account.SecretFileName) +
			"; with several replicas, set the same WERKWIJZER_JWT_SECRET on all of them")
	} else if cfg.JWTSecret == "" {
		e.log.Info("using the JWT signing secret stored in " + filepath.Join(cfg.DataDir, account.SecretFileName))
	}
	return account.NewService(store.NewAccounts(e.db.Gorm), account.Config{
		Keys: keys, Issuer: cfg.JWTIssuer, Audience: cfg.JWTAudience,
		AccessTokenTTL: cfg.AccessTokenTTL, RefreshTokenTTL: cfg.RefreshTokenTTL,
		Locales: e.content.Locales(), Log: e.log,
	})
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// parseHeaderNames splits a comma-separated list of HTTP header names,
// refusing anything that is not one: it would break the header it is
// listed in.
func parseHeaderNames(s string) ([]string, error) {
	names := splitList(s)
	for _, name := range names {
		if !httpguts.ValidHeaderFieldName(name) {
			return nil, fmt.Errorf("%q is not a header name", name)
		}
	}
	return names, nil
}

func parsePrefixes(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, part := range splitList(s) {
		p, err := netip.ParsePrefix(part)
		if err != nil {
			addr, addrErr := netip.ParseAddr(part)
			if addrErr != nil {
				return nil, fmt.Errorf("%q is neither a CIDR nor an address", part)
			}
			p = netip.PrefixFrom(addr, addr.BitLen())
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// displayAddr turns a wildcard listen address into one a browser can open.
func displayAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

func (e *env) migrateUp(ctx context.Context) error {
	m, err := e.db.Migrator()
	if err != nil {
		return err
	}
	applied, err := m.Up(ctx)
	if err != nil {
		return err
	}
	if len(applied) > 0 {
		e.log.Info("migrations applied", "versions", applied)
	}
	return nil
}

// seedIfEmpty loads the sample content into a database with no content.
// Replicas starting together on one PostgreSQL database may race here: the
// loser's transaction fails on the unique live slugs and rolls back whole,
// which is reported and not fatal.
func (e *env) seedIfEmpty(ctx context.Context) error {
	empty, err := e.content.IsEmpty(ctx)
	if err != nil {
		return err
	}
	if !empty {
		return nil
	}
	f, err := seed.Sample()
	if err != nil {
		return err
	}
	res, err := seed.Load(ctx, e.content, f)
	if apperr.Is(err, apperr.Conflict) {
		if empty, checkErr := e.content.IsEmpty(ctx); checkErr == nil && !empty {
			e.log.Info("sample content was loaded by another process")
			return nil
		}
	}
	if err != nil {
		return fmt.Errorf("load sample content: %w", err)
	}
	e.log.Info("sample content loaded (the database was empty)",
		"articles", res.Articles, "roles", res.Roles, "comparisons", res.Comparisons, "faqs", res.FAQs)
	return e.seedVacancies(ctx)
}

const migrateUsage = `Usage:
  werkwijzer migrate up|down|status [flags]

up applies the pending migrations, down rolls back the latest one, status
lists them and whether they are applied.

Flags:
`

func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	act, args, err := action("migrate", args, migrateUsage, stderr, "up", "down", "status")
	if err != nil {
		return err
	}
	cfg, err := newCmdline("migrate "+act, migrateUsage, stderr).parseFlags(args)
	if err != nil {
		return err
	}
	// The action itself is the migration: nothing is applied before it.
	cfg.Migrate = false
	return withDB(ctx, cfg, stderr, func(e *env) error {
		m, err := e.db.Migrator()
		if err != nil {
			return err
		}
		switch act {
		case "up":
			return migrateUp(ctx, m, stdout)
		case "down":
			v, err := m.Down(ctx)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "rolled back %05d\n", v)
			return nil
		}
		return e.migrateStatus(ctx, m, stdout)
	})
}

func migrateUp(ctx context.Context, m *database.Migrator, stdout io.Writer) error {
	applied, err := m.Up(ctx)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintln(stdout, "no pending migrations")
	}
	for _, v := range applied {
		fmt.Fprintf(stdout, "applied %05d\n", v)
	}
	return nil
}

func (e *env) migrateStatus(ctx context.Context, m *database.Migrator, stdout io.Writer) error {
	statuses, err := m.Status(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s database %s\n", e.db.Dialect, e.db.Location)
	for _, s := range statuses {
		state := "pending"
		if s.Applied {
			state = "applied"
		}
		fmt.Fprintf(stdout, "  %05d  %-8s %s\n", s.Version, state, s.Name)
	}
	return nil
}

const seedUsage = `Usage:
  werkwijzer seed [flags]

Loads and publishes the sample content in an empty database.

Flags:
`

func runSeed(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := newCmdline("seed", seedUsage, stderr).parseFlags(args)
	if err != nil {
		return err
	}
	return withDB(ctx, cfg, stderr, func(e *env) error {
		empty, err := e.content.IsEmpty(ctx)
		if err != nil {
			return err
		}
		if !empty {
			return errors.New("the database already holds content; the sample content is only loaded into an empty database")
		}
		f, err := seed.Sample()
		if err != nil {
			return err
		}
		res, err := seed.Load(ctx, e.content, f)
		if err != nil {
			return fmt.Errorf("load sample content: %w", err)
		}
		fmt.Fprintf(stdout, "loaded and published %d article(s), %d role(s), %d comparison(s), %d FAQ(s)\n",
			res.Articles, res.Roles, res.Comparisons, res.FAQs)
		return e.seedVacancies(ctx)
	})
}
