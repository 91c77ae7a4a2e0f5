package model

import (
	"encoding/json"
	"time"
)

// Vacancy is a vacancy as served; role, source and jobPosting resolve
// from the hidden fields.
type Vacancy struct {
	ID                 string
	ExternalID         string
	Language           string
	Title              string
	Description        string
	URL                string
	ApplyURL           string
	HiringOrganization HiringOrganization
	EmploymentTypes    []EmploymentType
	WorkplaceType      *WorkplaceType
	Locations          []VacancyLocation
	HoursPerWeek       *HoursPerWeek
	Salary             *VacancySalary
	DatePosted         string
	PostedAt           time.Time
	ValidThrough       *string
	ExpiresAt          *time.Time
	Status             VacancyStatus
	ClosedReason       *string
	ClosedAt           *time.Time
	FirstSeenAt        time.Time
	LastSeenAt         time.Time
	UpdatedAt          time.Time
	// RoleID resolves Vacancy.role, SourceID Vacancy.source.
	RoleID   string
	SourceID string
	// JobPosting and JobPostingScript make the schema.org JobPosting,
	// only when a query asks.
	JobPosting       func() json.RawMessage
	JobPostingScript func() string
}

// VacancyConnection is a page of vacancies. Facets is nil on lists that
// have none (a role's, the editors').
type VacancyConnection struct {
	Edges    []VacancyEdge
	PageInfo PageInfo
	Count    Counter
	Facets   FacetCounter
}

// The sync inputs are written by hand so that their many optional fields
// are plain pointers: per item, absent and null mean the same.

// SyncVacanciesInput is one sync call.
type SyncVacanciesInput struct {
	Mode           SyncMode
	Items          []VacancyInput
	Close          []VacancyKeyInput
	DryRun         *bool
	IdempotencyKey *string
	SnapshotID     *string
	Chunk          *int
	Complete       *bool
	AllowMassClose *bool
}

// VacancyInput is one vacancy as a source sends it.
type VacancyInput struct {
	ExternalID         *string
	Language           *string
	Title              *string
	Description        *string
	URL                *string
	ApplyURL           *string
	RoleSlug           *string
	Categories         []string
	HiringOrganization *HiringOrganizationInput
	EmploymentTypes    []string
	WorkplaceType      *string
	Locations          []VacancyLocationInput
	HoursPerWeek       *HoursPerWeekInput
	Salary             *VacancySalaryInput
	DatePosted         *string
	ValidThrough       *string
	SourceUpdatedAt    *string
	Repost             *bool
}

// HiringOrganizationInput is who hires.
type HiringOrganizationInput struct {
	Name    *string
	URL     *string
	LogoURL *string
}

// VacancyLocationInput is a place of work.
type VacancyLocationInput struct {
	StreetAddress *string
	PostalCode    *string
	Locality      *string
	Region        *string
	Country       *string
}

// HoursPerWeekInput is a range of hours.
type HoursPerWeekInput struct {
	Min *float64
	Max *float64
}

// VacancySalaryInput is a salary.
type VacancySalaryInput struct {
	Min      *float64
	Max      *float64
	Currency *string
	Unit     *string
}

// VacancyKeyInput names a vacancy of the source.
type VacancyKeyInput struct {
	ExternalID string
	Language   *string
}
