package vacancy

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/werkwijzer/werkwijzer/internal/jsonld"
)

// JobPosting returns the schema.org JobPosting of v as JSON-LD, for a
// frontend to embed in the vacancy's page, or nil when v lacks one of the
// properties Google requires: title, description, datePosted,
// hiringOrganization and a place of work (a jobLocation with an address,
// or for a fully remote job applicantLocationRequirements with
// jobLocationType TELECOMMUTE). validThrough and employmentType are
// added when known, as Google recommends, and so are the salary, the url
// and the identifier.
//
// The encoding escapes <, > and &, but a client that parses the document
// and serializes it again loses that; JobPostingScript is the text to
// embed.
func JobPosting(v *Vacancy) json.RawMessage {
	if v.Title == "" || v.Description == "" || v.DatePosted.IsZero() || v.Organization.Name == "" {
		return nil
	}
	doc := map[string]any{
		"@context":    "https://schema.org/",
		"@type":       "JobPosting",
		"title":       v.Title,
		"description": v.Description,
		"datePosted":  v.DatePosted.Text,
		"url":         v.URL,
		"identifier": map[string]any{
			"@type": "PropertyValue",
			"name":  v.Organization.Name,
			"value": v.ExternalID,
		},
		"directApply": false,
		"inLanguage":  v.Language,
	}
	doc["hiringOrganization"] = hiringOrganization(v.Organization)
	if !addPlaceOfWork(doc, v) {
		return nil
	}
	if v.ValidThrough != "" {
		doc["validThrough"] = v.ValidThrough
	}
	if len(v.EmploymentTypes) > 0 {
		doc["employmentType"] = employmentType(v.EmploymentTypes)
	}
	if s := v.Salary; s != nil {
		doc["baseSalary"] = baseSalary(s)
	}
	if h := v.Hours; h != nil {
		doc["workHours"] = HoursText(h, v.Language)
	}
	b, err := json.Marshal(doc)
	if err != nil {
		panic(err) // plain data always encodes
	}
	return b
}

func hiringOrganization(o Organization) map[string]any {
	org := map[string]any{"@type": "Organization", "name": o.Name}
	if o.URL != "" {
		org["sameAs"] = o.URL
	}
	if o.LogoURL != "" {
		org["logo"] = o.LogoURL
	}
	return org
}

// addPlaceOfWork adds where the job is done: its places (jobLocation),
// and for remote or hybrid work TELECOMMUTE, a remote job with the
// countries applicants may live in. It reports false when Google's
// requirements leave v without a place of work.
func addPlaceOfWork(doc map[string]any, v *Vacancy) bool {
	places, countries := postalPlaces(v.Locations)
	switch {
	case v.WorkplaceType == Remote:
		if len(countries) == 0 {
			return false
		}
		doc["jobLocationType"] = "TELECOMMUTE"
		var reqs []any
		for _, c := range countries {
			reqs = append(reqs, map[string]any{"@type": "Country", "name": c})
		}
		doc["applicantLocationRequirements"] = oneOrMany(reqs)
	case len(places) == 0:
		return false
	default:
		doc["jobLocation"] = oneOrMany(places)
		if v.WorkplaceType == Hybrid {
			// Google: a job that may be done from home part of the time
			// lists its place of work and TELECOMMUTE.
			doc["jobLocationType"] = "TELECOMMUTE"
		}
	}
	return true
}

// postalPlaces returns the locations that are a place of work as Google
// wants one (a country and more), and the countries of all of them.
func postalPlaces(locations []Location) (places []any, countries []string) {
	for _, l := range locations {
		if l.Country != "" && !contains(countries, l.Country) {
			countries = append(countries, l.Country)
		}
		if l.Country == "" || (l.Locality == "" && l.PostalCode == "" && l.Region == "") {
			continue // Google needs more than a country for a place of work
		}
		addr := map[string]any{"@type": "PostalAddress", "addressCountry": l.Country}
		for k, val := range map[string]string{"streetAddress": l.StreetAddress, "addressLocality": l.Locality, "addressRegion": l.Region, "postalCode": l.PostalCode} {
			if val != "" {
				addr[k] = val
			}
		}
		places = append(places, map[string]any{"@type": "Place", "address": addr})
	}
	return places, countries
}

// employmentType is one type as a string, several as a list.
func employmentType(ts []EmploymentType) any {
	types := make([]string, len(ts))
	for i, t := range ts {
		types[i] = string(t)
	}
	if len(types) == 1 {
		return types[0]
	}
	return types
}

// baseSalary is a MonetaryAmount: one value when the range is one amount.
func baseSalary(s *Salary) map[string]any {
	value := map[string]any{"@type": "QuantitativeValue", "unitText": string(s.Unit)}
	switch {
	case s.MinCents != nil && s.MaxCents != nil && *s.MinCents == *s.MaxCents:
		value["value"] = money(*s.MinCents)
	default:
		if s.MinCents != nil {
			value["minValue"] = money(*s.MinCents)
		}
		if s.MaxCents != nil {
			value["maxValue"] = money(*s.MaxCents)
		}
	}
	return map[string]any{"@type": "MonetaryAmount", "currency": s.Currency, "value": value}
}

func contains(list []string, s string) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}

func oneOrMany(list []any) any {
	if len(list) == 1 {
		return list[0]
	}
	return list
}

// money turns cents into a JSON number without float noise.
func money(cents int64) json.Number {
	if cents%100 == 0 {
		return json.Number(strconv.FormatInt(cents/100, 10))
	}
	return json.Number(fmt.Sprintf("%d.%02d", cents/100, int64(math.Abs(float64(cents%100)))))
}

// HoursText writes hours per week for people: "32–40 uur per week".
func HoursText(h *Hours, lang string) string {
	num := func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
	span := num(h.Min)
	if h.Max != h.Min {
		span += "–" + num(h.Max)
	}
	if strings.HasPrefix(lang, "nl") {
		return strings.ReplaceAll(span, ".", ",") + " uur per week"
	}
	return span + " hours per week"
}

// JobPostingScript returns JobPosting(v) as the text of a <script
// type="application/ld+json"> element, or "" when v has none. Every <, >,
// &, U+2028 and U+2029 in it is a \u escape, so the text can neither end
// the element nor open a comment in it. A frontend must embed this string
// rather than serialize the parsed JSON-LD again, which undoes the escapes.
func JobPostingScript(v *Vacancy) string {
	doc := JobPosting(v)
	if doc == nil {
		return ""
	}
	// JobPosting's encoder escapes these in its strings already; escaping
	// here keeps the promise whatever that encoder does.
	return jsonld.Script(doc)
}
