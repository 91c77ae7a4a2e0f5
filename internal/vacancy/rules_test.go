package vacancy_test

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

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
func TestUnsafeMarkupIsReportedAndNothingButAScriptRejected(t *testing.T) {
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
	// From a feed, an unreadable salary is left out with a warning.
	v, ps := normalize(t, func(it *vacancy.Item) { it.Salary = &vacancy.SalaryInput{Text: "marktconform"} })
	if p, ok := problem(ps, "salary", vacancy.ProblemSalaryUnparsed); !ok || !p.Warning || vacancy.Rejected(ps) || v.Salary != nil {
		t.Fatalf("unreadable salary text: %+v %+v", v.Salary, ps)
	}
}

func TestEmploymentTypesMapWhatSourcesReallySend(t *testing.T) {
	v, ps := normalize(t, func(it *vacancy.Item) { it.EmploymentTypes = []string{"fulltime", "bonusregeling"} })
	if p, ok := problem(ps, "employmentTypes[1]", vacancy.ProblemUnknownEmploymentType); !ok || !p.Warning || vacancy.Rejected(ps) ||
		!slices.Equal(v.EmploymentTypes, []vacancy.EmploymentType{vacancy.FullTime}) {
		t.Fatalf("unknown employment type: %v %+v", v.EmploymentTypes, ps)
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
