package graph

import (
	"context"
	"encoding/base64"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/werkwijzer/werkwijzer/graph/model"
	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
)

// toSearchFilter reads the public vacancy filter.
func toSearchFilter(filter *model.VacancyFilter) vacancy.SearchFilter {
	var f vacancy.SearchFilter
	if filter == nil {
		return f
	}
	f.RoleSlug = str(filter.RoleSlug.Value())
	f.Location = str(filter.Location.Value())
	f.Language = str(filter.Language.Value())
	if t := filter.EmploymentType.Value(); t != nil {
		f.EmploymentType = string(*t)
	}
	if w := filter.WorkplaceType.Value(); w != nil {
		f.WorkplaceType = string(*w)
	}
	if p := filter.PostedAfter.Value(); p != nil {
		f.PostedAfter = *p
	}
	f.Query = str(filter.Query.Value())
	f.Locality = str(filter.Locality.Value())
	if h := filter.HoursPerWeek.Value(); h != nil {
		f.Hours = &vacancy.Range{Min: h.Min.Value(), Max: h.Max.Value()}
	}
	if s := filter.Salary.Value(); s != nil {
		f.Salary = &vacancy.Range{Min: s.Min.Value(), Max: s.Max.Value()}
	}
	f.Currency = str(filter.SalaryCurrency.Value())
	return f
}

// searches reports whether a filter needs the search path: it searches
// text or uses a condition only that path has.
func searches(f vacancy.SearchFilter) bool {
	return strings.TrimSpace(f.Query) != "" || strings.TrimSpace(f.Locality) != "" || f.Hours != nil || f.Salary != nil
}

// searchVacancies answers the vacancies query through a search: one
// resolved filter for the page, the count and the facets.
func (r *queryResolver) searchVacancies(ctx context.Context, f vacancy.SearchFilter, first *int, after *string, last *int, before *string) (*model.VacancyConnection, error) {
	limit, fromEnd, err := pageSize(first, last, before)
	if err != nil {
		return nil, err
	}
	search, err := r.VacancyService.PrepareSearch(ctx, f)
	if err != nil {
		return nil, err
	}
	text := search.Text()
	page := vacancy.SearchPage{Limit: limit, FromEnd: fromEnd}
	if after != nil && *after != "" {
		if page.After, err = decodeSearchCursor(*after, "after", text); err != nil {
			return nil, err
		}
	}
	if before != nil && *before != "" {
		if page.Before, err = decodeSearchCursor(*before, "before", text); err != nil {
			return nil, err
		}
	}
	list, err := r.VacancyService.Find(ctx, search, page)
	if err != nil {
		return nil, err
	}
	conn := &model.VacancyConnection{
		Count: func(ctx context.Context) (int, error) { return r.VacancyService.Count(ctx, search) },
		Facets: func(ctx context.Context) (*model.VacancyFacets, error) {
			fs, err := r.VacancyService.Facets(ctx, search)
			if err != nil {
				return nil, err
			}
			return toFacets(fs), nil
		},
	}
	// Mapping a vacancy cannot fail, so neither can edges.
	conn.Edges, conn.PageInfo, _ = edges(list.Hits, list.HasNextPage, list.HasPreviousPage,
		func(h vacancy.Hit) string { return encodeSearchCursor(h, text) },
		func(c string, h vacancy.Hit) (model.VacancyEdge, error) {
			return model.VacancyEdge{Cursor: c, Node: toVacancy(h.Vacancy)}, nil
		})
	return conn, nil
}

// A search with text orders by relevance, so its cursors carry the score
// the database computed and the query they belong to (its key): the next
// page continues after (score, date posted, id) of the last vacancy, and
// a cursor of another query is refused rather than paging wrongly.
// Without text, cursors are the plain list's.
const searchCursorPrefix = "vacq:"

func encodeSearchCursor(h vacancy.Hit, text *vacancy.TextQuery) string {
	if text == nil {
		return encodeVacancyCursor(h.Vacancy)
	}
	raw := searchCursorPrefix + text.Key() + "|" + strconv.FormatFloat(h.Score, 'g', -1, 64) + "|" +
		h.Vacancy.DatePosted.At.UTC().Format(time.RFC3339Nano) + "|" + h.Vacancy.ID
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

func decodeSearchCursor(cursor, field string, text *vacancy.TextQuery) (*vacancy.SearchCursor, error) {
	if text == nil {
		c, err := decodeVacancyCursor(cursor, field)
		if err != nil {
			return nil, err
		}
		return &vacancy.SearchCursor{Posted: c.Posted, ID: c.ID}, nil
	}
	invalid := apperr.Invalid(apperr.InvalidCursor, "%s is not a cursor this API returned for a search with this query", field).With("field", field)
	rest, ok := cursorPayload(cursor, searchCursorPrefix)
	if !ok {
		return nil, invalid
	}
	parts := strings.Split(rest, "|")
	if len(parts) != 4 || parts[0] != text.Key() || !canonicalUUID(parts[3]) {
		return nil, invalid
	}
	score, err := strconv.ParseFloat(parts[1], 64)
	if err != nil || math.IsNaN(score) || math.IsInf(score, 0) {
		return nil, invalid
	}
	posted, err := time.Parse(time.RFC3339Nano, parts[2])
	if err != nil {
		return nil, invalid
	}
	return &vacancy.SearchCursor{Score: score, Posted: posted.UTC(), ID: parts[3]}, nil
}

func toFacets(f vacancy.Facets) *model.VacancyFacets {
	out := &model.VacancyFacets{
		EmploymentTypes: make([]model.EmploymentTypeFacet, len(f.EmploymentTypes)),
		WorkplaceTypes:  make([]model.WorkplaceTypeFacet, len(f.WorkplaceTypes)),
		Localities:      make([]model.LocalityFacet, len(f.Localities)),
		Roles:           make([]model.RoleFacet, len(f.Roles)),
	}
	for i, c := range f.EmploymentTypes {
		out.EmploymentTypes[i] = model.EmploymentTypeFacet{Value: model.EmploymentType(c.Value), Count: c.Count}
	}
	for i, c := range f.WorkplaceTypes {
		out.WorkplaceTypes[i] = model.WorkplaceTypeFacet{Value: model.WorkplaceType(c.Value), Count: c.Count}
	}
	for i, c := range f.Localities {
		out.Localities[i] = model.LocalityFacet{Value: c.Label, Count: c.Count}
	}
	for i, c := range f.Roles {
		out.Roles[i] = model.RoleFacet{RoleID: c.Value, Count: c.Count}
	}
	return out
}
