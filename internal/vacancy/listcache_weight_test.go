package vacancy

import (
	"strings"
	"testing"
)

// TestAVacancyWeighsItsText: the list cache's bound holds only if every
// text a cached vacancy keeps counts toward its weight.
func TestAVacancyWeighsItsText(t *testing.T) {
	const n = 4096
	text := strings.Repeat("x", n)
	base := (&Vacancy{}).weight()
	for name, set := range map[string]func(v *Vacancy){
		"id":               func(v *Vacancy) { v.ID = text },
		"source":           func(v *Vacancy) { v.SourceID = text },
		"external id":      func(v *Vacancy) { v.ExternalID = text },
		"role":             func(v *Vacancy) { v.RoleID = text },
		"title":            func(v *Vacancy) { v.Title = text },
		"description":      func(v *Vacancy) { v.Description = text },
		"url":              func(v *Vacancy) { v.URL = text },
		"apply url":        func(v *Vacancy) { v.ApplyURL = text },
		"organization":     func(v *Vacancy) { v.Organization.Name = text },
		"organization url": func(v *Vacancy) { v.Organization.URL = text },
		"logo":             func(v *Vacancy) { v.Organization.LogoURL = text },
		"valid through":    func(v *Vacancy) { v.ValidThrough = text },
		"closed reason":    func(v *Vacancy) { v.ClosedReason = text },
		"snapshot":         func(v *Vacancy) { v.SeenSnapshot = text },
		"content hash":     func(v *Vacancy) { v.ContentHash = text },
		"input hash":       func(v *Vacancy) { v.InputHash = text },
		"street":           func(v *Vacancy) { v.Locations = []Location{{StreetAddress: text}} },
		"postal code":      func(v *Vacancy) { v.Locations = []Location{{PostalCode: text}} },
		"locality":         func(v *Vacancy) { v.Locations = []Location{{Locality: text}} },
		"region":           func(v *Vacancy) { v.Locations = []Location{{Region: text}} },
		"country":          func(v *Vacancy) { v.Locations = []Location{{Country: text}} },
		"employment types": func(v *Vacancy) { v.EmploymentTypes = make([]EmploymentType, n) },
	} {
		var v Vacancy
		set(&v)
		if got := v.weight() - base; got < n || got > 2*n*16 {
			t.Errorf("%s of %d bytes adds %d to the weight", name, n, got)
		}
	}
}
