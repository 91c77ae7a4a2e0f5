package vacancy

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"golang.org/x/net/idna"
	"golang.org/x/text/language"

	"github.com/werkwijzer/werkwijzer/internal/apperr"
)

// Kind is how a source delivers its vacancies.
type Kind string

const (
	// KindPush sources call syncVacancies themselves.
	KindPush Kind = "push"
	// KindIndeedXML sources publish an Indeed-style XML feed.
	KindIndeedXML Kind = "indeed-xml"
	// KindRecruitee sources are Recruitee careers sites (its offers API).
	KindRecruitee Kind = "recruitee"
	// KindJSONLD sources publish schema.org JobPosting JSON-LD: pages with
	// <script type="application/ld+json"> blocks, or a JSON file.
	KindJSONLD Kind = "jsonld"
	// KindPersonio sources are Personio job pages (their /xml feed).
	KindPersonio Kind = "personio"
	// KindGreenhouse sources are Greenhouse job boards (the Job Board API's
	// jobs list with content=true).
	KindGreenhouse Kind = "greenhouse"
	// KindLever sources are Lever job sites (the Postings API in JSON mode).
	KindLever Kind = "lever"
)

// Kinds lists every kind.
var Kinds = []Kind{KindPush, KindIndeedXML, KindRecruitee, KindJSONLD, KindPersonio, KindGreenhouse, KindLever}

// ParseKind returns the kind named s, or BAD_USER_INPUT.
func ParseKind(s string) (Kind, error) {
	k := Kind(strings.ToLower(strings.TrimSpace(s)))
	if !slices.Contains(Kinds, k) {
		return "", apperr.Invalid(apperr.UnsupportedValue, "unknown source kind %q; want push, indeed-xml, recruitee, jsonld, personio, greenhouse or lever", s).
			With("field", "kind").With("allowed", Kinds)
	}
	return k, nil
}

// Pulls reports whether Werkwijzer fetches this kind's feed.
func (k Kind) Pulls() bool { return k != KindPush && k != "" }

// Source is one recruitment site or ATS.
type Source struct {
	ID   string
	Name string // lower case letters, digits and hyphens; unique
	Kind Kind
	// FeedURL is where a pulled source's feed is fetched; "" for push.
	FeedURL string
	// AllowedHosts limits where its vacancies' links may point: a host
	// matches an entry equal to it or to one of its parent domains. Empty
	// allows any public https host.
	AllowedHosts []string
	// RoleRules map its categories and titles to role slugs, in order.
	RoleRules []RoleRule
	// Language is the language of items that do not name one.
	Language string
	// TimeZone is the IANA zone of dates given without an offset, and of
	// plain dates' day boundaries.
	TimeZone   string
	Active     bool
	CreatedAt  time.Time
	UpdatedAt  time.Time
	DisabledAt time.Time // zero while active
	Secrets    []Secret
	State      SyncState
}

// Secret describes one client secret; the secret itself is never kept.
type Secret struct {
	ID         string
	Hint       string // "wws_AbCd…"
	CreatedAt  time.Time
	RevokedAt  time.Time // zero while active
	LastUsedAt time.Time // zero if never used
}

// Active reports whether the secret still works.
func (s Secret) Active() bool { return s.RevokedAt.IsZero() }

// SyncState is what the admin shows about a source's syncing.
type SyncState struct {
	LastSyncAt time.Time
	LastReport *Report
	// LastError is the last failed sync or pull, cleared by the next
	// success.
	LastError   string
	LastErrorAt time.Time
	LastPullAt  time.Time
	// PullNotBefore is when the feed host allows the next scheduled pull
	// (its Retry-After); zero when it asked for no wait.
	PullNotBefore time.Time
	// FeedETag and FeedLastModified validate the last feed imported
	// whole, for conditional GETs.
	FeedETag         string
	FeedLastModified string
	// Counts of the source's vacancies by status.
	Open, Closed, Expired int
}

// RoleRule maps a source's vacancies to a role: the first rule whose
// Pattern (an RE2 regular expression, matched without regard to case)
// matches the item's Field wins.
type RoleRule struct {
	// Field is "title", "category" (any of the item's categories) or
	// "any" (either).
	Field   string `json:"field"`
	Pattern string `json:"pattern"`
	// Role is the slug of a role, in any locale.
	Role string `json:"role"`
}

// compiledRule is a RoleRule ready to match.
type compiledRule struct {
	RoleRule
	re *regexp.Regexp
}

// Rule fields.
const (
	RuleTitle    = "title"
	RuleCategory = "category"
	RuleAny      = "any"
)

