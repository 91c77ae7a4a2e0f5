// Package vacancy holds the vacancies that recruitment sites push into
// Werkwijzer or that it pulls from their feeds: the sources they come from,
// the rules every item must pass on every path in (GraphQL, the importer,
// the sample feed), the sync engine that stores them idempotently, and the
// schema.org JobPosting a frontend embeds for one vacancy.
//
// A Source is one recruitment site or ATS. It authenticates as an OAuth 2.0
// client (account.Clients) and can only ever read and change its own
// vacancies: the source of a sync always comes from its token, never from
// the request.
//
// A Vacancy is keyed by (source, external id, language). Items arrive raw
// (Item) and are normalised (Normalize) into a Vacancy or rejected with
// machine-readable problems; warnings do not reject. The sync engine
// (Service.Sync) compares each item with what is stored by a content hash,
// so a replayed payload changes nothing, and runs every call in one
// transaction, serialized per source.
//
// Errors a caller can act on are *apperr.Error; storage is behind Store.
package vacancy

import (
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // sources name their time zone; the binary must know it without the OS's zoneinfo

	"github.com/werkwijzer/werkwijzer/internal/vacancy/normalize"
)

// Status is where a vacancy stands. Only open vacancies are ever served.
type Status string

const (
	// StatusOpen vacancies are served until their validThrough passes.
	StatusOpen Status = "open"
	// StatusClosed vacancies were closed by their source: explicitly, or
	// by a snapshot that no longer contained them.
	StatusClosed Status = "closed"
	// StatusExpired vacancies passed their validThrough.
	StatusExpired Status = "expired"
)

// Why a vacancy closed.
const (
	ReasonSnapshot = "snapshot" // a complete snapshot no longer contained it
	ReasonSource   = "closed-by-source"
	ReasonExpired  = "expired" // its validThrough passed
	ReasonDisabled = "source-disabled"
)

// The vocabulary items are normalized into (Google's employment and
// workplace types, salary units, dates as sources give them) belongs to
// package normalize, which maps raw input onto it; these aliases keep its
// names in this package for the store, the feeds and the API.
type (
	EmploymentType = normalize.EmploymentType
	WorkplaceType  = normalize.WorkplaceType
	SalaryUnit     = normalize.SalaryUnit
	Date           = normalize.Date
)

const (
	FullTime   = normalize.FullTime
	PartTime   = normalize.PartTime
	Contractor = normalize.Contractor
	Temporary  = normalize.Temporary
	Intern     = normalize.Intern
	Volunteer  = normalize.Volunteer
	PerDiem    = normalize.PerDiem
	Other      = normalize.Other

	Onsite = normalize.Onsite
	Hybrid = normalize.Hybrid
	Remote = normalize.Remote

	PerHour  = normalize.PerHour
	PerDay   = normalize.PerDay
	PerWeek  = normalize.PerWeek
	PerMonth = normalize.PerMonth
	PerYear  = normalize.PerYear
)

// EmploymentTypes lists the eight values in Google's order; a vacancy's
// types are kept in this order.
var EmploymentTypes = normalize.EmploymentTypes

// EmploymentMask packs types into a bit set.
func EmploymentMask(types []EmploymentType) int { return normalize.EmploymentMask(types) }

// EmploymentTypesOf unpacks a bit set.
func EmploymentTypesOf(mask int) []EmploymentType { return normalize.EmploymentTypesOf(mask) }

// MapEmploymentType is normalize.MapEmploymentType, for the list filters.
func MapEmploymentType(raw string) ([]EmploymentType, bool) { return normalize.MapEmploymentType(raw) }

// MapWorkplaceType is normalize.MapWorkplaceType, for the list filters.
func MapWorkplaceType(raw string) (WorkplaceType, bool) { return normalize.MapWorkplaceType(raw) }

// Organization is the hiring organization.
type Organization struct {
	Name    string `json:"name"`
	URL     string `json:"url,omitempty"`
	LogoURL string `json:"logoUrl,omitempty"`
}

// Location is one place of work. Country is an ISO 3166-1 alpha-2 code.
type Location struct {
	StreetAddress string `json:"streetAddress,omitempty"`
	PostalCode    string `json:"postalCode,omitempty"`
	Locality      string `json:"locality,omitempty"`
	Region        string `json:"region,omitempty"`
	Country       string `json:"country,omitempty"`
}

// Hours is the range of hours per week; Min equals Max for a fixed number.
type Hours struct {
	Min float64 `json:"min"`
	Max float64 `json:"max"`
}

// Salary is a gross salary range in cents of Currency per Unit. One bound
// may be absent (nil): "from 3,000" or "up to 3,500".
type Salary struct {
	MinCents *int64     `json:"min,omitempty"`
	MaxCents *int64     `json:"max,omitempty"`
	Currency string     `json:"currency"`
	Unit     SalaryUnit `json:"unit"`
}

// Vacancy is a normalised vacancy as stored.
type Vacancy struct {
	ID         string
	SourceID   string
	ExternalID string
	Language   string
	// RoleID is the role entry it belongs to; "" when it maps to none.
	RoleID          string
	Title           string
	Description     string // sanitized HTML
	URL             string // https
	ApplyURL        string // https; URL when the source gave none
	Organization    Organization
	EmploymentTypes []EmploymentType
	WorkplaceType   WorkplaceType // "" when unknown
	Locations       []Location
	Hours           *Hours
	Salary          *Salary
	DatePosted      Date
	// ValidThrough is the last day or moment the vacancy is valid, as the
	// source gave it (the text of a Date); "" when open-ended.
	ValidThrough string
	// ExpiresAt is the instant the vacancy stops being served: the
	// valid-through instant, or the end of that day in the source's time
	// zone for a plain date; zero when open-ended.
	ExpiresAt time.Time
	// SourceUpdatedAt is when the source last changed it, if it says.
	SourceUpdatedAt time.Time

	Status       Status
	ClosedReason string
	ClosedAt     time.Time
	FirstSeenAt  time.Time
	LastSeenAt   time.Time
	SeenSnapshot string
	ContentHash  string
	// InputHash identifies the item it was last written from, with what
	// its checks depend on; "" when unknown or when the item had warnings.
	InputHash string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Key identifies a vacancy within its source.
type Key struct {
	ExternalID string
	Language   string
}

// Key returns v's key within its source.
func (v *Vacancy) Key() Key { return Key{ExternalID: v.ExternalID, Language: v.Language} }

// OpenAt reports whether v is served at now: open and not past its expiry.
func (v *Vacancy) OpenAt(now time.Time) bool {
	return v.Status == StatusOpen && (v.ExpiresAt.IsZero() || now.Before(v.ExpiresAt))
}

// LocationKeys is the text the location filter matches: every locality,
// region and country, lower case, between bars.
func LocationKeys(locations []Location) string {
	var keys []string
	for _, l := range locations {
		for _, k := range []string{l.Locality, l.Region, l.Country} {
			if k = strings.ToLower(strings.TrimSpace(k)); k != "" && !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	if len(keys) == 0 {
		return ""
	}
	return "|" + strings.Join(keys, "|") + "|"
}
