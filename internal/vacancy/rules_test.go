package vacancy_test

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/werkwijzer/werkwijzer/internal/vacancy"
)

var ruleSource = &vacancy.Source{
	ID: "src", Name: "test", Kind: vacancy.KindPush, Language: "nl", TimeZone: "Europe/Amsterdam",
	AllowedHosts: []string{"example.com"},
	RoleRules: []vacancy.RoleRule{
		{Field: "category", Pattern: "^office ?management$", Role: "office-manager"},
		{Field: "title", Pattern: `personal assistant|directiesecretaresse`, Role: "personal-assistant"},
	},
}

var ruleRoles = map[string]string{"office-manager": "role-om", "personal-assistant": "role-pa"}

func normalize(t *testing.T, mutate func(*vacancy.Item)) (vacancy.Vacancy, []vacancy.Problem) {
	t.Helper()
	it := item("x-1")
	it.URL = "https://jobs.example.com/x-1"
	mutate(&it)
	v, ps, err := vacancy.Normalize(ruleSource, ruleRoles, testNow, it)
	if err != nil {
		t.Fatal(err)
	}
	return v, ps
}

// problem returns the problem with code on field, if any.
func problem(ps []vacancy.Problem, field string, code vacancy.ProblemCode) (vacancy.Problem, bool) {
	for _, p := range ps {
		if p.Field == field && p.Code == code {
			return p, true
		}
	}
	return vacancy.Problem{}, false
}

func TestAValidItemHasNoProblems(t *testing.T) {
	v, ps := normalize(t, func(*vacancy.Item) {})
	if len(ps) != 0 {
		t.Fatalf("problems: %+v", ps)
	}
	if v.RoleID != "role-om" || v.Status != vacancy.StatusOpen || len(v.ContentHash) != 64 {
		t.Fatalf("vacancy: %+v", v)
	}
	if v.Locations[0].PostalCode != "3511 AB" {
		t.Fatalf("Dutch postal code not normalised: %q", v.Locations[0].PostalCode)
	}
	if v.Hours.Min != 32 || v.Hours.Max != 40 || *v.Salary.MinCents != 320000 || v.Salary.Unit != vacancy.PerMonth {
		t.Fatalf("hours %+v salary %+v", v.Hours, v.Salary)
	}
}

