package feed

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/werkwijzer/werkwijzer/internal/vacancy"
)

// ParseJSONLD reads schema.org JobPostings from an HTML page (every
// <script type="application/ld+json"> block) or from a JSON document. A
// document may hold one JobPosting, an array of them, a "@graph", or an
// ItemList whose elements are (or wrap) JobPostings; other types are
// ignored. Relative URLs are resolved against base when it is given. A
// page with no JSON-LD at all, or a block that is not JSON, is malformed;
// a page whose JSON-LD holds no JobPosting yields no items.
func ParseJSONLD(data []byte, base *url.URL) ([]vacancy.Item, error) {
	data = trimBOM(data)
	if len(data) == 0 {
		return nil, malformed("empty document")
	}
	var blocks [][]byte
	if data[0] == '<' {
		var err error
		if blocks, err = scriptBlocks(data); err != nil {
			return nil, err
		}
		if len(blocks) == 0 {
			return nil, malformed("the page has no <script type=\"application/ld+json\"> block")
		}
	} else {
		blocks = [][]byte{data}
	}
	var postings []map[string]json.RawMessage
	for i, b := range blocks {
		var raw json.RawMessage
		if err := json.Unmarshal(b, &raw); err != nil {
			return nil, malformed("JSON-LD block %d: %v", i+1, err)
		}
		collectPostings(raw, &postings, 0)
		if len(postings) > MaxItems {
			return nil, malformed("more than %d job postings", MaxItems)
		}
	}
	items := make([]vacancy.Item, 0, len(postings))
	for _, p := range postings {
		items = append(items, postingItem(p, base))
	}
	return items, nil
}

// scriptBlocks returns the text of the page's JSON-LD script elements.
func scriptBlocks(page []byte) ([][]byte, error) {
	z := html.NewTokenizer(bytes.NewReader(page))
	var blocks [][]byte
	inLD := false
	for {
		switch z.Next() {
		case html.ErrorToken:
			if err := z.Err(); err != nil && !errors.Is(err, io.EOF) {
				return nil, malformed("HTML: %v", err)
			}
			return blocks, nil
		case html.StartTagToken:
			name, hasAttr := z.TagName()
			if atom.Lookup(name) != atom.Script {
				continue
			}
			inLD = false
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				if string(k) == "type" && strings.EqualFold(strings.TrimSpace(strings.Split(string(v), ";")[0]), "application/ld+json") {
					inLD = true
				}
			}
		case html.TextToken:
			if inLD {
				blocks = append(blocks, bytes.Clone(z.Text()))
				inLD = false
			}
		case html.EndTagToken:
			inLD = false
		}
	}
}

// collectPostings finds JobPosting objects in a JSON-LD value.
func collectPostings(raw json.RawMessage, out *[]map[string]json.RawMessage, depth int) {
	if depth > 8 || len(*out) > MaxItems {
		return
	}
	for _, obj := range flexObjects(raw) {
		if isType(obj, "JobPosting") {
			*out = append(*out, obj)
			continue
		}
		if g, ok := obj["@graph"]; ok {
			collectPostings(g, out, depth+1)
		}
		if l, ok := obj["itemListElement"]; ok {
			collectPostings(l, out, depth+1)
		}
		if it, ok := obj["item"]; ok { // a ListItem wrapping a posting
			collectPostings(it, out, depth+1)
		}
	}
}

func isType(obj map[string]json.RawMessage, typ string) bool {
	for _, t := range flexStrings(obj["@type"]) {
		t = strings.TrimPrefix(strings.TrimPrefix(t, "https://schema.org/"), "http://schema.org/")
		if strings.TrimPrefix(t, "schema:") == typ {
			return true
		}
	}
	return false
}

