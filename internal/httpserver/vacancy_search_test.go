package httpserver_test

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
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

// TestSearchFilters: each filter alone and combined with others and with
// text, on both databases.
func TestSearchFilters(t *testing.T) {
	type filter = map[string]any
	cases := []struct {
		name   string
		filter filter
		want   []string
	}{
		{"hours at least 36", filter{"hoursPerWeek": filter{"min": 36}}, []string{"NL-1", "NL-3", "EN-1", "EN-3"}},
		{"hours at most 24", filter{"hoursPerWeek": filter{"max": 24}}, []string{"NL-2", "EN-2"}},
		{"hours overlap 25-30", filter{"hoursPerWeek": filter{"min": 25, "max": 30}}, []string{"NL-2"}},
		// Monthly: NL-1 3400-4200; NL-2 20-24/hour at 24-28 hours 2080-2912;
		// NL-3 900-1000/week 3900-4333.33; EN-1 48000-54000/year 4000-4500;
		// EN-3 180-200/day at 40 hours 3900-4333.33; EN-2 none.
		{"salary at least 4400", filter{"salary": filter{"min": 4400}}, []string{"EN-1"}},
		{"salary at least 4300", filter{"salary": filter{"min": 4300}}, []string{"NL-3", "EN-1", "EN-3"}},
		{"salary at most 3000", filter{"salary": filter{"max": 3000}}, []string{"NL-2"}},
		{"salary at most 3900, exactly", filter{"salary": filter{"max": 3900}}, []string{"NL-1", "NL-2", "NL-3", "EN-3"}},
		{"salary 3000-3500", filter{"salary": filter{"min": 3000, "max": 3500}}, []string{"NL-1"}},
		{"salary in dollars", filter{"salary": filter{"min": 0}, "salaryCurrency": "usd"}, nil},
		{"employment type", filter{"employmentType": "FULL_TIME"}, []string{"NL-1", "EN-1", "EN-3"}},
		{"workplace type", filter{"workplaceType": "HYBRID"}, []string{"NL-1", "EN-1", "EN-2"}},
		{"locality", filter{"locality": "amsterdam"}, []string{"NL-2", "NL-3", "EN-1"}},
		{"posted after", filter{"postedAfter": "2026-01-05T00:00:00+01:00"}, []string{"NL-1", "NL-2", "EN-1"}},
		{"role", filter{"roleSlug": "personal-assistant"}, []string{"NL-3", "EN-1", "EN-2"}},
		{"language", filter{"language": "en", "hoursPerWeek": filter{"min": 1}}, []string{"EN-1", "EN-2", "EN-3"}},
		{"text, workplace, hours", filter{"query": "assistant", "workplaceType": "HYBRID", "hoursPerWeek": filter{"min": 30}}, []string{"EN-1"}},
		{"locality, employment, salary", filter{"locality": "Amsterdam", "employmentType": "FULL_TIME", "salary": filter{"min": 3000}}, []string{"EN-1"}},
		{"text, locality, posted after", filter{"query": "kantoormanager", "locality": "AMSTERDAM", "postedAfter": "2026-01-04T00:00:00Z"}, []string{"NL-2"}},
		{"text, role, location", filter{"query": "kantoormanager", "roleSlug": "office-manager", "location": "haarlem"}, []string{"NL-1"}},
	}
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		va := newJobBoard(t, db, jobBoard)
		for _, c := range cases {
			got := va.search(t, c.filter).ids()
			if !slices.Equal(sorted(got), sorted(c.want)) {
				t.Errorf("%s: found %v, want %v", c.name, got, c.want)
			}
		}
	})
}

type facetCounts struct {
	employment, workplace, locality, role map[string]int
}

func (va *vacancyAPI) facets(t testing.TB, filter map[string]any) ([]string, facetCounts) {
	t.Helper()
	var res searchAnswer
	va.post(facetQuery, map[string]any{"f": filter}).ok(t, &res)
	f := res.Vacancies.Facets
	out := facetCounts{map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}}
	for _, list := range []struct {
		into   map[string]int
		values []struct {
			Value string
			Count int
		}
	}{{out.employment, f.EmploymentTypes}, {out.workplace, f.WorkplaceTypes}, {out.locality, f.Localities}} {
		for i, v := range list.values {
			if i > 0 && v.Count > list.values[i-1].Count {
				t.Errorf("facet values not most first: %+v", list.values)
			}
			list.into[v.Value] = v.Count
		}
	}
	for _, r := range f.Roles {
		out.role[r.Role.Slug] = r.Count
	}
	return res.ids(), out
}