func TestLinksMustBeHTTPSOnAllowedPublicHosts(t *testing.T) {
	cases := []struct {
		url  string
		code vacancy.ProblemCode
	}{
		{"javascript:alert(document.cookie)", vacancy.ProblemURLScheme},
		{"JavaScript:alert(1)", vacancy.ProblemURLScheme},
		{"data:text/html,<script>alert(1)</script>", vacancy.ProblemURLScheme},
		{"http://jobs.example.com/x", vacancy.ProblemURLScheme},
		{"ftp://jobs.example.com/x", vacancy.ProblemURLScheme},
		{"//jobs.example.com/x", vacancy.ProblemURLScheme},
		{"/vacatures/x", vacancy.ProblemURLScheme},
		{"https://192.168.1.10/x", vacancy.ProblemURLHost},
		{"https://[::1]/x", vacancy.ProblemURLHost},
		{"https://localhost/x", vacancy.ProblemURLHost},
		{"https://evil.test/x", vacancy.ProblemURLHost},
		{"https://example.com.evil.test/x", vacancy.ProblemURLHost},
		{"https://user:pass@jobs.example.com/x", vacancy.ProblemInvalidURL},
		{"https://jobs.example.com:8443/x", vacancy.ProblemInvalidURL},
		{"https://jobs.example.com/a b", vacancy.ProblemInvalidURL},
		{"https://.example.com/x", vacancy.ProblemInvalidURL},
		{"https://jobs..example.com/x", vacancy.ProblemInvalidURL},
		{"https://.0/x", vacancy.ProblemInvalidURL},
		{"https://jobs.example.com/" + strings.Repeat("a", 2100), vacancy.ProblemTooLong},
	}
	for _, c := range cases {
		_, ps := normalize(t, func(it *vacancy.Item) { it.URL = c.url })
		if _, ok := problem(ps, "url", c.code); !ok {
			t.Errorf("url %q: want %s, got %+v", c.url, c.code, ps)
		}
		if !vacancy.Rejected(ps) {
			t.Errorf("url %q was not rejected", c.url)
		}
		_, ps = normalize(t, func(it *vacancy.Item) { it.ApplyURL = c.url })
		if _, ok := problem(ps, "applyUrl", c.code); !ok {
			t.Errorf("applyUrl %q: want %s, got %+v", c.url, c.code, ps)
		}
	}
	for _, ok := range []string{"https://example.com/x", "https://jobs.example.com/x?a=1#b", "HTTPS://JOBS.EXAMPLE.COM/x", "https://jobs.example.com:443/x"} {
		v, ps := normalize(t, func(it *vacancy.Item) { it.URL = ok })
		if vacancy.Rejected(ps) || !strings.HasPrefix(v.URL, "https://") {
			t.Errorf("url %q refused: %+v", ok, ps)
		}
	}
	// A query string that tries to end an attribute or a script element
	// comes out percent-encoded.
	v, ps := normalize(t, func(it *vacancy.Item) {
		it.URL = `https://jobs.example.com/x?ref=</script><img/src=x/onerror='a'>&q="` + "`"
	})
	if vacancy.Rejected(ps) || strings.ContainsAny(v.URL, "<>\"'`") || !strings.Contains(v.URL, "ref=%3C/script%3E%3Cimg") {
		t.Errorf("query not made safe: %q %+v", v.URL, ps)
	}
	// An organization's own link is optional: a bad one is dropped with a
	// warning, the vacancy stays.
	v, ps = normalize(t, func(it *vacancy.Item) { it.Organization.URL = "javascript:alert(1)" })
	if p, ok := problem(ps, "hiringOrganization.url", vacancy.ProblemURLScheme); !ok || !p.Warning || vacancy.Rejected(ps) || v.Organization.URL != "" {
		t.Fatalf("organization url: %+v %+v", v.Organization, ps)
	}
}

func TestApplyURLDefaultsToTheVacancyURL(t *testing.T) {
	v, _ := normalize(t, func(it *vacancy.Item) { it.ApplyURL = "" })
	if v.ApplyURL != v.URL {
		t.Fatalf("applyUrl %q, url %q", v.ApplyURL, v.URL)
	}
}

// allowedOnly parses HTML and fails on any element or attribute outside
// the description's allowlist.
func allowedOnly(t testing.TB, s string) {
	t.Helper()
	allowed := []string{"p", "ul", "ol", "li", "strong", "em", "br"}
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if !slices.Contains(allowed, string(name)) || hasAttr {
				t.Fatalf("%q in sanitized output %q", name, s)
			}
		}
	}
}

