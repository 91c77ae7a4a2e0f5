package vacancy

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"net"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/idna"

	"github.com/werkwijzer/werkwijzer/internal/vacancy/normalize"
)

// Item is a vacancy as a source sends it, before any check: the same
// shape whether it came through GraphQL, a feed or the sample file.
// Everything is optional here; Normalize says what is missing.
type Item struct {
	ExternalID      string
	Language        string
	Title           string
	Description     string // HTML or plain text
	URL             string
	ApplyURL        string
	RoleSlug        string
	Categories      []string // the source's categories, departments or tags, for role rules
	Organization    Organization
	EmploymentTypes []string // as the source writes them: "fulltime", "Deeltijd", "ZZP", FULL_TIME...
	WorkplaceType   string   // "remote", "hybride", "op locatie", ONSITE...
	Locations       []Location
	HoursPerWeek    *HoursInput
	Salary          *SalaryInput
	DatePosted      string
	ValidThrough    string
	SourceUpdatedAt string
	// Repost says the source posts the vacancy anew: a later datePosted
	// replaces the stored one. Without it a stored vacancy keeps its
	// datePosted, also when it closed and comes back.
	Repost bool `json:",omitempty"`
}

// HoursInput and SalaryInput are what normalize reads hours and
// salaries from text into.
type (
	HoursInput  = normalize.HoursInput
	SalaryInput = normalize.SalaryInput
)

// ProblemCode says in a word what is wrong with an item.
type ProblemCode string

// The problem codes. Errors reject the item; warnings (Problem.Warning)
// are reported but the item is stored.
const (
	ProblemRequired              ProblemCode = "REQUIRED"
	ProblemTooLong               ProblemCode = "TOO_LONG"
	ProblemInvalid               ProblemCode = "INVALID"
	ProblemInvalidURL            ProblemCode = "INVALID_URL"
	ProblemURLScheme             ProblemCode = "URL_SCHEME_NOT_ALLOWED"
	ProblemURLHost               ProblemCode = "URL_HOST_NOT_ALLOWED"
	ProblemInvalidDate           ProblemCode = "INVALID_DATE"
	ProblemDateInFuture          ProblemCode = "DATE_IN_FUTURE"
	ProblemDateOrder             ProblemCode = "DATE_ORDER"
	ProblemLocalTimeAssumed      ProblemCode = "LOCAL_TIME_ASSUMED"
	ProblemInvalidLanguage       ProblemCode = "INVALID_LANGUAGE"
	ProblemSalaryRange           ProblemCode = "SALARY_RANGE"
	ProblemSalaryImplausible     ProblemCode = "SALARY_IMPLAUSIBLE"
	ProblemInvalidCurrency       ProblemCode = "INVALID_CURRENCY"
	ProblemUnknownSalaryUnit     ProblemCode = "UNKNOWN_SALARY_UNIT"
	ProblemSalaryUnparsed        ProblemCode = "SALARY_UNPARSED"
	ProblemHoursRange            ProblemCode = "HOURS_RANGE"
	ProblemUnknownEmploymentType ProblemCode = "UNKNOWN_EMPLOYMENT_TYPE"
	ProblemUnknownWorkplaceType  ProblemCode = "UNKNOWN_WORKPLACE_TYPE"
	ProblemInvalidCountry        ProblemCode = "INVALID_COUNTRY"
	ProblemUnknownRole           ProblemCode = "UNKNOWN_ROLE"
	ProblemRoleUnmapped          ProblemCode = "ROLE_UNMAPPED"
	ProblemDuplicate             ProblemCode = "DUPLICATE_EXTERNAL_ID"
	ProblemDuplicateInBatch      ProblemCode = "DUPLICATE_IN_BATCH"
	ProblemCurrencyMapped        ProblemCode = "CURRENCY_MAPPED"
	ProblemNoJobPosting          ProblemCode = "NO_JOB_POSTING"
	ProblemDatePostedKept        ProblemCode = "DATE_POSTED_KEPT"
	ProblemMarkupRemoved         ProblemCode = "MARKUP_REMOVED"
	ProblemNotFound              ProblemCode = "NOT_FOUND"
	ProblemTooMany               ProblemCode = "TOO_MANY"
	// ProblemStale is not a fault of the item: a newer version is stored.
	ProblemStale ProblemCode = "STALE"
)