// TestSearchFacetsLeaveOutTheirOwnFilter: each facet counts the
// vacancies that pass every condition but its own.
func TestSearchFacetsLeaveOutTheirOwnFilter(t *testing.T) {
	type counts = map[string]int
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		va := newJobBoard(t, db, jobBoard)

		ids, f := va.facets(t, nil)
		want := facetCounts{
			employment: counts{"FULL_TIME": 3, "PART_TIME": 2, "TEMPORARY": 1},
			workplace:  counts{"HYBRID": 3, "ONSITE": 3},
			locality:   counts{"Amsterdam": 3, "Haarlem": 2, "Utrecht": 1},
			role:       counts{"office-manager": 3, "personal-assistant": 3},
		}
		if len(ids) != 6 || !reflect.DeepEqual(f, want) {
			t.Errorf("no filter: %v %+v, want %+v", ids, f, want)
		}

		// Text and a workplace type: the workplace facet still counts the
		// hybrid match; the others count only the on-site ones.
		ids, f = va.facets(t, map[string]any{"query": "kantoormanager", "workplaceType": "ONSITE"})
		want = facetCounts{
			employment: counts{"PART_TIME": 1, "TEMPORARY": 1},
			workplace:  counts{"HYBRID": 1, "ONSITE": 2},
			locality:   counts{"Amsterdam": 2},
			role:       counts{"office-manager": 1, "personal-assistant": 1},
		}
		if !slices.Equal(sorted(ids), []string{"NL-2", "NL-3"}) || !reflect.DeepEqual(f, want) {
			t.Errorf("text and workplace: %v %+v, want %+v", ids, f, want)
		}

		// Employment type and locality: the locality facet counts the
		// full-time vacancies elsewhere too.
		ids, f = va.facets(t, map[string]any{"employmentType": "FULL_TIME", "locality": "haarlem"})
		want = facetCounts{
			employment: counts{"FULL_TIME": 2},
			workplace:  counts{"HYBRID": 1, "ONSITE": 1},
			locality:   counts{"Haarlem": 2, "Amsterdam": 1}, // NL-1, EN-3; EN-1
			role:       counts{"office-manager": 2},
		}
		if !slices.Equal(sorted(ids), []string{"EN-3", "NL-1"}) || !reflect.DeepEqual(f, want) {
			t.Errorf("employment and locality: %v %+v, want %+v", ids, f, want)
		}

		// All four facets filtered: only the workplace facet has another
		// value to offer (EN-3 is on site).
		ids, f = va.facets(t, map[string]any{"employmentType": "FULL_TIME", "workplaceType": "HYBRID", "locality": "haarlem", "roleSlug": "office-manager"})
		want = facetCounts{
			employment: counts{"FULL_TIME": 1},
			workplace:  counts{"HYBRID": 1, "ONSITE": 1},
			locality:   counts{"Haarlem": 1},
			role:       counts{"office-manager": 1},
		}
		if !slices.Equal(ids, []string{"NL-1"}) || !reflect.DeepEqual(f, want) {
			t.Errorf("all four: %v %+v, want %+v", ids, f, want)
		}

		// A role's list has no facets to count.
		var role struct {
			Role struct {
				Vacancies struct {
					Facets struct{ Roles []any }
				}
			}
		}
		va.post(`{ role(slug: "office-manager") { vacancies { facets { roles { count } } } } }`, nil).ok(t, &role)
		if len(role.Role.Vacancies.Facets.Roles) != 0 {
			t.Errorf("role list facets: %+v", role)
		}
	})
}

// relevanceJobs are nine vacancies at three levels of relevance to
// "assistants", among twelve that do not match.
func relevanceJobs() []job {
	var jobs []job
	for i := range 9 {
		j := job{id: fmt.Sprintf("A-%d", i), lang: "en", title: "Secretary", org: "Globex", locality: "Leiden",
			description: "Support the team.", posted: fmt.Sprintf("2026-02-0%d", 1+i%3)}
		switch i % 3 { // three levels of relevance, three vacancies each (ties of score and date)
		case 0:
			j.title = "Assistant"
		case 1:
			j.description = "As an assistant you support the team and the assistant manager."
		case 2:
			j.description = "You assist the team."
		}
		jobs = append(jobs, j)
	}
	for i := range 12 { // so that the query's words are rare, as on a real board (bm25 weighs rarity)
		jobs = append(jobs, job{id: fmt.Sprintf("B-%d", i), lang: "en", title: "Driver", org: "Globex", locality: "Leiden", description: "Drive.", posted: "2026-02-01"})
	}
	return jobs
}