func TestDescriptionsKeepStructureAndLoseEverythingActive(t *testing.T) {
	cases := []struct {
		in, want string
		removed  bool
	}{
		{`<p>Hallo <b>wereld</b> en <i>jij</i>.</p>`, `<p>Hallo <strong>wereld</strong> en <em>jij</em>.</p>`, false},
		{`<h2>Wat ga je doen?</h2><ul><li>Plannen</li><li>Regelen</li></ul>`, `<p><strong>Wat ga je doen?</strong></p><ul><li>Plannen</li><li>Regelen</li></ul>`, false},
		{`<p onclick="steal()">Klik</p><script>alert(1)</script><style>p{}</style>`, `<p>Klik</p>`, true},
		{`<p>Zie <a href="javascript:alert(1)">hier</a>.</p>`, `<p>Zie hier.</p>`, true},
		{`<iframe src="https://evil.test"></iframe><p>Tekst</p>`, `<p>Tekst</p>`, true},
		{`<div>Een</div><div>Twee</div>`, `<p>Een</p><p>Twee</p>`, false},
		{`<p>Caf&amp;eacute; &amp;amp; bar</p>`, `<p>Café &amp; bar</p>`, false},
		{`&lt;p&gt;Dubbel &lt;strong&gt;escaped&lt;/strong&gt;&lt;/p&gt;`, `<p>Dubbel <strong>escaped</strong></p>`, false},
		{"Eerste alinea\nmet regel.\n\nTaken:\n- plannen\n- regelen\n• bellen", `<p>Eerste alinea<br>met regel.</p><p>Taken:</p><ul><li>plannen</li><li>regelen</li><li>bellen</li></ul>`, false},
		{`<strong>Vet <div>blok</div> verder</strong>`, `<p><strong>Vet </strong></p><p><strong>blok</strong></p><p><strong>verder</strong></p>`, false},
		{`<ol><li>Een<ul><li>a</li></ul></li><li>Twee</li></ol>`, `<ol><li>Een<ul><li>a</li></ul></li><li>Twee</li></ol>`, false},
		{`<table><tr><td>Cel 1</td><td>Cel 2</td></tr></table>`, `<p>Cel 1</p><p>Cel 2</p>`, false},
		{`<svg><script>alert(1)</script></svg><p>ok</p>`, `<p>ok</p>`, true},
		{`<img src=x onerror=alert(1)><p>foto</p>`, `<p>foto</p>`, true},
	}
	for _, c := range cases {
		got, removed := vacancy.SanitizeDescription(c.in)
		if got != c.want {
			t.Errorf("SanitizeDescription(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
		if removed != c.removed {
			t.Errorf("SanitizeDescription(%q) removed=%v, want %v", c.in, removed, c.removed)
		}
		allowedOnly(t, got)
	}
	_, ps := normalize(t, func(it *vacancy.Item) { it.Description = `<p>Tekst</p><script>x()</script>` })
	if p, ok := problem(ps, "description", vacancy.ProblemMarkupRemoved); !ok || !p.Warning || vacancy.Rejected(ps) {
		t.Fatalf("want a MARKUP_REMOVED warning only, got %+v", ps)
	}
	_, ps = normalize(t, func(it *vacancy.Item) { it.Description = `<script>only()</script>` })
	if _, ok := problem(ps, "description", vacancy.ProblemRequired); !ok {
		t.Fatalf("a description of nothing but a script must be rejected: %+v", ps)
	}
}

func TestTitlesArePlainText(t *testing.T) {
	v, ps := normalize(t, func(it *vacancy.Item) { it.Title = "  <b>Office&amp;amp;nbsp;manager</b>\t&amp; PA\x00 " })
	if vacancy.Rejected(ps) || v.Title != "Office manager & PA" {
		t.Fatalf("title %q (%+v)", v.Title, ps)
	}
	_, ps = normalize(t, func(it *vacancy.Item) { it.Title = "<script>alert(1)</script>" })
	if _, ok := problem(ps, "title", vacancy.ProblemRequired); !ok {
		t.Fatalf("a title that is only a script is empty: %+v", ps)
	}
}

func TestDatesKeepTheirOffsetAndNeverShiftSilently(t *testing.T) {
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	cases := []struct {
		in, text string
		at       time.Time
		assumed  bool
	}{
		{"2026-10-01", "2026-10-01", time.Date(2026, 9, 30, 22, 0, 0, 0, time.UTC), false},
		{"2026-12-01", "2026-12-01", time.Date(2026, 11, 30, 23, 0, 0, 0, time.UTC), false},
		{"01-10-2026", "2026-10-01", time.Date(2026, 9, 30, 22, 0, 0, 0, time.UTC), false},
		{"2026-10-01T09:00:00+02:00", "2026-10-01T09:00:00+02:00", time.Date(2026, 10, 1, 7, 0, 0, 0, time.UTC), false},
		{"2026-10-01T09:00:00.123Z", "2026-10-01T09:00:00Z", time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC), false},
		{"2026-10-01 12:32:15 UTC", "2026-10-01T12:32:15Z", time.Date(2026, 10, 1, 12, 32, 15, 0, time.UTC), false},
		{"Fri, 02 Oct 2026 22:49:39 GMT", "2026-10-02T22:49:39Z", time.Date(2026, 10, 2, 22, 49, 39, 0, time.UTC), false},
		{"Fri, 02 Oct 2026 10:00:00 +0100", "2026-10-02T10:00:00+01:00", time.Date(2026, 10, 2, 9, 0, 0, 0, time.UTC), false},
		{"2 okt 2026 10:00 CEST", "2026-10-02T10:00:00+02:00", time.Date(2026, 10, 2, 8, 0, 0, 0, time.UTC), false},
		{"2026-10-01T09:00:00", "2026-10-01T09:00:00+02:00", time.Date(2026, 10, 1, 7, 0, 0, 0, time.UTC), true},
		{"2026-01-15 09:00", "2026-01-15T09:00:00+01:00", time.Date(2026, 1, 15, 8, 0, 0, 0, time.UTC), true},
	}
	for _, c := range cases {
		d, assumed, err := vacancy.ParseDate(c.in, ams)
		if err != nil {
			t.Errorf("ParseDate(%q): %v", c.in, err)
			continue
		}
		if d.Text != c.text || !d.At.Equal(c.at) || assumed != c.assumed {
			t.Errorf("ParseDate(%q) = %q %v assumed=%v; want %q %v assumed=%v", c.in, d.Text, d.At, assumed, c.text, c.at, c.assumed)
		}
	}
	for _, bad := range []string{"01/02/2026", "2/3/26", "2026-02-30", "2026-13-01", "1899-01-01", "next week", "2026-10-01T09:00:00 EST", "2026-10-01T25:00:00Z", "2026-10-01T09:00:00+15:00"} {
		if _, _, err := vacancy.ParseDate(bad, ams); err == nil {
			t.Errorf("ParseDate(%q) accepted an ambiguous or invalid date", bad)
		}
	}
}

func TestDateRules(t *testing.T) {
	_, ps := normalize(t, func(it *vacancy.Item) { it.DatePosted, it.ValidThrough = "2026-10-10", "2026-10-09" })
	if _, ok := problem(ps, "validThrough", vacancy.ProblemDateOrder); !ok {
		t.Fatalf("validThrough before datePosted: %+v", ps)
	}
	// Valid through the day it was posted is fine: it is valid that day.
	if _, ps := normalize(t, func(it *vacancy.Item) { it.DatePosted, it.ValidThrough = "2026-10-10T15:00:00+02:00", "2026-10-10" }); vacancy.Rejected(ps) {
		t.Fatalf("valid through the posting day: %+v", ps)
	}
	_, ps = normalize(t, func(it *vacancy.Item) { it.DatePosted = "2026-11-20" })
	if _, ok := problem(ps, "datePosted", vacancy.ProblemDateInFuture); !ok {
		t.Fatalf("a posting date a month ahead: %+v", ps)
	}
	_, ps = normalize(t, func(it *vacancy.Item) { it.DatePosted = "" })
	if _, ok := problem(ps, "datePosted", vacancy.ProblemRequired); !ok {
		t.Fatalf("no datePosted: %+v", ps)
	}
	v, ps := normalize(t, func(it *vacancy.Item) { it.DatePosted = "2026-10-01T10:00:00" })
	if p, ok := problem(ps, "datePosted", vacancy.ProblemLocalTimeAssumed); !ok || !p.Warning || v.DatePosted.Text != "2026-10-01T10:00:00+02:00" {
		t.Fatalf("local time: %+v %+v", v.DatePosted, ps)
	}
	// A plain valid-through date runs to the end of that day in the
	// source's time zone, in winter time as in summer time.
	v, _ = normalize(t, func(it *vacancy.Item) { it.ValidThrough = "2026-12-31" })
	if want := time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC); !v.ExpiresAt.Equal(want) || v.ValidThrough != "2026-12-31" {
		t.Fatalf("expires %v, want %v", v.ExpiresAt, want)
	}
	v, _ = normalize(t, func(it *vacancy.Item) { it.ValidThrough = "2026-10-20" })
	if want := time.Date(2026, 10, 20, 22, 0, 0, 0, time.UTC); !v.ExpiresAt.Equal(want) || v.Status != vacancy.StatusOpen {
		t.Fatalf("expires %v (status %s), want %v and open at %v", v.ExpiresAt, v.Status, want, testNow)
	}
	v, ps = normalize(t, func(it *vacancy.Item) { it.ValidThrough = "2026-10-19" })
	if vacancy.Rejected(ps) || v.Status != vacancy.StatusExpired || v.ClosedReason != vacancy.ReasonExpired {
		t.Fatalf("an item past its validThrough is stored as expired: %+v %+v", v.Status, ps)
	}
}

