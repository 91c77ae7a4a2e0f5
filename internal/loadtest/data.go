package loadtest

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/content"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/locale"
	"github.com/werkwijzer/werkwijzer/internal/seed"
	"github.com/werkwijzer/werkwijzer/internal/store"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
)

// pageRole is the role whose page is measured; it gets pageItems FAQs and
// pageItems open vacancies.
const (
	pageRole  = "office-manager"
	pageItems = 10
)

// prepare migrates the database at url and fills it with the sample
// content and vacancies, then tops the measured role up to pageItems FAQs
// and pageItems vacancies, the way an editor and a source would.
func prepare(ctx context.Context, url string, log *slog.Logger) error {
	db, err := database.Open(ctx, database.Config{URL: url, Logger: log})
	if err != nil {
		return err
	}
	defer db.Close()
	m, err := db.Migrator()
	if err != nil {
		return err
	}
	if _, err := m.Up(ctx); err != nil {
		return err
	}
	locales, err := locale.NewSet([]string{"nl", "en"})
	if err != nil {
		return err
	}
	svc := content.NewService(store.NewContent(db.Gorm), locales)
	sample, err := seed.Sample()
	if err != nil {
		return err
	}
	if _, err := seed.Load(ctx, svc, sample); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	vacancies := vacancy.NewService(store.NewVacancies(db.Gorm), vacancy.Config{Log: log})
	if _, err := seed.LoadVacancies(ctx, vacancies, vacancies.Now()); err != nil {
		return err
	}
	ctx = account.WithOperator(ctx)
	if err := addFAQs(ctx, svc); err != nil {
		return err
	}
	return addVacancies(ctx, vacancies)
}

func addFAQs(ctx context.Context, svc *content.Service) error {
	role, err := svc.RoleBySlug(ctx, pageRole, "nl")
	if err != nil {
		return err
	}
	ids := role.Structure.FAQIDs
	for i := len(ids); i < pageItems; i++ {
		tr := map[string]content.TranslationInput{
			"nl": {Slug: fmt.Sprintf("belastingtest-vraag-%d", i), Fields: content.FAQFields{
				Question: fmt.Sprintf("Vraag %d over het werk als office manager?", i),
				Answer:   "Een antwoord van een paar zinnen, met **nadruk** en een [link](https://example.com/).\n\n- een punt\n- nog een punt",
			}},
			"en": {Slug: fmt.Sprintf("load-test-question-%d", i), Fields: content.FAQFields{
				Question: fmt.Sprintf("Question %d about working as an office manager?", i),
				Answer:   "An answer of a few sentences, with **emphasis** and a [link](https://example.com/).\n\n- a point\n- another point",
			}},
		}
		e, err := svc.Create(ctx, content.FAQStructure{}, tr)
		if err != nil {
			return fmt.Errorf("create FAQ: %w", err)
		}
		if _, err := svc.Publish(ctx, e.ID, []string{"nl", "en"}); err != nil {
			return fmt.Errorf("publish FAQ: %w", err)
		}
		ids = append(ids, e.ID)
	}
	entry, err := svc.Entry(ctx, role.EntryID)
	if err != nil {
		return err
	}
	var structure content.RoleStructure
	if err := json.Unmarshal(entry.Structure, &structure); err != nil {
		return err
	}
	structure.FAQIDs = ids
	if _, err := svc.Update(ctx, role.EntryID, content.Update{ExpectedVersion: entry.Version, Structure: structure}); err != nil {
		return fmt.Errorf("update role: %w", err)
	}
	_, err = svc.Publish(ctx, role.EntryID, []string{"nl", "en"})
	return err
}

func addVacancies(ctx context.Context, svc *vacancy.Service) error {
	src, _, err := svc.CreateSource(ctx, vacancy.NewSource{Name: "loadtest", AllowedHosts: []string{"example.com"}})
	if err != nil {
		return fmt.Errorf("create source: %w", err)
	}
	today := svc.Now().Format("2006-01-02")
	items := make([]vacancy.Item, pageItems)
	for i := range items {
		items[i] = vacancy.Item{
			ExternalID:   fmt.Sprintf("LT-%03d", i),
			Language:     "nl",
			Title:        fmt.Sprintf("Office manager %d", i),
			Description:  "<p>Een vacature voor een office manager bij een groeiend bedrijf.</p><ul><li>32 tot 40 uur</li><li>Hybride</li></ul>",
			URL:          fmt.Sprintf("https://example.com/vacatures/lt-%03d", i),
			RoleSlug:     pageRole,
			Organization: vacancy.Organization{Name: "Voorbeeld BV", URL: "https://example.com/"},
			Locations:    []vacancy.Location{{Locality: "Utrecht", Country: "NL"}},
			DatePosted:   today,
			ValidThrough: svc.Now().Add(60 * 24 * time.Hour).Format("2006-01-02"),
		}
	}
	rep, err := svc.SyncSource(ctx, src.ID, vacancy.SyncRequest{Mode: vacancy.ModeSnapshot, Items: items})
	if err != nil {
		return fmt.Errorf("sync vacancies: %w", err)
	}
	if rep.Rejected > 0 {
		return fmt.Errorf("vacancies rejected: %+v", rep.Items)
	}
	return nil
}

// RolePageQuery is a role page: the role, its FAQs and its newest
// vacancies. The API tests and benchmarks use it too.
const RolePageQuery = `query RolePage($slug: String!, $locale: String) {
  role(slug: $slug, locale: $locale) {
    id locale isFallback slug slugIsCurrent updatedAt publishedAt
    alternates { locale slug }
    title summary { markdown html } body { markdown html }
    responsibilities dailyTasks competencies careerPaths certifications tools
    salaryNotes { html } salary { min max currency period }
    faqs { id slug question answer { html } }
    vacancies(first: 10) {
      totalCount
      edges { node {
        id title url datePosted validThrough workplaceType employmentTypes
        hiringOrganization { name url }
        locations { locality country }
      } }
    }
  }
}`

// ArticlePageQuery is the sample article with every block, as a frontend
// renders it. The API tests and benchmarks use it too.
const ArticlePageQuery = `query Page($slug: String!, $locale: String) {
  article(slug: $slug, locale: $locale) {
    id locale requestedLocale isFallback slug updatedAt publishedAt
    alternates { locale slug }
    title seoTitle seoDescription
    lead { markdown html }
    blocks {
      __typename
      ... on RichTextBlock { id anchor heading body { markdown html } }
      ... on ComparisonBlock { id anchor heading comparison {
          id locale isFallback slug title intro { markdown }
          alternates { locale slug }
          roles { id locale slug title alternates { locale slug } }
          rows { label values } } }
      ... on FAQBlock { id anchor heading faqs { id locale isFallback slug question answer { markdown html } alternates { locale slug } } }
      ... on VacancyListBlock { id heading limit role { id slug title } }
      ... on CallToActionBlock { id label url }
    }
  }
}`
