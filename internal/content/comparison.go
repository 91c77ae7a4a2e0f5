package content

import (
	"fmt"

	"github.com/werkwijzer/werkwijzer/internal/apperr"
)

// TypeComparison sets roles side by side, row by row.
const TypeComparison Type = "comparison"

// ComparisonStructure is the column (role) and row order.
type ComparisonStructure struct {
	RoleIDs []string `json:"roleIds"`
	RowIDs  []string `json:"rowIds"`
}

// ComparisonFields is one locale's text of a comparison.
type ComparisonFields struct {
	Title string `json:"title"`
	Intro string `json:"intro"`
	// Rows holds each row's text by row id.
	Rows map[string]ComparisonRow `json:"rows"`
}

// ComparisonRow is a dimension and one value per role, in role order.
type ComparisonRow struct {
	Label  string   `json:"label"`
	Values []string `json:"values"`
}

// Kind is TypeComparison.
func (ComparisonStructure) Kind() Type { return TypeComparison }

// Kind is TypeComparison.
func (ComparisonFields) Kind() Type { return TypeComparison }

func (s ComparisonStructure) check(refs references) error {
	if len(s.RoleIDs) < 2 || len(s.RoleIDs) > maxRoles {
		return badInput("roleIds", apperr.OutOfRange, "a comparison sets 2 to %d roles side by side", maxRoles).With("min", 2).With("max", maxRoles)
	}
	if err := refs.addList("roleIds", s.RoleIDs, maxRoles, TypeRole); err != nil {
		return err
	}
	if len(s.RowIDs) > maxRows {
		return badInput("rowIds", apperr.TooMany, "a comparison has at most %d rows", maxRows).With("max", maxRows)
	}
	for i, id := range s.RowIDs {
		if !partIDPattern.MatchString(id) {
			return badInput(fmt.Sprintf("rowIds[%d]", i), apperr.InvalidFormat, "row id %q must be 1 to 64 letters, digits, '-' or '_'", id)
		}
	}
	return uniqueIDs("rowIds", s.RowIDs, maxRows)
}

// check: a comparison's text links to nothing the service checks.
func (ComparisonFields) check() error { return nil }

// required: a comparison needs its title, and every row its label and a
// value for each role.
func (f ComparisonFields) required(s ComparisonStructure, m *missing) {
	m.text("title", f.Title)
	for i, rowID := range s.RowIDs {
		row := f.Rows[rowID]
		at := fmt.Sprintf("rows[%d].", i)
		m.text(at+"label", row.Label)
		for j := range s.RoleIDs {
			value := ""
			if j < len(row.Values) {
				value = row.Values[j]
			}
			m.text(fmt.Sprintf("%svalues[%d]", at, j), value)
		}
	}
}