func TestSalarySanity(t *testing.T) {
	cases := []struct {
		salary vacancy.SalaryInput
		field  string
		code   vacancy.ProblemCode
	}{
		{vacancy.SalaryInput{Min: ptr(5000.0), Max: ptr(4000.0), Currency: "EUR", Unit: "MONTH"}, "salary.min", vacancy.ProblemSalaryRange},
		{vacancy.SalaryInput{Min: ptr(-10.0), Currency: "EUR", Unit: "HOUR"}, "salary.min", vacancy.ProblemSalaryImplausible},
		// Currencies without plausibility bounds still refuse amounts that
		// are not positive numbers.
		{vacancy.SalaryInput{Min: ptr(-10.0), Currency: "SEK", Unit: "HOUR"}, "salary.min", vacancy.ProblemSalaryImplausible},
		{vacancy.SalaryInput{Max: ptr(math.NaN()), Currency: "SEK", Unit: "MONTH"}, "salary.max", vacancy.ProblemSalaryImplausible},
		{vacancy.SalaryInput{Min: ptr(math.Inf(1)), Currency: "JPY", Unit: "YEAR"}, "salary.min", vacancy.ProblemSalaryImplausible},
		{vacancy.SalaryInput{Min: ptr(3500.0), Max: ptr(4000.0), Currency: "EUR", Unit: "YEAR"}, "salary.min", vacancy.ProblemSalaryImplausible},
		{vacancy.SalaryInput{Min: ptr(45000.0), Currency: "EUR", Unit: "HOUR"}, "salary.min", vacancy.ProblemSalaryImplausible},
		{vacancy.SalaryInput{Min: ptr(3000.0), Currency: "XYZ", Unit: "MONTH"}, "salary.currency", vacancy.ProblemInvalidCurrency},
		{vacancy.SalaryInput{Min: ptr(3000.0), Unit: "MONTH"}, "salary.currency", vacancy.ProblemRequired},
		{vacancy.SalaryInput{Min: ptr(3000.0), Currency: "EUR", Unit: "fortnight"}, "salary.unit", vacancy.ProblemUnknownSalaryUnit},
		{vacancy.SalaryInput{Min: ptr(3000.0), Currency: "EUR"}, "salary.unit", vacancy.ProblemRequired},
	}
	for _, c := range cases {
		_, ps := normalize(t, func(it *vacancy.Item) { s := c.salary; it.Salary = &s })
		if _, ok := problem(ps, c.field, c.code); !ok || !vacancy.Rejected(ps) {
			t.Errorf("salary %+v: want %s on %s, got %+v", c.salary, c.code, c.field, ps)
		}
	}
	v, ps := normalize(t, func(it *vacancy.Item) {
		it.Salary = &vacancy.SalaryInput{Min: ptr(14.065), Currency: "€", Unit: "per uur"}
	})
	if vacancy.Rejected(ps) || *v.Salary.MinCents != 1407 || v.Salary.MaxCents != nil || v.Salary.Currency != "EUR" || v.Salary.Unit != vacancy.PerHour {
		t.Fatalf("salary %+v %+v", v.Salary, ps)
	}
	_, ps = normalize(t, func(it *vacancy.Item) { it.HoursPerWeek = &vacancy.HoursInput{Min: ptr(40.0), Max: ptr(32.0)} })
	if _, ok := problem(ps, "hoursPerWeek.min", vacancy.ProblemHoursRange); !ok {
		t.Fatalf("hours min above max: %+v", ps)
	}
	_, ps = normalize(t, func(it *vacancy.Item) { it.HoursPerWeek = &vacancy.HoursInput{Max: ptr(168.0)} })
	if _, ok := problem(ps, "hoursPerWeek", vacancy.ProblemHoursRange); !ok {
		t.Fatalf("168 hours a week: %+v", ps)
	}
}

