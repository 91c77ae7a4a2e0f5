package seed

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

const (
	sampleFile        = "sample.yaml"
	sourceArticleFile = "testdata/source-article.nl.txt"
)

// sampleLocales are the locales every translatable item must carry.
var sampleLocales = []string{"nl", "en"}

// decodeSampleForTest decodes a sample data file strictly: unknown fields,
// duplicate keys and trailing documents are errors. It is test-only; the
// package's real loader lives elsewhere.
func decodeSampleForTest(data []byte) (*File, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var f File
	if err := dec.Decode(&f); err != nil {
		return nil, err
	}
	var extra any
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		if err != nil {
			return nil, err
		}
		return nil, errors.New("more than one YAML document")
	}
	return &f, nil
}

func loadSampleForTest(t *testing.T) *File {
	t.Helper()
	data, err := os.ReadFile(sampleFile)
	if err != nil {
		t.Fatalf("read %s: %v", sampleFile, err)
	}
	f, err := decodeSampleForTest(data)
	if err != nil {
		t.Fatalf("decode %s: %v", sampleFile, err)
	}
	return f
}

func TestSampleDecodesStrictly(t *testing.T) {
	f := loadSampleForTest(t)
	if len(f.Articles) == 0 {
		t.Fatal("sample has no articles")
	}

	// The helper must really be strict, or the test above proves nothing.
	for name, doc := range map[string]string{
		"unknown field":   "roles:\n  - key: x\n    colour: red\n",
		"duplicate key":   "roles:\n  - key: x\n    key: y\n",
		"second document": "roles: []\n---\nfaqs: []\n",
	} {
		if _, err := decodeSampleForTest([]byte(doc)); err == nil {
			t.Errorf("decodeSampleForTest accepted a document with a %s", name)
		}
	}
}

func TestSampleCounts(t *testing.T) {
	f := loadSampleForTest(t)
	if got := len(f.Roles); got != 2 {
		t.Errorf("roles: got %d, want 2", got)
	}
	if got := len(f.FAQs); got != 6 {
		t.Errorf("faqs: got %d, want 6", got)
	}
	if got := len(f.Articles); got != 1 {
		t.Errorf("articles: got %d, want 1", got)
	}
	if got := len(f.Comparisons); got != 1 {
		t.Fatalf("comparisons: got %d, want 1", got)
	}
	if got := len(f.Comparisons[0].Rows); got != 5 {
		t.Errorf("comparison rows: got %d, want 5", got)
	}
	for _, r := range f.Roles {
		// The source article gives no salary figures, only prose.
		if r.Salary != nil {
			t.Errorf("role %q: salary range set, but the source gives no figures", r.Key)
		}
	}
}

// ---------------------------------------------------------------------------
// Source article

type pieceKind string

const (
	kindHeading   pieceKind = "heading"
	kindParagraph pieceKind = "paragraph"
	kindListItem  pieceKind = "list item"
	kindTableCell pieceKind = "table cell"
	kindExtra     pieceKind = "extra" // article text not taken from the source
)

// sourcePiece is one normalised unit of the source article.
type sourcePiece struct {
	line int
	kind pieceKind
	text string
}

func (p sourcePiece) String() string {
	return fmt.Sprintf("line %d (%s) %q", p.line, p.kind, p.text)
}

var tableSeparator = regexp.MustCompile(`^\|?(\s*:?-+:?\s*\|)+\s*:?-*:?\s*$`)

// readSourcePieces splits the source article into headings (" #" stripped),
// paragraphs (one per line), list items ("- " stripped) and table cells. The
// table's header row is returned separately: it names the compared roles.
func readSourcePieces(t *testing.T) (pieces []sourcePiece, tableHeader []string) {
	t.Helper()
	data, err := os.ReadFile(sourceArticleFile)
	if err != nil {
		t.Fatalf("read %s: %v", sourceArticleFile, err)
	}
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	for i, raw := range lines {
		line := strings.TrimSpace(raw)
		n := i + 1
		switch {
		case line == "":
		case strings.HasSuffix(line, " #"):
			pieces = append(pieces, sourcePiece{n, kindHeading, strings.TrimSpace(strings.TrimSuffix(line, " #"))})
		case strings.HasPrefix(line, "- "):
			pieces = append(pieces, sourcePiece{n, kindListItem, strings.TrimSpace(line[2:])})
		case strings.HasPrefix(line, "|"):
			if tableSeparator.MatchString(line) {
				continue
			}
			cells := splitTableRow(line)
			if i+1 < len(lines) && tableSeparator.MatchString(strings.TrimSpace(lines[i+1])) {
				tableHeader = cells
				continue
			}
			for _, c := range cells {
				if c != "" {
					pieces = append(pieces, sourcePiece{n, kindTableCell, c})
				}
			}
		default:
			pieces = append(pieces, sourcePiece{n, kindParagraph, line})
		}
	}
	if len(pieces) == 0 {
		t.Fatalf("%s: no content", sourceArticleFile)
	}
	return pieces, tableHeader
}

