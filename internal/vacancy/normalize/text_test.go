package normalize_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/vacancy/normalize"
)

// tagLike finds what a browser would parse as the start of a tag, a
// comment or a processing instruction.
var tagLike = regexp.MustCompile(`<[A-Za-z/!?]`)

// plainTextOnly fails unless out is plain text for a frontend: nothing a
// browser could read as markup, and unchanged by cleaning it again.
func plainTextOnly(t testing.TB, in, out string) {
	t.Helper()
	if tagLike.MatchString(out) {
		t.Fatalf("markup left in %q (from %q)", out, in)
	}
	if again := normalize.CleanText(out); again != out {
		t.Fatalf("not stable: %q -> %q -> %q", in, out, again)
	}
}

func TestPlainTextSurvivesNoEncodingTrick(t *testing.T) {
	cases := []struct{ in, want string }{
		// The attack from issue 8: entities decoded only after stripping.
		{"Office manager &lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;", "Office manager"},
		{"Office manager &amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;", "Office manager"},
		{"Office &#60;img src=x onerror=alert(1)&#62; manager", "Office manager"},
		{"Office &#x3c;img src=x onerror=alert(1)&#x3E; manager", "Office manager"},
		{"Office &#X3C;b&#x3e;manager&#60;/b&gt;", "Office manager"},
		{"Office &amp;#60;img src=x&amp;#x3e; manager", "Office manager"},
		{"Office &amp;amp;amp;amp;amp;amp;amp;amp;amp;amp;lt;b&gt; manager", "Office manager"},
		{"Office &l&#116;;b&gt; manager", "Office manager"},
		{"Office &lt\x12;b&gt; manager", "Office manager"},
		{"Office <scr<script></script>ipt>alert(1)", "Office ipt>alert(1)"},
		{"Office &lt;!-- x --&gt; manager", "Office manager"},
		{"Office &lt;?php x ?&gt; manager", "Office manager"},
		// A tag a browser would still open once the page goes on.
		{"Office &lt;img src=x onerror=alert(1) ", "Office"},
		{"Office <<b>manager", "Office < manager"},
		{"Office &lt;&lt;b manager", "Office <"},
		{"a&lt;b", "a"},
		// Raw-text elements keep their content as text, not as tags.
		{"<xmp><b>x</b></xmp> y", "b>x/b> y"},
		// A literal void element hides nothing after it.
		{"Office <img src=x> manager", "Office manager"},
		// Text that only looks like markup stays.
		{"Salaris < 4000 &amp; > 3000", "Salaris < 4000 & > 3000"},
		{"Leeftijd &lt;30 &#x26; R&amp;D", "Leeftijd <30 & R&D"},
		{"AT&amp;amp;T", "AT&T"},
		{"  <b>Office&amp;amp;nbsp;manager</b>\t&amp; PA\x00 ", "Office manager & PA"},
		{"Caf\u0065\u0301 &eacute;", "Café é"},
		// Named references from the first letter of the alphabet to the last.
		{"&alpha;&Alpha;&zeta;&Zeta;", "αΑζΖ"},
	}
	for _, c := range cases {
		got := normalize.CleanText(c.in)
		if got != c.want {
			t.Errorf("CleanText(%q) = %q, want %q", c.in, got, c.want)
		}
		plainTextOnly(t, c.in, got)
	}
}

// TestCleaningStaysLinear: decoding many levels of escaping, or many
// references that each complete the one before, takes one pass, not one
// per level; nesting deeper than the cleaner repeats ends as plain text.
func TestCleaningStaysLinear(t *testing.T) {
	for _, in := range []string{
		"&" + strings.Repeat("amp;", 200_000) + "lt;b&gt;x",
		strings.Repeat("&l&#116;;b&gt;", 50_000),
		strings.Repeat("&&#", 100_000),
		strings.Repeat("<s<script></script>", 20) + "x",
	} {
		plainTextOnly(t, in[:min(len(in), 40)], normalize.CleanText(in))
		out, _ := normalize.SanitizeDescription(in)
		if again, _ := normalize.SanitizeDescription(out); again != out {
			t.Fatalf("description not stable for %q...", in[:40])
		}
	}
}

// TestTextAroundDroppedElementsStays: a one-line field loses what is inside
// a script, a style or an SVG, never what follows its end tag.
func TestTextAroundDroppedElementsStays(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Office <script>alert(1)</script> manager", "Office manager"},
		{"<style>b{}</style>Office manager", "Office manager"},
		{"Office <script>a</script><script>b</script> manager <b>PA</b>", "Office manager PA"},
		{"Office <svg><title>x</title><g>y</g></svg> manager", "Office manager"},
		// An end tag without its start tag, and a void element's end tag,
		// hide nothing.
		{"Office </script> manager", "Office manager"},
		{"Office <img src=x></img> manager", "Office manager"},
		{"Office<br/>manager", "Office manager"},
		{"Office<p>manager</p>", "Office manager"},
	}
	for _, c := range cases {
		if got := normalize.CleanText(c.in); got != c.want {
			t.Errorf("CleanText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestIsControl: C0, DEL and C1 are control characters; space, the last
// printable ASCII character and no-break space are not.
func TestIsControl(t *testing.T) {
	for r, want := range map[rune]bool{
		0x00: true, 0x1f: true, ' ': false, '~': false, 0x7f: true,
		0x80: true, 0x9f: true, 0xa0: false, 'é': false,
	} {
		if got := normalize.IsControl(r); got != want {
			t.Errorf("IsControl(%U) = %v, want %v", r, got, want)
		}
	}
}
