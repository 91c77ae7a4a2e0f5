package httpserver_test

import (
	"slices"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
)

// job is a vacancy for the search tests; zero fields take a default.
type job struct {
	id, lang, title, description, org, locality, role string
	employment                                        string // as a source writes it
	workplace                                         string
	hours                                             [2]float64 // min, max; none when zero
	salary                                            [2]float64 // min, max; none when zero
	unit                                              string
	posted                                            string
}

func (j job) input() map[string]any {
	in := map[string]any{
		"externalId": j.id, "language": j.lang, "title": j.title,
		"description":        "<p>" + j.description + "</p><ul><li><strong>Start</strong> direct</li></ul>",
		"url":                "https://werken.example.nl/vacatures/" + j.id,
		"hiringOrganization": map[string]any{"name": j.org},
		"locations":          []any{map[string]any{"locality": j.locality, "country": "NL"}},
		"datePosted":         j.posted, "validThrough": "2099-12-31",
	}
	if j.role != "" {
		in["roleSlug"] = j.role
	}
	if j.employment != "" {
		in["employmentTypes"] = []string{j.employment}
	}
	if j.workplace != "" {
		in["workplaceType"] = j.workplace
	}
	if j.hours[1] != 0 {
		in["hoursPerWeek"] = map[string]any{"min": j.hours[0], "max": j.hours[1]}
	}
	if j.salary[1] != 0 {
		in["salary"] = map[string]any{"min": j.salary[0], "max": j.salary[1], "currency": "EUR", "unit": j.unit}
	}
	return in
}

// jobBoard is the search tests' vacancies: Dutch and English, with the
// stems the issue names, in three localities and two roles.
var jobBoard = []job{
	{id: "NL-1", lang: "nl", title: "Kantoormanager", description: "Je beheert het budget en de planning.", org: "Acme Werving",
		locality: "Haarlem", role: "office-manager", employment: "voltijd", workplace: "hybride",
		hours: [2]float64{32, 40}, salary: [2]float64{3400, 4200}, unit: "maand", posted: "2026-01-05"},
	{id: "NL-2", lang: "nl", title: "Twee kantoormanagers gezocht", description: "Samen runnen jullie ons kantoor.", org: "Bakker & Zonen",
		locality: "Amsterdam", role: "office-manager", employment: "deeltijd", workplace: "op locatie",
		hours: [2]float64{24, 28}, salary: [2]float64{20, 24}, unit: "uur", posted: "2026-01-07"},
	{id: "NL-3", lang: "nl", title: "Managementassistent", description: "Je ondersteunt de directie van een groeiende kantoormanager-afdeling.", org: "Acme Werving",
		locality: "Amsterdam", role: "personal-assistant", employment: "tijdelijk", workplace: "op locatie",
		hours: [2]float64{40, 40}, salary: [2]float64{900, 1000}, unit: "week", posted: "2026-01-03"},
	{id: "EN-1", lang: "en", title: "Personal assistant", description: "You support our managing director.", org: "Globex",
		locality: "Amsterdam", role: "personal-assistant", employment: "FULL_TIME", workplace: "HYBRID",
		hours: [2]float64{36, 40}, salary: [2]float64{48000, 54000}, unit: "YEAR", posted: "2026-01-06"},
	{id: "EN-2", lang: "en", title: "Assistants to the board", description: "Two assistants keep the board running.", org: "Initech",
		locality: "Utrecht", role: "personal-assistant", employment: "PART_TIME", workplace: "HYBRID",
		hours: [2]float64{20, 24}, posted: "2026-01-04"},
	{id: "EN-3", lang: "en", title: "Office manager", description: "Keep the office in Haarlem running; budgets and planning.", org: "Globex",
		locality: "Haarlem", role: "office-manager", employment: "FULL_TIME", workplace: "ONSITE",
		hours: [2]float64{40, 40}, salary: [2]float64{180, 200}, unit: "DAY", posted: "2026-01-02"},
}

func newJobBoard(t *testing.T, db *database.DB, jobs []job) *vacancyAPI {
	t.Helper()
	va := newVacancyAPI(t, db)
	auth := va.token(t, va.createSource(t, "board", "werken.example.nl"))
	items := make([]any, len(jobs))
	for i, j := range jobs {
		items[i] = j.input()
	}
	if rep := va.sync(t, auth, map[string]any{"mode": "UPSERT", "items": items}); rep.Created != len(jobs) || rep.Rejected != 0 {
		t.Fatalf("sync: %+v", rep)
	}
	return va
}

