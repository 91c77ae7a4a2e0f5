package feed

import (
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/werkwijzer/werkwijzer/internal/vacancy"
	"github.com/werkwijzer/werkwijzer/internal/vacancy/normalize"
)

// ParseJSONLD reads schema.org JobPostings from an HTML page (every
// <script type="application/ld+json"> block) or from a JSON document. A
// document may hold one JobPosting, an array of them, a "@graph", or an
// ItemList whose elements are (or wrap) JobPostings; other types are
// ignored. Relative URLs are resolved against base when it is given. A
// page with no JSON-LD at all, or a block that is not JSON, is malformed;
// a page whose JSON-LD holds no JobPosting yields no items.
//
// The page is tokenized as it streams past and only its JSON-LD blocks
// are held, one at a time; a JSON document's top-level array and the
// arrays of a top-level "@graph" or "itemListElement" are read one
// element at a time.
func ParseJSONLD(r io.Reader, base *url.URL) ([]vacancy.Item, error) {
	br, first, err := start(r)
	if err != nil {
		return nil, err
	}
	l := &ldReader{base: base, items: []vacancy.Item{}}
	switch first {
	case 0:
		return nil, malformed("empty document")
	case '<':
		err = l.page(br)
	default:
		err = l.document(json.NewDecoder(br))
	}
	if err != nil {
		return nil, err
	}
	return l.items, nil
}

// ldReader turns postings into items as soon as they are found, so what
// it holds is the items, not the JSON they came from.
type ldReader struct {
	base  *url.URL
	items []vacancy.Item
}

// take adds the postings found in raw at depth.
func (l *ldReader) take(raw json.RawMessage, depth int) error {
	var postings []map[string]json.RawMessage
	collectPostings(raw, &postings, depth)
	if len(l.items)+len(postings) > MaxItems {
		return malformed("more than %d job postings", MaxItems)
	}
	for _, p := range postings {
		l.items = append(l.items, postingItem(p, l.base))
	}
	return nil
}

// page reads the postings of a page's JSON-LD script elements.
func (l *ldReader) page(page io.Reader) error {
	z := html.NewTokenizer(page)
	blocks := 0
	inLD := false
	for {
		switch z.Next() {
		case html.ErrorToken:
			if err := z.Err(); err != nil && !errors.Is(err, io.EOF) {
				return malformed("HTML: %v", err)
			}
			if blocks == 0 {
				return malformed("the page has no <script type=\"application/ld+json\"> block")
			}
			return nil
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
				blocks++
				var raw json.RawMessage
				if err := json.Unmarshal(z.Text(), &raw); err != nil {
					return malformed("JSON-LD block %d: %v", blocks, err)
				}
				if err := l.take(raw, 0); err != nil {
					return err
				}
				inLD = false
			}
		case html.EndTagToken:
			inLD = false
		}
	}
}

// document reads the postings of a JSON document, streaming the arrays
// that may hold many of them: the document itself, or a top-level
// object's "@graph" or "itemListElement".
func (l *ldReader) document(d *json.Decoder) error {
	tok, err := d.Token()
	if err != nil {
		return malformed("JSON-LD: %v", err)
	}
	switch tok {
	case json.Delim('['):
		if err := l.array(d, 0); err != nil {
			return err
		}
	case json.Delim('{'):
		if err := l.object(d); err != nil {
			return err
		}
	}
	if _, err := d.Token(); !errors.Is(err, io.EOF) {
		if err == nil {
			return malformed("JSON-LD: data after the top-level value")
		}
		return malformed("JSON-LD: %v", err)
	}
	return nil
}

// array takes the postings of each element of an array whose '[' was
// read, and reads its ']'.
func (l *ldReader) array(d *json.Decoder, depth int) error {
	for d.More() {
		var elem json.RawMessage
		if err := d.Decode(&elem); err != nil {
			return malformed("JSON-LD: %v", err)
		}
		if err := l.take(elem, depth); err != nil {
			return err
		}
	}
	if _, err := d.Token(); err != nil {
		return malformed("JSON-LD: %v", err)
	}
	return nil
}

