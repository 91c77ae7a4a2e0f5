package locale

import (
	"slices"
	"strings"

	"golang.org/x/text/language"
)

// Limits that bound the work done for an Accept-Language header or a locale
// argument, which are untrusted input. Real browsers send a few hundred
// bytes and a handful of entries.
const (
	// maxAcceptLanguageLen is the longest header considered at all; a longer
	// one is ignored as malformed.
	maxAcceptLanguageLen = 4 << 10
	// maxAcceptLanguageEntries is how many comma-separated entries are read;
	// any further entries are ignored.
	maxAcceptLanguageEntries = 32
	// maxLanguageRangeLen bounds a single language range. RFC 5646 asks
	// implementations to handle tags of at least 35 characters.
	maxLanguageRangeLen = 64
)

// wildcard is how x/text's parser reads the range "*".
var wildcard = language.MustParse("mul")

// wanted is one acceptable entry of an Accept-Language header.
type wanted struct {
	tag      language.Tag
	quality  float32
	wildcard bool
}

// FromAcceptLanguage picks the best supported locale from an HTTP
// Accept-Language header value per RFC 9110; ok is false when nothing
// matches or the header is empty or malformed.
//
// golang.org/x/text/language parses each entry and its q-value; entries
// are tried by descending q-value, ties in header order, and each is
// matched against the supported locales by the language matcher (see
// Match), so "nl-BE" picks "nl" and "en-US" picks "en" or else "en-GB". A
// match counts at the entry's own q-value, so "en-US,nl;q=0.9" picks "en"
// over "nl".
//
// An entry with q=0 makes the supported codes it matches by RFC 4647 basic
// filtering unacceptable ("en;q=0" also rules out "en-GB", "en-US;q=0"
// leaves "en"). "*" matches the first supported code, in configured order,
// that no other entry names.
//
// Malformed entries, and entries with a q-value above 1, are skipped rather
// than failing the whole header. A header over 4 KB is ignored, and so are
// entries beyond the first 32.
func (s *Set) FromAcceptLanguage(header string) (code string, ok bool) {
	if len(header) > maxAcceptLanguageLen {
		return "", false
	}
	entries := strings.SplitN(header, ",", maxAcceptLanguageEntries+1)
	entries = entries[:min(len(entries), maxAcceptLanguageEntries)]

	var accepted []wanted
	// Which supported codes some entry names, and which it rules out.
	named := make([]bool, len(s.locales))
	unacceptable := make([]bool, len(s.locales))
	for _, entry := range entries {
		tag, quality, ok := parseEntry(entry)
		if !ok {
			continue
		}
		if tag == wildcard {
			if quality > 0 {
				accepted = append(accepted, wanted{quality: quality, wildcard: true})
			}
			continue
		}
		for i, l := range s.locales {
			if rangeMatches(tag.String(), l.Code) {
				named[i] = true
				unacceptable[i] = unacceptable[i] || quality == 0
			}
		}
		if quality > 0 {
			accepted = append(accepted, wanted{tag: tag, quality: quality})
		}
	}

	slices.SortStableFunc(accepted, func(a, b wanted) int {
		switch {
		case a.quality > b.quality:
			return -1
		case a.quality < b.quality:
			return 1
		}
		return 0
	})
	m := s.matcherWithout(unacceptable)
	for _, w := range accepted {
		var i int
		if w.wildcard {
			i = s.firstWhere(func(i int) bool { return !named[i] && !unacceptable[i] })
		} else {
			i = m.match(w.tag)
		}
		if i >= 0 {
			return s.locales[i].Code, true
		}
	}
	return "", false
}

// parseEntry parses one entry such as "en-GB;q=0.8" with x/text's
// Accept-Language parser. That parser drops entries with q=0, which must
// still rule locales out, so their tag is parsed again without the weight.
func parseEntry(entry string) (language.Tag, float32, bool) {
	rangeOnly, _, _ := strings.Cut(entry, ";")
	if r := strings.TrimSpace(rangeOnly); r == "" || len(r) > maxLanguageRangeLen {
		return language.Tag{}, 0, false
	}
	tags, qualities, err := language.ParseAcceptLanguage(rangeOnly + qualityOf(entry))
	if err != nil {
		return language.Tag{}, 0, false
	}
	if len(tags) == 1 {
		if qualities[0] > 1 {
			return language.Tag{}, 0, false // RFC 9110 allows no weight above 1
		}
		return tags[0], qualities[0], true
	}
	// No tag without error: the weight was zero or below.
	tags, _, err = language.ParseAcceptLanguage(rangeOnly)
	if err != nil || len(tags) != 1 {
		return language.Tag{}, 0, false
	}
	return tags[0], 0, true
}

// qualityOf returns the entry's weight parameter as x/text's parser reads
// it (";q=0.8"), or "". RFC 9110 defines no other parameter for
// Accept-Language, so others are dropped rather than failing the entry, and
// the parameter name is case-insensitive ("Q=0.8").
func qualityOf(entry string) string {
	_, params, _ := strings.Cut(entry, ";")
	for param := range strings.SplitSeq(params, ";") {
		name, value, _ := strings.Cut(param, "=")
		if strings.EqualFold(strings.TrimSpace(name), "q") {
			return ";q=" + strings.TrimSpace(value)
		}
	}
	return ""
}

// matcher matches language tags to a subset of the supported locales.
type matcher struct {
	m language.Matcher
	// index maps the matcher's indexes to indexes of Set.locales.
	index []int
	tags  []language.Tag
}

func newMatcher(locales []Locale, skip []bool) *matcher {
	m := &matcher{}
	for i, l := range locales {
		if skip != nil && skip[i] {
			continue
		}
		m.index = append(m.index, i)
		m.tags = append(m.tags, language.Raw.Make(l.Code))
	}
	if len(m.tags) > 0 {
		m.m = language.NewMatcher(m.tags)
	}
	return m
}

// matcherWithout returns a matcher of the supported locales except the
// unacceptable ones; the common case of none reuses the Set's.
func (s *Set) matcherWithout(unacceptable []bool) *matcher {
	if !slices.Contains(unacceptable, true) {
		return s.matcher
	}
	return newMatcher(s.locales, unacceptable)
}

// match returns the index in Set.locales of the locale x/text's matcher
// finds for tag with at least High confidence and the same language, or
// -1. The language check keeps the matcher's mutual-intelligibility
// matches out: "af" or "fy" must not be served Dutch as if asked for.
func (m *matcher) match(tag language.Tag) int {
	if m.m == nil {
		return -1
	}
	_, i, confidence := m.m.Match(tag)
	if confidence < language.High {
		return -1
	}
	want, _ := tag.Base()
	got, _ := m.tags[i].Base()
	if want != got {
		return -1
	}
	return m.index[i]
}

// firstWhere returns the index of the first locale, in configured order, for
// which match is true, or -1.
func (s *Set) firstWhere(match func(i int) bool) int {
	for i := range s.locales {
		if match(i) {
			return i
		}
	}
	return -1
}

// rangeMatches reports whether the language range matches the tag by RFC
// 4647 basic filtering: equal, or a prefix of it ending at a subtag boundary.
func rangeMatches(languageRange, tag string) bool {
	if len(tag) < len(languageRange) || !strings.EqualFold(tag[:len(languageRange)], languageRange) {
		return false
	}
	return len(tag) == len(languageRange) || tag[len(languageRange)] == '-'
}