// Problem is one thing wrong with an item.
type Problem struct {
	// Field is the item's field, as a path: "url", "salary.min",
	// "locations[1].country".
	Field   string      `json:"field"`
	Code    ProblemCode `json:"code"`
	Message string      `json:"message"`
	// Warning problems do not reject the item.
	Warning bool `json:"warning,omitempty"`
}

// Limits on an item's fields.
const (
	MaxExternalIDLength  = 200
	MaxTitleLength       = 200 // characters
	MaxDescriptionInput  = 256 << 10
	MaxDescriptionLength = 100 << 10 // bytes of sanitized HTML
	MaxURLLength         = 2048
	MaxNameLength        = 200
	MaxLocations         = 20
	MaxCategories        = 50
)

// normalizer turns items of one source into vacancies.
type normalizer struct {
	src   *Source
	loc   *time.Location
	rules []compiledRule
	// roles maps lower-case role slugs to role ids; slugs that are not a
	// live role are absent.
	roles map[string]string
	now   time.Time
}

func newNormalizer(src *Source, roles map[string]string, now time.Time) (*normalizer, error) {
	loc, err := CheckTimeZone(src.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("source %s: %w", src.Name, err)
	}
	return &normalizer{src: src, loc: loc, rules: compileRules(src.RoleRules), roles: roles, now: now}, nil
}

// problems collects an item's problems.
type problems []Problem

func (p *problems) err(field string, code ProblemCode, format string, args ...any) {
	*p = append(*p, Problem{Field: field, Code: code, Message: fmt.Sprintf(format, args...)})
}

func (p *problems) warn(field string, code ProblemCode, format string, args ...any) {
	*p = append(*p, Problem{Field: field, Code: code, Message: fmt.Sprintf(format, args...), Warning: true})
}

// Rejected reports whether any problem is an error.
func Rejected(ps []Problem) bool {
	for _, p := range ps {
		if !p.Warning {
			return true
		}
	}
	return false
}

// key returns the item's key, if its external id and language are valid.
func (n *normalizer) key(item Item, ps *problems) (Key, bool) {
	id := strings.TrimSpace(item.ExternalID)
	ok := true
	if code, msg := externalIDProblem(id); code != "" {
		ps.err("externalId", code, "%s", msg)
		ok = false
	}
	lang := n.src.Language
	if strings.TrimSpace(item.Language) != "" {
		l, err := CheckLanguage(item.Language)
		if err != nil {
			ps.err("language", ProblemInvalidLanguage, "%v", err)
			ok = false
		}
		lang = l
	}
	return Key{ExternalID: id, Language: lang}, ok
}

// externalIDProblem says what is wrong with an external id (already
// trimmed), or returns code "" when it is valid. Items and close entries
// are checked alike, so whatever can be stored can be closed, and nothing
// longer than a stored id is looked up.
func externalIDProblem(id string) (code ProblemCode, msg string) {
	switch {
	case id == "":
		return ProblemRequired, "externalId is required"
	case utf8.RuneCountInString(id) > MaxExternalIDLength:
		return ProblemTooLong, fmt.Sprintf("externalId has more than %d characters", MaxExternalIDLength)
	case !utf8.ValidString(id) || strings.ContainsFunc(id, isControl):
		return ProblemInvalid, "externalId contains control characters or invalid UTF-8"
	}
	return "", ""
}

