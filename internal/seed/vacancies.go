package seed

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
	"github.com/werkwijzer/werkwijzer/internal/vacancy/feed"
)

//go:embed vacancies.xml
var vacanciesXML []byte

// DemoSourceName is the name of the sample vacancies' source.
const DemoSourceName = "demo"

// DemoVacancies returns the embedded sample feed (Indeed-style XML).
func DemoVacancies() []byte { return vacanciesXML }

// DemoSource is the sample source: an Indeed-style feed whose categories
// map to the two sample roles.
func DemoSource() vacancy.NewSource {
	return vacancy.NewSource{
		Name:         DemoSourceName,
		Kind:         vacancy.KindIndeedXML,
		AllowedHosts: []string{"example.com"},
		RoleRules: []vacancy.RoleRule{
			{Field: vacancy.RuleCategory, Pattern: `^office management$`, Role: "office-manager"},
			{Field: vacancy.RuleCategory, Pattern: `^personal assistance$`, Role: "personal-assistant"},
		},
	}
}

// LoadVacancies creates the demo source and imports the sample feed
// through the sync engine, as one snapshot, with every date moved by the
// same number of days so the newest posting is from today (in the
// source's time zone) and none has expired. It does nothing when the demo
// source exists already; it needs the sample roles to be published.
func LoadVacancies(ctx context.Context, svc *vacancy.Service, now time.Time) (*vacancy.Report, error) {
	ctx = account.WithOperator(ctx)
	if _, err := svc.SourceByName(ctx, DemoSourceName); err == nil {
		return nil, nil
	} else if !apperr.Is(err, apperr.NotFound) {
		return nil, err
	}
	items, err := feed.ParseIndeedXML(bytes.NewReader(vacanciesXML))
	if err != nil {
		return nil, fmt.Errorf("sample vacancies: %w", err)
	}
	if err := shiftDates(items, now); err != nil {
		return nil, err
	}
	src, _, err := svc.CreateSource(ctx, DemoSource())
	if err != nil {
		return nil, fmt.Errorf("create the demo source: %w", err)
	}
	rep, err := svc.SyncSource(ctx, src.ID, vacancy.SyncRequest{Mode: vacancy.ModeSnapshot, Items: items})
	if err != nil {
		return nil, fmt.Errorf("import sample vacancies: %w", err)
	}
	if rep.Rejected > 0 {
		return rep, fmt.Errorf("sample vacancies: %d of %d rejected: %+v", rep.Rejected, rep.Received, rep.Items)
	}
	return rep, nil
}

// shiftDates moves the plain dates of the sample feed so that the newest
// datePosted is today in Amsterdam.
func shiftDates(items []vacancy.Item, now time.Time) error {
	ams, err := time.LoadLocation(vacancy.DefaultTimeZone)
	if err != nil {
		return err
	}
	const layout = "2006-01-02"
	var newest time.Time
	for _, it := range items {
		d, err := time.Parse(layout, it.DatePosted)
		if err != nil {
			return fmt.Errorf("sample vacancy %s: datePosted %q is not a plain date", it.ExternalID, it.DatePosted)
		}
		if d.After(newest) {
			newest = d
		}
	}
	y, m, day := now.In(ams).Date()
	today := time.Date(y, m, day, 0, 0, 0, 0, time.UTC)
	days := int(today.Sub(newest).Hours() / 24)
	shift := func(s string) (string, error) {
		if s == "" {
			return "", nil
		}
		d, err := time.Parse(layout, s)
		if err != nil {
			return "", fmt.Errorf("sample date %q is not a plain date", s)
		}
		return d.AddDate(0, 0, days).Format(layout), nil
	}
	for i := range items {
		if items[i].DatePosted, err = shift(items[i].DatePosted); err != nil {
			return err
		}
		if items[i].ValidThrough, err = shift(items[i].ValidThrough); err != nil {
			return err
		}
	}
	return nil
}
