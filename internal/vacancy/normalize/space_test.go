package normalize

import (
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// collapseSpaceByRune is collapseSpace without its shortcut for text that
// needs no change: the definition the shortcut must agree with.
func collapseSpaceByRune(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		if IsControl(r) {
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return norm.NFC.String(b.String())
}

func TestCollapseSpaceShortcutAgrees(t *testing.T) {
	for _, s := range []string{
		"", " ", "  ", "a b", "a  b", " a ", "a\tb", "a\nb", "a\u00a0b", "a\u0085b", "a\u2003b",
		"kantoor\x00manager", "a\x7fb", "a\u0080b", "a\xffb", "a\xe2\x82b", "café", "cafe\u0301",
		"a \u00a0b", "Office manager (m/v/x) — 32–40 uur", "\ufffd", "e\u0301 e\u0301", "a\u3000b",
	} {
		if got, want := collapseSpace(s), collapseSpaceByRune(s); got != want {
			t.Errorf("collapseSpace(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzCollapseSpace(f *testing.F) {
	f.Add("a  b\tc\u00a0d\xff")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := collapseSpace(s), collapseSpaceByRune(s); got != want {
			t.Fatalf("collapseSpace(%q) = %q, want %q", s, got, want)
		}
	})
}