func TestSalaryText(t *testing.T) {
	cases := []struct {
		text     string
		min, max float64 // 0: absent
		currency string
		unit     vacancy.SalaryUnit
	}{
		{"€ 2.800 - € 3.400 per maand", 2800, 3400, "EUR", vacancy.PerMonth},
		{"€14,06 per uur", 14.06, 14.06, "EUR", vacancy.PerHour},
		{"tot €4.000 bruto per maand", 0, 4000, "EUR", vacancy.PerMonth},
		{"vanaf € 3000 p/mnd", 3000, 0, "EUR", vacancy.PerMonth},
		{"$50K per year", 50000, 50000, "USD", vacancy.PerYear},
		{"EUR 52,000 - 60,000 per year", 52000, 60000, "EUR", vacancy.PerYear},
		{"€ 3.000,50 - € 3.500,75 per maand", 3000.50, 3500.75, "EUR", vacancy.PerMonth},
		{"€ 12.50 per uur", 12.50, 12.50, "EUR", vacancy.PerHour},
		{"€ 12.5 per uur", 12.5, 12.5, "EUR", vacancy.PerHour},
		{"€ 1.250 per maand", 1250, 1250, "EUR", vacancy.PerMonth},
	}
	for _, c := range cases {
		in, ok := vacancy.ParseSalaryText(c.text)
		if !ok {
			t.Errorf("ParseSalaryText(%q) failed", c.text)
			continue
		}
		get := func(p *float64) float64 {
			if p == nil {
				return 0
			}
			return *p
		}
		if get(in.Min) != c.min || get(in.Max) != c.max || in.Currency != c.currency || in.Unit != string(c.unit) {
			t.Errorf("ParseSalaryText(%q) = %v-%v %s %s", c.text, get(in.Min), get(in.Max), in.Currency, in.Unit)
		}
	}
	for _, bad := range []string{"marktconform", "€ 3000", "3000 per maand", "goed salaris per maand"} {
		if in, ok := vacancy.ParseSalaryText(bad); ok {
			t.Errorf("ParseSalaryText(%q) = %+v; want a failure", bad, in)
		}
	}
	// From a feed, an unreadable salary is left out with a warning.
	v, ps := normalize(t, func(it *vacancy.Item) { it.Salary = &vacancy.SalaryInput{Text: "marktconform"} })
	if p, ok := problem(ps, "salary", vacancy.ProblemSalaryUnparsed); !ok || !p.Warning || vacancy.Rejected(ps) || v.Salary != nil {
		t.Fatalf("unreadable salary text: %+v %+v", v.Salary, ps)
	}
}

