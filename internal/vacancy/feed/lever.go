package feed

import (
	"encoding/json"
	"html"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/vacancy"
)

// leverPosting is one posting of Lever's Postings API
// (GET https://api.lever.co/v0/postings/SITE?mode=json), with the fields
// its documentation (github.com/lever/postings-api) lists.
type leverPosting struct {
	ID         string `json:"id"`
	Text       string `json:"text"`
	Categories struct {
		Commitment   string   `json:"commitment"`
		Department   string   `json:"department"`
		Location     string   `json:"location"`
		Team         string   `json:"team"`
		AllLocations []string `json:"allLocations"`
	} `json:"categories"`
	Country          string `json:"country"`
	HostedURL        string `json:"hostedUrl"`
	ApplyURL         string `json:"applyUrl"`
	Description      string `json:"description"`
	DescriptionPlain string `json:"descriptionPlain"`
	Lists            []struct {
		Text    string `json:"text"`
		Content string `json:"content"`
	} `json:"lists"`
	Additional      string `json:"additional"`
	AdditionalPlain string `json:"additionalPlain"`
	WorkplaceType   string `json:"workplaceType"`
	SalaryRange     *struct {
		Min      json.RawMessage `json:"min"`
		Max      json.RawMessage `json:"max"`
		Currency string          `json:"currency"`
		Interval string          `json:"interval"`
	} `json:"salaryRange"`
	CreatedAt json.RawMessage `json:"createdAt"`
	// Postings is set only in a grouped answer (&group=team), which is
	// not a list of postings.
	Postings json.RawMessage `json:"postings"`
}

// leverWorkplace maps Lever's workplaceType values; "unspecified" says
// nothing, so it maps to no workplace type rather than an unknown one.
var leverWorkplace = map[string]vacancy.WorkplaceType{
	"on-site": vacancy.Onsite, "remote": vacancy.Remote, "hybrid": vacancy.Hybrid, "unspecified": "",
}

// leverInterval maps salaryRange.interval ("per-year-salary",
// "per-month-salary", "per-hour-wage"...) to a salary unit.
var leverInterval = []struct {
	word string
	unit vacancy.SalaryUnit
}{{"year", vacancy.PerYear}, {"month", vacancy.PerMonth}, {"week", vacancy.PerWeek}, {"day", vacancy.PerDay}, {"hour", vacancy.PerHour}}

// ParseLever reads Lever's Postings API answer, a JSON list of postings,
// one posting at a time. Lever names no company, so it is the site of
// base, the feed's URL (SITE in /v0/postings/SITE), or else of the
// posting's hostedUrl (jobs.lever.co/SITE/ID).
func ParseLever(r io.Reader, base *url.URL) ([]vacancy.Item, error) {
	d := json.NewDecoder(skipBOM(r))
	site := pathSegmentAfter(base, "postings")
	var items []vacancy.Item
	err := eachJSONElement(d, "Lever", func(raw json.RawMessage) error {
		var p leverPosting
		if err := json.Unmarshal(raw, &p); err != nil {
			// As with Greenhouse: one odd posting loses only itself.
			var id struct {
				ID json.RawMessage `json:"id"`
			}
			_ = json.Unmarshal(raw, &id)
			items = append(items, vacancy.Item{ExternalID: flexString(id.ID)})
			return nil
		}
		if p.ID == "" && len(p.Postings) > 0 {
			return malformed("Lever: a grouped answer (group=...); the feed URL must list postings ungrouped")
		}
		items = append(items, p.item(site))
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := endOfJSON(d, "Lever"); err != nil {
		return nil, err
	}
	return items, nil
}

func (p leverPosting) item(site string) vacancy.Item {
	it := vacancy.Item{
		ExternalID: p.ID,
		Title:      p.Text,
		URL:        p.HostedURL,
		ApplyURL:   p.ApplyURL,
	}
	if site == "" {
		if u, err := url.Parse(p.HostedURL); err == nil {
			site, _, _ = strings.Cut(strings.Trim(u.Path, "/"), "/")
		}
	}
	it.Organization.Name = site

	it.Description = p.description()

	if ms, err := strconv.ParseInt(strings.TrimSpace(flexString(p.CreatedAt)), 10, 64); err == nil && ms > 0 {
		it.DatePosted = time.UnixMilli(ms).UTC().Format(time.RFC3339)
	}
	if c := strings.TrimSpace(p.Categories.Commitment); c != "" {
		it.EmploymentTypes = []string{c}
	}
	if wt, ok := leverWorkplace[strings.ToLower(strings.TrimSpace(p.WorkplaceType))]; ok {
		it.WorkplaceType = string(wt)
	} else {
		it.WorkplaceType = p.WorkplaceType
	}
	locations := p.Categories.AllLocations
	if len(locations) == 0 && p.Categories.Location != "" {
		locations = []string{p.Categories.Location}
	}
	for _, l := range locations {
		addPlace(&it, l)
	}
	// country is one code for the posting: it says where a single place
	// is, not which of several.
	if len(it.Locations) == 1 && it.Locations[0].Country == "" {
		it.Locations[0].Country = p.Country
	}
	for _, c := range []string{p.Categories.Team, p.Categories.Department} {
		if c = strings.TrimSpace(c); c != "" {
			it.Categories = append(it.Categories, c)
		}
	}
	it.Salary = p.salary()
	return it
}

// description puts the posting's parts together as one HTML text: the
// description, its lists with their headings, and the closing part.
func (p leverPosting) description() string {
	var desc strings.Builder
	if strings.TrimSpace(p.Description) != "" {
		desc.WriteString(p.Description)
	} else if strings.TrimSpace(p.DescriptionPlain) != "" {
		desc.WriteString("<p>" + html.EscapeString(p.DescriptionPlain) + "</p>")
	}
	for _, l := range p.Lists {
		if strings.TrimSpace(l.Text) != "" {
			desc.WriteString("\n<h3>" + html.EscapeString(l.Text) + "</h3>")
		}
		// Lever sends a list's items without the list around them.
		desc.WriteString("\n<ul>" + l.Content + "</ul>")
	}
	if strings.TrimSpace(p.Additional) != "" {
		desc.WriteString("\n" + p.Additional)
	} else if strings.TrimSpace(p.AdditionalPlain) != "" {
		desc.WriteString("\n<p>" + html.EscapeString(p.AdditionalPlain) + "</p>")
	}
	return desc.String()
}

// salary is the posting's salary range, nil without amounts.
func (p leverPosting) salary() *vacancy.SalaryInput {
	s := p.SalaryRange
	if s == nil {
		return nil
	}
	lo, hi := flexFloat(s.Min), flexFloat(s.Max)
	if lo == nil && hi == nil {
		return nil
	}
	unit := s.Interval
	for _, iv := range leverInterval {
		if strings.Contains(strings.ToLower(s.Interval), iv.word) {
			unit = string(iv.unit)
			break
		}
	}
	return &vacancy.SalaryInput{Min: lo, Max: hi, Currency: s.Currency, Unit: unit}
}