// TestSearchPagesByRelevanceBothWays: with a query the list is ordered by
// relevance (then newest first), and first/after and last/before walk it
// exactly, ties included.
func TestSearchPagesByRelevanceBothWays(t *testing.T) {
	jobs := relevanceJobs()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		va := newJobBoard(t, db, jobs)
		filter := map[string]any{"query": "assistants"}
		all := va.search(t, filter).ids()
		// assistants, assistant and assist share the stem assist. The
		// databases rank differently (ts_rank, bm25), but both put the
		// titles first.
		if len(all) != 9 || !slices.Equal(sorted(all[:3]), []string{"A-0", "A-3", "A-6"}) {
			t.Fatalf("relevance order: %v, want the titles first", all)
		}

		var forward []string
		var after any
		for pages := 0; ; pages++ {
			res := va.search(t, filter, "first", 2, "after", after)
			forward = append(forward, res.ids()...)
			if !res.Vacancies.PageInfo.HasNextPage {
				break
			}
			if pages > 10 {
				t.Fatal("no end")
			}
			after = *res.Vacancies.PageInfo.EndCursor
		}
		if !slices.Equal(forward, all) {
			t.Errorf("first/after: %v, want %v", forward, all)
		}

		var backward []string
		var before any
		for pages := 0; ; pages++ {
			res := va.search(t, filter, "last", 2, "before", before)
			backward = append(res.ids(), backward...)
			if !res.Vacancies.PageInfo.HasPreviousPage {
				break
			}
			if pages > 10 {
				t.Fatal("no start")
			}
			before = *res.Vacancies.PageInfo.StartCursor
		}
		if !slices.Equal(backward, all) {
			t.Errorf("last/before: %v, want %v", backward, all)
		}

		// Between two cursors, both ways.
		full := va.search(t, filter)
		from, to := full.Vacancies.Edges[1].Cursor, full.Vacancies.Edges[6].Cursor
		if got := va.search(t, filter, "first", 10, "after", from, "before", to).ids(); !slices.Equal(got, all[2:6]) {
			t.Errorf("first between: %v, want %v", got, all[2:6])
		}
		if got := va.search(t, filter, "last", 2, "after", from, "before", to).ids(); !slices.Equal(got, all[4:6]) {
			t.Errorf("last between: %v, want %v", got, all[4:6])
		}

		// A cursor belongs to its query.
		for _, other := range []map[string]any{{"query": "team"}, nil} {
			if code := va.post(searchQuery, map[string]any{"f": other, "first": 2, "after": from}).code(t); code != "BAD_USER_INPUT" {
				t.Errorf("cursor of another query with %v: %s", other, code)
			}
		}
		// Another spelling of the same words is the same query.
		if got := va.search(t, map[string]any{"query": " ASSISTANTS "}, "first", 2, "after", from).ids(); !slices.Equal(got, all[2:4]) {
			t.Errorf("same query respelled: %v, want %v", got, all[2:4])
		}
	})
}

// TestSearchRefusesBadFilters: bad values are BAD_USER_INPUT naming the
// field, and nothing is listed.
func TestSearchRefusesBadFilters(t *testing.T) {
	type filter = map[string]any
	cases := []struct {
		filter filter
		field  string
	}{
		{filter{"hoursPerWeek": filter{"min": -1}}, "hoursPerWeek.min"},
		{filter{"hoursPerWeek": filter{"max": 200}}, "hoursPerWeek.max"},
		{filter{"hoursPerWeek": filter{"min": 40, "max": 20}}, "hoursPerWeek"},
		{filter{"salary": filter{"min": -5}}, "salary.min"},
		{filter{"salary": filter{"max": -0.01}}, "salary.max"},
		{filter{"salary": filter{"min": 5000, "max": 1000}}, "salary"},
		{filter{"salary": filter{"min": 3000}, "salaryCurrency": "euros please"}, "salaryCurrency"},
		{filter{"query": strings.Repeat("a", 201)}, "query"},
		{filter{"query": "a b c d e f g h i j k"}, "query"},
		{filter{"language": "not a language!"}, "language"},
		{filter{"query": "assistant", "language": "??"}, "language"},
	}
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		va := newJobBoard(t, db, jobBoard[:1])
		for _, c := range cases {
			res := va.post(facetQuery, map[string]any{"f": c.filter})
			if code := res.code(t); code != "BAD_USER_INPUT" || res.Errors[0].Extensions["field"] != c.field {
				t.Errorf("%v: %s %v, want BAD_USER_INPUT on %s", c.filter, code, res.Errors[0].Extensions["field"], c.field)
			}
			if string(res.Data) != "null" {
				t.Errorf("%v: data %s", c.filter, res.Data)
			}
		}
		// An unknown enum value is refused by GraphQL itself before any
		// resolver runs (a request error, as the spec has it), with the
		// path of the field.
		for field, bad := range map[string]filter{"employmentType": {"employmentType": "FULLTIME"}, "workplaceType": {"workplaceType": "MOON"}} {
			res := va.post(facetQuery, map[string]any{"f": bad})
			if code := res.code(t); code != "GRAPHQL_VALIDATION_FAILED" || !slices.Equal(res.Errors[0].Path, []any{"variable", "f", field}) {
				t.Errorf("%v: %s", bad, res.raw)
			}
		}
		if code := va.post(searchQuery, map[string]any{"f": filter{"query": "x"}, "after": "bm90IGEgY3Vyc29y"}).code(t); code != "BAD_USER_INPUT" {
			t.Errorf("bad cursor: %s", code)
		}
	})
}