func TestEmploymentTypesMapWhatSourcesReallySend(t *testing.T) {
	cases := []struct {
		in   string
		want []vacancy.EmploymentType
	}{
		{"fulltime", []vacancy.EmploymentType{vacancy.FullTime}},
		{"Full-time", []vacancy.EmploymentType{vacancy.FullTime}},
		{"full time", []vacancy.EmploymentType{vacancy.FullTime}},
		{"FULL_TIME", []vacancy.EmploymentType{vacancy.FullTime}},
		{"Voltijd", []vacancy.EmploymentType{vacancy.FullTime}},
		{"parttime", []vacancy.EmploymentType{vacancy.PartTime}},
		{"Deeltijd", []vacancy.EmploymentType{vacancy.PartTime}},
		{"Parttime (24 - 32 uur)", []vacancy.EmploymentType{vacancy.PartTime}},
		{"tijdelijk", []vacancy.EmploymentType{vacancy.Temporary}},
		{"ZZP", []vacancy.EmploymentType{vacancy.Contractor}},
		{"freelance", []vacancy.EmploymentType{vacancy.Contractor}},
		{"stage", []vacancy.EmploymentType{vacancy.Intern}},
		{"vrijwilliger", []vacancy.EmploymentType{vacancy.Volunteer}},
		{"oproepkracht", []vacancy.EmploymentType{vacancy.PerDiem}},
		{"fulltime_fixed_term", []vacancy.EmploymentType{vacancy.FullTime, vacancy.Temporary}},
		{"Fulltime, parttime", []vacancy.EmploymentType{vacancy.FullTime, vacancy.PartTime}},
		{"voltijd of deeltijd", []vacancy.EmploymentType{vacancy.FullTime, vacancy.PartTime}},
		{"Fulltime, vast", []vacancy.EmploymentType{vacancy.FullTime}},
		{"Tijdelijk / ZZP", []vacancy.EmploymentType{vacancy.Contractor, vacancy.Temporary}},
	}
	for _, c := range cases {
		got, known := vacancy.MapEmploymentType(c.in)
		if !known || !slices.Equal(got, c.want) {
			t.Errorf("MapEmploymentType(%q) = %v known=%v; want %v", c.in, got, known, c.want)
		}
	}
	v, ps := normalize(t, func(it *vacancy.Item) { it.EmploymentTypes = []string{"fulltime", "bonusregeling"} })
	if p, ok := problem(ps, "employmentTypes[1]", vacancy.ProblemUnknownEmploymentType); !ok || !p.Warning || vacancy.Rejected(ps) ||
		!slices.Equal(v.EmploymentTypes, []vacancy.EmploymentType{vacancy.FullTime}) {
		t.Fatalf("unknown employment type: %v %+v", v.EmploymentTypes, ps)
	}
	for in, want := range map[string]vacancy.WorkplaceType{"remote": vacancy.Remote, "Thuiswerken": vacancy.Remote, "Hybride": vacancy.Hybrid,
		"Hybrid remote": vacancy.Hybrid, "op locatie": vacancy.Onsite, "ONSITE": vacancy.Onsite} {
		if got, ok := vacancy.MapWorkplaceType(in); !ok || got != want {
			t.Errorf("MapWorkplaceType(%q) = %s", in, got)
		}
	}
}