func splitTableRow(line string) []string {
	line = strings.TrimSuffix(strings.TrimPrefix(line, "|"), "|")
	cells := strings.Split(line, "|")
	for i := range cells {
		cells[i] = strings.TrimSpace(cells[i])
	}
	return cells
}

// splitSentences splits a paragraph after ".", "?" or "!" followed by a space.
func splitSentences(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s)-1; i++ {
		if strings.ContainsRune(".?!", rune(s[i])) && s[i+1] == ' ' {
			out = append(out, strings.TrimSpace(s[start:i+1]))
			start = i + 1
		}
	}
	if rest := strings.TrimSpace(s[start:]); rest != "" {
		out = append(out, rest)
	}
	return out
}

var markdownLink = regexp.MustCompile(`\[([^\]]*)\]\(([^)\s]*)\)`)

// stripMarkdownLinks turns [text](url) into text.
func stripMarkdownLinks(s string) string {
	return markdownLink.ReplaceAllString(s, "$1")
}

// localeTexts returns every text field of the file in one locale.
func localeTexts(f *File, loc string) []string {
	var out []string
	for _, r := range f.Roles {
		tr := r.Translations[loc]
		out = append(out, tr.Title, tr.Summary, tr.Body, tr.SalaryNotes)
		for _, list := range [][]string{tr.Responsibilities, tr.DailyTasks, tr.Competencies, tr.CareerPaths, tr.Certifications, tr.Tools} {
			out = append(out, list...)
		}
	}
	for _, q := range f.FAQs {
		tr := q.Translations[loc]
		out = append(out, tr.Question, tr.Answer)
	}
	for _, c := range f.Comparisons {
		tr := c.Translations[loc]
		out = append(out, tr.Title, tr.Intro)
		for _, key := range c.Rows {
			out = append(out, tr.Rows[key].Label)
			out = append(out, tr.Rows[key].Values...)
		}
	}
	for _, a := range f.Articles {
		tr := a.Translations[loc]
		out = append(out, tr.Title, tr.Lead, tr.SEOTitle, tr.SEODescription)
		for _, b := range a.Blocks {
			bt := b.Translations[loc]
			out = append(out, bt.Heading, bt.Body, bt.Label)
		}
	}
	return out
}

// TestSampleKeepsEverySourceSentence checks that nothing of the source
// article was dropped: every heading, paragraph, list item and table cell is
// verbatim somewhere in the Dutch content.
func TestSampleKeepsEverySourceSentence(t *testing.T) {
	f := loadSampleForTest(t)
	pieces, _ := readSourcePieces(t)
	dutch := stripMarkdownLinks(strings.Join(localeTexts(f, "nl"), "\n"))

	for _, p := range pieces {
		if strings.Contains(dutch, p.text) {
			continue
		}
		var missing []string
		for _, s := range splitSentences(p.text) {
			if !strings.Contains(dutch, s) {
				missing = append(missing, s)
			}
		}
		if len(missing) == 0 {
			t.Errorf("%v: every sentence is present, but not as one contiguous paragraph", p)
			continue
		}
		for _, s := range missing {
			t.Errorf("source line %d (%s): missing from the Dutch content: %q", p.line, p.kind, s)
		}
	}
}

// articleUnit is one unit of the rendered Dutch article, in reading order.
type articleUnit struct {
	kind    pieceKind
	text    string
	where   string
	matched bool
}

// markdownUnits splits Markdown into paragraphs and list items, removing
// link syntax. A chunk is a list only if every line of it is a "- " item, so
// a list not set off by a blank line shows up as a malformed paragraph.
func markdownUnits(md, where string) []articleUnit {
	var out []articleUnit
	for i, chunk := range markdownChunks(md) {
		w := fmt.Sprintf("%s paragraph %d", where, i+1)
		lines := strings.Split(chunk, "\n")
		if isList(lines) {
			for _, l := range lines {
				out = append(out, articleUnit{kind: kindListItem, text: stripMarkdownLinks(strings.TrimSpace(l[2:])), where: w})
			}
			continue
		}
		out = append(out, articleUnit{kind: kindParagraph, text: stripMarkdownLinks(chunk), where: w})
	}
	return out
}

