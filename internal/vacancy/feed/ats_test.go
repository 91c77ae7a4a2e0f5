package feed_test

import (
	"bytes"
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/vacancy"
	"github.com/werkwijzer/werkwijzer/internal/vacancy/feed"
)

func mustURL(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

const (
	personioFeed   = "https://fietsfabriek-oost.jobs.personio.de/xml?language=nl"
	greenhouseFeed = "https://boards-api.greenhouse.io/v1/boards/kaasenco/jobs?content=true"
	leverFeed      = "https://api.eu.lever.co/v0/postings/havenlogistiek?mode=json"
)

func TestPersonio(t *testing.T) {
	items, err := feed.ParsePersonio(bytes.NewReader(fixture(t, "personio.xml")), mustURL(t, personioFeed))
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 3 {
		t.Fatalf("%d items", len(items))
	}
	vs := normalized(t, items)
	a, b, c := vs[0], vs[1], vs[2]
	checkPersonioFirst(t, a)
	checkPersonioText(t, a, items[0])
	// Without a subcompany the company is the job page's name.
	if b.Organization.Name != "fietsfabriek-oost" || !slices.Equal(b.EmploymentTypes, []vacancy.EmploymentType{vacancy.PartTime}) ||
		b.DatePosted.Text != "2026-10-02T13:00:00+02:00" {
		t.Fatalf("second position: %+v", b)
	}
	if !slices.Equal(c.EmploymentTypes, []vacancy.EmploymentType{vacancy.FullTime, vacancy.Intern}) {
		t.Fatalf("intern: %v", c.EmploymentTypes)
	}

	// Without the feed's address there is no link to build.
	items, err = feed.ParsePersonio(bytes.NewReader(fixture(t, "personio.xml")), nil)
	if err != nil || items[0].URL != "" || items[1].Organization.Name != "" {
		t.Fatalf("no base: %v %+v", err, items[0])
	}
}

// checkPersonioText checks the first Personio position's description and
// categories.
func checkPersonioText(t *testing.T, a vacancy.Vacancy, it vacancy.Item) {
	t.Helper()
	if !strings.Contains(a.Description, "<p><strong>Wat ga je doen?</strong></p>") || !strings.Contains(a.Description, "<strong>e-bikes</strong>") ||
		!strings.Contains(a.Description, "€ 2.900") || strings.Contains(a.Description, "script") {
		t.Fatalf("description: %q", a.Description)
	}
	if !slices.Equal(it.Categories, []string{"Engineering", "Techniek & Productie", "crafts and trades", "mechanic", "fietsen", "techniek", "werkplaats"}) {
		t.Fatalf("categories: %q", it.Categories)
	}
}

// checkPersonioFirst checks what the first Personio position says of
// itself: who, where, when and on what terms.
func checkPersonioFirst(t *testing.T, a vacancy.Vacancy) {
	t.Helper()
	if a.ExternalID != "1873402" || a.Title != "Monteur e-bikes (32-40 uur)" || a.Organization.Name != "Fietsfabriek Oost B.V." || a.Language != "nl" {
		t.Fatalf("first position: %+v", a)
	}
	// The feed has no links: the page is /job/ID on the feed's host, in
	// the feed's language.
	if a.URL != "https://fietsfabriek-oost.jobs.personio.de/job/1873402?language=nl" || a.ApplyURL != a.URL {
		t.Fatalf("links: %q %q", a.URL, a.ApplyURL)
	}
	if a.DatePosted.Text != "2026-09-28T09:14:02Z" {
		t.Fatalf("date: %+v", a.DatePosted)
	}
	// full-or-part-time is both; permanent is a contract's length, not a type.
	if !slices.Equal(a.EmploymentTypes, []vacancy.EmploymentType{vacancy.FullTime, vacancy.PartTime}) {
		t.Fatalf("types: %v", a.EmploymentTypes)
	}
	// An office named Remote is a workplace type, not a place.
	if a.WorkplaceType != vacancy.Remote || len(a.Locations) != 2 || a.Locations[0].Locality != "Enschede" ||
		a.Locations[1] != (vacancy.Location{Locality: "Zwolle", Region: "Overijssel", Country: "NL"}) {
		t.Fatalf("places: %s %+v", a.WorkplaceType, a.Locations)
	}
}

func TestGreenhouse(t *testing.T) {
	items, err := feed.ParseGreenhouse(bytes.NewReader(fixture(t, "greenhouse.json")), mustURL(t, greenhouseFeed))
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 3 {
		t.Fatalf("%d items", len(items))
	}
	// The third job's title is an object: it alone is rejected, by id, so
	// the sync keeps it from being closed.
	if bad := items[2]; bad.ExternalID != "4513001007" || bad.Title != "" {
		t.Fatalf("odd job: %+v", bad)
	}
	vs := normalized(t, items[:2])
	a, b := vs[0], vs[1]
	if a.ExternalID != "4512873007" || a.Title != "Senior Backend Engineer (Go)" || a.Organization.Name != "Kaas & Co" || a.Language != "nl" ||
		a.URL != "https://boards.greenhouse.io/kaasenco/jobs/4512873007" {
		t.Fatalf("first job: %+v", a)
	}
	checkGreenhouseFirst(t, a, items[0])
	// Without company_name the company is the board; "Remote - Netherlands"
	// is a remote job open to the Netherlands.
	if b.Organization.Name != "kaasenco" || b.WorkplaceType != vacancy.Remote || b.DatePosted.Text != "2026-10-10T08:30:00Z" {
		t.Fatalf("second job: %+v", b)
	}
}

// checkGreenhouseFirst checks the first Greenhouse job's description,
// dates, terms, places and categories.
func checkGreenhouseFirst(t *testing.T, a vacancy.Vacancy, it vacancy.Item) {
	t.Helper()
	// content is HTML escaped once more; it is unescaped once, then
	// sanitized like any description.
	if !strings.HasPrefix(a.Description, "<p>Bij <strong>Kaas &amp; Co</strong> bouw je") || !strings.Contains(a.Description, "<li>Go en PostgreSQL</li>") ||
		strings.Contains(a.Description, "&lt;") || strings.Contains(a.Description, "javascript") {
		t.Fatalf("description: %q", a.Description)
	}
	if a.DatePosted.Text != "2026-09-30T09:00:00-04:00" || a.SourceUpdatedAt.IsZero() {
		t.Fatalf("dates: %+v %v", a.DatePosted, a.SourceUpdatedAt)
	}
	if !slices.Equal(a.EmploymentTypes, []vacancy.EmploymentType{vacancy.FullTime}) || a.WorkplaceType != vacancy.Hybrid ||
		len(a.Locations) != 1 || a.Locations[0] != (vacancy.Location{Locality: "Amsterdam", Region: "Noord-Holland", Country: "NL"}) {
		t.Fatalf("types and places: %v %s %+v", a.EmploymentTypes, a.WorkplaceType, a.Locations)
	}
	if !slices.Equal(it.Categories, []string{"Engineering"}) {
		t.Fatalf("categories: %q", it.Categories)
	}
}

func TestLever(t *testing.T) {
	items, err := feed.ParseLever(bytes.NewReader(fixture(t, "lever.json")), mustURL(t, leverFeed))
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 3 {
		t.Fatalf("%d items", len(items))
	}
	vs := normalized(t, items)
	a, b, c := vs[0], vs[1], vs[2]
	checkLeverFirst(t, a)
	checkLeverText(t, a, items[0])
	// Only descriptionPlain: it is escaped, not read as markup.
	if !strings.Contains(b.Description, "facturen &amp; betalingen") || b.WorkplaceType != vacancy.Remote ||
		!slices.Equal(b.EmploymentTypes, []vacancy.EmploymentType{vacancy.PartTime}) {
		t.Fatalf("second posting: %+v", b)
	}
	// unspecified is no workplace type, and no warning either.
	if c.WorkplaceType != "" || !slices.Equal(c.EmploymentTypes, []vacancy.EmploymentType{vacancy.Intern}) ||
		c.Locations[0] != (vacancy.Location{Locality: "Rotterdam", Country: "NL"}) {
		t.Fatalf("third posting: %+v", c)
	}
	_, ps, _ := vacancy.Normalize(testSource, map[string]string{}, now, items[2])
	for _, p := range ps {
		if p.Field == "workplaceType" {
			t.Fatalf("unspecified warned: %+v", p)
		}
	}

	// From a saved file the company is read off the postings' links.
	items, err = feed.ParseLever(bytes.NewReader(fixture(t, "lever.json")), nil)
	if err != nil || items[0].Organization.Name != "havenlogistiek" {
		t.Fatalf("no base: %v %+v", err, items[0].Organization)
	}
}

// checkLeverText checks the first Lever posting's salary, description
// and categories.
func checkLeverText(t *testing.T, a vacancy.Vacancy, it vacancy.Item) {
	t.Helper()
	if a.Salary == nil || *a.Salary.MinCents != 310000 || *a.Salary.MaxCents != 390000 || a.Salary.Unit != vacancy.PerMonth || a.Salary.Currency != "EUR" {
		t.Fatalf("salary: %+v", a.Salary)
	}
	if !strings.Contains(a.Description, "<p><strong>Wat je meebrengt</strong></p>") || !strings.Contains(a.Description, "<ul><li>Mbo-4 logistiek</li>") ||
		strings.Contains(a.Description, "onclick") || !strings.Contains(a.Description, "Vragen? Mail ons gerust.") {
		t.Fatalf("description: %q", a.Description)
	}
	if !slices.Equal(it.Categories, []string{"Logistiek", "Operations"}) {
		t.Fatalf("categories: %q", it.Categories)
	}
}

// checkLeverFirst checks what the first Lever posting says of itself:
// who, when, on what terms and where.
func checkLeverFirst(t *testing.T, a vacancy.Vacancy) {
	t.Helper()
	if a.ExternalID != "5f1c2e0a-8b7d-4e0f-9a31-2c4d6e8f0a1b" || a.Title != "Planner transport" || a.Organization.Name != "havenlogistiek" ||
		a.URL != "https://jobs.eu.lever.co/havenlogistiek/5f1c2e0a-8b7d-4e0f-9a31-2c4d6e8f0a1b" || !strings.HasSuffix(a.ApplyURL, "/apply") {
		t.Fatalf("first posting: %+v", a)
	}
	// createdAt is milliseconds since the epoch.
	if a.DatePosted.Text != "2025-10-08T09:00:00Z" {
		t.Fatalf("date: %+v", a.DatePosted)
	}
	if !slices.Equal(a.EmploymentTypes, []vacancy.EmploymentType{vacancy.FullTime}) || a.WorkplaceType != vacancy.Onsite {
		t.Fatalf("types: %v %s", a.EmploymentTypes, a.WorkplaceType)
	}
	// country is one code for the posting, so it is not guessed onto
	// either of two places.
	if len(a.Locations) != 2 || a.Locations[0] != (vacancy.Location{Locality: "Rotterdam"}) || a.Locations[1].Locality != "Den Haag" {
		t.Fatalf("places: %+v", a.Locations)
	}
}

func TestATSFeedsFailWhole(t *testing.T) {
	base := mustURL(t, "https://example.jobs.personio.de/xml")
	cases := map[string]func() error{
		"personio html page": func() error {
			_, err := feed.ParsePersonio(strings.NewReader(`<html><body><p>Page not found</p></body></html>`), base)
			return err
		},
		"personio cut off": func() error {
			_, err := feed.ParsePersonio(strings.NewReader(`<workzag-jobs><position><id>1</id>`), base)
			return err
		},
		"personio empty": func() error { _, err := feed.ParsePersonio(strings.NewReader(""), base); return err },
		"greenhouse no jobs": func() error {
			_, err := feed.ParseGreenhouse(strings.NewReader(`{"status":404,"error":"Job not found"}`), nil)
			return err
		},
		"greenhouse a list":    func() error { _, err := feed.ParseGreenhouse(strings.NewReader(`[]`), nil); return err },
		"greenhouse cut off":   func() error { _, err := feed.ParseGreenhouse(strings.NewReader(`{"jobs":[{"id":1,`), nil); return err },
		"greenhouse jobs null": func() error { _, err := feed.ParseGreenhouse(strings.NewReader(`{"jobs":null}`), nil); return err },
		"greenhouse trailing": func() error {
			_, err := feed.ParseGreenhouse(strings.NewReader(`{"jobs":[]} {"jobs":[]}`), nil)
			return err
		},
		"lever not found": func() error {
			_, err := feed.ParseLever(strings.NewReader(`{"ok":false,"error":"Document not found"}`), nil)
			return err
		},
		"lever cut off": func() error { _, err := feed.ParseLever(strings.NewReader(`[{"id":"a","text":"x"},`), nil); return err },
		"lever grouped": func() error {
			_, err := feed.ParseLever(strings.NewReader(`[{"title":"Finance","postings":[{"id":"a"}]}]`), nil)
			return err
		},
		"lever empty": func() error { _, err := feed.ParseLever(strings.NewReader(" "), nil); return err },
	}
	for name, parse := range cases {
		if err := parse(); !errors.Is(err, feed.ErrMalformed) {
			t.Errorf("%s: %v, want ErrMalformed", name, err)
		}
	}
	// Well-formed but empty holds nothing, and a byte order mark is no fault.
	if items, err := feed.ParsePersonio(strings.NewReader("\xef\xbb\xbf<workzag-jobs/>"), base); err != nil || len(items) != 0 {
		t.Fatalf("empty personio: %v %v", items, err)
	}
	if items, err := feed.ParseGreenhouse(strings.NewReader(`{"jobs":[],"meta":{"total":0}}`), nil); err != nil || len(items) != 0 {
		t.Fatalf("empty greenhouse: %v %v", items, err)
	}
	if items, err := feed.ParseLever(strings.NewReader("\xef\xbb\xbf[]"), nil); err != nil || len(items) != 0 {
		t.Fatalf("empty lever: %v %v", items, err)
	}
}

// TestParseKnowsTheATSKinds: the pull and the import reach the new
// parsers through Parse.
func TestParseKnowsTheATSKinds(t *testing.T) {
	for kind, file := range map[vacancy.Kind]string{vacancy.KindPersonio: "personio.xml", vacancy.KindGreenhouse: "greenhouse.json", vacancy.KindLever: "lever.json"} {
		items, err := feed.Parse(kind, bytes.NewReader(fixture(t, file)), nil)
		if err != nil || len(items) != 3 {
			t.Errorf("%s: %d items, %v", kind, len(items), err)
		}
	}
}

func FuzzParsePersonio(f *testing.F) {
	f.Add(fixture(f, "personio.xml"))
	f.Add([]byte(`<workzag-jobs><position><id>1</id><name>x</name><jobDescriptions><jobDescription><name><![CDATA[<script>]]></name><value><![CDATA[<img src=x onerror=alert(1)>]]></value></jobDescription></jobDescriptions><office>Remote (Hybrid)</office></position></workzag-jobs>`))
	base := mustURL(f, "https://acme.jobs.personio.de/xml?language=en")
	f.Fuzz(func(t *testing.T, data []byte) {
		items, err := feed.ParsePersonio(bytes.NewReader(data), base)
		fuzzItems(t, items, err)
	})
}

func FuzzParseGreenhouse(f *testing.F) {
	f.Add(fixture(f, "greenhouse.json"))
	f.Add([]byte(`{"jobs":[{"id":1e400,"title":"x","content":"&lt;a href=&quot;javascript:x&quot;&gt;","absolute_url":"http://x","location":{"name":", - ,"},"metadata":[{"name":"Employment type","value":[1,"ZZP"]}]}],"jobs":[]}`))
	base := mustURL(f, greenhouseFeed)
	f.Fuzz(func(t *testing.T, data []byte) {
		items, err := feed.ParseGreenhouse(bytes.NewReader(data), base)
		fuzzItems(t, items, err)
	})
}

func FuzzParseLever(f *testing.F) {
	f.Add(fixture(f, "lever.json"))
	f.Add([]byte(`[{"id":"a","text":"x","createdAt":-1,"lists":[{"text":"<b>","content":"</ul><script>x</script>"}],"salaryRange":{"min":"1e400","interval":"per-hour-wage"},"hostedUrl":"https://jobs.lever.co/a/b"}]`))
	base := mustURL(f, leverFeed)
	f.Fuzz(func(t *testing.T, data []byte) {
		items, err := feed.ParseLever(bytes.NewReader(data), base)
		fuzzItems(t, items, err)
	})
}
