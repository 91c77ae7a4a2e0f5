package content

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestParseURLPatterns(t *testing.T) {
	good, err := ParseURLPatterns(" role=/{locale}/functies/{slug} , article=/blog/{slug},home=/ ")
	if err != nil {
		t.Fatal(err)
	}
	if got := good.Path("role", "nl", "office-manager"); got != "/nl/functies/office-manager" {
		t.Errorf("role path: %q", got)
	}
	if got := good.Path("comparison", "nl", "x"); got != "" {
		t.Errorf("a type without a pattern has no path, got %q", got)
	}
	for _, bad := range []string{
		"role",                          // no path
		"vacancy=/{slug}",               // not an entry type
		"role=functies/{slug}",          // not a path
		"role=//evil.example/{slug}",    // another host
		"role=/{locale}/functies",       // no slug
		"role=/{lang}/{slug}",           // unknown placeholder
		"role=/a/{slug},role=/b/{slug}", // twice
		"role=/a b/{slug}",              // a space
		"article=/a/{slug}?x=1",         // a query
	} {
		if _, err := ParseURLPatterns(bad); err == nil {
			t.Errorf("ParseURLPatterns(%q) accepted it", bad)
		}
	}
	if _, err := ParseURLPatterns(DefaultURLPatterns); err != nil {
		t.Errorf("the default: %v", err)
	}
}

func TestRoleStructuredDataEstimatesTheSalaryBand(t *testing.T) {
	s := &Service{seo: SEO{Patterns: URLPatterns{"role": "/{locale}/functies/{slug}"}}}
	role := &PublishedRole{Locale: "nl", Slug: "office-manager", PublishedAt: time.Now()}
	role.Structure.Salary = &SalaryRange{Min: 2800, Max: 4200, Currency: "EUR", Period: PerMonth}
	role.Fields = RoleFields{Title: "Office manager", Summary: "Houdt het **kantoor** draaiende & <meer>."}
	script, err := s.RoleStructuredData(role)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Graph []map[string]any `json:"@graph"`
	}
	if err := json.Unmarshal([]byte(script), &doc); err != nil {
		t.Fatal(err)
	}
	occupation := doc.Graph[0]
	if occupation["@type"] != "Occupation" || occupation["url"] != "/nl/functies/office-manager" {
		t.Fatalf("occupation: %v", occupation)
	}
	// The description is the summary as text, not Markdown.
	if d := occupation["description"].(string); strings.Contains(d, "*") || !strings.Contains(d, "kantoor") {
		t.Errorf("description: %q", d)
	}
	salary := occupation["estimatedSalary"].([]any)[0].(map[string]any)
	if salary["@type"] != "MonetaryAmountDistribution" || salary["currency"] != "EUR" || salary["duration"] != "P1M" ||
		salary["minValue"] != 2800.0 || salary["maxValue"] != 4200.0 {
		t.Errorf("estimatedSalary: %v", salary)
	}
}