// object reads a top-level object whose '{' was read, and its '}'. The
// postings of its "@graph" and "itemListElement" arrays are taken as they
// stream past; should the object turn out to be a JobPosting itself, it
// alone counts, as it would in collectPostings.
func (l *ldReader) object(d *json.Decoder) error {
	before := len(l.items)
	obj := map[string]json.RawMessage{}
	for d.More() {
		tok, err := d.Token()
		if err != nil {
			return malformed("JSON-LD: %v", err)
		}
		key, _ := tok.(string)
		if key == "@graph" || key == "itemListElement" {
			tok, err := d.Token()
			if err != nil {
				return malformed("JSON-LD: %v", err)
			}
			switch tok {
			case json.Delim('['):
				if err := l.array(d, 1); err != nil {
					return err
				}
			case json.Delim('{'):
				// A single node rather than a list: read it whole.
				inner, err := objectMembers(d)
				if err != nil {
					return err
				}
				raw, _ := json.Marshal(inner) // cannot fail: valid members
				obj[key] = raw
			}
			continue
		}
		var raw json.RawMessage
		if err := d.Decode(&raw); err != nil {
			return malformed("JSON-LD: %v", err)
		}
		obj[key] = raw
	}
	if _, err := d.Token(); err != nil {
		return malformed("JSON-LD: %v", err)
	}
	if isType(obj, "JobPosting") {
		l.items = l.items[:before]
	}
	raw, _ := json.Marshal(obj)
	return l.take(raw, 0)
}

// objectMembers reads the members of an object whose '{' was read, and
// its '}'.
func objectMembers(d *json.Decoder) (map[string]json.RawMessage, error) {
	obj := map[string]json.RawMessage{}
	for d.More() {
		tok, err := d.Token()
		if err != nil {
			return nil, malformed("JSON-LD: %v", err)
		}
		key, _ := tok.(string)
		var raw json.RawMessage
		if err := d.Decode(&raw); err != nil {
			return nil, malformed("JSON-LD: %v", err)
		}
		obj[key] = raw
	}
	if _, err := d.Token(); err != nil {
		return nil, malformed("JSON-LD: %v", err)
	}
	return obj, nil
}

// collectPostings finds JobPosting objects in a JSON-LD value.
func collectPostings(raw json.RawMessage, out *[]map[string]json.RawMessage, depth int) {
	if depth > 8 || len(*out) > MaxItems {
		return
	}
	for _, obj := range flexObjects(raw) {
		collectObject(obj, out, depth)
	}
}

// collectObject takes obj if it is a JobPosting, and otherwise the
// postings it holds in a graph, a list or a list item.
func collectObject(obj map[string]json.RawMessage, out *[]map[string]json.RawMessage, depth int) {
	if isType(obj, "JobPosting") {
		*out = append(*out, obj)
		return
	}
	for _, key := range []string{"@graph", "itemListElement", "item"} { // "item": a ListItem wrapping a posting
		if v, ok := obj[key]; ok {
			collectPostings(v, out, depth+1)
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

// ldOrganization reads hiringOrganization: an Organization, or just a name.
func ldOrganization(p map[string]json.RawMessage, base *url.URL) vacancy.Organization {
	orgs := flexObjects(p["hiringOrganization"])
	if len(orgs) == 0 {
		return vacancy.Organization{Name: flexString(p["hiringOrganization"])}
	}
	o := orgs[0]
	org := vacancy.Organization{
		Name: flexString(o["name"]),
		URL:  resolve(base, firstNonEmpty(flexString(o["sameAs"]), flexString(o["url"]))),
	}
	if logo := flexString(o["logo"]); logo != "" {
		org.LogoURL = resolve(base, logo)
	} else if logos := flexObjects(o["logo"]); len(logos) > 0 {
		org.LogoURL = resolve(base, flexString(logos[0]["url"]))
	}
	return org
}

// ldLocations reads jobLocation: places with a PostalAddress, or with an
// address given as text (read as the locality).
func ldLocations(p map[string]json.RawMessage) []vacancy.Location {
	var out []vacancy.Location
	for _, place := range flexObjects(p["jobLocation"]) {
		if addrs := flexObjects(place["address"]); len(addrs) > 0 {
			a := addrs[0]
			country := flexString(a["addressCountry"])
			if c := flexObjects(a["addressCountry"]); len(c) > 0 {
				country = flexString(c[0]["name"])
			}
			out = append(out, vacancy.Location{
				StreetAddress: flexString(a["streetAddress"]), PostalCode: flexString(a["postalCode"]),
				Locality: flexString(a["addressLocality"]), Region: flexString(a["addressRegion"]), Country: country,
			})
		} else if s := flexString(place["address"]); s != "" {
			out = append(out, vacancy.Location{Locality: s})
		}
	}
	return out
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

	it.Organization = ldOrganization(p, base)
	it.Locations = ldLocations(p)
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
	if h, ok := normalize.ParseHoursText(str("workHours")); ok {
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
