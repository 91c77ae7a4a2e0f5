package normalize

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// salaryBounds are the plausible amounts per unit in currencies of about
// the euro's size (boundedCurrencies); anything outside is almost always a
// unit mix-up (a monthly amount sent as yearly) or a typo. The bounds are
// wide on purpose: they catch mistakes, not low pay.
var salaryBounds = map[SalaryUnit][2]float64{
	PerHour:  {1, 1000},
	PerDay:   {8, 10_000},
	PerWeek:  {40, 50_000},
	PerMonth: {100, 200_000},
	PerYear:  {5000, 2_000_000},
}

var boundedCurrencies = map[string]bool{"EUR": true, "USD": true, "GBP": true, "CHF": true, "CAD": true, "AUD": true, "NZD": true, "SGD": true}

// SalaryCents checks one salary amount of currency per unit and returns it
// in cents. An amount that is negative, NaN or infinite is refused in any
// currency; in currencies of about the euro's size (EUR, USD, GBP...) so is
// one outside the plausible range for its unit. An unknown unit ("") skips
// the range check: the caller reports the unit. The error reads as the
// rest of a sentence after the field's name.
func SalaryCents(v float64, currency string, unit SalaryUnit) (int64, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return 0, errors.New("must be a positive amount")
	}
	if bounds, ok := salaryBounds[unit]; ok && boundedCurrencies[currency] && (v < bounds[0] || v > bounds[1]) {
		return 0, fmt.Errorf("%g %s per %s is implausible (expected %g to %g); is the unit right?",
			v, currency, strings.ToLower(string(unit)), bounds[0], bounds[1])
	}
	return int64(math.Round(v * 100)), nil
}
