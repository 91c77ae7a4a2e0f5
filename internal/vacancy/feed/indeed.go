package feed

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"

	"golang.org/x/net/html/charset"

	"github.com/werkwijzer/werkwijzer/internal/vacancy"
	"github.com/werkwijzer/werkwijzer/internal/vacancy/normalize"
)

// indeedJob is one <job> of an Indeed-style XML feed. Besides Indeed's
// elements it reads a few that Dutch job boards add: hoursperweek,
// validthrough, language, applyurl, companyurl and updated.
type indeedJob struct {
	Title           string `xml:"title"`
	Date            string `xml:"date"`
	ReferenceNumber string `xml:"referencenumber"`
	RequisitionID   string `xml:"requisitionid"`
	URL             string `xml:"url"`
	ApplyURL        string `xml:"applyurl"`
	Company         string `xml:"company"`
	CompanyURL      string `xml:"companyurl"`
	SourceName      string `xml:"sourcename"`
	City            string `xml:"city"`
	State           string `xml:"state"`
	Country         string `xml:"country"`
	PostalCode      string `xml:"postalcode"`
	StreetAddress   string `xml:"streetaddress"`
	Description     string `xml:"description"`
	Salary          string `xml:"salary"`
	JobType         string `xml:"jobtype"`
	Category        string `xml:"category"`
	ExpirationDate  string `xml:"expirationdate"`
	ValidThrough    string `xml:"validthrough"`
	RemoteType      string `xml:"remotetype"`
	HoursPerWeek    string `xml:"hoursperweek"`
	Language        string `xml:"language"`
	Updated         string `xml:"updated"`
}

// ParseIndeedXML reads an Indeed-style XML feed: a <source> element (the
// name does not matter) with <job> children. CDATA and plain text both
// work; HTML entities such as &nbsp; are understood; encodings other than
// UTF-8 are converted when the XML declaration names them. Each <job> is
// decoded on its own as it streams past.
func ParseIndeedXML(r io.Reader) ([]vacancy.Item, error) {
	br, _, err := start(r)
	if err != nil {
		return nil, err
	}
	d := xml.NewDecoder(br)
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
			return nil, malformed("XML: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 1 {
				sawRoot = true
				continue
			}
			if depth == 2 && strings.EqualFold(t.Name.Local, "job") {
				var j indeedJob
				if err := d.DecodeElement(&j, &t); err != nil {
					return nil, malformed("XML job %d: %v", len(items)+1, err)
				}
				depth--
				if len(items) >= MaxItems {
					return nil, malformed("more than %d jobs", MaxItems)
				}
				items = append(items, j.item())
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

func (j indeedJob) item() vacancy.Item {
	it := vacancy.Item{
		ExternalID:      strings.TrimSpace(j.ReferenceNumber),
		Language:        strings.TrimSpace(j.Language),
		Title:           j.Title,
		Description:     j.Description,
		URL:             strings.TrimSpace(j.URL),
		ApplyURL:        strings.TrimSpace(j.ApplyURL),
		Categories:      splitList(j.Category),
		Organization:    vacancy.Organization{Name: j.Company, URL: strings.TrimSpace(j.CompanyURL)},
		WorkplaceType:   j.RemoteType,
		DatePosted:      j.Date,
		ValidThrough:    firstNonEmpty(j.ValidThrough, j.ExpirationDate),
		SourceUpdatedAt: j.Updated,
	}
	if it.ExternalID == "" {
		it.ExternalID = strings.TrimSpace(j.RequisitionID)
	}
	if strings.TrimSpace(it.Organization.Name) == "" {
		it.Organization.Name = j.SourceName
	}
	if strings.TrimSpace(j.JobType) != "" {
		it.EmploymentTypes = []string{j.JobType}
	}
	if loc := (vacancy.Location{StreetAddress: j.StreetAddress, PostalCode: j.PostalCode, Locality: j.City, Region: j.State, Country: j.Country}); loc != (vacancy.Location{}) {
		it.Locations = []vacancy.Location{loc}
	}
	if strings.TrimSpace(j.Salary) != "" {
		it.Salary = &vacancy.SalaryInput{Text: j.Salary}
	}
	if h, ok := normalize.ParseHoursText(j.HoursPerWeek + " uur"); ok && strings.TrimSpace(j.HoursPerWeek) != "" {
		it.HoursPerWeek = h
	} else if h, ok := normalize.ParseHoursText(j.JobType); ok {
		it.HoursPerWeek = h
	}
	return it
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}
