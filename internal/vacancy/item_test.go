package vacancy_test

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/vacancy"
)

// TestNormalizeReportsEachProblemOnItsField: every check of an item names
// its field and code, and says whether it rejects the item or only warns.
func TestNormalizeReportsEachProblemOnItsField(t *testing.T) {
	long := func(n int) string { return strings.Repeat("é", n) }
	cases := []struct {
		name   string
		mutate func(*vacancy.Item)
		field  string
		code   vacancy.ProblemCode
		reject bool // false: a warning that keeps the item
	}{
		{"no external id", func(it *vacancy.Item) { it.ExternalID = "  " }, "externalId", vacancy.ProblemRequired, true},
		{"long external id", func(it *vacancy.Item) { it.ExternalID = long(201) }, "externalId", vacancy.ProblemTooLong, true},
		{"control in external id", func(it *vacancy.Item) { it.ExternalID = "a\x7fb" }, "externalId", vacancy.ProblemInvalid, true},
		{"invalid UTF-8 in external id", func(it *vacancy.Item) { it.ExternalID = "a\xffb" }, "externalId", vacancy.ProblemInvalid, true},
		{"bad language", func(it *vacancy.Item) { it.Language = "klingon!" }, "language", vacancy.ProblemInvalidLanguage, true},
		{"long title", func(it *vacancy.Item) { it.Title = long(201) }, "title", vacancy.ProblemTooLong, true},
		{"huge description", func(it *vacancy.Item) { it.Description = strings.Repeat("a", vacancy.MaxDescriptionInput+1) }, "description", vacancy.ProblemTooLong, true},
		{"long description", func(it *vacancy.Item) {
			it.Description = strings.Repeat("<p>abcdefghi</p>", vacancy.MaxDescriptionLength/16+1)
		}, "description", vacancy.ProblemTooLong, true},
		{"blank description", func(it *vacancy.Item) { it.Description = " \n " }, "description", vacancy.ProblemRequired, true},
		{"no organization", func(it *vacancy.Item) { it.Organization.Name = "<b></b>" }, "hiringOrganization.name", vacancy.ProblemRequired, true},
		{"long organization", func(it *vacancy.Item) { it.Organization.Name = long(201) }, "hiringOrganization.name", vacancy.ProblemTooLong, true},
		{"bad logo", func(it *vacancy.Item) { it.Organization.LogoURL = "http://example.com/logo.png" }, "hiringOrganization.logoUrl", vacancy.ProblemURLScheme, false},
		{"unknown workplace", func(it *vacancy.Item) { it.WorkplaceType = "op de maan" }, "workplaceType", vacancy.ProblemUnknownWorkplaceType, false},
		{"on site nowhere", func(it *vacancy.Item) { it.WorkplaceType, it.Locations = "onsite", nil }, "locations", vacancy.ProblemRequired, true},
		{"hybrid nowhere", func(it *vacancy.Item) { it.WorkplaceType, it.Locations = "hybrid", nil }, "locations", vacancy.ProblemRequired, true},
		{"remote without a country", func(it *vacancy.Item) {
			it.WorkplaceType, it.Locations = "remote", []vacancy.Location{{Locality: "Utrecht"}, {Region: "Zeeland"}}
		}, "locations", vacancy.ProblemNoJobPosting, false},
		{"too many employment types", func(it *vacancy.Item) { it.EmploymentTypes = make([]string, 21) }, "employmentTypes", vacancy.ProblemTooMany, true},
		{"too many locations", func(it *vacancy.Item) { it.Locations = make([]vacancy.Location, 21) }, "locations", vacancy.ProblemTooMany, true},
		{"unknown country", func(it *vacancy.Item) { it.Locations[0].Country = "Atlantis" }, "locations[0].country", vacancy.ProblemInvalidCountry, false},
		{"long locality", func(it *vacancy.Item) { it.Locations[0].Locality = long(201) }, "locations[0].locality", vacancy.ProblemTooLong, true},
		{"long street", func(it *vacancy.Item) { it.Locations[0].StreetAddress = long(201) }, "locations[0].streetAddress", vacancy.ProblemTooLong, true},
		{"no hours", func(it *vacancy.Item) { it.HoursPerWeek = &vacancy.HoursInput{Min: ptr(0.0)} }, "hoursPerWeek", vacancy.ProblemHoursRange, true},
		{"81 hours", func(it *vacancy.Item) { it.HoursPerWeek = &vacancy.HoursInput{Min: ptr(81.0)} }, "hoursPerWeek", vacancy.ProblemHoursRange, true},
		{"NaN hours", func(it *vacancy.Item) { it.HoursPerWeek = &vacancy.HoursInput{Max: ptr(math.NaN())} }, "hoursPerWeek", vacancy.ProblemHoursRange, true},
		{"NaN minimum hours", func(it *vacancy.Item) { it.HoursPerWeek = &vacancy.HoursInput{Min: ptr(math.NaN()), Max: ptr(40.0)} }, "hoursPerWeek", vacancy.ProblemHoursRange, true},
		{"salary without amounts", func(it *vacancy.Item) { it.Salary = &vacancy.SalaryInput{Currency: "EUR"} }, "salary", vacancy.ProblemRequired, true},
		{"salary unit without amounts", func(it *vacancy.Item) { it.Salary = &vacancy.SalaryInput{Unit: "MONTH"} }, "salary", vacancy.ProblemRequired, true},
		{"currency alias", func(it *vacancy.Item) { it.Salary.Currency = "euro" }, "salary.currency", vacancy.ProblemCurrencyMapped, false},
		{"max under min", func(it *vacancy.Item) { it.Salary.Max = ptr(3199.99) }, "salary.min", vacancy.ProblemSalaryRange, true},
		{"bad validThrough", func(it *vacancy.Item) { it.ValidThrough = "soon" }, "validThrough", vacancy.ProblemInvalidDate, true},
		{"local validThrough", func(it *vacancy.Item) { it.ValidThrough = "2026-12-31T17:00:00" }, "validThrough", vacancy.ProblemLocalTimeAssumed, false},
		{"bad datePosted", func(it *vacancy.Item) { it.DatePosted = "yesterday" }, "datePosted", vacancy.ProblemInvalidDate, true},
		{"bad sourceUpdatedAt", func(it *vacancy.Item) { it.SourceUpdatedAt = "03/04/2026" }, "sourceUpdatedAt", vacancy.ProblemInvalidDate, true},
		{"valid through the moment it was posted", func(it *vacancy.Item) {
			it.DatePosted, it.ValidThrough = "2026-10-01T09:00:00Z", "2026-10-01T09:00:00Z"
		}, "validThrough", vacancy.ProblemDateOrder, true},
		{"unpublished role of a rule", func(it *vacancy.Item) {
			it.RoleSlug, it.Categories, it.Title = "", []string{" <i>Office</i> management "}, "Receptionist"
		}, "roleSlug", vacancy.ProblemRoleUnmapped, false},
		{"no role at all", func(it *vacancy.Item) { it.RoleSlug, it.Title = "", "Receptionist" }, "roleSlug", vacancy.ProblemRoleUnmapped, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			roles := ruleRoles
			if c.name == "unpublished role of a rule" {
				roles = map[string]string{"personal-assistant": "role-pa"}
			}
			it := item("x-1")
			it.URL = "https://jobs.example.com/x-1"
			c.mutate(&it)
			_, ps, err := vacancy.Normalize(ruleSource, roles, testNow, it)
			if err != nil {
				t.Fatal(err)
			}
			p, ok := problem(ps, c.field, c.code)
			if !ok || p.Warning == c.reject || vacancy.Rejected(ps) != c.reject {
				t.Fatalf("want %s on %s (reject %v), got %+v", c.code, c.field, c.reject, ps)
			}
		})
	}
}

