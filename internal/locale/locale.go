// Package locale holds the configured set of content locales and picks the
// locale to serve for a request.
//
// Locales are BCP 47 language tags such as "nl", "en" or "en-GB", configured
// in order of preference (WERKWIJZER_LOCALES, default "nl,en"); the first one
// is the default locale that content falls back to.
package locale

import (
	"errors"
	"fmt"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Set is the configured list of supported locales; the first is the default.
// Immutable, safe for concurrent use.
type Set struct {
	// locales is never empty and holds canonical, unique codes in
	// configured order.
	locales []Locale
	// matcher matches requested tags to the locales.
	matcher *matcher
}

// Locale describes one supported locale.
type Locale struct {
	// Code is the canonical BCP 47 tag, such as "nl" or "en-GB".
	Code string
	// Name is the locale's name in its own language, such as "Nederlands"
	// or "English", for language pickers.
	Name string
	// IsDefault is true for the first configured locale only.
	IsDefault bool
}

// UnsupportedError reports a locale code that is not in the Set.
type UnsupportedError struct {
	Code      string
	Supported []string
}

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("unsupported locale %q; supported locales: %s", e.Code, strings.Join(e.Supported, ", "))
}

// NewSet returns the Set of the given locale codes, the first being the
// default. Codes are normalised to canonical BCP 47 form ("EN" becomes "en",
// "en_GB" and "en-gb" become "en-GB"). It fails on an empty list, on a code
// that is not a valid BCP 47 language tag, and on codes that are the same
// once normalised.
func NewSet(codes []string) (*Set, error) {
	if len(codes) == 0 {
		return nil, errors.New("no locales configured: at least one locale is required")
	}
	locales := make([]Locale, 0, len(codes))
	given := make(map[string]string, len(codes))
	for i, code := range codes {
		tag, err := parseTag(code)
		if err != nil {
			return nil, fmt.Errorf("locale %d: %w", i+1, err)
		}
		canonical := tag.String()
		if earlier, ok := given[canonical]; ok {
			return nil, fmt.Errorf("locale %d: %q duplicates %q: both are %q", i+1, code, earlier, canonical)
		}
		given[canonical] = code
		locales = append(locales, Locale{Code: canonical, Name: selfName(tag), IsDefault: i == 0})
	}
	return &Set{locales: locales, matcher: newMatcher(locales, nil)}, nil
}

// parseTag validates code as a BCP 47 language tag. language.Raw only fixes
// the case of subtags: the default canonicalisation would silently turn a
// configured "iw" into "he", and content stored under the configured code
// would then no longer be found.
func parseTag(code string) (language.Tag, error) {
	if strings.TrimSpace(code) == "" {
		return language.Tag{}, errors.New("empty locale code")
	}
	tag, err := language.Raw.Parse(strings.ReplaceAll(code, "_", "-"))
	if err != nil {
		return language.Tag{}, fmt.Errorf("invalid locale %q: not a valid BCP 47 language tag: %w", code, err)
	}
	if tag.IsRoot() {
		return language.Tag{}, fmt.Errorf("invalid locale %q: it names no language", code)
	}
	return tag, nil
}

// selfName returns the name of the tag's language in that language, or the
// tag itself when the CLDR data has no such name (private-use tags, say).
func selfName(tag language.Tag) string {
	if name := display.Self.Name(tag); name != "" {
		return name
	}
	return tag.String()
}

// ParseList splits a comma-separated list of locale codes, as found in the
// WERKWIJZER_LOCALES setting: "nl, en" gives ["nl", "en"]. It only trims
// and splits; NewSet validates the codes. An empty setting or an empty item
// (as in "nl,,en") is an error, since it is most likely a typo.
func ParseList(s string) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return nil, errors.New("empty locale list")
	}
	items := strings.Split(s, ",")
	codes := make([]string, 0, len(items))
	for i, item := range items {
		code := strings.TrimSpace(item)
		if code == "" {
			return nil, fmt.Errorf("locale list %q: item %d is empty", s, i+1)
		}
		codes = append(codes, code)
	}
	return codes, nil
}

// Default returns the code of the default locale.
func (s *Set) Default() string {
	return s.locales[0].Code
}

// Codes returns the supported codes in configured order. The slice is a
// copy that the caller may modify.
func (s *Set) Codes() []string {
	codes := make([]string, len(s.locales))
	for i, l := range s.locales {
		codes[i] = l.Code
	}
	return codes
}

// All returns the supported locales in configured order. The slice is a copy
// that the caller may modify.
func (s *Set) All() []Locale {
	locales := make([]Locale, len(s.locales))
	copy(locales, s.locales)
	return locales
}

// Supports reports whether code is exactly one of the supported codes, in
// canonical form. Use Normalize to accept other spellings such as "EN".
func (s *Set) Supports(code string) bool {
	for _, l := range s.locales {
		if l.Code == code {
			return true
		}
	}
	return false
}

// Normalize returns the supported code matching code case-insensitively (and
// treating '_' as '-'), or an *UnsupportedError listing the supported codes.
func (s *Set) Normalize(code string) (string, error) {
	wanted := strings.ReplaceAll(code, "_", "-")
	for _, l := range s.locales {
		if strings.EqualFold(l.Code, wanted) {
			return l.Code, nil
		}
	}
	return "", &UnsupportedError{Code: code, Supported: s.Codes()}
}

// Match returns the supported locale a requested code asks for, matched
// the way an Accept-Language entry is (see FromAcceptLanguage): a code
// equal to a supported one but for case or '_' is that one; otherwise
// x/text's language matcher picks a supported locale of the same language
// ("nl-NL" gives "nl", "en-GB" gives "en" when only "en" is supported). A
// code that matches none is an *UnsupportedError listing the supported
// codes. Reads use Match, as routers send their visitor's locale as is;
// writes use Normalize, so an edit never lands in a locale other than the
// one named.
func (s *Set) Match(code string) (string, error) {
	if exact, err := s.Normalize(code); err == nil {
		return exact, nil
	}
	if len(code) <= maxLanguageRangeLen {
		if tag, err := language.Parse(code); err == nil {
			if i := s.matcher.match(tag); i >= 0 {
				return s.locales[i].Code, nil
			}
		}
	}
	return "", &UnsupportedError{Code: code, Supported: s.Codes()}
}

// Chain returns the fallback chain for a served locale: [code, default] or
// [default] when code is the default. code is normalised first; an
// unsupported code yields [default], so a lookup never tries a locale that
// content cannot be stored under.
func (s *Set) Chain(code string) []string {
	normalized, err := s.Normalize(code)
	if err != nil || normalized == s.Default() {
		return []string{s.Default()}
	}
	return []string{normalized, s.Default()}
}
