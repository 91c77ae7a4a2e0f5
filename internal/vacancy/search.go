package vacancy

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	snowball "github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/dutch"
	"github.com/blevesearch/snowballstem/english"

	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/vacancy/normalize"
)

// The text search configurations, named as PostgreSQL names them. A
// vacancy is searched in the one of its language (SearchConfig).
const (
	ConfigDutch   = "dutch"
	ConfigEnglish = "english"
	ConfigSimple  = "simple" // any other language: lower case, no stemming, no stop words
)

// SearchConfigs lists the configurations, in a fixed order.
var SearchConfigs = []string{ConfigDutch, ConfigEnglish, ConfigSimple}

// Limits of a search query.
const (
	MaxQueryLength = 200
	MaxQueryWords  = 10
)

// SearchFilter is the public vacancy list's filter with what job boards
// add: text search, a locality, hours and salary ranges. Every condition
// given must hold.
type SearchFilter struct {
	Filter
	// Query is searched in the title, organisation, localities and
	// description, in the vacancy's language with stemming.
	Query string
	// Locality is one of a vacancy's localities, matched without regard to
	// (ASCII) case: the values of the localities facet.
	Locality string
	// Hours keeps vacancies whose hours per week overlap the range.
	Hours *Range
	// Salary keeps vacancies whose gross monthly salary overlaps the
	// range, in Currency (default EUR). The store makes other units
	// monthly: HOUR × hours per week × 52 / 12, DAY × hours per week / 8 ×
	// 52 / 12, WEEK × 52 / 12, YEAR / 12, with the vacancy's hours (40
	// when it gives none).
	Salary *Range
	// Currency is the salary range's ISO 4217 code.
	Currency string
}

// Range is a closed range; a nil bound is open.
type Range struct {
	Min, Max *float64
}

// TextQuery is a search query ready for a store: its words and, per
// configuration, each word as the index holds it (Term).
type TextQuery struct {
	// Words are the query's words in lower case: runs of letters and
	// digits, at most MaxQueryWords, without repeats.
	Words []string
	// Terms holds, per configuration, the terms every match must contain
	// (one per word that is not a stop word of it). A configuration
	// missing from Terms matches nothing: the query held only its stop
	// words, as PostgreSQL's plainto_tsquery would find.
	Terms map[string][]string
}

// Key identifies the query's meaning, for cursors: two queries with the
// same key (the same words in any order and case) find and rank every
// vacancy the same.
func (q *TextQuery) Key() string {
	words := slices.Clone(q.Words)
	slices.Sort(words)
	sum := sha256.Sum256([]byte(strings.Join(words, " ")))
	return hex.EncodeToString(sum[:6])
}

// SearchStoreFilter is a resolved search for the store.
type SearchStoreFilter struct {
	RoleID         string
	Location       string // lower case; localities, regions and countries
	EmploymentType EmploymentType
	WorkplaceType  WorkplaceType
	Language       string
	PostedAfter    time.Time
	Text           *TextQuery
	Locality       string // lower case
	HoursMin       *float64
	HoursMax       *float64
	// SalaryMin and SalaryMax are monthly amounts in cents, in
	// SalaryCurrency.
	SalaryMin      *float64
	SalaryMax      *float64
	SalaryCurrency string
}

// SearchPage selects a slice of a search's results. With a text query
// they are ordered by relevance, then newest first; without one newest
// first, as Page.
type SearchPage struct {
	Limit   int
	After   *SearchCursor
	Before  *SearchCursor
	FromEnd bool // Relay's last: the Limit results nearest Before
}

// SearchCursor is a position in a search's results: the relevance score
// the store computed (0 without a text query), then as Cursor.
type SearchCursor struct {
	Score  float64
	Posted time.Time
	ID     string
}

// Hit is a vacancy found with its relevance score (higher is better; 0
// without a text query).
type Hit struct {
	Vacancy *Vacancy
	Score   float64
}

// SearchList is one page of a search.
type SearchList struct {
	Hits            []Hit
	HasNextPage     bool
	HasPreviousPage bool
}

// FacetCount is how many vacancies have one value of a facet.
type FacetCount struct {
	// Value is an EmploymentType, a WorkplaceType, a locality in lower
	// case or a role's entry id.
	Value string
	// Label is the locality as a vacancy writes it; "" for other facets.
	Label string
	Count int
}

// Facets count a search's vacancies per value of each facet, each
// without the facet's own condition, most first.
type Facets struct {
	EmploymentTypes []FacetCount
	WorkplaceTypes  []FacetCount
	Localities      []FacetCount
	Roles           []FacetCount
}