type searchAnswer struct {
	Vacancies struct {
		TotalCount int
		Edges      []struct {
			Cursor string
			Node   struct{ ExternalID string }
		}
		PageInfo struct {
			HasNextPage, HasPreviousPage bool
			StartCursor, EndCursor       *string
		}
		Facets struct {
			EmploymentTypes, WorkplaceTypes, Localities []struct {
				Value string
				Count int
			}
			Roles []struct {
				Role  struct{ Slug string }
				Count int
			}
		}
	}
}

func (a searchAnswer) ids() []string {
	var out []string
	for _, e := range a.Vacancies.Edges {
		out = append(out, e.Node.ExternalID)
	}
	return out
}

const searchQuery = `query($f: VacancyFilter, $first: Int, $after: String, $last: Int, $before: String) {
  vacancies(filter: $f, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    edges { cursor node { externalId } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`

const facetQuery = `query($f: VacancyFilter) {
  vacancies(filter: $f, first: 100) {
    totalCount
    edges { node { externalId } }
    facets {
      employmentTypes { value count }
      workplaceTypes { value count }
      localities { value count }
      roles { role(locale: "en") { slug } count }
    }
  }
}`

func (va *vacancyAPI) search(t testing.TB, filter map[string]any, page ...any) searchAnswer {
	t.Helper()
	vars := map[string]any{"f": filter, "first": 100}
	if len(page) > 0 {
		delete(vars, "first")
	}
	for i := 0; i+1 < len(page); i += 2 {
		vars[page[i].(string)] = page[i+1]
	}
	var res searchAnswer
	va.post(searchQuery, vars).ok(t, &res)
	if len(page) == 0 && res.Vacancies.TotalCount != len(res.Vacancies.Edges) {
		t.Fatalf("totalCount %d, %d listed", res.Vacancies.TotalCount, len(res.Vacancies.Edges))
	}
	return res
}

// sorted is a set of ids in a fixed order, to compare sets.
func sorted(ids []string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}

// TestSearchStemsDutchAndEnglish: a query finds every form with the same
// stem in the vacancy's language, and the same vacancies on both
// databases.
func TestSearchStemsDutchAndEnglish(t *testing.T) {
	cases := map[string][]string{
		"kantoormanager":          {"NL-1", "NL-2", "NL-3"}, // NL-3 says kantoormanager-afdeling
		"kantoormanagers":         {"NL-1", "NL-2", "NL-3"},
		"Kantoormanagers gezocht": {"NL-2"},
		"de kantoormanager":       {"NL-1", "NL-2", "NL-3"}, // "de" is a Dutch stop word
		"assistant":               {"EN-1", "EN-2"},
		"assistants":              {"EN-1", "EN-2"},
		"ASSISTANTS, board!":      {"EN-2"},
		"managementassistent":     {"NL-3"},
		"budgets":                 {"NL-1", "EN-3"}, // budget in Dutch, budgets in English
		"planning":                {"NL-1", "EN-3"},
		"haarlem":                 {"NL-1", "EN-3"}, // a locality; EN-3 names it in its description too
		"globex":                  {"EN-1", "EN-3"}, // the organisation
		"bakker zonen":            {"NL-2"},
		"start":                   {"NL-1", "NL-2", "NL-3", "EN-1", "EN-2", "EN-3"}, // in every description's markup
		"strong":                  nil,                                              // a tag, not text
		"the":                     nil,                                              // only a stop word
		"kantoormanager globex":   nil,                                              // every word must match
		"running":                 {"EN-2", "EN-3"},                                 // Dutch runnen has another stem
		"  ":                      {"NL-1", "NL-2", "NL-3", "EN-1", "EN-2", "EN-3"}, // no words: no text condition
	}
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		va := newJobBoard(t, db, jobBoard)
		for q, want := range cases {
			got := va.search(t, map[string]any{"query": q}).ids()
			if !slices.Equal(sorted(got), sorted(want)) {
				t.Errorf("query %q found %v, want %v", q, got, want)
			}
		}
	})
}
