package feed_test

import (
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/vacancy"
	"github.com/werkwijzer/werkwijzer/internal/vacancy/feed"
)

var now = time.Date(2026, 10, 20, 12, 0, 0, 0, time.UTC)

var testSource = &vacancy.Source{ID: "s", Name: "feed", Language: "nl", TimeZone: "Europe/Amsterdam"}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// normalized runs items through the same checks a sync does; every
// fixture item must come out as a valid vacancy.
func normalized(t *testing.T, items []vacancy.Item) []vacancy.Vacancy {
	t.Helper()
	out := make([]vacancy.Vacancy, len(items))
	for i, it := range items {
		v, ps, err := vacancy.Normalize(testSource, map[string]string{}, now, it)
		if err != nil {
			t.Fatal(err)
		}
		if vacancy.Rejected(ps) {
			t.Fatalf("item %d (%s) rejected: %+v", i, it.ExternalID, ps)
		}
		out[i] = v
	}
	return out
}

func TestIndeedXML(t *testing.T) {
	items, err := feed.ParseIndeedXML(fixture(t, "indeed.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 2 {
		t.Fatalf("%d items", len(items))
	}
	vs := normalized(t, items)
	a, b := vs[0], vs[1]
	if a.ExternalID != "VMN-88213" || a.Title != "Office Manager & HR-assistent" || a.Organization.Name != "Groothandel Bos B.V." {
		t.Fatalf("first job: %+v", a)
	}
	if a.DatePosted.Text != "2026-10-16T22:49:39Z" || a.ValidThrough != "2026-12-15" {
		t.Fatalf("dates: %+v %q", a.DatePosted, a.ValidThrough)
	}
	if !slices.Equal(a.EmploymentTypes, []vacancy.EmploymentType{vacancy.FullTime, vacancy.PartTime}) || a.WorkplaceType != vacancy.Hybrid {
		t.Fatalf("types: %v %s", a.EmploymentTypes, a.WorkplaceType)
	}
	if a.Salary == nil || *a.Salary.MinCents != 290000 || *a.Salary.MaxCents != 360000 || a.Salary.Unit != vacancy.PerMonth {
		t.Fatalf("salary: %+v", a.Salary)
	}
	if a.Locations[0].PostalCode != "3542 AD" || a.Locations[0].Region != "Utrecht" {
		t.Fatalf("location: %+v", a.Locations)
	}
	if a.Description != `<p>Je regelt <strong>alles</strong> op kantoor.</p><ul><li>Planning</li><li>Inkoop</li></ul>` {
		t.Fatalf("description: %q", a.Description)
	}
	if !slices.Equal(items[0].Categories, []string{"Office management", "Administratief"}) {
		t.Fatalf("categories: %q", items[0].Categories)
	}
	if b.Hours == nil || b.Hours.Min != 32 || b.Locations[0].Country != "NL" || b.Salary != nil {
		t.Fatalf("second job: hours %+v, location %+v, salary %+v", b.Hours, b.Locations, b.Salary)
	}
	if !strings.Contains(b.Description, "managementteam van") || !strings.Contains(b.Description, "<ul><li>32 uur per week</li><li>schaal 8</li></ul>") {
		t.Fatalf("plain-text description: %q", b.Description)
	}
}

func TestIndeedXMLInLatin1(t *testing.T) {
	items, err := feed.ParseIndeedXML(fixture(t, "latin1.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 || items[0].Title != "Cafémanager" || items[0].Organization.Name != "Café De Zon" {
		t.Fatalf("items: %+v", items)
	}
}

func TestRecruitee(t *testing.T) {
	items, err := feed.ParseRecruitee(fixture(t, "recruitee.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 2 {
		t.Fatalf("%d items (the draft must be left out)", len(items))
	}
	vs := normalized(t, items)
	a, b := vs[0], vs[1]
	if a.ExternalID != "1234567" || a.URL != "https://acme.recruitee.com/o/office-manager-amsterdam" || a.ApplyURL != "https://acme.recruitee.com/o/office-manager-amsterdam/c/new" {
		t.Fatalf("first: %+v", a)
	}
	if a.DatePosted.Text != "2026-10-06T09:00:00Z" || !a.SourceUpdatedAt.Equal(time.Date(2026, 10, 12, 14, 3, 10, 0, time.UTC)) {
		t.Fatalf("dates: %+v %v", a.DatePosted, a.SourceUpdatedAt)
	}
	if a.WorkplaceType != vacancy.Hybrid || !slices.Equal(a.EmploymentTypes, []vacancy.EmploymentType{vacancy.FullTime}) {
		t.Fatalf("types: %s %v", a.WorkplaceType, a.EmploymentTypes)
	}
	if a.Hours.Min != 32 || a.Hours.Max != 40 || *a.Salary.MinCents != 380000 || a.Salary.Unit != vacancy.PerMonth {
		t.Fatalf("hours %+v salary %+v", a.Hours, a.Salary)
	}
	if a.Locations[0].StreetAddress != "Herengracht 500" || a.Locations[0].Country != "NL" {
		t.Fatalf("location %+v", a.Locations)
	}
	if !strings.Contains(a.Description, "<li>3 jaar ervaring</li>") {
		t.Fatalf("requirements missing from %q", a.Description)
	}
	if !slices.Equal(items[0].Categories, []string{"Operations", "office management", "office", "facilities"}) {
		t.Fatalf("categories %q", items[0].Categories)
	}
	if b.Language != "en" || b.WorkplaceType != vacancy.Remote || b.Hours != nil || b.Salary != nil ||
		!slices.Equal(b.EmploymentTypes, []vacancy.EmploymentType{vacancy.PartTime, vacancy.Temporary}) {
		t.Fatalf("second: %+v", b)
	}
	if items[1].Categories[0] != "Executive office" {
		t.Fatalf("department object: %q", items[1].Categories)
	}
}

func TestJSONLDPage(t *testing.T) {
	base, _ := url.Parse("https://www.example.com/vacatures/")
	items, err := feed.ParseJSONLD(fixture(t, "jobposting.html"), base)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 {
		t.Fatalf("%d items", len(items))
	}
	v := normalized(t, items)[0]
	if v.ExternalID != "HM-PA-7" || v.URL != "https://www.example.com/vacatures/hm-pa-7" || v.Organization.LogoURL != "https://www.example.com/img/logo.png" {
		t.Fatalf("vacancy: %+v", v)
	}
	if v.DatePosted.Text != "2026-10-15T09:00:00+02:00" || v.ValidThrough != "2026-11-30T23:59:00+01:00" {
		t.Fatalf("dates: %q %q", v.DatePosted.Text, v.ValidThrough)
	}
	if *v.Salary.MaxCents != 390000 || v.Hours.Min != 38 || v.Locations[0].Locality != "Rotterdam" {
		t.Fatalf("salary %+v hours %+v locations %+v", v.Salary, v.Hours, v.Locations)
	}
	if items[0].Categories[0] != "Personal assistance" {
		t.Fatalf("categories %q", items[0].Categories)
	}
	// What we serve as JSON-LD reads back as the same vacancy.
	again, err := feed.ParseJSONLD(vacancy.JobPosting(&v), nil)
	if err != nil || len(again) != 1 {
		t.Fatalf("round trip: %v %d", err, len(again))
	}
	w := normalized(t, again)[0]
	if w.Title != v.Title || w.Description != v.Description || w.DatePosted != v.DatePosted || w.ValidThrough != v.ValidThrough ||
		!slices.Equal(w.EmploymentTypes, v.EmploymentTypes) || *w.Salary.MinCents != *v.Salary.MinCents || w.Locations[0] != v.Locations[0] {
		t.Fatalf("round trip changed the vacancy:\n%+v\n%+v", w, v)
	}
}

func TestJSONLDFile(t *testing.T) {
	items, err := feed.ParseJSONLD(fixture(t, "jobposting.json"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 2 {
		t.Fatalf("%d items", len(items))
	}
	vs := normalized(t, items)
	if vs[0].WorkplaceType != vacancy.Remote || vs[0].Locations[0].Country != "NL" || vs[0].Organization.Name != "Remote BV" ||
		*vs[0].Salary.MinCents != 2500 || *vs[0].Salary.MaxCents != 2500 {
		t.Fatalf("remote posting: %+v", vs[0])
	}
	if raw := vacancy.JobPosting(&vs[0]); raw == nil {
		t.Fatal("a remote posting with a country has JobPosting JSON-LD")
	}
	if vs[1].ExternalID != "https://jobs.example.com/s-1" || vs[1].Organization.Name != "Bureau" {
		t.Fatalf("list item: %+v", vs[1])
	}
}

func TestMalformedFeedsFailWhole(t *testing.T) {
	cases := map[string]func() error{
		"xml cut off": func() error { _, err := feed.ParseIndeedXML([]byte(`<source><job><title>x</title>`)); return err },
		"not xml":     func() error { _, err := feed.ParseIndeedXML([]byte(`{"offers": []}`)); return err },
		"empty xml":   func() error { _, err := feed.ParseIndeedXML(nil); return err },
		"html error page": func() error {
			_, err := feed.ParseRecruitee([]byte(`<html><body>502 Bad Gateway</body></html>`))
			return err
		},
		"recruitee no list": func() error { _, err := feed.ParseRecruitee([]byte(`{"error": "not found"}`)); return err },
		"recruitee cut off": func() error { _, err := feed.ParseRecruitee([]byte(`{"offers": [{"id": 1,`)); return err },
		"page without ld": func() error {
			_, err := feed.ParseJSONLD([]byte(`<html><body>Onderhoud</body></html>`), nil)
			return err
		},
		"page with bad json": func() error {
			_, err := feed.ParseJSONLD([]byte(`<script type="application/ld+json">{"@type": </script>`), nil)
			return err
		},
	}
	for name, parse := range cases {
		if err := parse(); !errors.Is(err, feed.ErrMalformed) {
			t.Errorf("%s: %v, want ErrMalformed", name, err)
		}
	}
	// An empty but well-formed feed is not malformed: it holds nothing.
	if items, err := feed.ParseRecruitee([]byte(`{"offers": []}`)); err != nil || len(items) != 0 {
		t.Fatalf("empty offers: %v %v", items, err)
	}
	if items, err := feed.ParseIndeedXML([]byte(`<source></source>`)); err != nil || len(items) != 0 {
		t.Fatalf("empty source: %v %v", items, err)
	}
}

var markupTag = regexp.MustCompile(`<[^>]*>`)

// fuzzItems checks what any parser returns: every item goes through the
// checks without panicking, and whatever is accepted has only the allowed
// markup and https links.
func fuzzItems(t *testing.T, items []vacancy.Item, err error) {
	if err != nil {
		if !errors.Is(err, feed.ErrMalformed) {
			t.Fatalf("an error that is not ErrMalformed: %v", err)
		}
		return
	}
	if len(items) > feed.MaxItems {
		t.Fatalf("%d items", len(items))
	}
	for _, it := range items {
		v, ps, err := vacancy.Normalize(testSource, map[string]string{}, now, it)
		if err != nil {
			t.Fatal(err)
		}
		if vacancy.Rejected(ps) {
			continue
		}
		if !strings.HasPrefix(v.URL, "https://") || !strings.HasPrefix(v.ApplyURL, "https://") {
			t.Fatalf("accepted a non-https link: %q %q", v.URL, v.ApplyURL)
		}
		lower := strings.ToLower(v.Description)
		for _, bad := range []string{"<script", "<a ", "<img", "<iframe", "<style"} {
			if strings.Contains(lower, bad) {
				t.Fatalf("accepted description with %q: %q", bad, v.Description)
			}
		}
		// Text may well say "javascript:" or " on"; only inside a tag
		// (text's "<" is escaped) would they be a link or a handler.
		for _, tag := range markupTag.FindAllString(lower, -1) {
			if strings.Contains(tag, "javascript:") || strings.Contains(tag, " on") {
				t.Fatalf("accepted description with %q: %q", tag, v.Description)
			}
		}
	}
}

func FuzzParseIndeedXML(f *testing.F) {
	f.Add(fixture(f, "indeed.xml"))
	f.Add(fixture(f, "latin1.xml"))
	f.Add([]byte(`<source><job><title><![CDATA[<script>x</script>]]></title><url>javascript:alert(1)</url></job></source>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		items, err := feed.ParseIndeedXML(data)
		fuzzItems(t, items, err)
	})
}

func FuzzParseRecruitee(f *testing.F) {
	f.Add(fixture(f, "recruitee.json"))
	f.Add([]byte(`{"offers":[{"id":"1","title":"x","description":"<img src=x onerror=alert(1)>","careers_url":"https://a.example.com/x","company_name":"A","created_at":"2026-10-01 10:00:00 UTC","salary":{"min":"1e400"}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		items, err := feed.ParseRecruitee(data)
		fuzzItems(t, items, err)
	})
}

func FuzzParseJSONLD(f *testing.F) {
	f.Add(fixture(f, "jobposting.html"))
	f.Add(fixture(f, "jobposting.json"))
	f.Add([]byte(`{"@graph":[{"@graph":[{"@type":["JobPosting"],"title":{"x":1},"identifier":[{"value":2}]}]}]}`))
	base, _ := url.Parse("https://www.example.com/a/")
	f.Fuzz(func(t *testing.T, data []byte) {
		items, err := feed.ParseJSONLD(data, base)
		fuzzItems(t, items, err)
	})
}