// normalize checks and cleans one item. The vacancy is meaningful only
// when the problems hold no error.
func (n *normalizer) normalize(item Item) (Vacancy, []Problem) {
	var ps problems
	key, _ := n.key(item, &ps)
	v := Vacancy{SourceID: n.src.ID, ExternalID: key.ExternalID, Language: key.Language, Status: StatusOpen}

	v.Title = normalize.CleanText(item.Title)
	switch {
	case v.Title == "":
		ps.err("title", ProblemRequired, "title is required")
	case utf8.RuneCountInString(v.Title) > MaxTitleLength:
		ps.err("title", ProblemTooLong, "title has more than %d characters", MaxTitleLength)
	}

	if len(item.Description) > MaxDescriptionInput {
		ps.err("description", ProblemTooLong, "description is larger than %d KiB", MaxDescriptionInput>>10)
	} else {
		html, removed := normalize.SanitizeDescription(item.Description)
		switch {
		case strings.TrimSpace(item.Description) == "":
			ps.err("description", ProblemRequired, "description is required")
		case html == "":
			ps.err("description", ProblemRequired, "description has no text once unsafe markup is removed")
		case len(html) > MaxDescriptionLength:
			ps.err("description", ProblemTooLong, "description is larger than %d KiB", MaxDescriptionLength>>10)
		}
		if removed && html != "" {
			ps.warn("description", ProblemMarkupRemoved, "scripts, styles, frames, event handlers or other unsafe markup were removed")
		}
		v.Description = html
	}

	v.URL = n.checkURL(&ps, "url", item.URL, true)
	v.ApplyURL = n.checkURL(&ps, "applyUrl", item.ApplyURL, false)
	if v.ApplyURL == "" {
		v.ApplyURL = v.URL
	}

	v.Organization.Name = normalize.CleanText(item.Organization.Name)
	switch {
	case v.Organization.Name == "":
		ps.err("hiringOrganization.name", ProblemRequired, "hiringOrganization.name is required")
	case utf8.RuneCountInString(v.Organization.Name) > MaxNameLength:
		ps.err("hiringOrganization.name", ProblemTooLong, "hiringOrganization.name has more than %d characters", MaxNameLength)
	}
	// The organization's own links are optional: a bad one is dropped
	// with a warning rather than losing the vacancy over it.
	v.Organization.URL = n.optionalURL(&ps, "hiringOrganization.url", item.Organization.URL)
	v.Organization.LogoURL = n.optionalURL(&ps, "hiringOrganization.logoUrl", item.Organization.LogoURL)

	v.EmploymentTypes = n.employmentTypes(&ps, item.EmploymentTypes)
	if raw := strings.TrimSpace(item.WorkplaceType); raw != "" {
		if wt, ok := normalize.MapWorkplaceType(raw); ok {
			v.WorkplaceType = wt
		} else {
			ps.warn("workplaceType", ProblemUnknownWorkplaceType, "workplace type %q is not known (want ONSITE, HYBRID or REMOTE); it is left out", raw)
		}
	}
	v.Locations = n.locations(&ps, item.Locations)
	n.placeOfWork(&ps, &v)
	v.Hours = n.hours(&ps, item.HoursPerWeek)
	v.Salary = n.salary(&ps, item.Salary)
	n.dates(&ps, item, &v)
	v.RoleID = n.role(&ps, item, v.Title)

	if !Rejected(ps) {
		if !v.ExpiresAt.IsZero() && !n.now.Before(v.ExpiresAt) {
			v.Status, v.ClosedReason, v.ClosedAt = StatusExpired, ReasonExpired, v.ExpiresAt
		}
		v.ContentHash = contentHash(&v)
	}
	return v, ps
}

// placeOfWork checks that the vacancy says where the work is: a job done
// on site, all or part of the time, needs a location; a remote one without
// a country is stored, but Google requires the countries applicants may
// live in, so it gets no JobPosting.
func (n *normalizer) placeOfWork(ps *problems, v *Vacancy) {
	switch v.WorkplaceType {
	case Onsite, Hybrid:
		if len(v.Locations) == 0 {
			ps.err("locations", ProblemRequired, "workplaceType %s needs at least one location: where is the job?", v.WorkplaceType)
		}
	case Remote:
		for _, l := range v.Locations {
			if l.Country != "" {
				return
			}
		}
		ps.warn("locations", ProblemNoJobPosting, "a REMOTE vacancy without a location with a country (the countries applicants may work from) is served without JobPosting JSON-LD, so Google for Jobs will not list it")
	}
}

// isControl is normalize.IsControl, for the checks of keys and links.
func isControl(r rune) bool { return normalize.IsControl(r) }

// checkURL validates a link out: https only, a public host name (no IP
// literals, no credentials), on the source's allowlist.
func (n *normalizer) checkURL(ps *problems, field, raw string, required bool) string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		if required {
			ps.err(field, ProblemRequired, "%s is required", field)
		}
		return ""
	}
	u, code, msg := parseLink(raw)
	if code != "" {
		ps.err(field, code, "%s: %s", field, msg)
		return ""
	}
	if !hostAllowed(u.Hostname(), n.src.AllowedHosts) {
		ps.err(field, ProblemURLHost, "%s: the host %s is not among the hosts this source may link to (%s)", field, u.Hostname(), strings.Join(n.src.AllowedHosts, ", "))
		return ""
	}
	return u.String()
}

