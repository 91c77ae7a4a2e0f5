package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/werkwijzer/werkwijzer/internal/vacancy"
)

// Vacancy search. The text index is kept by triggers (migration 00010):
// on PostgreSQL a tsvector per vacancy in vacancy_search with a GIN index,
// on SQLite the FTS5 table vacancy_fts. The SQL here is written out per
// dialect where they differ and shares the rest: the conditions, the
// paging and the facets.

// conds is a WHERE clause under construction: SQL fragments joined by AND,
// with their arguments in order.
type conds struct {
	sql  []string
	args []any
}

func (c *conds) add(sql string, args ...any) {
	c.sql = append(c.sql, sql)
	c.args = append(c.args, args...)
}

func (c *conds) and(o conds) conds {
	return conds{sql: append(slices.Clone(c.sql), o.sql...), args: append(slices.Clone(c.args), o.args...)}
}

func (c conds) where() string {
	if len(c.sql) == 0 {
		return "TRUE"
	}
	return strings.Join(c.sql, " AND ")
}

// The facets and the conditions each one leaves out when it counts.
const (
	facetEmployment = "employmentType"
	facetWorkplace  = "workplaceType"
	facetLocality   = "locality"
	facetRole       = "role"
)

var facets = []string{facetEmployment, facetWorkplace, facetLocality, facetRole}

// searchQuery is a search turned into SQL over vacancies AS v: the join
// with the text matches (empty without text), the conditions every facet
// keeps and those of each facet.
type searchQuery struct {
	join      string
	joinArgs  []any
	score     string // SQL of the relevance score, higher is better
	common    conds
	facet     map[string]conds
	noMatches bool // the text matches nothing: skip the database
}

func (q searchQuery) all() conds {
	c := q.common
	for _, f := range facets {
		c = c.and(q.facet[f])
	}
	return c
}

// others are the conditions of the facets but one.
func (q searchQuery) others(facet string) conds {
	var c conds
	for _, f := range facets {
		if f != facet {
			c = c.and(q.facet[f])
		}
	}
	return c
}

// monthly is the SQL of a vacancy's gross monthly salary in cents from
// amount (cents) and hours per week: HOUR × hours × 52 / 12, DAY × hours
// / 8 × 52 / 12, WEEK × 52 / 12, MONTH, YEAR / 12, with 40 hours when the
// vacancy gives none. Multiplications come before the division, in the
// same order on both databases, so both compute the same double.
func monthly(amount, hours string) string {
	a := "CAST(" + amount + " AS DOUBLE PRECISION)"
	h := "COALESCE(" + hours + ", 40)"
	return "(CASE v.salary_unit WHEN 'MONTH' THEN " + a +
		" WHEN 'YEAR' THEN " + a + " / 12" +
		" WHEN 'WEEK' THEN " + a + " * 52 / 12" +
		" WHEN 'DAY' THEN " + a + " * " + h + " * 52 / 96" +
		" WHEN 'HOUR' THEN " + a + " * " + h + " * 52 / 12 END)"
}

