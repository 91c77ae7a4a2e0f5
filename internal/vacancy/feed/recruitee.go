package feed

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"

	"github.com/werkwijzer/werkwijzer/internal/vacancy"
)

// recruiteeOffer is one offer of the Recruitee careers site API
// (GET https://COMPANY.recruitee.com/api/offers/). Numbers sometimes
// arrive as strings, so the loosely typed fields are raw.
type recruiteeOffer struct {
	ID                 json.RawMessage `json:"id"`
	Status             string          `json:"status"`
	Title              string          `json:"title"`
	Description        string          `json:"description"`
	Requirements       string          `json:"requirements"`
	CareersURL         string          `json:"careers_url"`
	CareersApplyURL    string          `json:"careers_apply_url"`
	CompanyName        string          `json:"company_name"`
	Department         json.RawMessage `json:"department"`
	CategoryCode       string          `json:"category_code"`
	Tags               []string        `json:"tags"`
	EmploymentTypeCode string          `json:"employment_type_code"`
	Remote             bool            `json:"remote"`
	Hybrid             bool            `json:"hybrid"`
	OnSite             bool            `json:"on_site"`
	City               string          `json:"city"`
	StateName          string          `json:"state_name"`
	Country            string          `json:"country"`
	CountryCode        string          `json:"country_code"`
	PostalCode         string          `json:"postal_code"`
	Street             string          `json:"street"`
	Locations          []struct {
		City        string `json:"city"`
		State       string `json:"state"`
		StateName   string `json:"state_name"`
		Country     string `json:"country"`
		CountryCode string `json:"country_code"`
		PostalCode  string `json:"postal_code"`
		Street      string `json:"street"`
	} `json:"locations"`
	MinHours json.RawMessage `json:"min_hours"`
	MaxHours json.RawMessage `json:"max_hours"`
	Salary   *struct {
		Min      json.RawMessage `json:"min"`
		Max      json.RawMessage `json:"max"`
		Period   string          `json:"period"`
		Currency string          `json:"currency"`
	} `json:"salary"`
	CreatedAt    string `json:"created_at"`
	PublishedAt  string `json:"published_at"`
	UpdatedAt    string `json:"updated_at"`
	CloseAt      string `json:"close_at"`
	LanguageCode string `json:"language_code"`
}

// ParseRecruitee reads the Recruitee careers site API's answer:
// {"offers": [...]}, one offer at a time as it streams past. Offers whose
// status says they are not published are left out.
func ParseRecruitee(r io.Reader) ([]vacancy.Item, error) {
	br, first, err := start(r)
	if err != nil {
		return nil, err
	}
	if first != '{' {
		return nil, malformed("Recruitee: want a JSON object with offers")
	}
	d := json.NewDecoder(br)
	_, _ = d.Token() // the '{' seen above
	var items []vacancy.Item
	sawOffers := false
	for d.More() {
		tok, err := d.Token()
		if err != nil {
			return nil, malformed("Recruitee JSON: %v", err)
		}
		// Like encoding/json's struct decoding, the key matches without
		// regard to case, and the last one wins.
		if key, _ := tok.(string); !strings.EqualFold(key, "offers") {
			if err := skipValue(d); err != nil {
				return nil, malformed("Recruitee JSON: %v", err)
			}
			continue
		}
		offers, err := recruiteeOffers(d)
		if err != nil {
			return nil, err
		}
		items, sawOffers = offers, offers != nil
	}
	if err := endOfDocument(d); err != nil {
		return nil, malformed("Recruitee JSON: %v", err)
	}
	if !sawOffers {
		return nil, malformed("Recruitee JSON has no offers list")
	}
	return items, nil
}