// optionalURL checks a link that may be dropped: a problem is a warning.
func (n *normalizer) optionalURL(ps *problems, field, raw string) string {
	var sub problems
	out := n.checkURL(&sub, field, raw, false)
	for _, p := range sub {
		p.Warning = true
		p.Message += "; it is left out"
		*ps = append(*ps, p)
	}
	return out
}

// parseLink checks the form of a link, whatever the source.
func parseLink(raw string) (*url.URL, ProblemCode, string) {
	if len(raw) > MaxURLLength {
		return nil, ProblemTooLong, fmt.Sprintf("longer than %d bytes", MaxURLLength)
	}
	if strings.ContainsFunc(raw, func(r rune) bool { return isControl(r) || r == ' ' }) {
		return nil, ProblemInvalidURL, "contains spaces or control characters"
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, ProblemInvalidURL, "not a URL"
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "https" {
		if scheme == "" {
			return nil, ProblemURLScheme, "not an absolute https URL"
		}
		return nil, ProblemURLScheme, fmt.Sprintf("only https links are accepted, not %s:", scheme)
	}
	if u.User != nil {
		return nil, ProblemInvalidURL, "links may not carry credentials"
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if host == "" || u.Opaque != "" {
		return nil, ProblemInvalidURL, "no host"
	}
	if net.ParseIP(host) != nil || host == "localhost" || strings.HasSuffix(host, ".localhost") || !strings.Contains(host, ".") {
		return nil, ProblemURLHost, fmt.Sprintf("%s is not a public host name", host)
	}
	ascii, err := idna.Lookup.ToASCII(host)
	if err != nil || !hostLabels(ascii) {
		return nil, ProblemInvalidURL, fmt.Sprintf("%s is not a valid host name", host)
	}
	if p := u.Port(); p != "" && p != "443" {
		return nil, ProblemInvalidURL, "only the standard https port is accepted"
	}
	u.Scheme, u.Host = "https", ascii
	// The query string is kept as sent, so characters that mean something
	// in HTML are percent-encoded: a link a frontend puts in an attribute
	// or a script element cannot end it. The path and fragment are
	// re-encoded by url.URL already.
	u.RawQuery = htmlSafeQuery.Replace(u.RawQuery)
	return u, "", ""
}

var htmlSafeQuery = strings.NewReplacer("<", "%3C", ">", "%3E", `"`, "%22", "'", "%27", "`", "%60")

// hostLabels reports whether a host name has no empty label and a top
// level that is not a number (".0" or "jobs..example.com" are not hosts).
func hostLabels(host string) bool {
	labels := strings.Split(host, ".")
	for _, l := range labels {
		if l == "" {
			return false
		}
	}
	return strings.ContainsFunc(labels[len(labels)-1], func(r rune) bool { return r < '0' || r > '9' })
}

func (n *normalizer) employmentTypes(ps *problems, raw []string) []EmploymentType {
	if len(raw) > 20 {
		ps.err("employmentTypes", ProblemTooMany, "at most 20 employment types")
		return nil
	}
	mask := 0
	for i, r := range raw {
		types, known := normalize.MapEmploymentType(r)
		if !known {
			ps.warn(fmt.Sprintf("employmentTypes[%d]", i), ProblemUnknownEmploymentType,
				"employment type %q is not known; it is left out (known: Google's FULL_TIME, PART_TIME, CONTRACTOR, TEMPORARY, INTERN, VOLUNTEER, PER_DIEM, OTHER and common Dutch and English words for them)", normalize.CleanText(r))
		}
		mask |= EmploymentMask(types)
	}
	return EmploymentTypesOf(mask)
}

func (n *normalizer) locations(ps *problems, raw []Location) []Location {
	if len(raw) > MaxLocations {
		ps.err("locations", ProblemTooMany, "at most %d locations", MaxLocations)
		return nil
	}
	out := []Location{}
	for i, l := range raw {
		field := fmt.Sprintf("locations[%d]", i)
		loc := Location{
			StreetAddress: normalize.CleanText(l.StreetAddress),
			PostalCode:    normalize.CleanText(l.PostalCode),
			Locality:      normalize.CleanText(l.Locality),
			Region:        normalize.CleanText(l.Region),
		}
		if c := normalize.CleanText(l.Country); c != "" {
			if code, ok := normalize.CountryCode(c); ok {
				loc.Country = code
			} else {
				ps.warn(field+".country", ProblemInvalidCountry, "country %q is not an ISO 3166-1 code or a known country name; it is left out", c)
			}
		}
		if loc.Country == "NL" {
			loc.PostalCode = dutchPostalCode(loc.PostalCode)
		}
		for name, v := range map[string]string{"streetAddress": loc.StreetAddress, "postalCode": loc.PostalCode, "locality": loc.Locality, "region": loc.Region} {
			if utf8.RuneCountInString(v) > MaxNameLength {
				ps.err(field+"."+name, ProblemTooLong, "%s.%s has more than %d characters", field, name, MaxNameLength)
			}
		}
		if loc == (Location{}) {
			continue
		}
		out = append(out, loc)
	}
	return out
}

// dutchPostalCode writes "1234ab" as "1234 AB"; other forms stay.
func dutchPostalCode(s string) string {
	compact := strings.ToUpper(strings.ReplaceAll(s, " ", ""))
	if len(compact) == 6 && isDigits(compact[:4]) && compact[0] != '0' && isLetters(compact[4:]) {
		return compact[:4] + " " + compact[4:]
	}
	return s
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

func isLetters(s string) bool {
	for _, c := range s {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return s != ""
}

// MaxHoursPerWeek is the most hours per week a vacancy may name.
const MaxHoursPerWeek = 80

func (n *normalizer) hours(ps *problems, in *HoursInput) *Hours {
	if in == nil || (in.Min == nil && in.Max == nil) {
		return nil
	}
	lo, hi := in.Min, in.Max
	if lo == nil {
		lo = hi
	}
	if hi == nil {
		hi = lo
	}
	h := Hours{Min: math.Round(*lo*10) / 10, Max: math.Round(*hi*10) / 10}
	switch {
	case h.Min <= 0 || h.Max > MaxHoursPerWeek || math.IsNaN(h.Min) || math.IsNaN(h.Max):
		ps.err("hoursPerWeek", ProblemHoursRange, "hours per week must be more than 0 and at most %d", MaxHoursPerWeek)
		return nil
	case h.Min > h.Max:
		ps.err("hoursPerWeek.min", ProblemHoursRange, "hoursPerWeek.min (%g) is more than hoursPerWeek.max (%g)", h.Min, h.Max)
		return nil
	}
	return &h
}

func (n *normalizer) salary(ps *problems, in *SalaryInput) *Salary {
	if in == nil {
		return nil
	}
	// A salary written as text names its currency as people do (€, $):
	// reading that is the point, not a rewrite of a code.
	fromText := false
	if in.Min == nil && in.Max == nil && strings.TrimSpace(in.Text) != "" {
		fromText = true
		parsed, ok := normalize.ParseSalaryText(in.Text)
		if !ok {
			ps.warn("salary", ProblemSalaryUnparsed, "the salary %q could not be read as amounts, a currency and a period; it is left out", normalize.CleanText(in.Text))
			return nil
		}
		in = parsed
	}
	if in.Min == nil && in.Max == nil {
		if in.Currency != "" || in.Unit != "" {
			ps.err("salary", ProblemRequired, "salary needs min, max or both")
		}
		return nil
	}
	s := Salary{}
	currency, ok := salaryCurrency(ps, in.Currency, fromText)
	bad := !ok
	s.Currency = currency
	unit, ok := normalize.MapSalaryUnit(in.Unit)
	if !ok {
		if strings.TrimSpace(in.Unit) == "" {
			ps.err("salary.unit", ProblemRequired, "salary.unit is required: HOUR, DAY, WEEK, MONTH or YEAR")
		} else {
			ps.err("salary.unit", ProblemUnknownSalaryUnit, "salary.unit %q is not HOUR, DAY, WEEK, MONTH or YEAR", in.Unit)
		}
		bad = true
	}
	s.Unit = unit
	for _, b := range []struct {
		field string
		v     *float64
		dst   **int64
	}{{"salary.min", in.Min, &s.MinCents}, {"salary.max", in.Max, &s.MaxCents}} {
		if b.v == nil {
			continue
		}
		cents, err := normalize.SalaryCents(*b.v, currency, unit)
		if err != nil {
			ps.err(b.field, ProblemSalaryImplausible, "%s %v", b.field, err)
			bad = true
			continue
		}
		*b.dst = &cents
	}
	if s.MinCents != nil && s.MaxCents != nil && *s.MinCents > *s.MaxCents {
		ps.err("salary.min", ProblemSalaryRange, "salary.min (%g) is more than salary.max (%g)", *in.Min, *in.Max)
		bad = true
	}
	if bad {
		return nil
	}
	return &s
}

// salaryCurrency reads a salary's currency code, reporting a missing or
// unknown one (ok false) and warning when a common name stands for the code,
// unless the salary was written as text, where such names are expected.
func salaryCurrency(ps *problems, raw string, fromText bool) (currency string, ok bool) {
	currency, alias, ok := normalize.CurrencyCode(raw)
	switch {
	case !ok && strings.TrimSpace(raw) == "":
		ps.err("salary.currency", ProblemRequired, "salary.currency is required (an ISO 4217 code such as EUR)")
	case !ok:
		ps.err("salary.currency", ProblemInvalidCurrency, "salary.currency %q is not an active ISO 4217 currency code such as EUR", normalize.CleanText(raw))
	case alias && !fromText:
		ps.warn("salary.currency", ProblemCurrencyMapped, "salary.currency %q is not an ISO 4217 code; read as %s", normalize.CleanText(raw), currency)
	}
	return currency, ok
}

func (n *normalizer) dates(ps *problems, item Item, v *Vacancy) {
	if strings.TrimSpace(item.DatePosted) == "" {
		ps.err("datePosted", ProblemRequired, "datePosted is required")
	} else if d, assumed, err := normalize.ParseDate(item.DatePosted, n.loc); err != nil {
		ps.err("datePosted", ProblemInvalidDate, "datePosted: %v", err)
	} else {
		if assumed {
			ps.warn("datePosted", ProblemLocalTimeAssumed, "datePosted %q has no time zone; read as %s time", item.DatePosted, n.loc)
		}
		if d.At.After(n.now.Add(24 * time.Hour)) {
			ps.err("datePosted", ProblemDateInFuture, "datePosted %s is in the future", d.Text)
		}
		v.DatePosted = d
	}
	if strings.TrimSpace(item.ValidThrough) != "" {
		if d, assumed, err := normalize.ParseDate(item.ValidThrough, n.loc); err != nil {
			ps.err("validThrough", ProblemInvalidDate, "validThrough: %v", err)
		} else {
			if assumed {
				ps.warn("validThrough", ProblemLocalTimeAssumed, "validThrough %q has no time zone; read as %s time", item.ValidThrough, n.loc)
			}
			v.ValidThrough = d.Text
			v.ExpiresAt = expiry(d, n.loc)
			if !v.DatePosted.IsZero() && !v.ExpiresAt.After(v.DatePosted.At) {
				ps.err("validThrough", ProblemDateOrder, "validThrough %s is before datePosted %s", d.Text, v.DatePosted.Text)
			}
		}
	}
	if strings.TrimSpace(item.SourceUpdatedAt) != "" {
		if d, _, err := normalize.ParseDate(item.SourceUpdatedAt, n.loc); err != nil {
			ps.err("sourceUpdatedAt", ProblemInvalidDate, "sourceUpdatedAt: %v", err)
		} else {
			v.SourceUpdatedAt = d.At
		}
	}
}

// expiry is when a vacancy valid through d stops being served: d itself,
// or for a plain date the end of that day in loc.
func expiry(d Date, loc *time.Location) time.Time {
	if !d.DateOnly() {
		return d.At
	}
	local := d.At.In(loc)
	return time.Date(local.Year(), local.Month(), local.Day()+1, 0, 0, 0, 0, loc).UTC()
}

// role maps an item to a role: its roleSlug when given (an unknown one
// rejects the item, since the source meant a role page and a typo must
// not go unnoticed), else the source's rules (no match: stored without a
// role, with a warning).
func (n *normalizer) role(ps *problems, item Item, title string) string {
	if slug := strings.TrimSpace(item.RoleSlug); slug != "" {
		id, ok := n.roles[strings.ToLower(slug)]
		if !ok {
			ps.err("roleSlug", ProblemUnknownRole, "no published role has the slug %q", slug)
		}
		return id
	}
	categories := make([]string, 0, len(item.Categories))
	for _, c := range item.Categories {
		categories = append(categories, normalize.CleanText(c))
	}
	if slug := matchRules(n.rules, title, categories); slug != "" {
		if id, ok := n.roles[strings.ToLower(slug)]; ok {
			return id
		}
		ps.warn("roleSlug", ProblemRoleUnmapped, "the role rule's role %q is not published; stored without a role", slug)
		return ""
	}
	ps.warn("roleSlug", ProblemRoleUnmapped, "no roleSlug and no role rule matched; stored without a role, so it is listed in vacancies but on no role page")
	return ""
}

// roleSlugs lists the role slugs a batch of items may need, lower case.
func (n *normalizer) roleSlugs(items []Item) []string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		s = strings.ToLower(strings.TrimSpace(s))
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, it := range items {
		add(it.RoleSlug)
	}
	for _, r := range n.rules {
		add(r.Role)
	}
	return out
}

// normalizeVersion names the checks normalize applies. Change it whenever
// they change (what is accepted, how text is cleaned): the input hash of
// every stored vacancy then differs, so each is checked again, and
// rewritten if its content comes out different, the next time it is sent.
const normalizeVersion = "2026-11-29.2"

// fingerprint covers what normalizing an item depends on besides the item
// and the role its slug names: the rules' version and the source's
// settings, with the roles its role rules name.
func (n *normalizer) fingerprint() []byte {
	ruleRoles := map[string]string{}
	for _, r := range n.rules {
		ruleRoles[r.Role] = n.roles[strings.ToLower(r.Role)]
	}
	doc := struct {
		Version, Language, TimeZone string
		AllowedHosts                []string
		RoleRules                   []RoleRule
		RuleRoles                   map[string]string
	}{normalizeVersion, n.src.Language, n.src.TimeZone, n.src.AllowedHosts, n.src.RoleRules, ruleRoles}
	b, err := json.Marshal(doc)
	if err != nil {
		panic(err) // plain data always encodes
	}
	return b
}

// inputHash identifies an item as sent, with everything normalizing it
// depends on (fingerprint, and the role its slug names), so that an item
// sent again is recognised without normalizing it. Only the current time
// is left out: it can only make an item expire, and expired vacancies are
// never taken as unchanged this way.
func (n *normalizer) inputHash(fingerprint []byte, item Item) string {
	b, err := json.Marshal(item)
	if err != nil {
		panic(err) // plain data always encodes
	}
	h := sha256.New()
	h.Write(fingerprint)
	h.Write([]byte{0})
	h.Write(b)
	h.Write([]byte{0})
	h.Write([]byte(n.roles[strings.ToLower(strings.TrimSpace(item.RoleSlug))]))
	return hex.EncodeToString(h.Sum(nil))
}

// contentHash covers everything the source controls except the key and
// sourceUpdatedAt, so an item sent again unchanged is recognised.
func contentHash(v *Vacancy) string {
	doc := struct {
		RoleID, Title, Description, URL, ApplyURL string
		Organization                              Organization
		Types                                     int
		Workplace                                 WorkplaceType
		Locations                                 []Location
		Hours                                     *Hours
		Salary                                    *Salary
		Posted, Through                           string
		Expires                                   int64
	}{
		v.RoleID, v.Title, v.Description, v.URL, v.ApplyURL, v.Organization,
		EmploymentMask(v.EmploymentTypes), v.WorkplaceType, v.Locations, v.Hours, v.Salary,
		v.DatePosted.Text, v.ValidThrough, unixOrZero(v.ExpiresAt),
	}
	b, err := json.Marshal(doc)
	if err != nil {
		panic(err) // plain data always encodes
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

// Normalize checks and cleans one item of src exactly as a sync would, at
// now, with roles mapping lower-case role slugs to the ids of live roles.
// The vacancy is meaningful only when the problems hold no error (see
// Rejected); it has no id or timestamps yet.
func Normalize(src *Source, roles map[string]string, now time.Time, item Item) (Vacancy, []Problem, error) {
	n, err := newNormalizer(src, roles, now)
	if err != nil {
		return Vacancy{}, nil, err
	}
	v, ps := n.normalize(item)
	return v, ps, nil
}
