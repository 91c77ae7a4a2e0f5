package normalize_test

import (
	"math"
	"strings"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/vacancy/normalize"
)

// TestSalaryCents: amounts that are not positive numbers are refused in
// every currency; in currencies of about the euro's size the range of the
// unit applies, bounds included; an unknown unit leaves the range alone.
func TestSalaryCents(t *testing.T) {
	cases := []struct {
		v        float64
		currency string
		unit     normalize.SalaryUnit
		cents    int64
		err      string // "": accepted
	}{
		{14.065, "EUR", normalize.PerHour, 1407, ""},
		{1, "EUR", normalize.PerHour, 100, ""},
		{1000, "EUR", normalize.PerHour, 100000, ""},
		{0.99, "EUR", normalize.PerHour, 0, "0.99 EUR per hour is implausible (expected 1 to 1000); is the unit right?"},
		{1000.01, "USD", normalize.PerHour, 0, "implausible"},
		{5000, "GBP", normalize.PerYear, 500000, ""},
		{4999, "CHF", normalize.PerYear, 0, "implausible"},
		{2_000_001, "EUR", normalize.PerYear, 0, "implausible"},
		{99, "EUR", normalize.PerMonth, 0, "implausible"},
		{39, "EUR", normalize.PerWeek, 0, "implausible"},
		{7, "EUR", normalize.PerDay, 0, "implausible"},
		// Currencies without bounds, and an unknown unit.
		{45000, "JPY", normalize.PerHour, 4500000, ""},
		{0, "SEK", normalize.PerMonth, 0, ""},
		{0.5, "EUR", "", 50, ""},
		{-0.01, "SEK", normalize.PerMonth, 0, "must be a positive amount"},
		{-10, "EUR", "", 0, "must be a positive amount"},
		{math.NaN(), "JPY", normalize.PerYear, 0, "must be a positive amount"},
		{math.Inf(1), "JPY", normalize.PerYear, 0, "must be a positive amount"},
		{math.Inf(-1), "JPY", normalize.PerYear, 0, "must be a positive amount"},
	}
	for _, c := range cases {
		cents, err := normalize.SalaryCents(c.v, c.currency, c.unit)
		switch {
		case c.err == "" && (err != nil || cents != c.cents):
			t.Errorf("SalaryCents(%g %s/%s) = %d, %v; want %d", c.v, c.currency, c.unit, cents, err, c.cents)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("SalaryCents(%g %s/%s) = %d, %v; want an error with %q", c.v, c.currency, c.unit, cents, err, c.err)
		}
	}
}

func TestSalaryTextEdges(t *testing.T) {
	get := func(p *float64) float64 {
		if p == nil {
			return -1
		}
		return *p
	}
	cases := []struct {
		text     string
		min, max float64 // -1: absent
		currency string
		unit     normalize.SalaryUnit
	}{
		{"maximaal € 4000 per maand", -1, 4000, "EUR", normalize.PerMonth},
		{"minimaal €3.200 bruto per maand", 3200, -1, "EUR", normalize.PerMonth},
		{"€ 2.800,- tot € 3.400,- per maand", 2800, 3400, "EUR", normalize.PerMonth},
		{"€ 1.000.000 per jaar", 1e6, 1e6, "EUR", normalize.PerYear},
		{"€ 2 800 per maand", 2800, 2800, "EUR", normalize.PerMonth},
		{"£ 45,000 annually", 45000, 45000, "GBP", normalize.PerYear},
		{"€ 2,800 per maand", 2800, 2800, "EUR", normalize.PerMonth},
		{"€ 25 uurloon", 25, 25, "EUR", normalize.PerHour},
		{"CHF 8000 maandsalaris", 8000, 8000, "CHF", normalize.PerMonth},
		{"euro 3000 - 3500 /mnd", 3000, 3500, "EUR", normalize.PerMonth},
		{"€ 3000 - 3500 - 4000 per maand", 3000, 3500, "EUR", normalize.PerMonth},
		{"€ 40k - 50k per jaar", 40000, 50000, "EUR", normalize.PerYear},
		{"€ .5 per uur", 5, 5, "EUR", normalize.PerHour},
		// The first word after "per" or "/" that is a period counts.
		{"€ 3000 / bruto per maand", 3000, 3000, "EUR", normalize.PerMonth},
		{"€ 25 per uur (per maand ca. 4000)", 25, 4000, "EUR", normalize.PerHour},
		// Up to 300 characters of text are read.
		{"€ 3000 per maand " + strings.Repeat("x", 300-len("€ 3000 per maand ")), 3000, 3000, "EUR", normalize.PerMonth},
	}
	for _, c := range cases {
		in, ok := normalize.ParseSalaryText(c.text)
		if !ok {
			t.Errorf("ParseSalaryText(%q) failed", c.text)
			continue
		}
		if get(in.Min) != c.min || get(in.Max) != c.max || in.Currency != c.currency || in.Unit != string(c.unit) {
			t.Errorf("ParseSalaryText(%q) = %v-%v %s %s; want %v-%v %s %s", c.text, get(in.Min), get(in.Max), in.Currency, in.Unit, c.min, c.max, c.currency, c.unit)
		}
	}
	for _, bad := range []string{"", "€ per maand", "€ 3000 per fortnight", "€ 3000 per maand " + strings.Repeat("x", 301-len("€ 3000 per maand "))} {
		if in, ok := normalize.ParseSalaryText(bad); ok {
			t.Errorf("ParseSalaryText(%q) = %+v; want a failure", bad, in)
		}
	}
}

func TestHoursText(t *testing.T) {
	get := func(p *float64) float64 {
		if p == nil {
			return -1
		}
		return *p
	}
	cases := []struct {
		text     string
		min, max float64
	}{
		{"32-40 uur per week", 32, 40},
		{"24 uur", 24, 24},
		{"Parttime (20 tot 24 uur)", 20, 24},
		{"36,5 hours/week", 36.5, 36.5},
		{"32 - 38.5 hrs", 32, 38.5},
		{"16 à 20 u. p/wk", 16, 20},
	}
	for _, c := range cases {
		in, ok := normalize.ParseHoursText(c.text)
		if !ok || get(in.Min) != c.min || get(in.Max) != c.max {
			t.Errorf("ParseHoursText(%q) = %+v %v; want %v-%v", c.text, in, ok, c.min, c.max)
		}
	}
	for _, bad := range []string{"", "fulltime", "40 per week", "uur"} {
		if in, ok := normalize.ParseHoursText(bad); ok {
			t.Errorf("ParseHoursText(%q) = %+v; want a failure", bad, in)
		}
	}
}
