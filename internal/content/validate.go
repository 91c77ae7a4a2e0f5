package content

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/werkwijzer/werkwijzer/internal/apperr"
)

// Bounds on what one entry may hold: big enough for any real page, small
// enough that no request can make rendering or storage expensive.
const (
	maxTextBytes  = 64 << 10
	maxListItems  = 200
	maxBlocks     = 500
	maxRows       = 100
	maxRoles      = 10
	maxBlockLimit = 50
)

// partIDPattern is what a block or row id may look like: clients create
// them (a UUID is typical), so text can refer to a new block by its id.
var partIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

func badInput(field, format string, args ...any) error {
	return apperr.New(apperr.BadUserInput, format, args...).With("field", field)
}

// checkStructure validates a structure for typ, including that every entry
// it refers to exists with the right type, and returns it encoded.
func (s *Service) checkStructure(ctx context.Context, tx Store, typ Type, structure any) (json.RawMessage, error) {
	if err := checkStructureType(typ, structure); err != nil {
		return nil, err
	}
	refs := map[string]Type{} // id -> type it must have
	ref := func(field, id string, want Type) error {
		if id == "" {
			return badInput(field, "%s must name a %s", field, want)
		}
		refs[id] = want
		return nil
	}
	switch st := structure.(type) {
	case RoleStructure:
		if sal := st.Salary; sal != nil {
			if sal.Min < 0 || sal.Max < sal.Min {
				return nil, badInput("salary", "salary range %d–%d: the minimum must be at least 0 and at most the maximum", sal.Min, sal.Max)
			}
			if !regexp.MustCompile(`^[A-Z]{3}$`).MatchString(sal.Currency) {
				return nil, badInput("salary.currency", "currency %q must be an ISO 4217 code such as EUR", sal.Currency)
			}
			if !slices.Contains([]SalaryPeriod{PerHour, PerMonth, PerYear}, sal.Period) {
				return nil, badInput("salary.period", "salary period %q must be HOUR, MONTH or YEAR", sal.Period)
			}
		}
		if err := uniqueIDs("faqIds", st.FAQIDs, maxListItems); err != nil {
			return nil, err
		}
		for i, id := range st.FAQIDs {
			if err := ref(fmt.Sprintf("faqIds[%d]", i), id, TypeFAQ); err != nil {
				return nil, err
			}
		}
	case ArticleStructure:
		if len(st.Blocks) > maxBlocks {
			return nil, badInput("blocks", "an article has at most %d blocks", maxBlocks)
		}
		seen := map[string]bool{}
		for i, b := range st.Blocks {
			at := fmt.Sprintf("blocks[%d]", i)
			if !partIDPattern.MatchString(b.ID) || seen[b.ID] {
				return nil, badInput(at+".id", "%s.id %q must be unique in the article and 1 to 64 letters, digits, '-' or '_'", at, b.ID)
			}
			seen[b.ID] = true
			var err error
			switch b.Type {
			case BlockRichText, BlockCallToAction:
			case BlockComparison:
				err = ref(at+".comparisonId", b.ComparisonID, TypeComparison)
			case BlockFAQ:
				if len(b.FAQIDs) == 0 {
					err = badInput(at+".faqIds", "%s lists no FAQs", at)
				} else if err = uniqueIDs(at+".faqIds", b.FAQIDs, maxListItems); err == nil {
					for j, id := range b.FAQIDs {
						if err = ref(fmt.Sprintf("%s.faqIds[%d]", at, j), id, TypeFAQ); err != nil {
							break
						}
					}
				}
			case BlockVacancyList:
				if b.Limit < 1 || b.Limit > maxBlockLimit {
					err = badInput(at+".limit", "%s.limit must be 1 to %d", at, maxBlockLimit)
				} else {
					err = ref(at+".roleId", b.RoleID, TypeRole)
				}
			default:
				err = badInput(at+".type", "%s has the unknown type %q", at, b.Type)
			}
			if err != nil {
				return nil, err
			}
		}
	case ComparisonStructure:
		if len(st.RoleIDs) < 2 || len(st.RoleIDs) > maxRoles {
			return nil, badInput("roleIds", "a comparison sets 2 to %d roles side by side", maxRoles)
		}
		if err := uniqueIDs("roleIds", st.RoleIDs, maxRoles); err != nil {
			return nil, err
		}
		for i, id := range st.RoleIDs {
			if err := ref(fmt.Sprintf("roleIds[%d]", i), id, TypeRole); err != nil {
				return nil, err
			}
		}
		if len(st.RowIDs) > maxRows {
			return nil, badInput("rowIds", "a comparison has at most %d rows", maxRows)
		}
		for i, id := range st.RowIDs {
			if !partIDPattern.MatchString(id) {
				return nil, badInput(fmt.Sprintf("rowIds[%d]", i), "row id %q must be 1 to 64 letters, digits, '-' or '_'", id)
			}
		}
		if err := uniqueIDs("rowIds", st.RowIDs, maxRows); err != nil {
			return nil, err
		}
	}
	if len(refs) > 0 {
		ids := make([]string, 0, len(refs))
		for id := range refs {
			ids = append(ids, id)
		}
		found, err := tx.TypesOf(ctx, ids)
		if err != nil {
			return nil, err
		}
		for _, id := range slices.Sorted(slices.Values(ids)) {
			if got, ok := found[id]; !ok || got != refs[id] {
				return nil, apperr.New(apperr.BadUserInput, "%s %s does not exist", refs[id], id).With("field", "structure").With("id", id)
			}
		}
	}
	encoded, err := json.Marshal(structure)
	if err != nil {
		return nil, fmt.Errorf("encode %s structure: %w", typ, err)
	}
	return encoded, nil
}

