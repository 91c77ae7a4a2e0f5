package feed_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/vacancy"
	"github.com/werkwijzer/werkwijzer/internal/vacancy/feed"
)

var now = time.Date(2026, 10, 20, 12, 0, 0, 0, time.UTC)

var testSource = &vacancy.Source{ID: "s", Name: "feed", Language: "nl", TimeZone: "Europe/Amsterdam"}

// fixture returns a file of testdata.
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
	items, err := feed.ParseIndeedXML(bytes.NewReader(fixture(t, "indeed.xml")))
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
	checkIndeedFirstTerms(t, a, items[0])
	if b.Hours == nil || b.Hours.Min != 32 || b.Locations[0].Country != "NL" || b.Salary != nil {
		t.Fatalf("second job: hours %+v, location %+v, salary %+v", b.Hours, b.Locations, b.Salary)
	}
	if !strings.Contains(b.Description, "managementteam van") || !strings.Contains(b.Description, "<ul><li>32 uur per week</li><li>schaal 8</li></ul>") {
		t.Fatalf("plain-text description: %q", b.Description)
	}
}

// checkIndeedFirstTerms checks the first Indeed job's salary, location,
// description and categories.
func checkIndeedFirstTerms(t *testing.T, a vacancy.Vacancy, it vacancy.Item) {
	t.Helper()
	if a.Salary == nil || *a.Salary.MinCents != 290000 || *a.Salary.MaxCents != 360000 || a.Salary.Unit != vacancy.PerMonth {
		t.Fatalf("salary: %+v", a.Salary)
	}
	if a.Locations[0].PostalCode != "3542 AD" || a.Locations[0].Region != "Utrecht" {
		t.Fatalf("location: %+v", a.Locations)
	}
	if a.Description != `<p>Je regelt <strong>alles</strong> op kantoor.</p><ul><li>Planning</li><li>Inkoop</li></ul>` {
		t.Fatalf("description: %q", a.Description)
	}
	if !slices.Equal(it.Categories, []string{"Office management", "Administratief"}) {
		t.Fatalf("categories: %q", it.Categories)
	}
}

func TestIndeedXMLInLatin1(t *testing.T) {
	items, err := feed.ParseIndeedXML(bytes.NewReader(fixture(t, "latin1.xml")))
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 || items[0].Title != "Cafémanager" || items[0].Organization.Name != "Café De Zon" {
		t.Fatalf("items: %+v", items)
	}
}

func TestRecruitee(t *testing.T) {
	items, err := feed.ParseRecruitee(bytes.NewReader(fixture(t, "recruitee.json")))
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
	checkRecruiteeFirstTerms(t, a, items[0])
	if b.Language != "en" || b.WorkplaceType != vacancy.Remote || b.Hours != nil || b.Salary != nil ||
		!slices.Equal(b.EmploymentTypes, []vacancy.EmploymentType{vacancy.PartTime, vacancy.Temporary}) {
		t.Fatalf("second: %+v", b)
	}
	if items[1].Categories[0] != "Executive office" {
		t.Fatalf("department object: %q", items[1].Categories)
	}
}

// checkRecruiteeFirstTerms checks the first Recruitee offer's hours,
// salary, location, description and categories.
func checkRecruiteeFirstTerms(t *testing.T, a vacancy.Vacancy, it vacancy.Item) {
	t.Helper()
	if a.Hours.Min != 32 || a.Hours.Max != 40 || *a.Salary.MinCents != 380000 || a.Salary.Unit != vacancy.PerMonth {
		t.Fatalf("hours %+v salary %+v", a.Hours, a.Salary)
	}
	if a.Locations[0].StreetAddress != "Herengracht 500" || a.Locations[0].Country != "NL" {
		t.Fatalf("location %+v", a.Locations)
	}
	if !strings.Contains(a.Description, "<li>3 jaar ervaring</li>") {
		t.Fatalf("requirements missing from %q", a.Description)
	}
	if !slices.Equal(it.Categories, []string{"Operations", "office management", "office", "facilities"}) {
		t.Fatalf("categories %q", it.Categories)
	}
}

func TestJSONLDPage(t *testing.T) {
	base, _ := url.Parse("https://www.example.com/vacatures/")
	items, err := feed.ParseJSONLD(bytes.NewReader(fixture(t, "jobposting.html")), base)
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
	checkJSONLDRoundTrip(t, v)
}

