package app

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/content"
	"github.com/werkwijzer/werkwijzer/internal/httpserver"
)

// Config is every setting, read from the environment and overridden by
// flags. The README's configuration table lists the same settings; keep
// them in step.
type Config struct {
	Addr          string
	DatabaseURL   string
	DataDir       string
	Locales       string
	Playground    bool
	Introspection bool
	Migrate       bool
	Seed          bool
	DBMaxConns    int
	CacheMaxAge   time.Duration
	LogFormat     string
	LogLevel      string

	JWTSecret          string
	JWTPreviousSecrets string
	JWTIssuer          string
	JWTAudience        string
	AccessTokenTTL     time.Duration
	RefreshTokenTTL    time.Duration
	TrustedProxies     string
	CORSOrigins        string
	CORSHeaders        string

	PullInterval     time.Duration
	FeedAllowPrivate bool

	// WebhookAllowPrivate delivers webhooks to loopback and private
	// addresses and over plain http too.
	WebhookAllowPrivate bool

	// MetricsAddr serves /metrics on a listener of its own; MetricsToken
	// protects it wherever it is served (see metricsOnMain).
	MetricsAddr  string
	MetricsToken string

	// QueryBudget is the GraphQL query cost one client address may have
	// executed per minute (0: no budget).
	QueryBudget int
	// AnswerCache bounds the in-process answer cache (bytes; 0: off).
	AnswerCache ByteSize
	// EntityCache bounds the in-process caches of published entries and
	// of the role pages' vacancy lists, a quarter of it (bytes; 0: off).
	EntityCache ByteSize

	// The public site, for structured data and the sitemap.
	SiteURL       string
	URLPatterns   string
	PublisherName string
	PublisherURL  string
	PublisherLogo string
}

// ByteSize is a size in bytes written as 64MB, 512KB, 1GB or a plain
// number of bytes.
type ByteSize uint64

func (b *ByteSize) String() string { return strconv.FormatUint(uint64(*b), 10) }