// SearchStore is what a store needs for searching. Vacancies open at now
// only.
type SearchStore interface {
	// SearchOpen pages through the vacancies that match f.
	SearchOpen(ctx context.Context, f SearchStoreFilter, page SearchPage, now time.Time) ([]Hit, error)
	// CountSearch counts them.
	CountSearch(ctx context.Context, f SearchStoreFilter, now time.Time) (int, error)
	// SearchFacets counts them per facet value, each facet without its own
	// condition, in the database.
	SearchFacets(ctx context.Context, f SearchStoreFilter, now time.Time) (Facets, error)
}

// Search is a resolved search: the filter checked and its role looked up
// once for the page, the count and the facets.
type Search struct {
	filter SearchStoreFilter
	empty  bool // nothing can match
}

// Text is the search's text query; nil without one.
func (s *Search) Text() *TextQuery { return s.filter.Text }

// PrepareSearch checks a filter and resolves it. Errors: BAD_USER_INPUT
// naming the field (a negative bound, min above max, an unknown type, a
// query too long), NOT_FOUND for an unknown role slug.
func (s *Service) PrepareSearch(ctx context.Context, f SearchFilter) (*Search, error) {
	sf, empty, err := s.storeFilter(ctx, f.Filter)
	if err != nil {
		return nil, err
	}
	out := &Search{empty: empty, filter: SearchStoreFilter{
		RoleID: sf.RoleID, Location: sf.Location, EmploymentType: sf.EmploymentType, WorkplaceType: sf.WorkplaceType,
		Language: sf.Language, PostedAfter: sf.PostedAfter,
	}}
	if out.filter.Text, err = ParseQuery(f.Query); err != nil {
		return nil, err
	}
	out.filter.Locality = strings.ToLower(strings.TrimSpace(f.Locality))
	if f.Hours != nil {
		if err := checkRange(*f.Hours, "hoursPerWeek", 168); err != nil {
			return nil, err
		}
		out.filter.HoursMin, out.filter.HoursMax = f.Hours.Min, f.Hours.Max
	}
	if f.Salary != nil {
		if err := checkRange(*f.Salary, "salary", 1e9); err != nil {
			return nil, err
		}
		cur := "EUR"
		if strings.TrimSpace(f.Currency) != "" {
			code, _, ok := normalize.CurrencyCode(f.Currency)
			if !ok {
				return nil, apperr.Invalid(apperr.InvalidCurrency, "salaryCurrency: %q is not an ISO 4217 currency", f.Currency).With("field", "salaryCurrency")
			}
			cur = code
		}
		out.filter.SalaryMin, out.filter.SalaryMax, out.filter.SalaryCurrency = cents(f.Salary.Min), cents(f.Salary.Max), cur
	}
	return out, nil
}

func cents(f *float64) *float64 {
	if f == nil {
		return nil
	}
	c := math.Round(*f * 100)
	return &c
}

// checkRange refuses negative, non-finite or too large bounds and a
// minimum above the maximum.
func checkRange(r Range, field string, limit float64) error {
	for _, b := range []struct {
		name string
		v    *float64
	}{{"min", r.Min}, {"max", r.Max}} {
		if b.v == nil {
			continue
		}
		if v := *b.v; v < 0 || v > limit || math.IsNaN(v) || math.IsInf(v, 0) {
			return apperr.Invalid(apperr.OutOfRange, "%s.%s must be between 0 and %g, got %g", field, b.name, limit, v).
				With("field", field+"."+b.name).With("min", 0).With("max", limit)
		}
	}
	if r.Min != nil && r.Max != nil && *r.Min > *r.Max {
		return apperr.Invalid(apperr.MinAboveMax, "%s: min %g is more than max %g", field, *r.Min, *r.Max).With("field", field)
	}
	return nil
}

// Find returns one page of a search's results.
func (s *Service) Find(ctx context.Context, q *Search, page SearchPage) (SearchList, error) {
	if q.empty {
		return SearchList{}, nil
	}
	ask := page
	ask.Limit++ // one more tells whether there is more in the paging direction
	hits, err := s.store.SearchOpen(ctx, q.filter, ask, s.clock())
	if err != nil {
		return SearchList{}, fmt.Errorf("search vacancies: %w", err)
	}
	switch {
	case len(hits) <= page.Limit:
		return SearchList{Hits: hits}, nil
	case page.FromEnd: // the extra one comes first
		return SearchList{Hits: hits[len(hits)-page.Limit:], HasPreviousPage: true}, nil
	default:
		return SearchList{Hits: hits[:page.Limit], HasNextPage: true}, nil
	}
}