func TestRolesAndKeys(t *testing.T) {
	_, ps := normalize(t, func(it *vacancy.Item) { it.RoleSlug = "astronaut" })
	if _, ok := problem(ps, "roleSlug", vacancy.ProblemUnknownRole); !ok || !vacancy.Rejected(ps) {
		t.Fatalf("unknown role: %+v", ps)
	}
	v, ps := normalize(t, func(it *vacancy.Item) { it.RoleSlug, it.Categories = "", []string{"Office Management"} })
	if v.RoleID != "role-om" || len(ps) != 0 {
		t.Fatalf("category rule: role %q %+v", v.RoleID, ps)
	}
	v, ps = normalize(t, func(it *vacancy.Item) { it.RoleSlug, it.Title = "", "Directiesecretaresse (32 uur)" })
	if v.RoleID != "role-pa" || len(ps) != 0 {
		t.Fatalf("title rule: role %q %+v", v.RoleID, ps)
	}
	v, ps = normalize(t, func(it *vacancy.Item) { it.RoleSlug, it.Title = "", "Magazijnmedewerker" })
	if p, ok := problem(ps, "roleSlug", vacancy.ProblemRoleUnmapped); !ok || !p.Warning || vacancy.Rejected(ps) || v.RoleID != "" {
		t.Fatalf("no role: %q %+v", v.RoleID, ps)
	}
	for _, bad := range []vacancy.Item{{ExternalID: ""}, {ExternalID: strings.Repeat("x", 201)}, {ExternalID: "a\x00b"}} {
		_, ps := normalize(t, func(it *vacancy.Item) { it.ExternalID = bad.ExternalID })
		if !vacancy.Rejected(ps) {
			t.Errorf("externalId %q accepted", bad.ExternalID)
		}
	}
	v, ps = normalize(t, func(it *vacancy.Item) { it.Language = "EN-gb" })
	if v.Language != "en-GB" || vacancy.Rejected(ps) {
		t.Fatalf("language %q %+v", v.Language, ps)
	}
	if _, ps := normalize(t, func(it *vacancy.Item) { it.Language = "klingon!" }); !vacancy.Rejected(ps) {
		t.Fatal("an invalid language tag was accepted")
	}
}

