package httpserver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
	"github.com/werkwijzer/werkwijzer/internal/vacancy/pull"
)

// tagLike finds what a browser would parse as the start of a tag, a
// comment or a processing instruction.
var tagLike = regexp.MustCompile(`<[A-Za-z/!?]`)

// servedVacancy is what a frontend reads of a vacancy, decoded from the
// GraphQL answer as a client does.
type servedVacancy struct {
	ExternalID         string
	Title              string
	HiringOrganization struct{ Name string }
	Locations          []struct{ Locality string }
	JobPosting         map[string]any
	JobPostingScript   *string
}

const servedVacancyFields = `externalId title hiringOrganization { name } locations { locality } jobPosting jobPostingScript`

func (va *vacancyAPI) servedVacancies(t testing.TB) map[string]servedVacancy {
	t.Helper()
	var res struct {
		Vacancies struct {
			Edges []struct{ Node servedVacancy }
		}
	}
	va.post(`{ vacancies(first: 50) { edges { node { `+servedVacancyFields+` } } } }`, nil).ok(t, &res)
	out := map[string]servedVacancy{}
	for _, e := range res.Vacancies.Edges {
		out[e.Node.ExternalID] = e.Node
	}
	return out
}

// wantPlain checks the plain-text fields of a served vacancy, in the
// vacancy and in its JSON-LD.
func wantPlain(t testing.TB, v servedVacancy, title, org, locality string) {
	t.Helper()
	if v.JobPosting == nil {
		t.Fatalf("%s has no jobPosting", v.ExternalID)
	}
	hiring, _ := v.JobPosting["hiringOrganization"].(map[string]any)
	place, _ := v.JobPosting["jobLocation"].(map[string]any)
	address, _ := place["address"].(map[string]any)
	got := map[string][2]string{
		"title":                         {v.Title, title},
		"jobPosting.title":              {str(v.JobPosting["title"]), title},
		"hiringOrganization.name":       {v.HiringOrganization.Name, org},
		"jobPosting.hiringOrganization": {str(hiring["name"]), org},
		"locations.locality":            {v.Locations[0].Locality, locality},
		"jobPosting.addressLocality":    {str(address["addressLocality"]), locality},
	}
	for field, g := range got {
		if g[0] != g[1] || tagLike.MatchString(g[0]) {
			t.Errorf("%s %s = %q, want %q", v.ExternalID, field, g[0], g[1])
		}
	}
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// TestPlainTextFieldsComeOutPlainThroughSync: markup hidden behind
// entities, escaped once or twice, by name or by number, does not come out
// of a plain-text field as markup.
func TestPlainTextFieldsComeOutPlainThroughSync(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		va := newVacancyAPI(t, db)
		source := va.token(t, va.createSource(t, "acme", "example.nl"))
		payloads := map[string]string{
			"NAMED":   "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;",
			"TWICE":   "&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;",
			"DECIMAL": "&#60;img src=x onerror=alert(1)&#62;",
			"HEX":     "&#x3c;svg onload=alert(1)&#x3E;&#x3C;/svg&#x3e;",
			"MIXED":   "&amp;#60;img src=x onerror=alert(1)&amp;gt;&l&#116;;!-- x --&gt;",
		}
		var items []any
		for id, p := range payloads {
			v := vacancyInput(id, "office-manager")
			v["title"] = "Office manager " + p
			v["hiringOrganization"] = map[string]any{"name": "Acme " + p + " Werving"}
			v["locations"] = []any{map[string]any{"locality": p + "Haarlem", "postalCode": "2011AB", "country": "NL"}}
			items = append(items, v)
		}
		if rep := va.sync(t, source, map[string]any{"mode": "UPSERT", "items": items}); rep.Created != len(payloads) {
			t.Fatalf("sync: %+v", rep)
		}
		served := va.servedVacancies(t)
		for id := range payloads {
			wantPlain(t, served[id], "Office manager", "Acme Werving", "Haarlem")
		}
	})
}

