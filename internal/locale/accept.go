package locale

import (
	"cmp"
	"slices"
	"strings"
)

// Limits that bound the work done for an Accept-Language header, which is
// untrusted input. Real browsers send a few hundred bytes and a handful of
// entries.
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

// languageRange is one entry of an Accept-Language header.
type languageRange struct {
	// tag is the language range, "*" or subtags joined by '-'.
	tag string
	// quality is the q-value in thousandths, 0 to 1000, so that comparing
	// weights needs no floating point.
	quality int
}

// FromAcceptLanguage picks the best supported locale from an HTTP
// Accept-Language header value per RFC 9110; ok is false when nothing
// matches or the header is empty or malformed.
//
// Entries are tried by descending q-value, ties in header order. For each
// entry, the most specific form is tried first: a supported code equal to
// the range, then supported codes the range is a prefix of ("en" matches
// "en-GB"); then the same with the range's last subtag dropped, so "nl-BE"
// matches "nl" and "en-US" matches "en" or else "en-GB". A match through
// such a fallback counts at the entry's own q-value, so "en-US,nl;q=0.9"
// picks "en" over "nl".
//
// An entry with q=0 makes the supported codes it matches by prefix
// unacceptable ("en;q=0" also rules out "en-GB"). "*" matches the first
// supported code, in configured order, that no other entry names.
//
// Malformed entries are skipped rather than failing the whole header. A
// header over 4 KB is ignored, and so are entries beyond the first 32.
func (s *Set) FromAcceptLanguage(header string) (code string, ok bool) {
	if len(header) > maxAcceptLanguageLen {
		return "", false
	}
	ranges := parseAcceptLanguage(header)

	// Which supported codes some entry names, and which it rules out.
	named := make([]bool, len(s.locales))
	unacceptable := make([]bool, len(s.locales))
	for _, r := range ranges {
		if r.tag == "*" {
			continue
		}
		for i, l := range s.locales {
			if rangeMatches(r.tag, l.Code) {
				named[i] = true
				unacceptable[i] = unacceptable[i] || r.quality == 0
			}
		}
	}

	slices.SortStableFunc(ranges, func(a, b languageRange) int { return cmp.Compare(b.quality, a.quality) })
	for _, r := range ranges {
		if r.quality == 0 {
			break // sorted: every remaining entry is unacceptable too
		}
		var i int
		if r.tag == "*" {
			i = s.firstWhere(func(i int) bool { return !named[i] && !unacceptable[i] })
		} else {
			i = s.bestMatch(r.tag, unacceptable)
		}
		if i >= 0 {
			return s.locales[i].Code, true
		}
	}
	return "", false
}

// bestMatch returns the index of the supported locale that tag matches best,
// skipping unacceptable ones, or -1. See FromAcceptLanguage for the order.
func (s *Set) bestMatch(tag string, unacceptable []bool) int {
	for {
		exact := s.firstWhere(func(i int) bool {
			return !unacceptable[i] && strings.EqualFold(s.locales[i].Code, tag)
		})
		if exact >= 0 {
			return exact
		}
		prefix := s.firstWhere(func(i int) bool {
			return !unacceptable[i] && rangeMatches(tag, s.locales[i].Code)
		})
		if prefix >= 0 {
			return prefix
		}
		cut := strings.LastIndexByte(tag, '-')
		if cut < 0 {
			return -1
		}
		tag = tag[:cut]
	}
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

// parseAcceptLanguage returns the well-formed entries among the first
// maxAcceptLanguageEntries of an Accept-Language header, in header order.
func parseAcceptLanguage(header string) []languageRange {
	var ranges []languageRange
	rest := header
	for entries := 0; entries < maxAcceptLanguageEntries && rest != ""; entries++ {
		var entry string
		entry, rest, _ = strings.Cut(rest, ",")
		if r, ok := parseLanguageRange(entry); ok {
			ranges = append(ranges, r)
		}
	}
	return ranges
}

// parseLanguageRange parses one entry such as "en-GB;q=0.8". Parameters other
// than q are ignored, as RFC 9110 defines none for Accept-Language.
func parseLanguageRange(entry string) (languageRange, bool) {
	tag, params, _ := strings.Cut(entry, ";")
	tag = strings.ReplaceAll(strings.TrimSpace(tag), "_", "-")
	if !validLanguageRange(tag) {
		return languageRange{}, false
	}
	r := languageRange{tag: tag, quality: 1000}
	for param := range strings.SplitSeq(params, ";") {
		name, value, _ := strings.Cut(param, "=")
		if !strings.EqualFold(strings.TrimSpace(name), "q") {
			continue
		}
		quality, ok := parseQuality(strings.TrimSpace(value))
		if !ok {
			return languageRange{}, false
		}
		r.quality = quality
	}
	return r, true
}

// validLanguageRange reports whether s is "*" or a language range of RFC
// 4647: 1 to 8 letters, then subtags of 1 to 8 letters or digits, joined by
// '-'. Wildcards inside a range, as extended ranges allow, are not accepted.
func validLanguageRange(s string) bool {
	if s == "*" {
		return true
	}
	if s == "" || len(s) > maxLanguageRangeLen {
		return false
	}
	for i, subtag := range strings.Split(s, "-") {
		if len(subtag) < 1 || len(subtag) > 8 {
			return false
		}
		for _, c := range []byte(subtag) {
			letter := 'a' <= c|0x20 && c|0x20 <= 'z'
			digit := '0' <= c && c <= '9'
			if !letter && !(digit && i > 0) {
				return false
			}
		}
	}
	return true
}

// parseQuality parses an RFC 9110 qvalue, "0" to "1" with at most three
// decimals, into thousandths.
func parseQuality(s string) (int, bool) {
	whole, fraction, _ := strings.Cut(s, ".")
	if (whole != "0" && whole != "1") || len(fraction) > 3 {
		return 0, false
	}
	quality := int(whole[0]-'0') * 1000
	scale := 100
	for _, c := range []byte(fraction) {
		if c < '0' || c > '9' {
			return 0, false
		}
		quality += int(c-'0') * scale
		scale /= 10
	}
	if quality > 1000 {
		return 0, false
	}
	return quality, true
}