// TestNormalizeAcceptsTheLimits: what sits exactly at a limit is accepted.
func TestNormalizeAcceptsTheLimits(t *testing.T) {
	at := strings.Repeat("é", 200)
	v, ps := normalize(t, func(it *vacancy.Item) {
		it.ExternalID, it.Title, it.Organization.Name = at, at, at
		it.URL = "https://jobs.example.com/" + strings.Repeat("a", vacancy.MaxURLLength-len("https://jobs.example.com/"))
		it.Locations = make([]vacancy.Location, 20)
		it.Locations[0] = vacancy.Location{StreetAddress: at, Locality: at, Region: at, PostalCode: at, Country: "nederland"}
		it.EmploymentTypes = slices.Repeat([]string{"parttime"}, 20)
		it.HoursPerWeek = &vacancy.HoursInput{Min: ptr(0.05), Max: ptr(80.0)}
		it.Salary = &vacancy.SalaryInput{Min: ptr(3200.0), Max: ptr(3200.0), Currency: "eur", Unit: "maand"}
		it.WorkplaceType = "REMOTE"
		it.DatePosted = testNow.Add(24 * time.Hour).Format(time.RFC3339)
		it.ValidThrough = testNow.Add(24*time.Hour + time.Second).Format(time.RFC3339)
	})
	if vacancy.Rejected(ps) || len(ps) != 0 {
		t.Fatalf("problems at the limits: %+v", ps)
	}
	checkVacancyAtTheLimits(t, v, at)
	// A description as large as may be sent, and one as large as may be
	// stored.
	pad := vacancy.MaxDescriptionInput - len("<p>Tekst</p><!---->")
	v, ps = normalize(t, func(it *vacancy.Item) { it.Description = "<p>Tekst</p><!--" + strings.Repeat("a", pad) + "-->" })
	if len(ps) != 0 || v.Description != "<p>Tekst</p>" {
		t.Fatalf("largest description input: %q %+v", v.Description, ps)
	}
	stored := "<p>" + strings.Repeat("a", vacancy.MaxDescriptionLength-len("<p></p>")) + "</p>"
	v, ps = normalize(t, func(it *vacancy.Item) { it.Description = stored })
	if len(ps) != 0 || v.Description != stored {
		t.Fatalf("largest stored description: %d bytes, %+v", len(v.Description), ps)
	}
	// Valid through this very moment: expired already.
	v, ps = normalize(t, func(it *vacancy.Item) { it.ValidThrough = testNow.Format(time.RFC3339) })
	if vacancy.Rejected(ps) || v.Status != vacancy.StatusExpired || !v.ClosedAt.Equal(testNow) {
		t.Fatalf("valid through now: %s %v %+v", v.Status, v.ClosedAt, ps)
	}
	v, _ = normalize(t, func(it *vacancy.Item) { it.ValidThrough = testNow.Add(time.Second).Format(time.RFC3339) })
	if v.Status != vacancy.StatusOpen {
		t.Fatalf("valid through a second from now: %s", v.Status)
	}
	// A day and a second ahead is in the future.
	_, ps = normalize(t, func(it *vacancy.Item) { it.DatePosted = testNow.Add(24*time.Hour + time.Second).Format(time.RFC3339) })
	if _, ok := problem(ps, "datePosted", vacancy.ProblemDateInFuture); !ok {
		t.Fatalf("datePosted a day and a second ahead: %+v", ps)
	}
}