// checkJSONLDRoundTrip checks that what we serve as JSON-LD for v reads
// back as the same vacancy.
func checkJSONLDRoundTrip(t *testing.T, v vacancy.Vacancy) {
	t.Helper()
	again, err := feed.ParseJSONLD(bytes.NewReader(vacancy.JobPosting(&v)), nil)
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
	items, err := feed.ParseJSONLD(bytes.NewReader(fixture(t, "jobposting.json")), nil)
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
		"xml cut off": func() error {
			_, err := feed.ParseIndeedXML(strings.NewReader(`<source><job><title>x</title>`))
			return err
		},
		"not xml":   func() error { _, err := feed.ParseIndeedXML(strings.NewReader(`{"offers": []}`)); return err },
		"empty xml": func() error { _, err := feed.ParseIndeedXML(strings.NewReader("")); return err },
		"html error page": func() error {
			_, err := feed.ParseRecruitee(strings.NewReader(`<html><body>502 Bad Gateway</body></html>`))
			return err
		},
		"recruitee no list": func() error { _, err := feed.ParseRecruitee(strings.NewReader(`{"error": "not found"}`)); return err },
		"recruitee cut off": func() error { _, err := feed.ParseRecruitee(strings.NewReader(`{"offers": [{"id": 1,`)); return err },
		"page without ld": func() error {
			_, err := feed.ParseJSONLD(strings.NewReader(`<html><body>Onderhoud</body></html>`), nil)
			return err
		},
		"page with bad json": func() error {
			_, err := feed.ParseJSONLD(strings.NewReader(`<script type="application/ld+json">{"@type": </script>`), nil)
			return err
		},
	}
	for name, parse := range cases {
		if err := parse(); !errors.Is(err, feed.ErrMalformed) {
			t.Errorf("%s: %v, want ErrMalformed", name, err)
		}
	}
	// An empty but well-formed feed is not malformed: it holds nothing.
	if items, err := feed.ParseRecruitee(strings.NewReader(`{"offers": []}`)); err != nil || len(items) != 0 {
		t.Fatalf("empty offers: %v %v", items, err)
	}
	if items, err := feed.ParseIndeedXML(strings.NewReader(`<source></source>`)); err != nil || len(items) != 0 {
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
		items, err := feed.ParseIndeedXML(bytes.NewReader(data))
		fuzzItems(t, items, err)
	})
}