// CheckRoleRules validates rules and returns them tidied. Errors are
// BAD_USER_INPUT naming the rule.
func CheckRoleRules(rules []RoleRule) ([]RoleRule, error) {
	if len(rules) > 100 {
		return nil, apperr.Invalid(apperr.TooMany, "at most 100 role rules, got %d", len(rules)).With("field", "roleRules").With("max", 100)
	}
	out := make([]RoleRule, 0, len(rules))
	for i, r := range rules {
		field := fmt.Sprintf("roleRules[%d]", i)
		r.Field = strings.ToLower(strings.TrimSpace(r.Field))
		if r.Field == "" {
			r.Field = RuleAny
		}
		if r.Field != RuleTitle && r.Field != RuleCategory && r.Field != RuleAny {
			return nil, apperr.Invalid(apperr.UnsupportedValue, "%s: field %q; want title, category or any", field, r.Field).
				With("field", field+".field").With("allowed", []string{RuleTitle, RuleCategory, RuleAny})
		}
		r.Role = strings.TrimSpace(r.Role)
		if r.Role == "" {
			return nil, apperr.Invalid(apperr.Required, "%s: no role slug", field).With("field", field+".role")
		}
		if r.Pattern == "" {
			return nil, apperr.Invalid(apperr.Required, "%s: the pattern must have 1 to 200 characters", field).With("field", field+".pattern")
		}
		if len(r.Pattern) > 200 {
			return nil, apperr.Invalid(apperr.TooLong, "%s: the pattern must have 1 to 200 characters", field).With("field", field+".pattern").
				With("max", 200).With("unit", "bytes")
		}
		if _, err := regexp.Compile("(?i)" + r.Pattern); err != nil {
			return nil, apperr.Invalid(apperr.InvalidPattern, "%s: the pattern is not a valid regular expression: %v", field, err).With("field", field+".pattern")
		}
		out = append(out, r)
	}
	return out, nil
}

func compileRules(rules []RoleRule) []compiledRule {
	out := make([]compiledRule, 0, len(rules))
	for _, r := range rules {
		re, err := regexp.Compile("(?i)" + r.Pattern)
		if err != nil {
			continue // checked when stored; an invalid one never matches
		}
		out = append(out, compiledRule{RoleRule: r, re: re})
	}
	return out
}

// match returns the role slug of the first rule matching the item.
func matchRules(rules []compiledRule, title string, categories []string) string {
	for _, r := range rules {
		if (r.Field == RuleTitle || r.Field == RuleAny) && r.re.MatchString(title) {
			return r.Role
		}
		if r.Field == RuleCategory || r.Field == RuleAny {
			for _, c := range categories {
				if r.re.MatchString(c) {
					return r.Role
				}
			}
		}
	}
	return ""
}

var sourceName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// CheckSourceName validates a source name.
func CheckSourceName(name string) (string, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	if !sourceName.MatchString(n) {
		return "", apperr.Invalid(apperr.InvalidFormat, "invalid source name %q: use 1 to 63 lower-case letters, digits and hyphens, starting with a letter or digit", name).With("field", "name")
	}
	return n, nil
}

// CheckAllowedHosts validates and normalises an allowlist: host names (a
// leading "*." is accepted and dropped, since parent domains cover their
// subdomains anyway), in ASCII, lower case, without duplicates.
func CheckAllowedHosts(hosts []string) ([]string, error) {
	out := []string{}
	for _, h := range hosts {
		h = strings.TrimSuffix(strings.TrimPrefix(strings.ToLower(strings.TrimSpace(h)), "*."), ".")
		if h == "" {
			continue
		}
		ascii, err := idna.Lookup.ToASCII(h)
		if err != nil || strings.ContainsAny(ascii, "/:@ ") || net.ParseIP(ascii) != nil || !strings.Contains(ascii, ".") {
			return nil, apperr.Invalid(apperr.InvalidHost, "%q is not a host name such as careers.example.com", h).With("field", "allowedHosts").With("value", h)
		}
		if !slices.Contains(out, ascii) {
			out = append(out, ascii)
		}
	}
	if len(out) > 50 {
		return nil, apperr.Invalid(apperr.TooMany, "at most 50 allowed hosts").With("field", "allowedHosts").With("max", 50)
	}
	return out, nil
}

// CheckFeedURL validates a feed URL: http or https (some ATS feeds still
// are plain http; the links inside are checked on their own), absolute,
// without credentials, on a host that is a name or a public IP address
// (see PublicAddr; allowPrivate accepts any address, for on-premise feeds
// and tests). Numeric hosts other than IP addresses written out in full
// ("127.1", "2130706433", "0x7f.1") are always refused. Names are checked
// again, with the addresses they resolve to, on every fetch.
func CheckFeedURL(raw string, allowPrivate bool) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || len(raw) > 2048 {
		return "", apperr.Invalid(apperr.InvalidURL, "the feed URL must be an absolute http(s) URL without credentials").With("field", "feedUrl")
	}
	if problem := feedHostProblem(u.Hostname(), allowPrivate); problem != "" {
		return "", apperr.Invalid(apperr.URLNotAllowed, "feeds are fetched from public hosts only, and this feed URL is refused: %s", problem).With("field", "feedUrl")
	}
	return u.String(), nil
}

// CheckLanguage returns the canonical BCP 47 form of a language tag.
func CheckLanguage(s string) (string, error) {
	tag, err := language.Parse(strings.TrimSpace(s))
	if err != nil || tag == language.Und || len(s) > 35 {
		return "", fmt.Errorf("%q is not a BCP 47 language tag such as nl or en-GB", s)
	}
	return tag.String(), nil
}

// CheckTimeZone loads an IANA time zone.
func CheckTimeZone(name string) (*time.Location, error) {
	if name == "" || name == "Local" {
		return nil, fmt.Errorf("want an IANA time zone such as Europe/Amsterdam, got %q", name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q: want an IANA name such as Europe/Amsterdam", name)
	}
	return loc, nil
}

// hostAllowed reports whether host is one of allowed or a subdomain of one.
func hostAllowed(host string, allowed []string) bool {
	if len(allowed) == 0 {
		return true
	}
	for _, a := range allowed {
		if host == a || strings.HasSuffix(host, "."+a) {
			return true
		}
	}
	return false
}
