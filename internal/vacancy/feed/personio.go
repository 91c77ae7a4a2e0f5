package feed

import (
	"encoding/xml"
	"errors"
	"html"
	"io"
	"net/url"
	"strings"

	"golang.org/x/net/html/charset"

	"github.com/werkwijzer/werkwijzer/internal/vacancy"
)

// personioPosition is one <position> of a Personio job page's XML feed
// (https://COMPANY.jobs.personio.de/xml), as Personio's developer hub
// documents it ("Retrieving open positions"), with the elements feeds
// carry besides: additionalOffices, keywords, occupation and createdAt.
// seniority and yearsOfExperience have no counterpart in a vacancy.
type personioPosition struct {
	ID                 string   `xml:"id"`
	Subcompany         string   `xml:"subcompany"`
	Office             string   `xml:"office"`
	AdditionalOffices  []string `xml:"additionalOffices>office"`
	Department         string   `xml:"department"`
	RecruitingCategory string   `xml:"recruitingCategory"`
	Name               string   `xml:"name"`
	JobDescriptions    []struct {
		Name  string `xml:"name"`
		Value string `xml:"value"`
	} `xml:"jobDescriptions>jobDescription"`
	EmploymentType     string `xml:"employmentType"`
	Schedule           string `xml:"schedule"`
	Keywords           string `xml:"keywords"`
	Occupation         string `xml:"occupation"`
	OccupationCategory string `xml:"occupationCategory"`
	CreatedAt          string `xml:"createdAt"`
}

// personioEmployment maps Personio's employmentType and schedule codes to
// employment types. "permanent" says how long the contract runs, not how
// much one works, so it maps to nothing; codes not listed are passed on
// as they are, for the sync to warn about.
var personioEmployment = map[string][]string{
	"permanent":         nil,
	"intern":            {string(vacancy.Intern)},
	"trainee":           {string(vacancy.Other)},
	"freelance":         {string(vacancy.Contractor)},
	"temporary":         {string(vacancy.Temporary)},
	"working_student":   {string(vacancy.PartTime)},
	"full-time":         {string(vacancy.FullTime)},
	"part-time":         {string(vacancy.PartTime)},
	"full-or-part-time": {string(vacancy.FullTime), string(vacancy.PartTime)},
}

// ParsePersonio reads a Personio job page's XML feed, one <position> at a
// time. The feed holds no links: each position's page is /job/ID on the
// host of base, the feed's own URL, which keeps its ?language=; without
// base the items have no URL and the sync rejects them. The company is
// the position's subcompany or else the page's name (COMPANY in
// COMPANY.jobs.personio.de).
func ParsePersonio(r io.Reader, base *url.URL) ([]vacancy.Item, error) {
	d := xml.NewDecoder(skipBOM(r))
	d.Entity = xml.HTMLEntity
	d.CharsetReader = charset.NewReaderLabel
	var items []vacancy.Item
	depth := 0
	sawRoot := false
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, malformed("Personio XML: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 1 {
				// Anything else, an HTML error page above all, is not
				// an empty feed that would close every vacancy.
				if t.Name.Local != "workzag-jobs" {
					return nil, malformed("Personio XML: the document is <%s>, not <workzag-jobs>", t.Name.Local)
				}
				sawRoot = true
				continue
			}
			if depth == 2 && t.Name.Local == "position" {
				var p personioPosition
				if err := d.DecodeElement(&p, &t); err != nil {
					return nil, malformed("Personio position %d: %v", len(items)+1, err)
				}
				depth--
				if len(items) >= MaxItems {
					return nil, malformed("more than %d positions", MaxItems)
				}
				items = append(items, p.item(base))
			}
		case xml.EndElement:
			depth--
		}
	}
	if !sawRoot {
		return nil, malformed("no XML document")
	}
	return items, nil
}

func (p personioPosition) item(base *url.URL) vacancy.Item {
	id := strings.TrimSpace(p.ID)
	it := vacancy.Item{
		ExternalID: id,
		Title:      p.Name,
		DatePosted: p.CreatedAt,
	}
	var desc strings.Builder
	for _, jd := range p.JobDescriptions {
		if name := strings.TrimSpace(jd.Name); name != "" {
			desc.WriteString("<h3>" + html.EscapeString(name) + "</h3>\n")
		}
		desc.WriteString(strings.TrimSpace(jd.Value) + "\n")
	}
	it.Description = desc.String()
	if base != nil && id != "" {
		page := url.URL{Scheme: base.Scheme, Host: base.Host, Path: "/job/" + url.PathEscape(id)}
		if lang := base.Query().Get("language"); lang != "" {
			page.RawQuery = url.Values{"language": {lang}}.Encode()
			it.Language = lang
		}
		it.URL = page.String()
	}
	it.Organization.Name = strings.TrimSpace(p.Subcompany)
	if it.Organization.Name == "" && base != nil {
		host := base.Hostname()
		if company, _, ok := strings.Cut(host, ".jobs.personio."); ok {
			host = company
		}
		it.Organization.Name = host
	}
	for _, code := range []string{p.Schedule, p.EmploymentType} {
		code = strings.TrimSpace(code)
		if code == "" {
			continue
		}
		if types, ok := personioEmployment[strings.ToLower(code)]; ok {
			it.EmploymentTypes = append(it.EmploymentTypes, types...)
		} else {
			it.EmploymentTypes = append(it.EmploymentTypes, code)
		}
	}
	addPlace(&it, p.Office)
	for _, o := range p.AdditionalOffices {
		addPlace(&it, o)
	}
	for _, c := range []string{p.Department, p.RecruitingCategory, p.OccupationCategory, p.Occupation} {
		if c = strings.TrimSpace(strings.ReplaceAll(c, "_", " ")); c != "" {
			it.Categories = append(it.Categories, c)
		}
	}
	it.Categories = append(it.Categories, splitList(p.Keywords)...)
	return it
}