// checkVacancyAtTheLimits checks that every value sent at its limit in
// TestNormalizeAcceptsTheLimits was kept, cleaned as usual.
func checkVacancyAtTheLimits(t *testing.T, v vacancy.Vacancy, at string) {
	t.Helper()
	if v.ExternalID != at || len(v.URL) != vacancy.MaxURLLength || len(v.Locations) != 1 || v.Locations[0].Country != "NL" || v.Locations[0].PostalCode != at ||
		!slices.Equal(v.EmploymentTypes, []vacancy.EmploymentType{vacancy.PartTime}) || v.Hours.Min != 0.1 || v.Hours.Max != 80 ||
		*v.Salary.MinCents != 320000 || *v.Salary.MaxCents != 320000 || v.Salary.Currency != "EUR" || v.WorkplaceType != vacancy.Remote {
		t.Fatalf("vacancy at the limits: %+v", v)
	}
}

// TestNormalizeCleansWhatItKeeps: what is stored is the cleaned value.
func TestNormalizeCleansWhatItKeeps(t *testing.T) {
	v, ps := normalize(t, func(it *vacancy.Item) {
		it.ExternalID = "  x-1 "
		it.Language = ""
		it.Organization = vacancy.Organization{Name: " <b>De&amp;Vries</b> ", URL: "https://example.com/over", LogoURL: "https://cdn.example.com/logo.png"}
		it.Locations = []vacancy.Location{
			{StreetAddress: " Kerk<br>straat 1 ", PostalCode: "0123ab", Locality: "Utrecht", Region: " Utrecht ", Country: " nl "},
			{},
			{PostalCode: "1234ab", Country: "BE"},
			{PostalCode: "12345a", Country: "NL"},
			{PostalCode: "1234 a1", Country: "NL"},
			{PostalCode: "1090az", Country: "NL"},
			{PostalCode: "9999 zz", Country: "NL"},
			{PostalCode: "123a bc", Country: "NL"},
		}
		it.EmploymentTypes = []string{"parttime", "fulltime", "Tijdelijk"}
		it.HoursPerWeek = &vacancy.HoursInput{Max: ptr(32.04)}
		it.Salary = &vacancy.SalaryInput{Text: "€ 2.800 - € 3.400 per maand"}
		it.SourceUpdatedAt = "2026-10-02T08:00:00+02:00"
		it.ApplyURL = "https://jobs.example.com/apply?x=<1>"
	})
	if vacancy.Rejected(ps) {
		t.Fatalf("problems: %+v", ps)
	}
	checkCleanedVacancy(t, v)
	// A currency read from text is not reported as mapped.
	if _, ok := problem(ps, "salary.currency", vacancy.ProblemCurrencyMapped); ok {
		t.Fatalf("currency of a salary text reported: %+v", ps)
	}
	if !v.SourceUpdatedAt.Equal(time.Date(2026, 10, 2, 6, 0, 0, 0, time.UTC)) || v.ApplyURL != "https://jobs.example.com/apply?x=%3C1%3E" {
		t.Fatalf("sourceUpdatedAt %v applyUrl %q", v.SourceUpdatedAt, v.ApplyURL)
	}
	// A remote job with a country has a JobPosting: no warning.
	_, ps = normalize(t, func(it *vacancy.Item) {
		it.WorkplaceType, it.Locations = "remote", []vacancy.Location{{Locality: "Utrecht"}, {Country: "BE"}}
	})
	if len(ps) != 0 {
		t.Fatalf("remote with a country: %+v", ps)
	}
	// Without a salary, hours or types there is nothing to check.
	v, ps = normalize(t, func(it *vacancy.Item) {
		it.Salary, it.HoursPerWeek, it.EmploymentTypes, it.WorkplaceType = nil, &vacancy.HoursInput{}, nil, ""
	})
	if len(ps) != 0 || v.Salary != nil || v.Hours != nil || v.EmploymentTypes != nil || v.WorkplaceType != "" {
		t.Fatalf("absent values: %+v %+v", v, ps)
	}
}