func FuzzParseRecruitee(f *testing.F) {
	f.Add(fixture(f, "recruitee.json"))
	f.Add([]byte(`{"offers":[{"id":"1","title":"x","description":"<img src=x onerror=alert(1)>","careers_url":"https://a.example.com/x","company_name":"A","created_at":"2026-10-01 10:00:00 UTC","salary":{"min":"1e400"}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		items, err := feed.ParseRecruitee(bytes.NewReader(data))
		fuzzItems(t, items, err)
	})
}

func FuzzParseJSONLD(f *testing.F) {
	f.Add(fixture(f, "jobposting.html"))
	f.Add(fixture(f, "jobposting.json"))
	f.Add([]byte(`{"@graph":[{"@graph":[{"@type":["JobPosting"],"title":{"x":1},"identifier":[{"value":2}]}]}]}`))
	base, _ := url.Parse("https://www.example.com/a/")
	f.Fuzz(func(t *testing.T, data []byte) {
		items, err := feed.ParseJSONLD(bytes.NewReader(data), base)
		fuzzItems(t, items, err)
	})
}

// generated is a feed of n records produced as it is read, never held
// whole: head, then record(i) for each i, then tail. Every MiB it samples
// the heap, so a test can tell what reading it cost at the peak.
type generated struct {
	head, tail string
	record     func(i int) string
	n, next    int
	pending    []byte
	read       int64
	sampledAt  int64
	peakHeap   uint64
}

func (g *generated) Read(p []byte) (int, error) {
	if g.read >= g.sampledAt {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		g.peakHeap = max(g.peakHeap, ms.HeapAlloc)
		g.sampledAt += 1 << 20
	}
	for len(g.pending) == 0 {
		switch {
		case g.next < 0:
			return 0, io.EOF
		case g.next == 0 && g.head != "":
			g.pending = []byte(g.head)
			g.head = ""
		case g.next < g.n:
			g.pending = []byte(g.record(g.next))
			g.next++
		default:
			g.pending, g.next = []byte(g.tail), -1
		}
	}
	n := copy(p, g.pending)
	g.pending = g.pending[n:]
	g.read += int64(n)
	return n, nil
}

// heapNow is the live heap after a collection.
func heapNow() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// TestParseHoldsOneItemAtATime parses 64 MiB feeds of every kind whose
// jobs carry 512 KiB of data no item keeps (elements and properties the
// parser does not read): the heap must stay far below the feed's size,
// which it cannot if the document is buffered whole.
func TestParseHoldsOneItemAtATime(t *testing.T) {
	padding := strings.Repeat("x", 512<<10)
	const jobs = 128 // 64 MiB of padding
	feeds := map[vacancy.Kind]*generated{
		vacancy.KindIndeedXML: {head: `<?xml version="1.0"?><source>`, tail: `</source>`, record: func(i int) string {
			return fmt.Sprintf(`<job><referencenumber>%d</referencenumber><title>Office manager</title><tracking>%s</tracking></job>`, i, padding)
		}},
		vacancy.KindRecruitee: {head: `{"offers":[`, tail: `]}`, record: func(i int) string {
			return fmt.Sprintf(`%s{"id":%d,"title":"Office manager","tracking":"%s"}`, map[bool]string{true: ",", false: ""}[i > 0], i, padding)
		}},
		vacancy.KindJSONLD: {head: `{"@context":"https://schema.org","@graph":[`, tail: `]}`, record: func(i int) string {
			return fmt.Sprintf(`%s{"@type":"JobPosting","identifier":"%d","title":"Office manager","tracking":"%s"}`, map[bool]string{true: ",", false: ""}[i > 0], i, padding)
		}},
		vacancy.KindPersonio: {head: `<?xml version="1.0"?><workzag-jobs>`, tail: `</workzag-jobs>`, record: func(i int) string {
			return fmt.Sprintf(`<position><id>%d</id><name>Office manager</name><tracking>%s</tracking></position>`, i, padding)
		}},
		vacancy.KindGreenhouse: {head: `{"jobs":[`, tail: `]}`, record: func(i int) string {
			return fmt.Sprintf(`%s{"id":%d,"title":"Office manager","tracking":"%s"}`, map[bool]string{true: ",", false: ""}[i > 0], i, padding)
		}},
		vacancy.KindLever: {head: `[`, tail: `]`, record: func(i int) string {
			return fmt.Sprintf(`%s{"id":"%d","text":"Office manager","tracking":"%s"}`, map[bool]string{true: ",", false: ""}[i > 0], i, padding)
		}},
	}
	for kind, g := range feeds {
		t.Run(string(kind), func(t *testing.T) {
			g.n = jobs
			base := heapNow()
			items, err := feed.Parse(kind, g, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != jobs || items[jobs-1].Title != "Office manager" {
				t.Fatalf("%d items", len(items))
			}
			grew := int64(g.peakHeap) - int64(base)
			t.Logf("read %d MiB, the heap grew by at most %.1f MiB", g.read>>20, float64(grew)/(1<<20))
			if g.read < 64<<20 || grew > 16<<20 {
				t.Fatalf("the heap grew by %d MiB reading a %d MiB feed; want under 16", grew>>20, g.read>>20)
			}
		})
	}
}

// TestParseReportsReadErrors: a feed cut off by its reader (a size limit,
// a broken connection) fails with the reader's error, not as a malformed
// document, so the importer can say what happened.
func TestParseReportsReadErrors(t *testing.T) {
	cut := errors.New("the connection broke")
	docs := map[vacancy.Kind]string{
		vacancy.KindIndeedXML: `<source><job><title>x</title></job>`,
		vacancy.KindRecruitee: `{"offers": [{"id": 1}`,
		vacancy.KindJSONLD:    `<html><script type="application/ld+json">{"@type": "JobPosting"}</script>`,
	}
	for kind, doc := range docs {
		_, err := feed.Parse(kind, io.MultiReader(strings.NewReader(doc), iotest.ErrReader(cut)), nil)
		if !errors.Is(err, cut) || errors.Is(err, feed.ErrMalformed) {
			t.Errorf("%s: %v, want the read error", kind, err)
		}
	}
}

// TestStreamedJSONReadsAsBefore: the shapes the streaming JSON readers
// handle member by member read as encoding/json would read them whole.
func TestStreamedJSONReadsAsBefore(t *testing.T) {
	items, err := feed.ParseRecruitee(strings.NewReader(`{"meta": {"a": [1, {"b": null}]}, "Offers": [{"id": 7, "title": "A"}], "more": "x"}`))
	if err != nil || len(items) != 1 || items[0].ExternalID != "7" {
		t.Fatalf("recruitee with other members: %+v %v", items, err)
	}
	for _, bad := range []string{`{"offers": []} {}`, `{"offers": null}`, `{"offers": {}}`, `{"offers": [] `} {
		if _, err := feed.ParseRecruitee(strings.NewReader(bad)); !errors.Is(err, feed.ErrMalformed) {
			t.Errorf("%s: %v, want ErrMalformed", bad, err)
		}
	}
	graph := `{"@context": "https://schema.org", "@graph": [
		{"@type": "JobPosting", "identifier": "a", "title": "A"},
		{"@type": "ItemList", "itemListElement": [{"@type": "ListItem", "item": {"@type": "JobPosting", "identifier": "b", "title": "B"}}]}
	], "itemListElement": {"item": {"@type": "JobPosting", "identifier": "c", "title": "C"}}}`
	items, err = feed.ParseJSONLD(strings.NewReader(graph), nil)
	if err != nil || len(items) != 3 || items[0].ExternalID != "a" || items[1].ExternalID != "b" || items[2].ExternalID != "c" {
		t.Fatalf("graph: %+v %v", items, err)
	}
	// A top-level JobPosting counts alone, whatever graph it carries.
	items, err = feed.ParseJSONLD(strings.NewReader(`{"@graph": [{"@type": "JobPosting", "title": "inner"}], "@type": "JobPosting", "identifier": "outer"}`), nil)
	if err != nil || len(items) != 1 || items[0].ExternalID != "outer" {
		t.Fatalf("posting with a graph: %+v %v", items, err)
	}
	if _, err := feed.ParseJSONLD(strings.NewReader(`[{"@type": "JobPosting"}] x`), nil); !errors.Is(err, feed.ErrMalformed) {
		t.Fatalf("trailing data: %v", err)
	}
}
