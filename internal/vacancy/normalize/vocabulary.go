package normalize

import (
	"slices"
	"time"
)

// EmploymentType is one of Google's eight JobPosting employment types.
type EmploymentType string

const (
	FullTime   EmploymentType = "FULL_TIME"
	PartTime   EmploymentType = "PART_TIME"
	Contractor EmploymentType = "CONTRACTOR"
	Temporary  EmploymentType = "TEMPORARY"
	Intern     EmploymentType = "INTERN"
	Volunteer  EmploymentType = "VOLUNTEER"
	PerDiem    EmploymentType = "PER_DIEM"
	Other      EmploymentType = "OTHER"
)

// EmploymentTypes lists the eight values in Google's order; a vacancy's
// types are kept in this order.
var EmploymentTypes = []EmploymentType{FullTime, PartTime, Contractor, Temporary, Intern, Volunteer, PerDiem, Other}

// Bit is the type's bit in a stored set.
func (t EmploymentType) Bit() int {
	i := slices.Index(EmploymentTypes, t)
	if i < 0 {
		return 0
	}
	return 1 << i
}

// EmploymentMask packs types into a bit set.
func EmploymentMask(types []EmploymentType) int {
	mask := 0
	for _, t := range types {
		mask |= t.Bit()
	}
	return mask
}

// EmploymentTypesOf unpacks a bit set.
func EmploymentTypesOf(mask int) []EmploymentType {
	var out []EmploymentType
	for i, t := range EmploymentTypes {
		if mask&(1<<i) != 0 {
			out = append(out, t)
		}
	}
	return out
}

// WorkplaceType says where the work is done.
type WorkplaceType string

const (
	Onsite WorkplaceType = "ONSITE"
	Hybrid WorkplaceType = "HYBRID"
	Remote WorkplaceType = "REMOTE"
)

// SalaryUnit is what one salary amount pays for (schema.org unitText).
type SalaryUnit string

const (
	PerHour  SalaryUnit = "HOUR"
	PerDay   SalaryUnit = "DAY"
	PerWeek  SalaryUnit = "WEEK"
	PerMonth SalaryUnit = "MONTH"
	PerYear  SalaryUnit = "YEAR"
)

// HoursInput is a range of hours per week; either bound may be absent.
type HoursInput struct {
	Min *float64 `json:"min,omitempty"`
	Max *float64 `json:"max,omitempty"`
}

// SalaryInput is a salary as sent: structured amounts, or (from feeds)
// free text such as "€ 2.800 - € 3.400 per maand" in Text.
type SalaryInput struct {
	Min      *float64 `json:"min,omitempty"`
	Max      *float64 `json:"max,omitempty"`
	Currency string   `json:"currency,omitempty"`
	Unit     string   `json:"unit,omitempty"`
	Text     string   `json:"text,omitempty"`
}

// Date is a point in time as a source gave it. Text is the canonical form
// of what was sent: a plain date ("2026-03-31") or a date and time with the
// offset it was given in ("2026-03-31T17:00:00+02:00"); At is the instant
// (a plain date: its start in the source's time zone).
type Date struct {
	At   time.Time
	Text string
}

// DateOnly reports whether the source gave a date without a time.
func (d Date) DateOnly() bool { return len(d.Text) == len("2006-01-02") }

// IsZero reports whether no date was given.
func (d Date) IsZero() bool { return d.Text == "" }