// checkCleanedVacancy checks the values TestNormalizeCleansWhatItKeeps
// sends padded, marked up or oddly written come out cleaned.
func checkCleanedVacancy(t *testing.T, v vacancy.Vacancy) {
	t.Helper()
	want := []vacancy.Location{
		{StreetAddress: "Kerk straat 1", PostalCode: "0123ab", Locality: "Utrecht", Region: "Utrecht", Country: "NL"},
		{PostalCode: "1234ab", Country: "BE"},
		{PostalCode: "12345a", Country: "NL"},
		{PostalCode: "1234 a1", Country: "NL"},
		{PostalCode: "1090 AZ", Country: "NL"},
		{PostalCode: "9999 ZZ", Country: "NL"},
		{PostalCode: "123a bc", Country: "NL"},
	}
	if v.ExternalID != "x-1" || v.Language != "nl" || v.Organization.Name != "De&Vries" || v.Organization.URL != "https://example.com/over" ||
		v.Organization.LogoURL != "https://cdn.example.com/logo.png" || !slices.Equal(v.Locations, want) {
		t.Fatalf("vacancy: %+v", v)
	}
	if !slices.Equal(v.EmploymentTypes, []vacancy.EmploymentType{vacancy.FullTime, vacancy.PartTime, vacancy.Temporary}) ||
		v.Hours.Min != 32 || v.Hours.Max != 32 || *v.Salary.MinCents != 280000 || *v.Salary.MaxCents != 340000 ||
		v.Salary.Currency != "EUR" || v.Salary.Unit != vacancy.PerMonth {
		t.Fatalf("types %v hours %+v salary %+v", v.EmploymentTypes, v.Hours, v.Salary)
	}
}

