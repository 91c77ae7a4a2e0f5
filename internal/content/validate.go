package content

import (
	"encoding/json"
	"net/url"
	"regexp"
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

func badInput(field string, reason apperr.Reason, format string, args ...any) *apperr.Error {
	return apperr.Invalid(reason, format, args...).With("field", field)
}

func uniqueIDs(field string, ids []string, most int) error {
	if len(ids) > most {
		return badInput(field, apperr.TooMany, "%s lists more than %d ids", field, most).With("max", most)
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			return badInput(field, apperr.Duplicate, "%s lists %s twice", field, id).With("value", id)
		}
		seen[id] = true
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
			return apperr.Invalid(apperr.InvalidLocale, "%s", err.Error()).With("field", "locale").
				With("supportedLocales", s.locales.Codes())
		}
		if other, dup := seen[loc]; dup {
			return badInput("locale", apperr.Duplicate, "the locale %s is given twice (%q and %q)", loc, other, code).With("value", loc)
		}
		seen[loc] = code
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