func markdownChunks(md string) []string {
	var out []string
	for _, c := range strings.Split(md, "\n\n") {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}

func isList(lines []string) bool {
	for _, l := range lines {
		if !strings.HasPrefix(l, "- ") {
			return false
		}
	}
	return len(lines) > 0
}

// articleStream renders an article's text in one locale as units in reading
// order, following FAQ and comparison references.
func articleStream(f *File, a Article, loc string) []articleUnit {
	faqs := map[string]FAQ{}
	for _, q := range f.FAQs {
		faqs[q.Key] = q
	}
	comparisons := map[string]Comparison{}
	for _, c := range f.Comparisons {
		comparisons[c.Key] = c
	}

	units := markdownUnits(a.Translations[loc].Lead, "lead")
	for i, b := range a.Blocks {
		bt := b.Translations[loc]
		where := fmt.Sprintf("block %d (%s)", i+1, b.Type)
		switch b.Type {
		case "richText", "faq", "comparison":
			if bt.Heading != "" {
				units = append(units, articleUnit{kind: kindHeading, text: bt.Heading, where: where + " heading"})
			}
		case "vacancyList":
			units = append(units, articleUnit{kind: kindExtra, text: bt.Heading, where: where + " heading"})
		case "callToAction":
			units = append(units, articleUnit{kind: kindExtra, text: bt.Label, where: where + " label"})
		}
		units = append(units, markdownUnits(bt.Body, where+" body")...)
		if c, ok := comparisons[b.Comparison]; ok && b.Type == "comparison" {
			ct := c.Translations[loc]
			for _, rk := range c.Rows {
				units = append(units, articleUnit{kind: kindExtra, text: ct.Rows[rk].Label, where: where + " row " + rk + " label"})
				for _, v := range ct.Rows[rk].Values {
					units = append(units, articleUnit{kind: kindTableCell, text: v, where: where + " row " + rk})
				}
			}
		}
		if b.Type == "faq" {
			for _, key := range b.FAQs {
				ft := faqs[key].Translations[loc]
				units = append(units, articleUnit{kind: kindHeading, text: ft.Question, where: where + " faq " + key + " question"})
				units = append(units, markdownUnits(ft.Answer, where+" faq "+key+" answer")...)
			}
		}
	}
	return units
}

// TestSampleArticleFollowsSource checks the Dutch article against the source
// piece by piece and in order: headings are block headings or FAQ questions,
// each source line is exactly one Markdown paragraph, list items are Markdown
// list items, table cells are comparison values. Conversely the Dutch article
// adds no paragraphs of its own.
func TestSampleArticleFollowsSource(t *testing.T) {
	f := loadSampleForTest(t)
	if len(f.Articles) != 1 {
		t.Fatalf("articles: got %d, want 1", len(f.Articles))
	}
	pieces, header := readSourcePieces(t)
	units := articleStream(f, f.Articles[0], "nl")

	cursor := 0
	for _, p := range pieces {
		found := -1
		for j := cursor; j < len(units); j++ {
			if units[j].kind == p.kind && units[j].text == p.text {
				found = j
				break
			}
		}
		if found < 0 {
			where := "not in the Dutch article"
			for j := range units {
				if units[j].text == p.text {
					where = fmt.Sprintf("out of order or of the wrong kind: found as %s at %s", units[j].kind, units[j].where)
					break
				}
			}
			t.Errorf("%v: %s", p, where)
			continue
		}
		units[found].matched = true
		cursor = found + 1
	}
	for _, u := range units {
		if u.kind != kindExtra && !u.matched {
			t.Errorf("Dutch article %s: %s %q is not from the source article", u.where, u.kind, u.text)
		}
	}

	// The table's header row names the compared roles.
	if len(f.Comparisons) == 1 {
		var titles []string
		for _, rk := range f.Comparisons[0].Roles {
			for _, r := range f.Roles {
				if r.Key == rk {
					titles = append(titles, strings.ToLower(r.Translations["nl"].Title))
				}
			}
		}
		var want []string
		for _, h := range header {
			want = append(want, strings.ToLower(h))
		}
		if !slices.Equal(titles, want) {
			t.Errorf("comparison role titles %q, want the source table header %q", titles, want)
		}
	}
}

// ---------------------------------------------------------------------------
// Translations

func checkLocales[T any](t *testing.T, what string, m map[string]T) {
	t.Helper()
	for _, loc := range sampleLocales {
		if _, ok := m[loc]; !ok {
			t.Errorf("%s: no %q translation", what, loc)
		}
	}
	for loc := range m {
		if !slices.Contains(sampleLocales, loc) {
			t.Errorf("%s: unexpected locale %q", what, loc)
		}
	}
}

func requireText(t *testing.T, what string, fields map[string]string) {
	t.Helper()
	for name, v := range fields {
		if strings.TrimSpace(v) == "" {
			t.Errorf("%s: %s is empty", what, name)
		}
	}
}

func requireList(t *testing.T, what, name string, items []string) {
	t.Helper()
	if len(items) == 0 {
		t.Errorf("%s: %s is empty", what, name)
	}
	for i, it := range items {
		if strings.TrimSpace(it) == "" {
			t.Errorf("%s: %s item %d is empty", what, name, i+1)
		}
	}
}

// markdownShape counts a Markdown text's paragraphs and list items, so a
// translation that drops or merges a paragraph stands out.
func markdownShape(md string) (paragraphs, items int) {
	for _, u := range markdownUnits(md, "") {
		if u.kind == kindListItem {
			items++
		} else {
			paragraphs++
		}
	}
	return paragraphs, items
}

func sameShape(t *testing.T, what, nl, en string) {
	t.Helper()
	np, ni := markdownShape(nl)
	ep, ei := markdownShape(en)
	if np != ep || ni != ei {
		t.Errorf("%s: nl has %d paragraphs and %d list items, en has %d and %d", what, np, ni, ep, ei)
	}
}

// dutchWord matches common Dutch function words, which should not occur in
// English text.
var dutchWord = regexp.MustCompile(`(?i)\b(het|een|van|voor|niet|zijn|wordt|bij|ook|naar|wanneer|welke)\b`)

// checkTranslated reports English text identical to the Dutch or containing
// common Dutch words.
func checkTranslated(t *testing.T, what, nl, en string) {
	t.Helper()
	if strings.TrimSpace(nl) != "" && nl == en {
		t.Errorf("%s: en is identical to nl (%q)", what, en)
	}
	if loc := dutchWord.FindStringIndex(en); loc != nil {
		from, to := max(0, loc[0]-40), min(len(en), loc[1]+40)
		for from > 0 && !utf8.RuneStart(en[from]) {
			from--
		}
		for to < len(en) && !utf8.RuneStart(en[to]) {
			to++
		}
		t.Errorf("%s: en contains the Dutch word %q: …%s…", what, en[loc[0]:loc[1]], en[from:to])
	}
}

func TestSampleTranslationsComplete(t *testing.T) {
	f := loadSampleForTest(t)
	for _, r := range f.Roles {
		checkRoleTranslations(t, r)
	}
	for _, q := range f.FAQs {
		checkFAQTranslations(t, q)
	}
	for _, c := range f.Comparisons {
		checkComparisonTranslations(t, c)
	}
	for _, a := range f.Articles {
		checkArticleTranslations(t, a)
	}
}

func checkRoleTranslations(t *testing.T, r Role) {
	t.Helper()
	what := "role " + r.Key
	checkLocales(t, what, r.Translations)
	for loc, tr := range r.Translations {
		w := what + " [" + loc + "]"
		requireText(t, w, map[string]string{
			"slug": tr.Slug, "title": tr.Title, "summary": tr.Summary,
			"body": tr.Body, "salaryNotes": tr.SalaryNotes,
		})
		requireList(t, w, "responsibilities", tr.Responsibilities)
		requireList(t, w, "dailyTasks", tr.DailyTasks)
		requireList(t, w, "competencies", tr.Competencies)
		requireList(t, w, "careerPaths", tr.CareerPaths)
		requireList(t, w, "certifications", tr.Certifications)
		requireList(t, w, "tools", tr.Tools)
	}
	nl, en := r.Translations["nl"], r.Translations["en"]
	for name, lists := range map[string][2][]string{
		"responsibilities": {nl.Responsibilities, en.Responsibilities},
		"dailyTasks":       {nl.DailyTasks, en.DailyTasks},
		"competencies":     {nl.Competencies, en.Competencies},
		"careerPaths":      {nl.CareerPaths, en.CareerPaths},
		"certifications":   {nl.Certifications, en.Certifications},
		"tools":            {nl.Tools, en.Tools},
	} {
		if len(lists[0]) != len(lists[1]) {
			t.Errorf("%s: %s has %d items in nl but %d in en", what, name, len(lists[0]), len(lists[1]))
		}
	}
	sameShape(t, what+" summary", nl.Summary, en.Summary)
	sameShape(t, what+" body", nl.Body, en.Body)
	sameShape(t, what+" salaryNotes", nl.SalaryNotes, en.SalaryNotes)
	checkTranslated(t, what+" summary", nl.Summary, en.Summary)
	checkTranslated(t, what+" body", nl.Body, en.Body)
	checkTranslated(t, what+" salaryNotes", nl.SalaryNotes, en.SalaryNotes)
	for i := range min(len(nl.Responsibilities), len(en.Responsibilities)) {
		checkTranslated(t, fmt.Sprintf("%s responsibility %d", what, i+1), nl.Responsibilities[i], en.Responsibilities[i])
	}
	for i := range min(len(nl.DailyTasks), len(en.DailyTasks)) {
		checkTranslated(t, fmt.Sprintf("%s daily task %d", what, i+1), nl.DailyTasks[i], en.DailyTasks[i])
	}
}

func checkFAQTranslations(t *testing.T, q FAQ) {
	t.Helper()
	what := "faq " + q.Key
	checkLocales(t, what, q.Translations)
	for loc, tr := range q.Translations {
		requireText(t, what+" ["+loc+"]", map[string]string{
			"slug": tr.Slug, "question": tr.Question, "answer": tr.Answer,
		})
	}
	nl, en := q.Translations["nl"], q.Translations["en"]
	sameShape(t, what+" answer", nl.Answer, en.Answer)
	checkTranslated(t, what+" question", nl.Question, en.Question)
	checkTranslated(t, what+" answer", nl.Answer, en.Answer)
}

func checkComparisonTranslations(t *testing.T, c Comparison) {
	t.Helper()
	what := "comparison " + c.Key
	checkLocales(t, what, c.Translations)
	for loc, tr := range c.Translations {
		w := what + " [" + loc + "]"
		requireText(t, w, map[string]string{"slug": tr.Slug, "title": tr.Title})
		if len(tr.Rows) != len(c.Rows) {
			t.Errorf("%s: %d rows, want %d", w, len(tr.Rows), len(c.Rows))
		}
		for key := range tr.Rows {
			if !slices.Contains(c.Rows, key) {
				t.Errorf("%s: row %q is not in the comparison's rows", w, key)
			}
		}
		for _, key := range c.Rows {
			checkComparisonRow(t, w, key, c, tr)
		}
	}
	nl, en := c.Translations["nl"], c.Translations["en"]
	sameShape(t, what+" intro", nl.Intro, en.Intro)
	checkTranslated(t, what+" title", nl.Title, en.Title)
	for _, key := range c.Rows {
		checkTranslated(t, what+" row "+key+" label", nl.Rows[key].Label, en.Rows[key].Label)
		for i := range min(len(nl.Rows[key].Values), len(en.Rows[key].Values)) {
			checkTranslated(t, fmt.Sprintf("%s row %s value %d", what, key, i+1), nl.Rows[key].Values[i], en.Rows[key].Values[i])
		}
	}
}

// checkComparisonRow checks that row key of one translation has a label and
// a value for every role.
func checkComparisonRow(t *testing.T, w, key string, c Comparison, tr ComparisonTranslation) {
	t.Helper()
	row, ok := tr.Rows[key]
	if !ok {
		t.Errorf("%s: row %q missing", w, key)
		return
	}
	if strings.TrimSpace(row.Label) == "" {
		t.Errorf("%s: row %q has no label", w, key)
	}
	if len(row.Values) != len(c.Roles) {
		t.Errorf("%s: row %q has %d values, want one per role (%d)", w, key, len(row.Values), len(c.Roles))
	}
	for i, v := range row.Values {
		if strings.TrimSpace(v) == "" {
			t.Errorf("%s: row %q value %d is empty", w, key, i+1)
		}
	}
}

func checkArticleTranslations(t *testing.T, a Article) {
	t.Helper()
	what := "article " + a.Key
	checkLocales(t, what, a.Translations)
	for loc, tr := range a.Translations {
		w := what + " [" + loc + "]"
		requireText(t, w, map[string]string{
			"slug": tr.Slug, "title": tr.Title, "lead": tr.Lead,
			"seoTitle": tr.SEOTitle, "seoDescription": tr.SEODescription,
		})
		if n := utf8.RuneCountInString(tr.SEOTitle); n > 60 {
			t.Errorf("%s: seoTitle is %d characters, want at most 60", w, n)
		}
		if n := utf8.RuneCountInString(tr.SEODescription); n > 160 {
			t.Errorf("%s: seoDescription is %d characters, want at most 160", w, n)
		}
	}
	nl, en := a.Translations["nl"], a.Translations["en"]
	sameShape(t, what+" lead", nl.Lead, en.Lead)
	checkTranslated(t, what+" title", nl.Title, en.Title)
	checkTranslated(t, what+" lead", nl.Lead, en.Lead)
	checkTranslated(t, what+" seoTitle", nl.SEOTitle, en.SEOTitle)
	checkTranslated(t, what+" seoDescription", nl.SEODescription, en.SEODescription)
	for i, b := range a.Blocks {
		checkBlockTranslations(t, fmt.Sprintf("%s block %d (%s)", what, i+1, b.Type), b)
	}
}

func checkBlockTranslations(t *testing.T, w string, b Block) {
	t.Helper()
	checkLocales(t, w, b.Translations)
	bnl, ben := b.Translations["nl"], b.Translations["en"]
	if (bnl.Heading == "") != (ben.Heading == "") {
		t.Errorf("%s: heading set in one locale only (nl %q, en %q)", w, bnl.Heading, ben.Heading)
	}
	if (bnl.Anchor == "") != (ben.Anchor == "") {
		t.Errorf("%s: anchor set in one locale only (nl %q, en %q)", w, bnl.Anchor, ben.Anchor)
	}
	for loc, bt := range b.Translations {
		lw := w + " [" + loc + "]"
		switch b.Type {
		case "richText":
			requireText(t, lw, map[string]string{"anchor": bt.Anchor, "body": bt.Body})
		case "faq":
			requireText(t, lw, map[string]string{"anchor": bt.Anchor, "heading": bt.Heading})
		case "callToAction":
			requireText(t, lw, map[string]string{"label": bt.Label, "url": bt.URL})
		}
	}
	sameShape(t, w+" body", bnl.Body, ben.Body)
	checkTranslated(t, w+" heading", bnl.Heading, ben.Heading)
	checkTranslated(t, w+" body", bnl.Body, ben.Body)
	checkTranslated(t, w+" label", bnl.Label, ben.Label)
}

// ---------------------------------------------------------------------------
// Keys, references, slugs and anchors

var kebab = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func checkKeys(t *testing.T, entryType string, keys []string) map[string]bool {
	t.Helper()
	set := map[string]bool{}
	for _, k := range keys {
		if !kebab.MatchString(k) {
			t.Errorf("%s key %q is not kebab-case", entryType, k)
		}
		if set[k] {
			t.Errorf("%s key %q is used twice", entryType, k)
		}
		set[k] = true
	}
	return set
}

func checkRefs(t *testing.T, what, refType string, refs []string, known map[string]bool) {
	t.Helper()
	seen := map[string]bool{}
	for _, ref := range refs {
		if !known[ref] {
			t.Errorf("%s: unknown %s key %q", what, refType, ref)
		}
		if seen[ref] {
			t.Errorf("%s: %s key %q listed twice", what, refType, ref)
		}
		seen[ref] = true
	}
}

func TestSampleReferencesResolve(t *testing.T) {
	f := loadSampleForTest(t)

	var roleKeys, faqKeys, compKeys, articleKeys []string
	for _, r := range f.Roles {
		roleKeys = append(roleKeys, r.Key)
	}
	for _, q := range f.FAQs {
		faqKeys = append(faqKeys, q.Key)
	}
	for _, c := range f.Comparisons {
		compKeys = append(compKeys, c.Key)
	}
	for _, a := range f.Articles {
		articleKeys = append(articleKeys, a.Key)
	}
	roles := checkKeys(t, "role", roleKeys)
	faqs := checkKeys(t, "faq", faqKeys)
	comparisons := checkKeys(t, "comparison", compKeys)
	checkKeys(t, "article", articleKeys)

	for _, r := range f.Roles {
		if len(r.FAQs) == 0 {
			t.Errorf("role %s: no FAQs", r.Key)
		}
		checkRefs(t, "role "+r.Key, "faq", r.FAQs, faqs)
	}
	for _, c := range f.Comparisons {
		if len(c.Roles) < 2 {
			t.Errorf("comparison %s: %d roles, want at least 2", c.Key, len(c.Roles))
		}
		checkRefs(t, "comparison "+c.Key, "role", c.Roles, roles)
		checkKeys(t, "comparison "+c.Key+" row", c.Rows)
	}
	for _, a := range f.Articles {
		for i, b := range a.Blocks {
			w := fmt.Sprintf("article %s block %d (%s)", a.Key, i+1, b.Type)
			checkBlockRefs(t, w, b, roles, faqs, comparisons)
		}
	}
}

// checkBlockRefs checks that a block sets only the fields of its type and
// that what they name exists.
func checkBlockRefs(t *testing.T, w string, b Block, roles, faqs, comparisons map[string]bool) {
	t.Helper()
	var misplaced []string
	if b.Type != "comparison" && b.Comparison != "" {
		misplaced = append(misplaced, "comparison")
	}
	if b.Type != "faq" && len(b.FAQs) > 0 {
		misplaced = append(misplaced, "faqs")
	}
	if b.Type != "vacancyList" && (b.Role != "" || b.Limit != 0) {
		misplaced = append(misplaced, "role/limit")
	}
	if len(misplaced) > 0 {
		t.Errorf("%s: fields %v do not apply to this block type", w, misplaced)
	}
	switch b.Type {
	case "richText", "callToAction":
	case "comparison":
		if !comparisons[b.Comparison] {
			t.Errorf("%s: unknown comparison key %q", w, b.Comparison)
		}
	case "faq":
		if len(b.FAQs) == 0 {
			t.Errorf("%s: no FAQs", w)
		}
		checkRefs(t, w, "faq", b.FAQs, faqs)
	case "vacancyList":
		if !roles[b.Role] {
			t.Errorf("%s: unknown role key %q", w, b.Role)
		}
		if b.Limit <= 0 {
			t.Errorf("%s: limit %d, want > 0", w, b.Limit)
		}
	default:
		t.Errorf("%s: unknown block type", w)
	}
}

func TestSampleSlugsAndAnchors(t *testing.T) {
	f := loadSampleForTest(t)

	checkSlugs := func(entryType string, slugs map[string][]string) {
		t.Helper()
		for loc, list := range slugs {
			seen := map[string]bool{}
			for _, s := range list {
				if !kebab.MatchString(s) {
					t.Errorf("%s slug %q [%s] is not kebab-case", entryType, s, loc)
				}
				if seen[s] {
					t.Errorf("%s slug %q [%s] is used twice", entryType, s, loc)
				}
				seen[s] = true
			}
		}
	}

	roleSlugs := map[string][]string{}
	for _, r := range f.Roles {
		for loc, tr := range r.Translations {
			roleSlugs[loc] = append(roleSlugs[loc], tr.Slug)
		}
	}
	checkSlugs("role", roleSlugs)

	faqSlugs := map[string][]string{}
	for _, q := range f.FAQs {
		for loc, tr := range q.Translations {
			faqSlugs[loc] = append(faqSlugs[loc], tr.Slug)
		}
		if q.Translations["nl"].Slug == q.Translations["en"].Slug {
			t.Errorf("faq %s: nl and en share the slug %q; each should be in its own language", q.Key, q.Translations["nl"].Slug)
		}
	}
	checkSlugs("faq", faqSlugs)

	compSlugs := map[string][]string{}
	for _, c := range f.Comparisons {
		for loc, tr := range c.Translations {
			compSlugs[loc] = append(compSlugs[loc], tr.Slug)
		}
	}
	checkSlugs("comparison", compSlugs)

	articleSlugs := map[string][]string{}
	for _, a := range f.Articles {
		for loc, tr := range a.Translations {
			articleSlugs[loc] = append(articleSlugs[loc], tr.Slug)
		}
		if a.Translations["nl"].Slug == a.Translations["en"].Slug {
			t.Errorf("article %s: nl and en share the slug %q; each should be in its own language", a.Key, a.Translations["nl"].Slug)
		}

		checkArticleAnchors(t, a)
	}
	checkSlugs("article", articleSlugs)
}

// checkArticleAnchors checks that the anchors of an article's blocks are
// kebab-case, unique per locale and translated.
func checkArticleAnchors(t *testing.T, a Article) {
	t.Helper()
	anchors := map[string]map[string]bool{}
	for i, b := range a.Blocks {
		for loc, bt := range b.Translations {
			if bt.Anchor == "" {
				continue
			}
			w := fmt.Sprintf("article %s block %d (%s) [%s]", a.Key, i+1, b.Type, loc)
			if !kebab.MatchString(bt.Anchor) {
				t.Errorf("%s: anchor %q is not kebab-case", w, bt.Anchor)
			}
			if anchors[loc] == nil {
				anchors[loc] = map[string]bool{}
			}
			if anchors[loc][bt.Anchor] {
				t.Errorf("%s: anchor %q is used twice", w, bt.Anchor)
			}
			anchors[loc][bt.Anchor] = true
		}
		if nl, en := b.Translations["nl"].Anchor, b.Translations["en"].Anchor; nl != "" && nl == en {
			t.Errorf("article %s block %d: nl and en share the anchor %q", a.Key, i+1, nl)
		}
	}
}

// ---------------------------------------------------------------------------
// Article layout and links

func TestSampleArticleBlocks(t *testing.T) {
	f := loadSampleForTest(t)
	if len(f.Articles) != 1 {
		t.Fatalf("articles: got %d, want 1", len(f.Articles))
	}
	a := f.Articles[0]

	var types []string
	for _, b := range a.Blocks {
		types = append(types, b.Type)
	}
	want := []string{
		"richText",     // Wat doet een office manager…
		"richText",     // Welke werkzaamheden… (ends with the vacancy link)
		"vacancyList",  // office manager vacancies
		"richText",     // Waar ligt het belangrijkste verschil…
		"comparison",   // the table
		"richText",     // Ook de vereiste competenties… (no heading)
		"richText",     // Hoeveel verdient…
		"richText",     // Wanneer heeft een bedrijf…
		"callToAction", // contact
		"faq",          // Veelgestelde vragen
	}
	if !slices.Equal(types, want) {
		t.Fatalf("block types:\n got %v\nwant %v", types, want)
	}

	if b := a.Blocks[2]; b.Role != "office-manager" || b.Limit != 3 {
		t.Errorf("vacancyList: role %q limit %d, want office-manager and 3", b.Role, b.Limit)
	}
	for _, loc := range sampleLocales {
		if a.Blocks[2].Translations[loc].Heading == "" {
			t.Errorf("vacancyList [%s]: no heading", loc)
		}
	}
	if h := a.Blocks[5].Translations["nl"].Heading; h != "" {
		t.Errorf("continuation block after the comparison: heading %q, want none", h)
	}

	var allFAQs []string
	for _, q := range f.FAQs {
		allFAQs = append(allFAQs, q.Key)
	}
	if got := a.Blocks[9].FAQs; !slices.Equal(got, allFAQs) {
		t.Errorf("faq block lists %v, want every FAQ in order %v", got, allFAQs)
	}
	if got := a.Blocks[9].Translations["nl"]; got.Heading != "Veelgestelde vragen" || got.Anchor != "veelgestelde-vragen" {
		t.Errorf("faq block [nl]: heading %q anchor %q", got.Heading, got.Anchor)
	}

	cta := a.Blocks[8].Translations
	if cta["nl"].URL != "/contact" || cta["en"].URL != "/en/contact" {
		t.Errorf("callToAction urls: nl %q en %q, want /contact and /en/contact", cta["nl"].URL, cta["en"].URL)
	}

	const vacancyLink = "[vacaturepagina](/vacatures/office-manager)"
	if !strings.Contains(a.Blocks[1].Translations["nl"].Body, vacancyLink) {
		t.Errorf("second section [nl] does not link %s", vacancyLink)
	}
}

// TestSampleLinks checks that every link in Markdown and every
// call-to-action URL is site-relative and stays within its own locale.
func TestSampleLinks(t *testing.T) {
	f := loadSampleForTest(t)
	for _, loc := range sampleLocales {
		var urls []string
		for _, text := range localeTexts(f, loc) {
			for _, m := range markdownLink.FindAllStringSubmatch(text, -1) {
				urls = append(urls, m[2])
			}
		}
		for _, a := range f.Articles {
			for _, b := range a.Blocks {
				if u := b.Translations[loc].URL; u != "" {
					urls = append(urls, u)
				}
			}
		}
		if len(urls) == 0 {
			t.Errorf("[%s]: no links at all", loc)
		}
		for _, u := range urls {
			if !strings.HasPrefix(u, "/") || strings.HasPrefix(u, "//") {
				t.Errorf("[%s] link %q: want a site-relative path", loc, u)
			}
			isEN := u == "/en" || strings.HasPrefix(u, "/en/")
			if (loc == "en") != isEN {
				t.Errorf("[%s] link %q points into the wrong locale", loc, u)
			}
		}
	}
}