func (s *Vacancies) searchQuery(ctx context.Context, f vacancy.SearchStoreFilter, now time.Time) (searchQuery, error) {
	q := searchQuery{score: "0.0", facet: map[string]conds{}}
	q.common.add("v.status = ? AND (v.valid_through IS NULL OR v.valid_through > ?)", string(vacancy.StatusOpen), now)
	if f.Location != "" {
		q.common.add("v.location_keys LIKE ?", "%|"+f.Location+"|%")
	}
	if f.Language != "" {
		q.common.add("v.language = ?", f.Language)
	}
	if !f.PostedAfter.IsZero() {
		q.common.add("v.date_posted >= ?", f.PostedAfter.UTC())
	}
	if f.HoursMin != nil {
		q.common.add("v.hours_max >= ?", *f.HoursMin)
	}
	if f.HoursMax != nil {
		q.common.add("v.hours_min <= ?", *f.HoursMax)
	}
	if f.SalaryCurrency != "" {
		q.common.add("v.salary_currency = ?", f.SalaryCurrency)
		if f.SalaryMin != nil {
			q.common.add(monthly("COALESCE(v.salary_max, v.salary_min)", "v.hours_max")+" >= ?", *f.SalaryMin)
		}
		if f.SalaryMax != nil {
			q.common.add(monthly("COALESCE(v.salary_min, v.salary_max)", "v.hours_min")+" <= ?", *f.SalaryMax)
		}
	}
	var c conds
	if bit := f.EmploymentType.Bit(); bit != 0 {
		c.add("(v.employment_types & ?) <> 0", bit)
	}
	q.facet[facetEmployment] = c
	c = conds{}
	if f.WorkplaceType != "" {
		c.add("v.workplace_type = ?", string(f.WorkplaceType))
	}
	q.facet[facetWorkplace] = c
	c = conds{}
	if f.Locality != "" {
		from, locality := s.locations()
		c.add("EXISTS (SELECT 1 FROM "+from+" WHERE lower("+locality+") = ?)", f.Locality)
	}
	q.facet[facetLocality] = c
	c = conds{}
	if f.RoleID != "" {
		c.add("v.role_id = ?", f.RoleID)
	}
	q.facet[facetRole] = c
	if f.Text == nil {
		return q, nil
	}
	if s.postgres {
		return q, s.pgText(&q, f.Text)
	}
	return q, s.sqliteText(ctx, &q, f.Text)
}

// locations is a FROM item of the locations of the vacancies aliased v,
// one row e per location, and the SQL of a location's locality (NULL
// when it names none). Table functions may refer to v on both databases.
func (s *Vacancies) locations() (from, locality string) {
	if s.postgres {
		return "jsonb_array_elements(v.locations) AS e", "(e ->> 'locality')"
	}
	return "json_each(v.locations) AS e", "json_extract(e.value, '$.locality')"
}

// pgText matches the query in each configuration with plainto_tsquery,
// which drops the configuration's stop words and stems the rest, and
// ranks with ts_rank (title weighs most, then organisation and locality,
// then description). A configuration whose terms are all stop words is
// left out, as vacancy.ParseQuery found.
func (s *Vacancies) pgText(q *searchQuery, t *vacancy.TextQuery) error {
	words := strings.Join(t.Words, " ")
	var match, rank []string
	var matchArgs, rankArgs []any
	for _, cfg := range vacancy.SearchConfigs {
		if len(t.Terms[cfg]) == 0 {
			continue
		}
		match = append(match, "(s.config = '"+cfg+"' AND s.document @@ plainto_tsquery('"+cfg+"', ?))")
		matchArgs = append(matchArgs, words)
		rank = append(rank, "WHEN '"+cfg+"' THEN ts_rank(s.document, plainto_tsquery('"+cfg+"', ?))")
		rankArgs = append(rankArgs, words)
	}
	if len(match) == 0 {
		q.noMatches = true
		return nil
	}
	q.join = "JOIN (SELECT s.vacancy_id AS hit_id, CAST(CASE s.config " + strings.Join(rank, " ") + " END AS DOUBLE PRECISION) AS score" +
		" FROM vacancy_search AS s WHERE " + strings.Join(match, " OR ") + ") AS h ON h.hit_id = v.id"
	q.joinArgs = append(rankArgs, matchArgs...)
	q.score = "h.score"
	return nil
}

// sqliteText matches the query with FTS5. The index holds words as
// written; each term of the query (a Snowball stem, see
// vacancy.SearchTerm) becomes the indexed words with that term, looked up
// in vacancy_fts_vocab, so a vacancy matches when it holds, for every
// term, a word with the same stem in its language, as on PostgreSQL.
// bm25 ranks, with the weights PostgreSQL gives the same fields.
func (s *Vacancies) sqliteText(ctx context.Context, q *searchQuery, t *vacancy.TextQuery) error {
	var groups []string
	for _, cfg := range vacancy.SearchConfigs {
		terms := t.Terms[cfg]
		if len(terms) == 0 {
			continue
		}
		var all []string
		for _, term := range terms {
			words, err := s.indexedWords(ctx, cfg, term)
			if err != nil {
				return err
			}
			if len(words) == 0 {
				all = nil
				break
			}
			all = append(all, "("+strings.Join(words, " OR ")+")")
		}
		if len(all) > 0 {
			groups = append(groups, `(config : "`+cfg+`" AND {title org_name locality description} : (`+strings.Join(all, " AND ")+`))`)
		}
	}
	if len(groups) == 0 {
		q.noMatches = true
		return nil
	}
	q.join = "JOIN (SELECT rowid AS hit_rowid, -bm25(vacancy_fts, 0.0, 1.0, 0.4, 0.4, 0.1) AS score FROM vacancy_fts WHERE vacancy_fts MATCH ?) AS h ON h.hit_rowid = v.rowid"
	q.joinArgs = []any{strings.Join(groups, " OR ")}
	q.score = "h.score"
	return nil
}