// recruiteeOffers reads the offers array; nil (not an empty list) means
// null.
func recruiteeOffers(d *json.Decoder) ([]vacancy.Item, error) {
	tok, err := d.Token()
	if err != nil {
		return nil, malformed("Recruitee JSON: %v", err)
	}
	if tok == nil {
		return nil, nil
	}
	if delim, _ := tok.(json.Delim); delim != '[' {
		return nil, malformed("Recruitee JSON: offers is not a list")
	}
	items := []vacancy.Item{}
	for n := 0; d.More(); n++ {
		if n >= MaxItems {
			return nil, malformed("more than %d offers", MaxItems)
		}
		var raw json.RawMessage
		if err := d.Decode(&raw); err != nil {
			return nil, malformed("Recruitee JSON offer %d: %v", n+1, err)
		}
		var o recruiteeOffer
		if err := json.Unmarshal(raw, &o); err != nil {
			// One offer of an unexpected shape is not the whole feed being
			// wrong: pass it on with what can be read, so the sync
			// rejects it and keeps it from being closed.
			var id struct {
				ID json.RawMessage `json:"id"`
			}
			_ = json.Unmarshal(raw, &id)
			items = append(items, vacancy.Item{ExternalID: flexString(id.ID)})
			continue
		}
		if o.Status != "" && !strings.EqualFold(o.Status, "published") {
			continue
		}
		items = append(items, o.item())
	}
	if _, err := d.Token(); err != nil { // ']'
		return nil, malformed("Recruitee JSON: %v", err)
	}
	return items, nil
}

func (o recruiteeOffer) item() vacancy.Item {
	it := vacancy.Item{
		ExternalID:      flexString(o.ID),
		Language:        o.LanguageCode,
		Title:           o.Title,
		Description:     o.Description,
		URL:             o.CareersURL,
		ApplyURL:        o.CareersApplyURL,
		Organization:    vacancy.Organization{Name: o.CompanyName},
		DatePosted:      firstNonEmpty(o.PublishedAt, o.CreatedAt),
		ValidThrough:    o.CloseAt,
		SourceUpdatedAt: o.UpdatedAt,
	}
	if strings.TrimSpace(o.Requirements) != "" {
		it.Description += "\n" + o.Requirements
	}
	if d := departmentName(o.Department); d != "" {
		it.Categories = append(it.Categories, d)
	}
	if o.CategoryCode != "" {
		it.Categories = append(it.Categories, strings.ReplaceAll(o.CategoryCode, "_", " "))
	}
	it.Categories = append(it.Categories, o.Tags...)
	if o.EmploymentTypeCode != "" {
		it.EmploymentTypes = []string{o.EmploymentTypeCode}
	}
	switch {
	case o.Hybrid:
		it.WorkplaceType = string(vacancy.Hybrid)
	case o.Remote && !o.OnSite:
		it.WorkplaceType = string(vacancy.Remote)
	case o.OnSite:
		it.WorkplaceType = string(vacancy.Onsite)
	}
	for _, l := range o.Locations {
		it.Locations = append(it.Locations, vacancy.Location{
			StreetAddress: l.Street, PostalCode: l.PostalCode, Locality: l.City,
			Region: firstNonEmpty(l.StateName, l.State), Country: firstNonEmpty(l.CountryCode, l.Country),
		})
	}
	if len(it.Locations) == 0 {
		if loc := (vacancy.Location{StreetAddress: o.Street, PostalCode: o.PostalCode, Locality: o.City, Region: o.StateName,
			Country: firstNonEmpty(o.CountryCode, o.Country)}); loc != (vacancy.Location{}) {
			it.Locations = []vacancy.Location{loc}
		}
	}
	if lo, hi := flexFloat(o.MinHours), flexFloat(o.MaxHours); lo != nil || hi != nil {
		it.HoursPerWeek = &vacancy.HoursInput{Min: lo, Max: hi}
	}
	if s := o.Salary; s != nil {
		lo, hi := flexFloat(s.Min), flexFloat(s.Max)
		if lo != nil || hi != nil {
			it.Salary = &vacancy.SalaryInput{Min: lo, Max: hi, Currency: s.Currency, Unit: s.Period}
		}
	}
	return it
}

// departmentName reads a department given as a name or as {"name": ...}.
func departmentName(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '{' {
		var d struct {
			Name string `json:"name"`
		}
		_ = json.Unmarshal(raw, &d)
		return d.Name
	}
	return flexString(raw)
}