// TestNormalizeRejectsEverySalaryProblemAtOnce: problems of the currency,
// the unit and each amount are all reported, and no salary is kept.
func TestNormalizeRejectsEverySalaryProblemAtOnce(t *testing.T) {
	v, ps := normalize(t, func(it *vacancy.Item) {
		it.Salary = &vacancy.SalaryInput{Min: ptr(-1.0), Max: ptr(math.NaN()), Currency: "XYZ", Unit: "fortnight"}
	})
	for _, want := range []struct {
		field string
		code  vacancy.ProblemCode
	}{
		{"salary.currency", vacancy.ProblemInvalidCurrency}, {"salary.unit", vacancy.ProblemUnknownSalaryUnit},
		{"salary.min", vacancy.ProblemSalaryImplausible}, {"salary.max", vacancy.ProblemSalaryImplausible},
	} {
		if _, ok := problem(ps, want.field, want.code); !ok {
			t.Errorf("want %s on %s, got %+v", want.code, want.field, ps)
		}
	}
	if v.Salary != nil {
		t.Fatalf("salary kept: %+v", v.Salary)
	}
	// The message names the field and the amount, as before the move.
	_, ps = normalize(t, func(it *vacancy.Item) {
		it.Salary = &vacancy.SalaryInput{Min: ptr(45000.0), Currency: "EUR", Unit: "HOUR"}
	})
	if p, _ := problem(ps, "salary.min", vacancy.ProblemSalaryImplausible); p.Message != "salary.min 45000 EUR per hour is implausible (expected 1 to 1000); is the unit right?" {
		t.Fatalf("message %q", p.Message)
	}
	_, ps = normalize(t, func(it *vacancy.Item) {
		it.Salary = &vacancy.SalaryInput{Max: ptr(-5.0), Currency: "SEK", Unit: "MONTH"}
	})
	if p, _ := problem(ps, "salary.max", vacancy.ProblemSalaryImplausible); p.Message != "salary.max must be a positive amount" {
		t.Fatalf("message %q", p.Message)
	}
}

// TestNormalizeRefusesIPLiteralsAsHosts: a link to an address rather
// than a host name is refused as not public, whatever form it takes.
func TestNormalizeRefusesIPLiteralsAsHosts(t *testing.T) {
	for _, u := range []string{
		"https://192.168.1.10/x", "https://8.8.8.8/x", "https://[2001:db8::1]/x", "https://[::ffff:10.0.0.1]/x",
		"https://10.0.0.1./x", "https://jobs.localhost/x", "https://intranet/x",
	} {
		_, ps := normalize(t, func(it *vacancy.Item) { it.URL = u })
		p, ok := problem(ps, "url", vacancy.ProblemURLHost)
		if !ok || !strings.Contains(p.Message, "is not a public host name") {
			t.Errorf("url %q: want %s (not a public host name), got %+v", u, vacancy.ProblemURLHost, ps)
		}
	}
}

// TestNormalizeNeedsAValidTimeZone: a source with an unknown time zone
// cannot normalize anything.
func TestNormalizeNeedsAValidTimeZone(t *testing.T) {
	src := *ruleSource
	src.TimeZone = "Mars/Olympus_Mons"
	if _, _, err := vacancy.Normalize(&src, ruleRoles, testNow, item("x")); err == nil {
		t.Fatal("an unknown time zone was accepted")
	}
}

// TestNormalizeMapsRoles: a role slug in any case, a rule on a cleaned
// category, and the roles a batch needs looked up.
func TestNormalizeMapsRoles(t *testing.T) {
	v, ps := normalize(t, func(it *vacancy.Item) { it.RoleSlug = " Personal-Assistant " })
	if v.RoleID != "role-pa" || len(ps) != 0 {
		t.Fatalf("role %q %+v", v.RoleID, ps)
	}
	v, ps = normalize(t, func(it *vacancy.Item) {
		it.RoleSlug, it.Title, it.Categories = "", "Receptionist", []string{"Sales", " <i>Office</i>  management "}
	})
	if v.RoleID != "role-om" || len(ps) != 0 {
		t.Fatalf("role by category %q %+v", v.RoleID, ps)
	}
}

// TestNormalizeSaysWhatIsWrongWithALink: a relative link and one of
// another scheme are both refused, each with its own explanation.
func TestNormalizeSaysWhatIsWrongWithALink(t *testing.T) {
	for u, want := range map[string]string{
		"/vacatures/x":                    "url: not an absolute https URL",
		"http://jobs.example.com/x":       "url: only https links are accepted, not http:",
		"https://jobs.example.com:8443/x": "url: only the standard https port is accepted",
		"https://user@jobs.example.com/x": "url: links may not carry credentials",
		"https:///x":                      "url: no host",
		"https://jobs.example.90/x":       "url: jobs.example.90 is not a valid host name",
		"https:jobs.example.com/x":        "url: no host",
	} {
		_, ps := normalize(t, func(it *vacancy.Item) { it.URL = u })
		if len(ps) != 1 || ps[0].Field != "url" || ps[0].Message != want {
			t.Errorf("url %q: want %q, got %+v", u, want, ps)
		}
	}
}
