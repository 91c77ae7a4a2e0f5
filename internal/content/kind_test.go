package content

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/apperr"
)

// typesStore answers TypesOf from a map; a structure check needs nothing
// else of a store.
type typesStore struct {
	Store
	types map[string]Type
}

func (s typesStore) TypesOf(_ context.Context, ids []string) (map[string]Type, error) {
	out := map[string]Type{}
	for _, id := range ids {
		if t, ok := s.types[id]; ok {
			out[id] = t
		}
	}
	return out, nil
}

// The ids the structure tests refer to, each an existing entry of its type.
const (
	roleA       = "role-a"
	roleB       = "role-b"
	faqA        = "faq-a"
	faqB        = "faq-b"
	comparisonA = "comparison-a"
)

var existing = typesStore{types: map[string]Type{
	roleA: TypeRole, roleB: TypeRole, faqA: TypeFAQ, faqB: TypeFAQ, comparisonA: TypeComparison,
}}

// refusedAt asserts err is BAD_USER_INPUT naming field.
func refusedAt(t *testing.T, name string, err error, field string) {
	t.Helper()
	var coded *apperr.Error
	if !errors.As(err, &coded) || coded.Code != apperr.BadUserInput {
		t.Errorf("%s: %v, want BAD_USER_INPUT", name, err)
		return
	}
	if got := coded.Details["field"]; got != field {
		t.Errorf("%s: field %v, want %s (%v)", name, got, field, err)
	}
}

func blocks(bs ...BlockStructure) ArticleStructure { return ArticleStructure{Blocks: bs} }

func richText(id string) BlockStructure { return BlockStructure{ID: id, Type: BlockRichText} }

// structureCase is a structure and the field its refusal names, "" when
// it is valid.
type structureCase struct {
	structure Structure
	field     string
}

func many(n int, f func(i int) string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = f(i)
	}
	return out
}

func numbered(prefix string) func(int) string {
	return func(i int) string { return fmt.Sprint(prefix, i) }
}

func roleCases() map[string]structureCase {
	salary := func(lo, hi int, currency string, period SalaryPeriod) RoleStructure {
		return RoleStructure{Salary: &SalaryRange{Min: lo, Max: hi, Currency: currency, Period: period}}
	}
	return map[string]structureCase{
		"role without salary":          {RoleStructure{FAQIDs: []string{faqA, faqB}}, ""},
		"salary of one amount":         {salary(0, 0, "EUR", PerMonth), ""},
		"salary per hour":              {salary(15, 20, "EUR", PerHour), ""},
		"salary per year":              {salary(40000, 50000, "USD", PerYear), ""},
		"negative salary":              {salary(-1, 10, "EUR", PerMonth), "salary"},
		"salary maximum under minimum": {salary(10, 9, "EUR", PerMonth), "salary"},
		"lowercase currency":           {salary(1, 2, "eur", PerMonth), "salary.currency"},
		"currency in a sentence":       {salary(1, 2, "xEURx", PerMonth), "salary.currency"},
		"unknown salary period":        {salary(1, 2, "EUR", "WEEK"), "salary.period"},
		"a role's FAQ twice":           {RoleStructure{FAQIDs: []string{faqA, faqA}}, "faqIds"},
		"a role's FAQ empty":           {RoleStructure{FAQIDs: []string{faqA, ""}}, "faqIds[1]"},
		"a role's FAQ that is a role":  {RoleStructure{FAQIDs: []string{roleA}}, "structure"},
		"a role's FAQ that is missing": {RoleStructure{FAQIDs: []string{"gone"}}, "structure"},
		"too many FAQs for a role":     {RoleStructure{FAQIDs: many(maxListItems+1, numbered(""))}, "faqIds"},
		"the most FAQs for a role":     {RoleStructure{FAQIDs: many(maxListItems, numbered(""))}, "structure"},
		"FAQ":                          {FAQStructure{}, ""},
	}
}