func TestContentHashChangesWithContentOnly(t *testing.T) {
	a, _ := normalize(t, func(*vacancy.Item) {})
	b, _ := normalize(t, func(it *vacancy.Item) { it.SourceUpdatedAt = "2026-10-02T10:00:00Z" })
	c, _ := normalize(t, func(it *vacancy.Item) { it.Title = "Office manager (m/v/x)" })
	d, _ := normalize(t, func(it *vacancy.Item) {
		it.Description = `<p>Je houdt het kantoor draaiende.</p><ul><li>Budgetten</li><li>Leveranciers</li></ul>`
	})
	if a.ContentHash != b.ContentHash || a.ContentHash != d.ContentHash {
		t.Fatal("the hash changed without a change of content")
	}
	if a.ContentHash == c.ContentHash {
		t.Fatal("the hash did not change with the title")
	}
}

func TestJobPostingHasGooglesRequiredProperties(t *testing.T) {
	v, _ := normalize(t, func(it *vacancy.Item) { it.Title = "Office manager </script><script>alert(1)</script>" })
	raw := vacancy.JobPosting(&v)
	if raw == nil {
		t.Fatal("no JobPosting for a complete vacancy")
	}
	if strings.Contains(string(raw), "</script>") {
		t.Fatalf("JSON-LD can break out of its script element: %s", raw)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"@context", "@type", "title", "description", "datePosted", "hiringOrganization", "jobLocation", "validThrough", "employmentType", "baseSalary"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("JobPosting lacks %s: %s", k, raw)
		}
	}
	if doc["@type"] != "JobPosting" || doc["datePosted"] != "2026-10-01" || doc["validThrough"] != "2026-12-31" || doc["employmentType"] != "FULL_TIME" {
		t.Fatalf("JobPosting: %s", raw)
	}
	if doc["jobLocationType"] != "TELECOMMUTE" {
		t.Fatalf("a hybrid job lists TELECOMMUTE besides its place: %s", raw)
	}
	// No place of work: Google would reject it, so there is none.
	v, _ = normalize(t, func(it *vacancy.Item) { it.Locations, it.WorkplaceType = nil, "op locatie" })
	if raw := vacancy.JobPosting(&v); raw != nil {
		t.Fatalf("JobPosting without a place of work: %s", raw)
	}
	// Fully remote: a country is enough, as applicantLocationRequirements.
	v, _ = normalize(t, func(it *vacancy.Item) {
		it.Locations, it.WorkplaceType = []vacancy.Location{{Country: "Nederland"}}, "remote"
	})
	raw = vacancy.JobPosting(&v)
	if raw == nil || !strings.Contains(string(raw), `"applicantLocationRequirements":{"@type":"Country","name":"NL"}`) || !strings.Contains(string(raw), `"jobLocationType":"TELECOMMUTE"`) {
		t.Fatalf("remote JobPosting: %s", raw)
	}
}

func TestCurrencyCodes(t *testing.T) {
	for raw, want := range map[string]struct {
		code      string
		alias, ok bool
	}{
		"EUR": {"EUR", false, true}, " eur ": {"EUR", false, true}, "XCG": {"XCG", false, true}, "ZWG": {"ZWG", false, true},
		"EURO": {"EUR", true, true}, "Euros": {"EUR", true, true}, "€": {"EUR", true, true}, "$": {"USD", true, true},
		"US $": {"USD", true, true}, "£": {"GBP", true, true}, "rmb": {"CNY", true, true},
		"NLG": {}, "HRK": {}, "XAU": {}, "XYZ": {}, "": {}, "EU": {}, "EURX": {},
	} {
		code, alias, ok := vacancy.CurrencyCode(raw)
		if code != want.code || alias != want.alias || ok != want.ok {
			t.Errorf("CurrencyCode(%q) = %q, %v, %v; want %+v", raw, code, alias, ok, want)
		}
	}
}

func FuzzCurrencyCode(f *testing.F) {
	for _, s := range []string{"EUR", "euro", "€", "US$", "NLG", "", " \u00a0$ "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		code, alias, ok := vacancy.CurrencyCode(raw)
		if !ok {
			if code != "" || alias {
				t.Fatalf("%q: not a currency, yet %q %v", raw, code, alias)
			}
			return
		}
		// Whatever was sent, what is stored is an accepted code.
		if again, a, ok := vacancy.CurrencyCode(code); !ok || a || again != code {
			t.Fatalf("%q read as %q, which is not itself a code", raw, code)
		}
	})
}
