package model

import "context"

// RoleFacet is how many vacancies of a list belong to a role; the role
// resolves from RoleID in the locale the query asks for.
type RoleFacet struct {
	RoleID string
	Count  int
}

// FacetCounter computes a vacancy list's facets, only when they are
// selected.
type FacetCounter func(ctx context.Context) (*VacancyFacets, error)
