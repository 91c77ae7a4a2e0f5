package normalize_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/werkwijzer/werkwijzer/internal/vacancy/normalize"
)

// FuzzSanitizeDescription: whatever comes in, only the allowed elements
// without attributes come out, and sanitizing the result again changes
// nothing (so a description sent back to us is recognised as unchanged).
func FuzzSanitizeDescription(f *testing.F) {
	for _, s := range []string{
		`<p onclick=x>Hi <b>there</b></p><script>alert(1)</script>`,
		`<ul><li>a<ul><li>b</li></ul></li></ul><h2>Kop</h2>`,
		"plain\n\n- one\n- two",
		`&lt;p&gt;escaped&lt;/p&gt; &amp;amp; <a href="javascript:x">y</a>`,
		`<strong>a<div>b</div>c</strong><table><tr><td>x</td></tr></table>`,
		`<svg><style><img src=x onerror=alert(1)></style></svg>`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, _ := normalize.SanitizeDescription(in)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 out of %q", in)
		}
		allowedOnly(t, out)
		again, removed := normalize.SanitizeDescription(out)
		if again != out || removed {
			t.Fatalf("not stable:\n in  %q\n out %q\nagain %q (removed %v)", in, out, again, removed)
		}
	})
}

// FuzzCleanText: whatever comes in, a plain-text field comes out as valid
// UTF-8 without anything a browser could read as markup, and cleaning it
// again changes nothing.
func FuzzCleanText(f *testing.F) {
	for _, s := range []string{
		"Office manager &lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;",
		"&amp;lt;b&amp;gt; &#60;i&#x3e; &#X3C;/i&gt;",
		"&l&#116;;b&gt; &lt\x12;b&gt; a &lt;&lt;b",
		"<scr<script></script>ipt>x <img src=x> y",
		"  <b>Office&amp;amp;nbsp;manager</b>\t&amp; PA\x00 ",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := normalize.CleanText(in)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 out of %q", in)
		}
		plainTextOnly(t, in, out)
	})
}

// FuzzParseDate: a date that parses keeps its meaning when its canonical
// text is parsed again, in any time zone.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-10-01", "2026-10-01T09:00:00+02:00", "Fri, 02 Oct 2026 22:49:39 GMT", "01-10-2026", "2026-10-01 09:00", "2026-03-29T02:30:00"} {
		f.Add(s)
	}
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	ny, _ := time.LoadLocation("America/New_York")
	f.Fuzz(func(t *testing.T, in string) {
		d, _, err := normalize.ParseDate(in, ams)
		if err != nil {
			return
		}
		if d.At.Location() != time.UTC {
			t.Fatalf("At is not UTC: %v", d.At)
		}
		again, assumed, err := normalize.ParseDate(d.Text, ams)
		if err != nil || again != d || assumed {
			t.Fatalf("%q -> %q -> %+v (assumed %v, %v)", in, d.Text, again, assumed, err)
		}
		if !d.DateOnly() {
			// A date and time with its offset means the same anywhere.
			elsewhere, _, err := normalize.ParseDate(d.Text, ny)
			if err != nil || !elsewhere.At.Equal(d.At) {
				t.Fatalf("%q means %v in New York, %v in Amsterdam", d.Text, elsewhere.At, d.At)
			}
		} else if !strings.HasPrefix(d.At.In(ams).Format(time.RFC3339), d.Text+"T00:00:00") {
			t.Fatalf("plain date %q starts at %v in Amsterdam", d.Text, d.At.In(ams))
		}
	})
}