// indexedWords returns the words in the index whose term in cfg is term,
// each quoted as an FTS5 string.
func (s *Vacancies) indexedWords(ctx context.Context, cfg, term string) ([]string, error) {
	var out []string
	for _, prefix := range vacancy.WordPrefixes(cfg, term) {
		var words []string
		err := s.db.WithContext(ctx).Raw("SELECT term FROM vacancy_fts_vocab WHERE term >= ? AND term < ?", prefix, prefixEnd(prefix)).
			Scan(&words).Error
		if err != nil {
			return nil, fmt.Errorf("look up indexed words: %w", err)
		}
		for _, w := range words {
			if got, ok := vacancy.SearchTerm(cfg, w); ok && got == term {
				out = append(out, `"`+strings.ReplaceAll(w, `"`, `""`)+`"`)
			}
		}
	}
	return out, nil
}

// prefixEnd is the least string after every string that starts with
// prefix: its last rune plus one.
func prefixEnd(prefix string) string {
	r, size := utf8.DecodeLastRuneInString(prefix)
	return prefix[:len(prefix)-size] + string(r+1)
}

type hitRow struct {
	Row   vacancyRow `gorm:"embedded"`
	Score float64
}

// SearchOpen pages through the open vacancies that match, by relevance
// then newest first with a text query, newest first without.
func (s *Vacancies) SearchOpen(ctx context.Context, f vacancy.SearchStoreFilter, page vacancy.SearchPage, now time.Time) ([]vacancy.Hit, error) {
	q, err := s.searchQuery(ctx, f, now)
	if err != nil || q.noMatches {
		return nil, err
	}
	c := q.all()
	key, keyArgs := "(v.date_posted, v.id)", func(cur *vacancy.SearchCursor) []any { return []any{cur.Posted.UTC(), cur.ID} }
	order := []string{"v.date_posted", "v.id"}
	if f.Text != nil {
		key = "(" + q.score + ", v.date_posted, v.id)"
		keyArgs = func(cur *vacancy.SearchCursor) []any { return []any{cur.Score, cur.Posted.UTC(), cur.ID} }
		order = append([]string{q.score}, order...)
	}
	ph := strings.TrimSuffix(strings.Repeat("?, ", len(order)), ", ")
	if page.After != nil {
		c.add(key+" < ("+ph+")", keyArgs(page.After)...)
	}
	if page.Before != nil {
		c.add(key+" > ("+ph+")", keyArgs(page.Before)...)
	}
	dir := " DESC"
	if page.FromEnd {
		dir = " ASC"
	}
	sql := "SELECT v.*, " + q.score + " AS score FROM vacancies AS v " + q.join + " WHERE " + c.where() +
		" ORDER BY " + strings.Join(order, dir+", ") + dir + " LIMIT ?"
	args := append(append(slices.Clone(q.joinArgs), c.args...), page.Limit)
	var rows []hitRow
	if err := s.db.WithContext(ctx).Raw(sql, args...).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("search vacancies: %w", err)
	}
	if page.FromEnd {
		slices.Reverse(rows)
	}
	out := make([]vacancy.Hit, len(rows))
	for i := range rows {
		out[i] = vacancy.Hit{Vacancy: rows[i].Row.toVacancy(), Score: rows[i].Score}
	}
	return out, nil
}

// CountSearch counts the open vacancies that match.
func (s *Vacancies) CountSearch(ctx context.Context, f vacancy.SearchStoreFilter, now time.Time) (int, error) {
	q, err := s.searchQuery(ctx, f, now)
	if err != nil || q.noMatches {
		return 0, err
	}
	c := q.all()
	var n int
	err = s.db.WithContext(ctx).Raw("SELECT COUNT(*) FROM vacancies AS v "+q.join+" WHERE "+c.where(), append(slices.Clone(q.joinArgs), c.args...)...).
		Scan(&n).Error
	if err != nil {
		return 0, fmt.Errorf("count vacancies: %w", err)
	}
	return n, nil
}

