package content

import (
	"regexp"
	"slices"

	"github.com/werkwijzer/werkwijzer/internal/apperr"
)

// TypeRole is a job profile.
const TypeRole Type = "role"

// RoleStructure is the locale-independent part of a role.
type RoleStructure struct {
	Salary *SalaryRange `json:"salary,omitempty"`
	// FAQIDs are the FAQs shown with the role, in order.
	FAQIDs []string `json:"faqIds"`
}

// SalaryPeriod is what a salary amount is paid for.
type SalaryPeriod string

const (
	PerHour  SalaryPeriod = "HOUR"
	PerMonth SalaryPeriod = "MONTH"
	PerYear  SalaryPeriod = "YEAR"
)

// SalaryRange is a gross salary band in whole currency units.
type SalaryRange struct {
	Min      int          `json:"min"`
	Max      int          `json:"max"`
	Currency string       `json:"currency"`
	Period   SalaryPeriod `json:"period"`
}

// RoleFields is one locale's text of a role. Markdown fields are Markdown.
type RoleFields struct {
	Title            string   `json:"title"`
	Summary          string   `json:"summary"`
	Body             string   `json:"body"`
	Responsibilities []string `json:"responsibilities"`
	DailyTasks       []string `json:"dailyTasks"`
	Competencies     []string `json:"competencies"`
	CareerPaths      []string `json:"careerPaths"`
	Certifications   []string `json:"certifications"`
	Tools            []string `json:"tools"`
	SalaryNotes      string   `json:"salaryNotes"`
	// SEOTitle, SEODescription and OGImageURL describe the role's page to
	// search engines and link previews; empty means "derive it".
	SEOTitle       string `json:"seoTitle,omitempty"`
	SEODescription string `json:"seoDescription,omitempty"`
	OGImageURL     string `json:"ogImageUrl,omitempty"`
}

// Kind is TypeRole.
func (RoleStructure) Kind() Type { return TypeRole }

// Kind is TypeRole.
func (RoleFields) Kind() Type { return TypeRole }

var currencyPattern = regexp.MustCompile(`^[A-Z]{3}$`)

func (s RoleStructure) check(refs references) error {
	if sal := s.Salary; sal != nil {
		if sal.Min < 0 || sal.Max < sal.Min {
			reason := apperr.MinAboveMax
			if sal.Min < 0 {
				reason = apperr.OutOfRange
			}
			return badInput("salary", reason, "salary range %d–%d: the minimum must be at least 0 and at most the maximum", sal.Min, sal.Max)
		}
		if !currencyPattern.MatchString(sal.Currency) {
			return badInput("salary.currency", apperr.InvalidCurrency, "currency %q must be an ISO 4217 code such as EUR", sal.Currency)
		}
		if !slices.Contains([]SalaryPeriod{PerHour, PerMonth, PerYear}, sal.Period) {
			return badInput("salary.period", apperr.UnsupportedValue, "salary period %q must be HOUR, MONTH or YEAR", sal.Period).
				With("allowed", []SalaryPeriod{PerHour, PerMonth, PerYear})
		}
	}
	return refs.addList("faqIds", s.FAQIDs, maxListItems, TypeFAQ)
}

func (f RoleFields) check() error { return checkOGImage(f.OGImageURL) }

// required: a role needs a title and a summary in every locale.
func (f RoleFields) required(_ RoleStructure, m *missing) {
	m.text("title", f.Title)
	m.text("summary", f.Summary)
}