func articleCases() map[string]structureCase {
	manyBlocks := func(n int) []BlockStructure {
		out := make([]BlockStructure, n)
		for i := range out {
			out[i] = richText(fmt.Sprintf("b%d", i))
		}
		return out
	}
	vacancies := func(limit int) ArticleStructure {
		return blocks(BlockStructure{ID: "v", Type: BlockVacancyList, RoleID: roleA, Limit: limit})
	}
	return map[string]structureCase{
		"article":                  {blocks(richText("intro"), BlockStructure{ID: "cta", Type: BlockCallToAction}), ""},
		"most blocks":              {blocks(manyBlocks(maxBlocks)...), ""},
		"too many blocks":          {blocks(manyBlocks(maxBlocks + 1)...), "blocks"},
		"a block id twice":         {blocks(richText("same"), richText("other"), richText("same")), "blocks[2].id"},
		"an empty block id":        {blocks(richText("")), "blocks[0].id"},
		"a block id with a space":  {blocks(richText("a b")), "blocks[0].id"},
		"a block id of 64":         {blocks(richText(strings.Repeat("x", 64))), ""},
		"a block id of 65":         {blocks(richText(strings.Repeat("x", 65))), "blocks[0].id"},
		"an unknown block type":    {blocks(BlockStructure{ID: "x", Type: "poll"}), "blocks[0].type"},
		"a comparison block":       {blocks(BlockStructure{ID: "c", Type: BlockComparison, ComparisonID: comparisonA}), ""},
		"a comparison of nothing":  {blocks(BlockStructure{ID: "c", Type: BlockComparison}), "blocks[0].comparisonId"},
		"a comparison that is FAQ": {blocks(BlockStructure{ID: "c", Type: BlockComparison, ComparisonID: faqA}), "structure"},
		"a FAQ block":              {blocks(BlockStructure{ID: "f", Type: BlockFAQ, FAQIDs: []string{faqA, faqB}}), ""},
		"a FAQ block without FAQs": {blocks(BlockStructure{ID: "f", Type: BlockFAQ}), "blocks[0].faqIds"},
		"a FAQ block with a FAQ twice": {blocks(BlockStructure{ID: "f", Type: BlockFAQ, FAQIDs: []string{faqA, faqA}}),
			"blocks[0].faqIds"},
		"a FAQ block with a role": {blocks(BlockStructure{ID: "f", Type: BlockFAQ, FAQIDs: []string{faqA, roleA}}), "structure"},
		"a FAQ block with an empty id": {blocks(BlockStructure{ID: "f", Type: BlockFAQ, FAQIDs: []string{faqA, ""}}),
			"blocks[0].faqIds[1]"},
		"a vacancy list":                {vacancies(1), ""},
		"the longest vacancy list":      {vacancies(maxBlockLimit), ""},
		"an empty vacancy list":         {vacancies(0), "blocks[0].limit"},
		"too long a vacancy list":       {vacancies(maxBlockLimit + 1), "blocks[0].limit"},
		"a vacancy list without a role": {blocks(BlockStructure{ID: "v", Type: BlockVacancyList, Limit: 3}), "blocks[0].roleId"},
		"a vacancy list of a FAQ": {blocks(BlockStructure{ID: "v", Type: BlockVacancyList, RoleID: faqA, Limit: 3}),
			"structure"},
		// Checking only one of the two kinds would let the other through.
		"one id as a comparison and a FAQ": {blocks(
			BlockStructure{ID: "c", Type: BlockComparison, ComparisonID: faqA},
			BlockStructure{ID: "f", Type: BlockFAQ, FAQIDs: []string{faqA}}), "blocks[1].faqIds[0]"},
		"one FAQ in two blocks": {blocks(
			BlockStructure{ID: "f1", Type: BlockFAQ, FAQIDs: []string{faqA}},
			BlockStructure{ID: "f2", Type: BlockFAQ, FAQIDs: []string{faqA}}), ""},
	}
}

func comparisonCases() map[string]structureCase {
	return map[string]structureCase{
		"comparison":                     {ComparisonStructure{RoleIDs: []string{roleA, roleB}, RowIDs: []string{"pay", "hours"}}, ""},
		"a comparison of one role":       {ComparisonStructure{RoleIDs: []string{roleA}}, "roleIds"},
		"a comparison of too many roles": {ComparisonStructure{RoleIDs: many(maxRoles+1, numbered(""))}, "roleIds"},
		"a comparison of the most roles": {ComparisonStructure{RoleIDs: many(maxRoles, numbered(""))}, "structure"},
		"a role compared with itself":    {ComparisonStructure{RoleIDs: []string{roleA, roleA}}, "roleIds"},
		"a FAQ compared with a role":     {ComparisonStructure{RoleIDs: []string{roleA, faqA}}, "structure"},
		"an empty role id":               {ComparisonStructure{RoleIDs: []string{roleA, ""}}, "roleIds[1]"},
		"a row id twice":                 {ComparisonStructure{RoleIDs: []string{roleA, roleB}, RowIDs: []string{"pay", "pay"}}, "rowIds"},
		"a row id with a slash":          {ComparisonStructure{RoleIDs: []string{roleA, roleB}, RowIDs: []string{"pay", "a/b"}}, "rowIds[1]"},
		"the most rows": {ComparisonStructure{RoleIDs: []string{roleA, roleB},
			RowIDs: many(maxRows, numbered("r"))}, ""},
		"too many rows": {ComparisonStructure{RoleIDs: []string{roleA, roleB},
			RowIDs: many(maxRows+1, numbered("r"))}, "rowIds"},
	}
}

