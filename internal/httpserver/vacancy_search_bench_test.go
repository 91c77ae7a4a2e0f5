package httpserver_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/dbtest"
)

// searchBenchJobs are n open vacancies of a job board: Dutch and English
// (4:1), eight titles, twelve localities, mixed employment and workplace
// types, hours and salaries per month, hour and year, descriptions of
// about 1 KB.
func searchBenchJobs(n int) []job {
	titles := map[string][]string{
		"nl": {"Kantoormanager", "Office manager", "Assistent directie", "Managementassistent", "Receptionist", "Secretaresse", "Personal assistant", "Officemanager facilitair"},
		"en": {"Office manager", "Personal assistant", "Executive assistant", "Receptionist", "Team assistant", "Facility manager", "Office coordinator", "Secretary"},
	}
	body := map[string]string{
		"nl": "Je zorgt dat het kantoor soepel draait, van inkoop tot planning. Je ondersteunt de directie en het team met agenda's, vergaderingen en reizen. ",
		"en": "You keep the office running smoothly, from purchasing to planning. You support the directors and the team with diaries, meetings and travel. ",
	}
	cities := []string{"Amsterdam", "Rotterdam", "Utrecht", "Den Haag", "Eindhoven", "Groningen", "Haarlem", "Amersfoort", "Zwolle", "Arnhem", "Leiden", "Breda"}
	employment := []string{"voltijd", "deeltijd", "tijdelijk", "FULL_TIME", "PART_TIME"}
	workplace := []string{"hybride", "op locatie", "ONSITE", "HYBRID"}
	roles := []string{"office-manager", "personal-assistant", ""}
	out := make([]job, n)
	for i := range out {
		lang := "nl"
		if i%5 == 4 {
			lang = "en"
		}
		desc := ""
		for k := range 7 {
			desc += body[lang] + fmt.Sprintf("Ref %d-%d. ", i, k)
		}
		j := job{
			id: fmt.Sprintf("S-%05d", i), lang: lang, title: titles[lang][i%8], description: desc,
			org: fmt.Sprintf("Werkgever %d", i%400), locality: cities[i%12], role: roles[i%3],
			employment: employment[i%5], workplace: workplace[i%4],
			hours:  [2]float64{float64(24 + i%3*4), 40},
			posted: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%60).Format(time.DateOnly),
		}
		switch i % 3 {
		case 0:
			j.salary, j.unit = [2]float64{float64(2800 + i%10*100), float64(3600 + i%10*100)}, "MONTH"
		case 1:
			j.salary, j.unit = [2]float64{18, 26}, "HOUR"
		case 2:
			j.salary, j.unit = [2]float64{36000, 52000}, "YEAR"
		}
		out[i] = j
	}
	return out
}

// BenchmarkVacancySearch10k measures, through the whole handler chain on
// PostgreSQL with 10,000 open vacancies, a job board's search (text, two
// filters, the first page, totalCount and all four facets) against the
// same page without text and facets, in the same run, and reports both and
// their ratio:
//
//	WERKWIJZER_REQUIRE_POSTGRES=1 go test -run '^$' -bench VacancySearch10k -benchtime 200x ./internal/httpserver/
func BenchmarkVacancySearch10k(b *testing.B) {
	const n = 10_000
	va := newVacancyAPI(b, dbtest.Postgres(b))
	auth := va.token(b, va.createSource(b, "board", "werken.example.nl"))
	jobs := searchBenchJobs(n)
	for start := 0; start < n; start += 500 {
		items := make([]any, 0, 500)
		for _, j := range jobs[start:min(start+500, n)] {
			items = append(items, j.input())
		}
		if rep := va.sync(b, auth, map[string]any{"mode": "UPSERT", "items": items}); rep.Created != len(items) {
			b.Fatalf("sync: %+v", rep)
		}
	}
	filters := map[string]any{"workplaceType": "HYBRID", "hoursPerWeek": map[string]any{"min": 32}}
	search := map[string]any{"query": "assistent", "workplaceType": "HYBRID", "hoursPerWeek": map[string]any{"min": 32}}
	const page = `query($f: VacancyFilter) { vacancies(filter: $f, first: 20) { totalCount
		edges { cursor node { id title hiringOrganization { name } locations { locality } postedAt } } } }`
	const withFacets = `query($f: VacancyFilter) { vacancies(filter: $f, first: 20) { totalCount
		edges { cursor node { id title hiringOrganization { name } locations { locality } postedAt } }
		facets { employmentTypes { value count } workplaceTypes { value count } localities { value count } roles { role { slug } count } } } }`
	plainReq, searchReq := benchRequest(b, page, filters), benchRequest(b, withFacets, search)

	var found struct {
		Vacancies struct {
			TotalCount int
			Edges      []any
		}
	}
	va.post(withFacets, map[string]any{"f": search}).ok(b, &found)
	if found.Vacancies.TotalCount == 0 || len(found.Vacancies.Edges) != 20 {
		b.Fatalf("the search finds %d", found.Vacancies.TotalCount)
	}
	b.ReportMetric(float64(found.Vacancies.TotalCount), "matches")

	var plain, searched time.Duration
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		serve(b, va.handler, plainReq)
		plain += time.Since(start)
		start = time.Now()
		serve(b, va.handler, searchReq)
		searched += time.Since(start)
	}
	runs := float64(b.N)
	b.ReportMetric(plain.Seconds()*1000/runs, "page-ms")
	b.ReportMetric(searched.Seconds()*1000/runs, "search-ms")
	b.ReportMetric(searched.Seconds()/plain.Seconds(), "search/page")
}

func benchRequest(b *testing.B, query string, filter map[string]any) []byte {
	body, err := json.Marshal(map[string]any{"query": query, "variables": map[string]any{"f": filter}})
	if err != nil {
		b.Fatal(err)
	}
	return body
}

func serve(b *testing.B, h http.Handler, body []byte) {
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || bytes.Contains(rec.Body.Bytes(), []byte(`"errors"`)) {
		b.Fatalf("status %d: %s", rec.Code, rec.Body.String())
	}
}