// TestSearchIndexFollowsSyncs: the triggers keep the index current when a
// sync changes, closes or reopens a vacancy, and when it changes language.
func TestSearchIndexFollowsSyncs(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		va := newVacancyAPI(t, db)
		auth := va.token(t, va.createSource(t, "board", "werken.example.nl"))
		sync := func(mode string, jobs ...job) {
			t.Helper()
			items := []any{}
			for _, j := range jobs {
				items = append(items, j.input())
			}
			if rep := va.sync(t, auth, map[string]any{"mode": mode, "items": items}); rep.Rejected != 0 {
				t.Fatalf("sync: %+v", rep)
			}
		}
		find := func(q string) []string { return va.search(t, map[string]any{"query": q}).ids() }
		j := jobBoard[0] // Kantoormanager, nl
		sync("UPSERT", j)
		j.title, j.description = "Receptionist", "Je ontvangt onze gasten."
		sync("UPSERT", j)
		if got, gone := find("receptionisten"), find("kantoormanager"); !slices.Equal(got, []string{"NL-1"}) || len(gone) != 0 {
			t.Errorf("after a change: receptionisten %v, kantoormanager %v", got, gone)
		}
		sync("SNAPSHOT", jobBoard[3]) // closes NL-1
		if got := find("receptionist"); len(got) != 0 {
			t.Errorf("closed vacancy found: %v", got)
		}
		sync("UPSERT", j) // reopens it
		if got := find("receptionist"); !slices.Equal(got, []string{"NL-1"}) {
			t.Errorf("reopened vacancy: %v", got)
		}
		// Only the item's language is part of its key: English text in a
		// new English vacancy is stemmed in English.
		e := j
		e.id, e.lang, e.title = "NL-1-en", "en", "Receptionists"
		sync("UPSERT", e)
		if got := find("receptionist"); !slices.Equal(sorted(got), []string{"NL-1", "NL-1-en"}) {
			t.Errorf("both languages: %v", got)
		}
		indexMatchesVacancies(t, db)
	})
}

// indexMatchesVacancies checks that the text index holds exactly what the
// vacancies' text gives now: on SQLite FTS5's integrity check against its
// content view, on PostgreSQL every document computed afresh.
func indexMatchesVacancies(t *testing.T, db *database.DB) {
	t.Helper()
	if db.Gorm.Dialector.Name() == "sqlite" {
		if err := db.Gorm.Exec("INSERT INTO vacancy_fts (vacancy_fts, rank) VALUES ('integrity-check', 1)").Error; err != nil {
			t.Errorf("FTS5 integrity check: %v", err)
		}
		return
	}
	var stale int
	err := db.Gorm.Raw(`SELECT COUNT(*) FROM vacancies AS v FULL JOIN vacancy_search AS s ON s.vacancy_id = v.id
		WHERE s.vacancy_id IS NULL OR v.id IS NULL OR s.config <> vacancy_search_config(v.language)
		OR s.document <> vacancy_search_document(s.config, v.title, v.org_name, v.locations, v.description)`).Scan(&stale).Error
	if err != nil || stale != 0 {
		t.Errorf("%d documents missing or stale (%v)", stale, err)
	}
}