// TestStructureRules checks each kind's structure rules: a valid
// structure is stored as it decodes again, a refused one names its field.
func TestStructureRules(t *testing.T) {
	for _, cases := range []map[string]structureCase{roleCases(), articleCases(), comparisonCases()} {
		for name, tc := range cases {
			encoded, err := checkStructure(context.Background(), existing, tc.structure.Kind(), tc.structure)
			if tc.field != "" {
				refusedAt(t, name, err, tc.field)
				continue
			}
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			decoded, err := decodeStructure(tc.structure.Kind(), encoded)
			if err != nil || !reflect.DeepEqual(decoded, tc.structure) {
				t.Errorf("%s: stored as %s, decoded as %v (%v)", name, encoded, decoded, err)
			}
		}
	}
}

// TestReferenceErrorNamesTheEntry: an editor must see which of the ids
// is not an entry of the kind the structure needs.
func TestReferenceErrorNamesTheEntry(t *testing.T) {
	_, err := checkStructure(context.Background(), existing, TypeRole, RoleStructure{FAQIDs: []string{faqA, roleB, "gone"}})
	var coded *apperr.Error
	if !errors.As(err, &coded) || coded.Details["id"] != "gone" || !strings.Contains(coded.Message, "faq gone does not exist") {
		t.Fatalf("%v %+v: want the first id in order that is wrong, gone", err, coded)
	}
}

func TestStructureOfAnotherKind(t *testing.T) {
	for _, typ := range []Type{TypeRole, TypeArticle, TypeComparison} {
		_, err := checkStructure(context.Background(), existing, typ, FAQStructure{})
		refusedAt(t, string(typ), err, "structure")
	}
	_, err := checkStructure(context.Background(), existing, TypeFAQ, nil)
	refusedAt(t, "no structure", err, "structure")
}

func TestFieldsRules(t *testing.T) {
	article := func(b BlockFields) ArticleFields { return ArticleFields{Blocks: map[string]BlockFields{"b": b}} }
	for name, tc := range map[string]struct {
		typ    Type
		fields Fields
		field  string
	}{
		"role":                      {TypeRole, RoleFields{Title: "T", OGImageURL: "https://example.nl/a.png"}, ""},
		"a role's relative image":   {TypeRole, RoleFields{OGImageURL: "/a.png"}, "ogImageUrl"},
		"an article's script image": {TypeArticle, ArticleFields{OGImageURL: "javascript:alert(1)"}, "ogImageUrl"},
		"an article's image":        {TypeArticle, ArticleFields{OGImageURL: "http://example.nl/a.png"}, ""},
		"an anchor":                 {TypeArticle, article(BlockFields{Anchor: "pay-and-hours_2"}), ""},
		"an anchor with a space":    {TypeArticle, article(BlockFields{Anchor: "pay and hours"}), "blocks.b.anchor"},
		"an anchor of 101":          {TypeArticle, article(BlockFields{Anchor: strings.Repeat("a", 101)}), "blocks.b.anchor"},
		"a link to a path":          {TypeArticle, article(BlockFields{URL: "/nl/vacatures"}), ""},
		"a script link":             {TypeArticle, article(BlockFields{URL: "javascript:alert(1)"}), "blocks.b.url"},
		"a link to another host":    {TypeArticle, article(BlockFields{URL: "//evil.example"}), "blocks.b.url"},
		"comparison":                {TypeComparison, ComparisonFields{Title: "C"}, ""},
		"FAQ":                       {TypeFAQ, FAQFields{Question: "Q?"}, ""},
		"FAQ fields for a role":     {TypeRole, FAQFields{}, "fields"},
		"role fields for a FAQ":     {TypeFAQ, RoleFields{}, "fields"},
		"no fields":                 {TypeFAQ, nil, "fields"},
	} {
		err := checkFields(tc.typ, tc.fields)
		if tc.field == "" {
			if err != nil {
				t.Errorf("%s: %v", name, err)
			}
			continue
		}
		refusedAt(t, name, err, tc.field)
	}
}

func TestEveryKindIsATypeOnce(t *testing.T) {
	seen := map[Type]bool{}
	for _, k := range kinds {
		if seen[k.typ()] || !k.typ().Valid() {
			t.Errorf("kind %s is listed twice or not valid", k.typ())
		}
		seen[k.typ()] = true
	}
	if Type("poll").Valid() || Type("").Valid() {
		t.Error("an unknown type is valid")
	}
	if _, err := decodeStructure("poll", []byte(`{}`)); err == nil {
		t.Error("a structure of an unknown type decoded")
	}
	if _, err := decodeFields("poll", []byte(`{}`)); err == nil {
		t.Error("fields of an unknown type decoded")
	}
	if _, err := MissingFields("poll", []byte(`{}`), []byte(`{}`)); err == nil {
		t.Error("missing fields of an unknown type")
	}
	if _, err := MissingFields(TypeArticle, []byte(`not json`), []byte(`{}`)); err == nil {
		t.Error("an undecodable structure has no missing fields")
	}
}
