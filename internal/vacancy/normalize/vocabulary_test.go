package normalize_test

import (
	"slices"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/vacancy/normalize"
)

// TestEmploymentTypeBits: each type has its own bit in Google's order, and
// a set unpacks in that order whatever order it was packed in.
func TestEmploymentTypeBits(t *testing.T) {
	for i, et := range normalize.EmploymentTypes {
		if et.Bit() != 1<<i {
			t.Errorf("%s.Bit() = %d, want %d", et, et.Bit(), 1<<i)
		}
	}
	if normalize.EmploymentType("SOMETIMES").Bit() != 0 {
		t.Error("an unknown type has a bit")
	}
	mask := normalize.EmploymentMask([]normalize.EmploymentType{normalize.Other, normalize.FullTime, normalize.Intern, normalize.FullTime})
	if mask != 1|1<<4|1<<7 {
		t.Fatalf("mask %b", mask)
	}
	if got := normalize.EmploymentTypesOf(mask); !slices.Equal(got, []normalize.EmploymentType{normalize.FullTime, normalize.Intern, normalize.Other}) {
		t.Fatalf("unpacked %v", got)
	}
	if got := normalize.EmploymentTypesOf(0); got != nil {
		t.Fatalf("empty set unpacked as %v", got)
	}
}

func TestCountryCodes(t *testing.T) {
	for raw, want := range map[string]string{
		"NL": "NL", " nl ": "NL", "Nederland": "NL", "the Netherlands": "NL", "België": "BE", "Verenigd Koninkrijk": "GB",
		"United-Kingdom": "GB", "nld": "NL", "ZW": "ZW", "AD": "AD", "curaçao": "CW",
	} {
		if got, ok := normalize.CountryCode(raw); !ok || got != want {
			t.Errorf("CountryCode(%q) = %q %v; want %q", raw, got, ok, want)
		}
	}
	for _, bad := range []string{"", "XX", "N", "Atlantis", "EU"} {
		if got, ok := normalize.CountryCode(bad); ok {
			t.Errorf("CountryCode(%q) = %q; want none", bad, got)
		}
	}
}

func TestSalaryUnits(t *testing.T) {
	for raw, want := range map[string]normalize.SalaryUnit{
		"HOUR": normalize.PerHour, "per uur": normalize.PerHour, "Per Day": normalize.PerDay, "wk": normalize.PerWeek,
		"maand": normalize.PerMonth, "p.a.": normalize.PerYear, "YEAR": normalize.PerYear,
	} {
		if got, ok := normalize.MapSalaryUnit(raw); !ok || got != want {
			t.Errorf("MapSalaryUnit(%q) = %q %v; want %q", raw, got, ok, want)
		}
	}
	if got, ok := normalize.MapSalaryUnit("fortnight"); ok {
		t.Errorf("MapSalaryUnit(fortnight) = %q", got)
	}
}
