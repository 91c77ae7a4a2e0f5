package normalize_test

import (
	"strings"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/vacancy/normalize"
)

// TestDescriptionEdges: what the cleaner drops and what it reports.
func TestDescriptionEdges(t *testing.T) {
	cases := []struct {
		in, want string
		removed  bool
	}{
		// Namespaced elements (Word's o:p, a prefixed script) are not
		// HTML: dropped with their content, and reported.
		{`<p>Tekst</p><x:script>alert(1)</x:script>`, `<p>Tekst</p>`, true},
		{`<p>Een<o:p>rommel</o:p> twee</p>`, `<p>Een twee</p>`, true},
		// An image without handlers is decoration: dropped, not reported.
		{`<img src="a.png"><p>foto</p>`, `<p>foto</p>`, false},
		// An unknown element without a prefix is kept as its text.
		{`<p>Een <foo-bar>twee</foo-bar> drie</p>`, `<p>Een twee drie</p>`, false},
		{`<p>A <span onmouseover="x()">b</span></p>`, `<p>A b</p>`, true},
		{`<p>A <a href="JAVASCRIPT:x()">b</a></p>`, `<p>A b</p>`, true},
		{`<p><b>Vet</b> en <em>schuin</em><br>nieuwe regel</p>`, `<p><strong>Vet</strong> en <em>schuin</em><br>nieuwe regel</p>`, false},
		{`<h1>Kop</h1>tekst`, `<p><strong>Kop</strong></p><p>tekst</p>`, false},
		{`<ul> <li>a</li> x <li>b</li></ul>`, `<ul><li>a</li><li>x</li><li>b</li></ul>`, false},
		{`<ul><li><p>een</p><p>twee</p></li></ul>`, `<ul><li>een<br>twee</li></ul>`, false},
		{`<ul><li><script>x</script></li><li>b</li></ul>`, `<ul><li>b</li></ul>`, true},
		{`<ul><li></li></ul><p>na</p>`, `<p>na</p>`, false},
		{"  \n\t ", "", false},
		{"<!-- alleen commentaar -->", "", false},
		{"regel een\r\nregel twee\r\rnieuw", `<p>regel een<br>regel twee</p><p>nieuw</p>`, false},
		{"1. eerste\n2) tweede", `<ul><li>eerste</li><li>tweede</li></ul>`, false},
		{"- \n-  b", `<ul><li>b</li></ul>`, false},
		{"tekst &lt;br&gt; meer", `<p>tekst <br> meer</p>`, false},
	}
	for _, c := range cases {
		got, removed := normalize.SanitizeDescription(c.in)
		if got != c.want || removed != c.removed {
			t.Errorf("SanitizeDescription(%q)\n got %q removed=%v\nwant %q removed=%v", c.in, got, removed, c.want, c.removed)
		}
	}
}

// TestDeepNestingKeepsItsText: past maxDepth elements are followed no
// further, but their text still comes through, without scripts.
func TestDeepNestingKeepsItsText(t *testing.T) {
	in := strings.Repeat("<span>", 100) + "diep<script>x()</script> genest" + strings.Repeat("</span>", 100)
	got, _ := normalize.SanitizeDescription(in)
	if got != "<p>diep genest</p>" {
		t.Fatalf("got %q", got)
	}
}