func postingItem(p map[string]json.RawMessage, base *url.URL) vacancy.Item {
	str := func(key string) string { return flexString(p[key]) }
	it := vacancy.Item{
		ExternalID:   identifier(p["identifier"]),
		Language:     str("inLanguage"),
		Title:        str("title"),
		Description:  str("description"),
		URL:          resolve(base, str("url")),
		DatePosted:   str("datePosted"),
		ValidThrough: str("validThrough"),
	}
	if it.ExternalID == "" {
		it.ExternalID = it.URL // a posting's own page identifies it when nothing else does
	}
	if it.Language == "" {
		for _, l := range flexObjects(p["inLanguage"]) {
			it.Language = flexString(l["alternateName"])
		}
	}
	it.EmploymentTypes = flexStrings(p["employmentType"])
	it.Categories = append(flexStrings(p["occupationalCategory"]), flexStrings(p["industry"])...)

	if orgs := flexObjects(p["hiringOrganization"]); len(orgs) > 0 {
		o := orgs[0]
		it.Organization = vacancy.Organization{
			Name: flexString(o["name"]),
			URL:  resolve(base, firstNonEmpty(flexString(o["sameAs"]), flexString(o["url"]))),
		}
		if logo := flexString(o["logo"]); logo != "" {
			it.Organization.LogoURL = resolve(base, logo)
		} else if logos := flexObjects(o["logo"]); len(logos) > 0 {
			it.Organization.LogoURL = resolve(base, flexString(logos[0]["url"]))
		}
	} else {
		it.Organization.Name = str("hiringOrganization")
	}

	for _, place := range flexObjects(p["jobLocation"]) {
		if addrs := flexObjects(place["address"]); len(addrs) > 0 {
			a := addrs[0]
			country := flexString(a["addressCountry"])
			if c := flexObjects(a["addressCountry"]); len(c) > 0 {
				country = flexString(c[0]["name"])
			}
			it.Locations = append(it.Locations, vacancy.Location{
				StreetAddress: flexString(a["streetAddress"]), PostalCode: flexString(a["postalCode"]),
				Locality: flexString(a["addressLocality"]), Region: flexString(a["addressRegion"]), Country: country,
			})
		} else if s := flexString(place["address"]); s != "" {
			it.Locations = append(it.Locations, vacancy.Location{Locality: s})
		}
	}
	remote := strings.EqualFold(str("jobLocationType"), "TELECOMMUTE")
	if remote {
		it.WorkplaceType = string(vacancy.Remote)
		if len(it.Locations) > 0 {
			it.WorkplaceType = string(vacancy.Hybrid)
		}
		for _, req := range flexObjects(p["applicantLocationRequirements"]) {
			if name := flexString(req["name"]); name != "" && len(it.Locations) == 0 {
				it.Locations = append(it.Locations, vacancy.Location{Country: name})
			}
		}
	}

	if amounts := flexObjects(p["baseSalary"]); len(amounts) > 0 {
		m := amounts[0]
		in := &vacancy.SalaryInput{Currency: flexString(m["currency"])}
		if values := flexObjects(m["value"]); len(values) > 0 {
			v := values[0]
			in.Unit = flexString(v["unitText"])
			in.Min, in.Max = flexFloat(v["minValue"]), flexFloat(v["maxValue"])
			if one := flexFloat(v["value"]); one != nil && in.Min == nil && in.Max == nil {
				in.Min, in.Max = one, one
			}
		} else if one := flexFloat(m["value"]); one != nil {
			in.Min, in.Max = one, one
		}
		if in.Min != nil || in.Max != nil {
			it.Salary = in
		}
	}
	if h, ok := vacancy.ParseHoursText(str("workHours")); ok {
		it.HoursPerWeek = h
	}
	return it
}

// identifier reads a posting's identifier: a string, a PropertyValue, or
// a list of them (the first wins).
func identifier(raw json.RawMessage) string {
	if s := flexString(raw); s != "" {
		return s
	}
	for _, o := range flexObjects(raw) {
		if v := flexString(o["value"]); v != "" {
			return v
		}
	}
	return ""
}

// resolve makes a link absolute against base; a link that is not a URL is
// passed on as it is, for the vacancy checks to reject.
func resolve(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if base == nil || ref == "" {
		return ref
	}
	u, err := url.Parse(ref)
	if err != nil || u.IsAbs() {
		return ref
	}
	return base.ResolveReference(u).String()
}