// TestPlainTextFieldsComeOutPlainThroughAnIndeedFeed: the same through an
// imported Indeed XML feed, escaped in XML text or inside CDATA.
func TestPlainTextFieldsComeOutPlainThroughAnIndeedFeed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		va := newVacancyAPI(t, db)
		src, _, err := va.vacancies.CreateSource(account.WithOperator(context.Background()), vacancy.NewSource{
			Name: "feed", Kind: vacancy.KindIndeedXML, FeedURL: "https://feeds.example.com/jobs.xml", AllowedHosts: []string{"example.com"},
			RoleRules: []vacancy.RoleRule{{Field: "category", Pattern: "office", Role: "office-manager"}},
		})
		if err != nil {
			t.Fatal(err)
		}
		job := func(id, title, company, city string) string {
			return `<job><title>` + title + `</title><date>2026-10-10</date><referencenumber>` + id + `</referencenumber>
<url>https://jobs.example.com/` + id + `</url><company>` + company + `</company><city>` + city + `</city><country>NL</country>
<category>Office management</category><description>Een mooie baan.</description></job>`
		}
		inXML := "&amp;lt;/script&amp;gt;&amp;lt;img src=x onerror=alert(1)&amp;gt;"
		inCDATA := "<![CDATA[&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;]]>"
		twiceInCDATA := "<![CDATA[&amp;#60;svg onload=alert(1)&amp;#x3e;&amp;#60;/svg&amp;#x3e;]]>"
		feed := `<?xml version="1.0"?><source>` +
			job("XML", "Office manager "+inXML, "Acme "+inXML+" Werving", inXML+"Utrecht") +
			job("CDATA", "Office manager "+inCDATA, "Acme "+inCDATA+" Werving", inCDATA+"Utrecht") +
			job("TWICE", "Office manager "+twiceInCDATA, "Acme "+twiceInCDATA+" Werving", twiceInCDATA+"Utrecht") +
			`</source>`
		im := &pull.Importer{Vacancies: va.vacancies, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		res, err := im.Import(account.WithOperator(context.Background()), src, strings.NewReader(feed), nil, pull.Options{})
		if err != nil || res.Total.Created != 3 {
			t.Fatalf("import: %+v, %v", res.Total, err)
		}
		served := va.servedVacancies(t)
		for _, id := range []string{"XML", "CDATA", "TWICE"} {
			wantPlain(t, served[id], "Office manager", "Acme Werving", "Utrecht")
		}
	})
}

// TestJobPostingScriptIsSafeToEmbed: a client that decodes the GraphQL
// answer gets in jobPostingScript a string it can put into a <script
// type="application/ld+json"> element as it is, whatever the vacancy
// holds, and it is the same document as jobPosting.
func TestJobPostingScriptIsSafeToEmbed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		va := newVacancyAPI(t, db)
		source := va.token(t, va.createSource(t, "acme", "example.nl"))
		v := vacancyInput("CLOSE-1", "office-manager")
		// Each field tries to end the element or open a comment in it. The
		// link's query comes back percent-encoded and the title as plain
		// text, but the description is HTML: the parsed JSON-LD holds
		// markup, which only the escapes keep inert inside the element.
		v["url"] = "https://werken.example.nl/vacatures/1?ref=</script><script>alert(1)</script><!--"
		v["title"] = "Office manager &lt;/script&gt; \u2028 \u2029 & <!-- -->"
		v["description"] = "<p>Stuur &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; en <b>R&amp;D</b></p>"
		if rep := va.sync(t, source, map[string]any{"mode": "UPSERT", "items": []any{v}}); rep.Created != 1 {
			t.Fatalf("sync: %+v", rep)
		}
		got := va.servedVacancies(t)["CLOSE-1"]
		if got.JobPosting == nil || got.JobPostingScript == nil {
			t.Fatalf("no JSON-LD: %+v", got)
		}
		// What a frontend gets when it serializes the parsed jobPosting
		// again, as JSON.stringify does: the reason for the other field.
		var again bytes.Buffer
		enc := json.NewEncoder(&again)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(got.JobPosting); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(again.String(), "</strong>") || !strings.Contains(again.String(), "&") {
			t.Fatalf("the markup did not reach the JSON-LD: %s", again.String())
		}
		if strings.Contains(strings.ToLower(again.String()), "</script") {
			t.Fatalf("a link or a text field holds a literal </script>: %s", again.String())
		}

		script := *got.JobPostingScript
		if strings.Contains(strings.ToLower(script), "</script") || strings.ContainsAny(script, "<>&\u2028\u2029") {
			t.Fatalf("jobPostingScript is not safe in a script element: %s", script)
		}
		var doc map[string]any
		if err := json.Unmarshal([]byte(script), &doc); err != nil {
			t.Fatalf("jobPostingScript is not JSON: %v\n%s", err, script)
		}
		if !reflect.DeepEqual(doc, got.JobPosting) {
			t.Fatalf("jobPostingScript differs from jobPosting:\n%v\n%v", doc, got.JobPosting)
		}
		if !strings.Contains(str(doc["url"]), "ref=%3C/script%3E%3Cscript%3Ealert(1)%3C/script%3E%3C!--") {
			t.Fatalf("the link's query was not percent-encoded as sent: %v", doc["url"])
		}
	})
}
