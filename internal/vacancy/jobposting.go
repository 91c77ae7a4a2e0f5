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
	org := map[string]any{"@type": "Organization", "name": v.Organization.Name}
	if v.Organization.URL != "" {
		org["sameAs"] = v.Organization.URL
	}
	if v.Organization.LogoURL != "" {
		org["logo"] = v.Organization.LogoURL
	}
	doc["hiringOrganization"] = org

	var places []any
	var countries []string
	for _, l := range v.Locations {
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
	switch {
	case v.WorkplaceType == Remote:
		if len(countries) == 0 {
			return nil
		}
		doc["jobLocationType"] = "TELECOMMUTE"
		var reqs []any
		for _, c := range countries {
			reqs = append(reqs, map[string]any{"@type": "Country", "name": c})
		}
		doc["applicantLocationRequirements"] = oneOrMany(reqs)
	case len(places) == 0:
		return nil
	default:
		doc["jobLocation"] = oneOrMany(places)
		if v.WorkplaceType == Hybrid {
			// Google: a job that may be done from home part of the time
			// lists its place of work and TELECOMMUTE.
			doc["jobLocationType"] = "TELECOMMUTE"
		}
	}

	if v.ValidThrough != "" {
		doc["validThrough"] = v.ValidThrough
	}
	if len(v.EmploymentTypes) > 0 {
		types := make([]string, len(v.EmploymentTypes))
		for i, t := range v.EmploymentTypes {
			types[i] = string(t)
		}
		if len(types) == 1 {
			doc["employmentType"] = types[0]
		} else {
			doc["employmentType"] = types
		}
	}
	if s := v.Salary; s != nil {
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
		doc["baseSalary"] = map[string]any{"@type": "MonetaryAmount", "currency": s.Currency, "value": value}
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