func (b *ByteSize) Set(s string) error {
	v := strings.ToUpper(strings.TrimSpace(s))
	unit := uint64(1)
	for _, u := range []struct {
		suffix string
		n      uint64
	}{{"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"B", 1}} {
		if rest, ok := strings.CutSuffix(v, u.suffix); ok {
			v, unit = strings.TrimSpace(rest), u.n
			break
		}
	}
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil || n > (1<<40)/unit {
		return fmt.Errorf("%q: want a size such as 64MB, 512KB or 0", s)
	}
	*b = ByteSize(n * unit)
	return nil
}

// setting is one configuration value: its flag, its variable, its default.
type setting struct {
	flag, env, usage string
}

// register binds the settings to fs with defaults taken from the
// environment, so a flag overrides a variable, which overrides the default.
// Invalid variable values are collected and reported by the caller.
func (c *Config) register(fs *flag.FlagSet) (envErrs []error) {
	str := func(p *string, s setting, def string) {
		if v, ok := os.LookupEnv(s.env); ok {
			def = v
		}
		fs.StringVar(p, s.flag, def, s.usage+" (env "+s.env+")")
	}
	boolean := func(p *bool, s setting, def bool) {
		if v, ok := os.LookupEnv(s.env); ok {
			b, err := strconv.ParseBool(v)
			if err != nil {
				envErrs = append(envErrs, fmt.Errorf("%s=%q: want true or false", s.env, v))
			} else {
				def = b
			}
		}
		fs.BoolVar(p, s.flag, def, s.usage+" (env "+s.env+")")
	}
	integer := func(p *int, s setting, def int) {
		if v, ok := os.LookupEnv(s.env); ok {
			n, err := strconv.Atoi(v)
			if err != nil || n <= 0 {
				envErrs = append(envErrs, fmt.Errorf("%s=%q: want a positive whole number", s.env, v))
			} else {
				def = n
			}
		}
		fs.IntVar(p, s.flag, def, s.usage+" (env "+s.env+")")
	}
	nonNegative := func(p *int, s setting, def int) {
		if v, ok := os.LookupEnv(s.env); ok {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				envErrs = append(envErrs, fmt.Errorf("%s=%q: want a whole number, 0 or more", s.env, v))
			} else {
				def = n
			}
		}
		fs.IntVar(p, s.flag, def, s.usage+" (env "+s.env+")")
	}
	duration := func(p *time.Duration, s setting, def time.Duration) {
		if v, ok := os.LookupEnv(s.env); ok {
			d, err := time.ParseDuration(v)
			if err != nil || d < 0 {
				envErrs = append(envErrs, fmt.Errorf("%s=%q: want a duration such as 60s or 5m", s.env, v))
			} else {
				def = d
			}
		}
		fs.DurationVar(p, s.flag, def, s.usage+" (env "+s.env+")")
	}

	str(&c.Addr, setting{"addr", "ADDR", "address to listen on"}, "127.0.0.1:8080")
	str(&c.DatabaseURL, setting{"database-url", "DATABASE_URL", "postgres://... for PostgreSQL; empty for the SQLite file in the data directory"}, "")
	str(&c.DataDir, setting{"data-dir", "WERKWIJZER_DATA_DIR", "directory for the SQLite database and generated secrets"}, "data")
	str(&c.Locales, setting{"locales", "WERKWIJZER_LOCALES", "supported locales, comma-separated, the default first"}, "nl,en")
	boolean(&c.Playground, setting{"playground", "WERKWIJZER_PLAYGROUND", "serve the GraphQL playground at /playground"}, true)
	boolean(&c.Introspection, setting{"introspection", "WERKWIJZER_INTROSPECTION", "answer GraphQL introspection queries"}, true)
	boolean(&c.Migrate, setting{"migrate", "WERKWIJZER_MIGRATE", "apply pending migrations at start"}, true)
	boolean(&c.Seed, setting{"seed", "WERKWIJZER_SEED", "load the sample content at start when the database is empty"}, true)
	integer(&c.DBMaxConns, setting{"db-max-conns", "WERKWIJZER_DB_MAX_CONNS", "PostgreSQL connections per process"}, 20)
	duration(&c.CacheMaxAge, setting{"cache-max-age", "WERKWIJZER_CACHE_MAX_AGE", "how long shared caches may keep anonymous GET answers (0 disables)"}, 60*time.Second)
	str(&c.LogFormat, setting{"log-format", "WERKWIJZER_LOG_FORMAT", "log format: text or json"}, "text")
	str(&c.LogLevel, setting{"log-level", "WERKWIJZER_LOG_LEVEL", "log level: debug, info, warn or error"}, "info")
	str(&c.JWTSecret, setting{"jwt-secret", "WERKWIJZER_JWT_SECRET", "secret (at least 32 bytes) that signs access tokens; empty generates one in the data directory"}, "")
	str(&c.JWTPreviousSecrets, setting{"jwt-previous-secrets", "WERKWIJZER_JWT_PREVIOUS_SECRETS", "comma-separated former secrets, still accepted for verification while tokens they signed expire"}, "")
	str(&c.JWTIssuer, setting{"jwt-issuer", "WERKWIJZER_JWT_ISSUER", "iss of access tokens"}, account.DefaultIssuer)
	str(&c.JWTAudience, setting{"jwt-audience", "WERKWIJZER_JWT_AUDIENCE", "aud of access tokens"}, account.DefaultAudience)
	duration(&c.AccessTokenTTL, setting{"access-token-ttl", "WERKWIJZER_ACCESS_TOKEN_TTL", "how long an access token is accepted"}, account.DefaultAccessTokenTTL)
	duration(&c.RefreshTokenTTL, setting{"refresh-token-ttl", "WERKWIJZER_REFRESH_TOKEN_TTL", "how long a refresh token can renew a session"}, account.DefaultRefreshTokenTTL)
	str(&c.TrustedProxies, setting{"trusted-proxies", "WERKWIJZER_TRUSTED_PROXIES", "comma-separated CIDRs of load balancers whose X-Forwarded-For is believed"}, "")
	str(&c.CORSOrigins, setting{"cors-origins", "WERKWIJZER_CORS_ORIGINS", "comma-separated origins allowed to call /graphql from browsers; * for any"}, "*")
	str(&c.CORSHeaders, setting{"cors-headers", "WERKWIJZER_CORS_HEADERS", "comma-separated request headers those origins may send (Apollo's and tracing headers included by default)"}, strings.Join(httpserver.DefaultCORSHeaders, ", "))
	duration(&c.PullInterval, setting{"pull-interval", "WERKWIJZER_PULL_INTERVAL", "how often vacancy feeds of pulled sources are fetched (0 disables pulling)"}, 15*time.Minute)
	boolean(&c.FeedAllowPrivate, setting{"feed-allow-private", "WERKWIJZER_FEED_ALLOW_PRIVATE", "fetch vacancy feeds from loopback and private addresses too (on-premise feeds); off, feeds come from public addresses only"}, false)
	boolean(&c.WebhookAllowPrivate, setting{"webhook-allow-private", "WERKWIJZER_WEBHOOK_ALLOW_PRIVATE", "deliver webhooks to loopback and private addresses and over plain http too (receivers inside your network, tests); off, https to public hosts only"}, false)
	str(&c.MetricsAddr, setting{"metrics-addr", "WERKWIJZER_METRICS_ADDR", "address of a listener that serves only /metrics (such as 127.0.0.1:9090); when set, the main listener does not serve it"}, "")
	str(&c.MetricsToken, setting{"metrics-token", "WERKWIJZER_METRICS_TOKEN", "bearer token /metrics requires; without WERKWIJZER_METRICS_ADDR, the main listener serves /metrics only when this is set"}, "")
	c.AnswerCache = 64 << 20
	if v, ok := os.LookupEnv("WERKWIJZER_ANSWER_CACHE"); ok {
		if err := c.AnswerCache.Set(v); err != nil {
			envErrs = append(envErrs, fmt.Errorf("WERKWIJZER_ANSWER_CACHE=%w", err))
		}
	}
	fs.Var(&c.AnswerCache, "answer-cache", "memory for the in-process cache of anonymous query answers, such as 64MB (0 disables) (env WERKWIJZER_ANSWER_CACHE)")
	c.EntityCache = 32 << 20
	if v, ok := os.LookupEnv("WERKWIJZER_ENTITY_CACHE"); ok {
		if err := c.EntityCache.Set(v); err != nil {
			envErrs = append(envErrs, fmt.Errorf("WERKWIJZER_ENTITY_CACHE=%w", err))
		}
	}
	fs.Var(&c.EntityCache, "entity-cache", "memory for the in-process caches of published entries and (a quarter of it) of role pages' vacancy lists, such as 32MB (0 disables both) (env WERKWIJZER_ENTITY_CACHE)")
	nonNegative(&c.QueryBudget, setting{"query-budget", "WERKWIJZER_QUERY_BUDGET", "GraphQL query cost one client address may have executed per minute; answers from the cache cost nothing (0 disables)"}, 100_000)
	str(&c.SiteURL, setting{"site-url", "WERKWIJZER_SITE_URL", "the public site's origin, such as https://www.example.nl, for absolute URLs in structured data (empty: paths)"}, "")
	str(&c.URLPatterns, setting{"url-patterns", "WERKWIJZER_URL_PATTERNS", "page paths per entry type, such as role=/{locale}/functies/{slug}; home is the locale's start page"}, content.DefaultURLPatterns)
	str(&c.PublisherName, setting{"publisher-name", "WERKWIJZER_PUBLISHER_NAME", "the organisation named as the articles' publisher in structured data (empty: none)"}, "")
	str(&c.PublisherURL, setting{"publisher-url", "WERKWIJZER_PUBLISHER_URL", "the publisher's website"}, "")
	str(&c.PublisherLogo, setting{"publisher-logo", "WERKWIJZER_PUBLISHER_LOGO", "URL of the publisher's logo"}, "")
	return envErrs
}

// seo checks the public-site settings and returns them for the content
// service.
func (c *Config) seo() (content.SEO, error) {
	patterns, err := content.ParseURLPatterns(c.URLPatterns)
	if err != nil {
		return content.SEO{}, fmt.Errorf("WERKWIJZER_URL_PATTERNS: %w", err)
	}
	site, err := content.CheckSiteURL(c.SiteURL)
	if err != nil {
		return content.SEO{}, fmt.Errorf("WERKWIJZER_SITE_URL: %w", err)
	}
	for env, u := range map[string]string{"WERKWIJZER_PUBLISHER_URL": c.PublisherURL, "WERKWIJZER_PUBLISHER_LOGO": c.PublisherLogo} {
		if u != "" && !content.AbsoluteHTTPURL(u) {
			return content.SEO{}, fmt.Errorf("%s=%q: want an absolute http(s) URL", env, u)
		}
	}
	return content.SEO{
		Publisher: content.Publisher{Name: strings.TrimSpace(c.PublisherName), URL: c.PublisherURL, Logo: c.PublisherLogo},
		SiteURL:   site,
		Patterns:  patterns,
	}, nil
}