func uniqueIDs(field string, ids []string, most int) error {
	if len(ids) > most {
		return badInput(field, "%s lists more than %d ids", field, most)
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			return badInput(field, "%s lists %s twice", field, id)
		}
		seen[id] = true
	}
	return nil
}

func checkStructureType(typ Type, structure any) error {
	ok := false
	switch structure.(type) {
	case RoleStructure:
		ok = typ == TypeRole
	case ArticleStructure:
		ok = typ == TypeArticle
	case ComparisonStructure:
		ok = typ == TypeComparison
	case FAQStructure:
		ok = typ == TypeFAQ
	}
	if !ok {
		return badInput("structure", "that structure does not belong to a %s", typ)
	}
	return nil
}

func checkFieldsType(typ Type, fields any) error {
	ok := false
	switch fields.(type) {
	case RoleFields:
		ok = typ == TypeRole
	case ArticleFields:
		ok = typ == TypeArticle
	case ComparisonFields:
		ok = typ == TypeComparison
	case FAQFields:
		ok = typ == TypeFAQ
	}
	if !ok {
		return badInput("fields", "those fields do not belong to a %s", typ)
	}
	return nil
}

// checkID refuses what cannot be an entry or revision id before it reaches
// the database (PostgreSQL rejects a NUL byte as an error, not a miss).
func checkID(id string) error {
	if _, err := uuid.Parse(id); err != nil || len(id) != 36 {
		return apperr.New(apperr.NotFound, "no entry or revision has the id %q", id).With("field", "id")
	}
	return nil
}

// checkLocaleKeys refuses two spellings of one locale ("nl" and "NL"),
// which would otherwise silently keep only one of the two texts.
func (s *Service) checkLocaleKeys(translations map[string]TranslationInput) error {
	seen := map[string]string{}
	for code := range translations {
		loc, err := s.locales.Normalize(code)
		if err != nil {
			return apperr.New(apperr.BadUserInput, "%s", err.Error()).With("field", "locale")
		}
		if other, dup := seen[loc]; dup {
			return badInput("locale", "the locale %s is given twice (%q and %q)", loc, other, code)
		}
		seen[loc] = code
	}
	return nil
}

// decodeStructure decodes a stored structure of typ into its Go type.
func decodeStructure(typ Type, raw json.RawMessage) (any, error) {
	decode := func(v any) error { return json.Unmarshal(raw, v) }
	switch typ {
	case TypeRole:
		return decodeInto[RoleStructure](decode)
	case TypeArticle:
		return decodeInto[ArticleStructure](decode)
	case TypeComparison:
		return decodeInto[ComparisonStructure](decode)
	case TypeFAQ:
		return decodeInto[FAQStructure](decode)
	}
	return nil, fmt.Errorf("unknown entry type %q", typ)
}

var anchorPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{0,100}$`)

// checkLinks validates what an article's text links to: a call to
// action leads to an http(s) URL, a path on the site, an anchor, or a
// mail or phone link, never a script; anchors are fragment-safe.
func checkLinks(fields any) error {
	article, ok := fields.(ArticleFields)
	if !ok {
		return nil
	}
	for id, b := range article.Blocks {
		if !anchorPattern.MatchString(b.Anchor) {
			return badInput("blocks."+id+".anchor", "anchor %q must be letters, digits, '-' or '_' (at most 100)", b.Anchor)
		}
		if b.URL != "" && !SafeLink(b.URL) {
			return badInput("blocks."+id+".url", "url %q must be an https or http URL, a path starting with /, an #anchor, or a mailto: or tel: link", b.URL)
		}
	}
	return nil
}

// SafeLink reports whether a link is one a page may carry without risk.
func SafeLink(link string) bool {
	if strings.ContainsAny(link, " \t\r\n\x00\\") {
		return false
	}
	switch {
	case strings.HasPrefix(link, "/") && !strings.HasPrefix(link, "//"), strings.HasPrefix(link, "#"):
		return true
	}
	u, err := url.Parse(link)
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "https", "http":
		return u.Host != ""
	case "mailto", "tel":
		return u.Opaque != ""
	}
	return false
}

// oversized finds the first text over maxTextBytes, with a NUL byte or
// invalid UTF-8 (which PostgreSQL refuses and SQLite would keep), or list
// over maxListItems in encoded fields; ok is false when there is one.
func oversized(fields json.RawMessage) (path string, ok bool) {
	var v any
	if err := json.Unmarshal(fields, &v); err != nil {
		return "fields", false
	}
	var walk func(path string, v any) (string, bool)
	walk = func(path string, v any) (string, bool) {
		switch x := v.(type) {
		case string:
			return path, len(x) <= maxTextBytes && !strings.ContainsRune(x, 0) && !strings.ContainsRune(x, utf8.RuneError)
		case []any:
			if len(x) > maxListItems {
				return path, false
			}
			for i, item := range x {
				if p, ok := walk(path+"["+strconv.Itoa(i)+"]", item); !ok {
					return p, false
				}
			}
		case map[string]any:
			for k, item := range x {
				if p, ok := walk(join(path, k), item); !ok {
					return p, false
				}
			}
		}
		return "", true
	}
	return walk("", v)
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// flatten turns encoded fields into leaf paths and their values: objects
// are walked ("blocks.<id>.body"), while strings and whole lists are
// leaves, since a list item has no identity of its own.
func flatten(fields json.RawMessage) map[string]string {
	out := map[string]string{}
	var v any
	if len(fields) == 0 || json.Unmarshal(fields, &v) != nil {
		return out
	}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, item := range x {
				walk(join(path, k), item)
			}
		case string:
			if strings.TrimSpace(x) != "" {
				out[path] = x
			}
		case []any:
			if len(x) > 0 {
				encoded, _ := json.Marshal(x)
				out[path] = string(encoded)
			}
		case nil:
		default:
			encoded, _ := json.Marshal(x)
			out[path] = string(encoded)
		}
	}
	walk("", v)
	return out
}

// changedPaths carries the per-field change times from old to new: a
// field whose value differs (or is new) changed at now, the others keep
// their time. Fields that became empty are dropped.
func changedPaths(oldFields, newFields json.RawMessage, oldTimes map[string]time.Time, now time.Time) map[string]time.Time {
	before, after := flatten(oldFields), flatten(newFields)
	out := make(map[string]time.Time, len(after))
	for path, value := range after {
		if prev, ok := before[path]; ok && prev == value {
			if t, ok := oldTimes[path]; ok {
				out[path] = t
				continue
			}
		}
		out[path] = now
	}
	return out
}