// Count counts a search's results.
func (s *Service) Count(ctx context.Context, q *Search) (int, error) {
	if q.empty {
		return 0, nil
	}
	n, err := s.store.CountSearch(ctx, q.filter, s.clock())
	if err != nil {
		return 0, fmt.Errorf("count vacancies: %w", err)
	}
	return n, nil
}

// Facets counts a search's results per facet value.
func (s *Service) Facets(ctx context.Context, q *Search) (Facets, error) {
	if q.empty {
		return Facets{}, nil
	}
	f, err := s.store.SearchFacets(ctx, q.filter, s.clock())
	if err != nil {
		return Facets{}, fmt.Errorf("count facets: %w", err)
	}
	return f, nil
}

// ParseQuery reads a search query: nil for one without words. Errors:
// BAD_USER_INPUT on the field query when it is too long.
func ParseQuery(raw string) (*TextQuery, error) {
	if utf8.RuneCountInString(raw) > MaxQueryLength {
		return nil, apperr.Invalid(apperr.TooLong, "query is longer than %d characters", MaxQueryLength).With("field", "query").
			With("max", MaxQueryLength).With("unit", "characters")
	}
	words := SearchWords(raw)
	if len(words) == 0 {
		return nil, nil
	}
	if len(words) > MaxQueryWords {
		return nil, apperr.Invalid(apperr.TooLong, "query has more than %d words", MaxQueryWords).With("field", "query").
			With("max", MaxQueryWords).With("unit", "words")
	}
	q := &TextQuery{Words: words, Terms: map[string][]string{}}
	for _, cfg := range SearchConfigs {
		var terms []string
		for _, w := range words {
			if t, ok := SearchTerm(cfg, w); ok && !slices.Contains(terms, t) {
				terms = append(terms, t)
			}
		}
		if len(terms) > 0 {
			q.Terms[cfg] = terms
		}
	}
	return q, nil
}

// SearchWords splits text into words as both databases' tokenizers do
// for plain words: runs of letters, marks and digits, in lower case,
// without repeats.
func SearchWords(text string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r)
	}) {
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// SearchConfig is the text search configuration of a language, as the
// migrations choose it: dutch for nl and nl-*, english for en and en-*,
// simple for any other.
func SearchConfig(language string) string {
	switch {
	case language == "nl" || strings.HasPrefix(language, "nl-"):
		return ConfigDutch
	case language == "en" || strings.HasPrefix(language, "en-"):
		return ConfigEnglish
	}
	return ConfigSimple
}

// SearchTerm is a lower-case word as a configuration indexes it, the way
// PostgreSQL's dutch and english configurations do: a word with a digit
// as it is (PostgreSQL's parser makes it a number or numword, which those
// configurations do not stem), a stop word not at all (false), any other
// word its Snowball stem. The simple configuration keeps every word as it
// is.
func SearchTerm(config, word string) (string, bool) {
	if config == ConfigSimple || strings.IndexFunc(word, unicode.IsDigit) >= 0 {
		return word, true
	}
	if stopWords[config][word] {
		return "", false
	}
	env := snowball.NewEnv(word)
	switch config {
	case ConfigDutch:
		dutch.Stem(env)
	case ConfigEnglish:
		english.Stem(env)
	}
	return env.Current(), true
}

// The stop word lists of PostgreSQL's dutch and english configurations
// (share/tsearch_data/*.stop, from the Snowball project), so that both
// databases ignore the same words.
var (
	//go:embed stopwords/dutch.stop
	dutchStop string
	//go:embed stopwords/english.stop
	englishStop string

	stopWords = map[string]map[string]bool{ConfigDutch: wordSet(dutchStop), ConfigEnglish: wordSet(englishStop)}
)

func wordSet(list string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.Fields(list) {
		out[w] = true
	}
	return out
}

// WordPrefixes are the prefixes of which every word whose term is term
// (SearchTerm) starts with one: stemming only changes the end of a word,
// except that the Dutch stemmer first takes the accents off vowels.
func WordPrefixes(config, term string) []string {
	r, _ := utf8.DecodeRuneInString(term)
	if r == utf8.RuneError || config == ConfigSimple || strings.IndexFunc(term, unicode.IsDigit) >= 0 {
		return []string{term} // kept whole
	}
	out := []string{string(r)}
	if config == ConfigDutch {
		out = append(out, accented[r]...)
	}
	return out
}

// accented are the vowels the Dutch stemmer's prelude turns into plain
// ones.
var accented = map[rune][]string{'a': {"á", "ä"}, 'e': {"é", "ë"}, 'i': {"í", "ï"}, 'o': {"ó", "ö"}, 'u': {"ú", "ü"}}
