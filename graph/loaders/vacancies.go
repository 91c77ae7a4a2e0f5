package loaders

import (
	"context"
	"net/http"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/werkwijzer/werkwijzer/internal/vacancy"
)

// RolePage names the first page of a role's open vacancies.
type RolePage struct {
	RoleID string
	First  int
}

// Vacancies are the request-scoped loaders of vacancies: a list of roles
// asking for their vacancies, or an article's vacancy-list blocks, cost one
// statement for the pages and one for the counts, however many roles (none
// for the roles the service's list cache holds).
type Vacancies struct {
	RolePages  *dataloadgen.Loader[RolePage, *vacancy.List]
	RoleCounts *dataloadgen.Loader[string, int]
	// Sources resolve Vacancy.source for editors.
	Sources *dataloadgen.Loader[string, *vacancy.Source]
}

// NewVacancies returns fresh vacancy loaders over svc.
func NewVacancies(svc *vacancy.Service) *Vacancies {
	opts := []dataloadgen.Option{dataloadgen.WithWait(time.Millisecond), dataloadgen.WithBatchCapacity(500)}
	return &Vacancies{
		RolePages: dataloadgen.NewMappedLoader(func(ctx context.Context, keys []RolePage) (map[RolePage]*vacancy.List, error) {
			byFirst := map[int][]string{}
			for _, k := range keys {
				byFirst[k.First] = append(byFirst[k.First], k.RoleID)
			}
			out := make(map[RolePage]*vacancy.List, len(keys))
			for first, ids := range byFirst {
				pages, err := svc.OpenForRoles(ctx, ids, first)
				if err != nil {
					return nil, err
				}
				for id, l := range pages {
					out[RolePage{RoleID: id, First: first}] = &l
				}
			}
			return out, nil
		}, opts...),
		RoleCounts: dataloadgen.NewMappedLoader(func(ctx context.Context, ids []string) (map[string]int, error) {
			counts, err := svc.CountForRoles(ctx, ids)
			if err != nil {
				return nil, err
			}
			for _, id := range ids {
				counts[id] += 0 // a role without vacancies counts 0, not "not found"
			}
			return counts, nil
		}, opts...),
		Sources: dataloadgen.NewMappedLoader(func(ctx context.Context, ids []string) (map[string]*vacancy.Source, error) {
			// Few sources exist: one read of all beats a lookup per id.
			all, err := svc.Sources(ctx)
			if err != nil {
				return nil, err
			}
			out := make(map[string]*vacancy.Source, len(all))
			for _, s := range all {
				out[s.ID] = s
			}
			return out, nil
		}, opts...),
	}
}

// PrimeRolePages fills the page loader with pages loaded up front.
func (v *Vacancies) PrimeRolePages(first int, pages map[string]vacancy.List) {
	for id, l := range pages {
		v.RolePages.Prime(RolePage{RoleID: id, First: first}, &l)
	}
}

// PrimeRoleCounts fills the count loader with counts loaded up front; a
// role without open vacancies counts 0.
func (v *Vacancies) PrimeRoleCounts(roleIDs []string, counts map[string]int) {
	for _, id := range roleIDs {
		v.RoleCounts.Prime(id, counts[id])
	}
}

type vacanciesKey struct{}

// VacancyMiddleware gives every request its own vacancy loaders.
func VacancyMiddleware(svc *vacancy.Service, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), vacanciesKey{}, NewVacancies(svc))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// VacanciesFor returns the request's vacancy loaders, or fresh ones.
func VacanciesFor(ctx context.Context, svc *vacancy.Service) *Vacancies {
	if l, ok := ctx.Value(vacanciesKey{}).(*Vacancies); ok {
		return l
	}
	return NewVacancies(svc)
}
