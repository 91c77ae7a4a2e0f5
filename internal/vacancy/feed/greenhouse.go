package feed

import (
	"encoding/json"
	"html"
	"io"
	"net/url"
	"strings"

	"github.com/werkwijzer/werkwijzer/internal/vacancy"
)

// greenhouseJob is one job of the Greenhouse Job Board API's list
// (GET https://boards-api.greenhouse.io/v1/boards/TOKEN/jobs?content=true).
// Ids are numbers, and a field of an unexpected type only loses that job
// (see ParseGreenhouse), so the loosely typed ones are raw.
type greenhouseJob struct {
	ID             json.RawMessage `json:"id"`
	Title          string          `json:"title"`
	UpdatedAt      string          `json:"updated_at"`
	FirstPublished string          `json:"first_published"`
	Location       struct {
		Name string `json:"name"`
	} `json:"location"`
	AbsoluteURL string `json:"absolute_url"`
	Language    string `json:"language"`
	CompanyName string `json:"company_name"`
	// Content is HTML, escaped once more: "&lt;p&gt;Wij zoeken&lt;/p&gt;".
	Content     string `json:"content"`
	Departments []struct {
		Name string `json:"name"`
	} `json:"departments"`
	Offices []struct {
		Name     string `json:"name"`
		Location string `json:"location"`
	} `json:"offices"`
	// Metadata are the custom fields the employer shows on the board.
	Metadata []struct {
		Name  string          `json:"name"`
		Value json.RawMessage `json:"value"`
	} `json:"metadata"`
}

// ParseGreenhouse reads a Greenhouse job board's jobs, one at a time:
// {"jobs": [...], "meta": {"total": N}}. Without content=true the jobs
// carry no description and the sync rejects them. The company is the
// job's company_name or else the board token of base, the feed's URL.
func ParseGreenhouse(r io.Reader, base *url.URL) ([]vacancy.Item, error) {
	d := json.NewDecoder(skipBOM(r))
	tok, err := d.Token()
	if err != nil {
		return nil, jsonTokenError("Greenhouse JSON: %v", err)
	}
	if tok != json.Delim('{') {
		return nil, malformed("Greenhouse: want a JSON object with jobs")
	}
	var items []vacancy.Item
	sawJobs := false
	board := pathSegmentAfter(base, "boards")
	for d.More() {
		key, err := d.Token()
		if err != nil {
			return nil, jsonTokenError("Greenhouse JSON: %v", err)
		}
		if key != "jobs" || sawJobs {
			// meta and whatever Greenhouse adds; small, so read whole.
			var skip json.RawMessage
			if err := d.Decode(&skip); err != nil {
				return nil, jsonTokenError("Greenhouse JSON: %v", err)
			}
			continue
		}
		sawJobs = true
		err = eachJSONElement(d, "Greenhouse", func(raw json.RawMessage) error {
			var j greenhouseJob
			if err := json.Unmarshal(raw, &j); err != nil {
				// One job of an unexpected shape is not the whole board
				// being wrong: pass on its id, so the sync rejects it and
				// keeps it from being closed.
				var id struct {
					ID json.RawMessage `json:"id"`
				}
				_ = json.Unmarshal(raw, &id)
				items = append(items, vacancy.Item{ExternalID: flexString(id.ID)})
				return nil
			}
			items = append(items, j.item(board))
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if _, err := d.Token(); err != nil {
		return nil, jsonTokenError("Greenhouse JSON: %v", err)
	}
	if err := endOfJSON(d, "Greenhouse"); err != nil {
		return nil, err
	}
	if !sawJobs {
		return nil, malformed("Greenhouse JSON has no jobs list")
	}
	return items, nil
}

func (j greenhouseJob) item(board string) vacancy.Item {
	it := vacancy.Item{
		ExternalID:      flexString(j.ID),
		Language:        j.Language,
		Title:           j.Title,
		Description:     html.UnescapeString(j.Content),
		URL:             j.AbsoluteURL,
		Organization:    vacancy.Organization{Name: firstNonEmpty(j.CompanyName, board)},
		DatePosted:      firstNonEmpty(j.FirstPublished, j.UpdatedAt),
		SourceUpdatedAt: j.UpdatedAt,
	}
	for _, dep := range j.Departments {
		if name := strings.TrimSpace(dep.Name); name != "" {
			it.Categories = append(it.Categories, name)
		}
	}
	for _, m := range j.Metadata {
		name := strings.ToLower(m.Name)
		switch {
		case strings.Contains(name, "employment") || strings.Contains(name, "dienstverband") || strings.Contains(name, "contract"):
			it.EmploymentTypes = append(it.EmploymentTypes, flexStrings(m.Value)...)
		case strings.Contains(name, "workplace") || strings.Contains(name, "remote") || strings.Contains(name, "werkplek") ||
			strings.Contains(name, "location type"):
			if v := flexStrings(m.Value); len(v) > 0 && it.WorkplaceType == "" {
				it.WorkplaceType = v[0]
			}
		}
	}
	addPlace(&it, j.Location.Name)
	if len(it.Locations) == 0 {
		for _, o := range j.Offices {
			addPlace(&it, firstNonEmpty(o.Location, o.Name))
		}
	}
	return it
}