// SearchFacets counts the matching open vacancies per employment type,
// workplace type, locality and role in one statement: the vacancies that
// pass the conditions every facet keeps are read once (base), then each
// facet groups those that pass the other facets' conditions.
func (s *Vacancies) SearchFacets(ctx context.Context, f vacancy.SearchStoreFilter, now time.Time) (vacancy.Facets, error) {
	var out vacancy.Facets
	q, err := s.searchQuery(ctx, f, now)
	if err != nil || q.noMatches {
		return out, err
	}
	from, locality := s.locations()
	var bits []string
	for _, t := range vacancy.EmploymentTypes {
		bits = append(bits, "SELECT "+strconv.Itoa(t.Bit())+" AS bit")
	}
	// The facet conditions refer to v, so base goes by that name.
	emp, wp, loc, role := q.others(facetEmployment), q.others(facetWorkplace), q.others(facetLocality), q.others(facetRole)
	sql := "WITH base AS MATERIALIZED (SELECT v.id, v.employment_types, v.workplace_type, v.role_id, v.locations FROM vacancies AS v " +
		q.join + " WHERE " + q.common.where() + ")" +
		" SELECT '" + facetEmployment + "' AS facet, CAST(b.bit AS TEXT) AS value, '' AS label, COUNT(*) AS n" +
		" FROM base AS v JOIN (" + strings.Join(bits, " UNION ALL ") + ") AS b ON (v.employment_types & b.bit) <> 0" +
		" WHERE " + emp.where() + " GROUP BY b.bit" +
		" UNION ALL SELECT '" + facetWorkplace + "', v.workplace_type, '', COUNT(*) FROM base AS v" +
		" WHERE v.workplace_type <> '' AND " + wp.where() + " GROUP BY v.workplace_type" +
		" UNION ALL SELECT '" + facetLocality + "', lower(" + locality + "), MIN(" + locality + "), COUNT(DISTINCT v.id) FROM base AS v, " + from +
		" WHERE COALESCE(" + locality + ", '') <> '' AND " + loc.where() + " GROUP BY lower(" + locality + ")" +
		" UNION ALL SELECT '" + facetRole + "', v.role_id, '', COUNT(*) FROM base AS v" +
		" WHERE v.role_id IS NOT NULL AND " + role.where() + " GROUP BY v.role_id" +
		" ORDER BY facet, n DESC, value"
	args := slices.Concat(q.joinArgs, q.common.args, emp.args, wp.args, loc.args, role.args)
	var rows []struct {
		Facet, Value, Label string
		N                   int
	}
	if err := s.db.WithContext(ctx).Raw(sql, args...).Scan(&rows).Error; err != nil {
		return out, fmt.Errorf("count facets: %w", err)
	}
	for _, r := range rows {
		fc := vacancy.FacetCount{Value: r.Value, Label: r.Label, Count: r.N}
		switch r.Facet {
		case facetEmployment:
			bit, err := strconv.Atoi(r.Value)
			if err != nil {
				return out, fmt.Errorf("count facets: employment bit %q: %w", r.Value, err)
			}
			fc.Value = string(vacancy.EmploymentTypesOf(bit)[0])
			out.EmploymentTypes = append(out.EmploymentTypes, fc)
		case facetWorkplace:
			out.WorkplaceTypes = append(out.WorkplaceTypes, fc)
		case facetLocality:
			out.Localities = append(out.Localities, fc)
		case facetRole:
			out.Roles = append(out.Roles, fc)
		}
	}
	// The database ordered ties by the bit's text; Google's order reads
	// better.
	slices.SortStableFunc(out.EmploymentTypes, func(a, b vacancy.FacetCount) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return slices.Index(vacancy.EmploymentTypes, vacancy.EmploymentType(a.Value)) - slices.Index(vacancy.EmploymentTypes, vacancy.EmploymentType(b.Value))
	})
	return out, nil
}
