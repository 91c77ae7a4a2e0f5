package richtext

import (
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestHTMLKeepsFormatting(t *testing.T) {
	tests := []struct {
		name     string
		markdown string
		want     []string
	}{
		{
			name:     "bullet list",
			markdown: "- apples\n- pears\n",
			want:     []string{"<ul>", "<li>apples</li>", "<li>pears</li>", "</ul>"},
		},
		{
			name:     "ordered list",
			markdown: "1. first\n2. second\n",
			want:     []string{"<ol>", "<li>first</li>", "<li>second</li>", "</ol>"},
		},
		{
			name:     "ordered list starting elsewhere",
			markdown: "3. third\n4. fourth\n",
			want:     []string{`<ol start="3">`, "<li>third</li>"},
		},
		{
			name:     "table with alignment",
			markdown: "| Name | Price |\n|:-----|------:|\n| Tea  | 2.50  |\n",
			want: []string{
				"<table>", "<thead>", `<th align="left">Name</th>`, `<th align="right">Price</th>`,
				"<tbody>", `<td align="left">Tea</td>`, `<td align="right">2.50</td>`, "</table>",
			},
		},
		{
			name:     "emphasis, strong and strikethrough",
			markdown: "*soft* **loud** ~~gone~~",
			want:     []string{"<em>soft</em>", "<strong>loud</strong>", "<del>gone</del>"},
		},
		{
			name:     "code",
			markdown: "Use `go test`.\n\n```go\nfmt.Println(\"<b>\")\n```\n",
			want:     []string{"<code>go test</code>", `<pre><code class="language-go">`, "&lt;b&gt;"},
		},
		{
			name:     "heading and blockquote",
			markdown: "## Title\n\n> quoted\n",
			want:     []string{"<h2>Title</h2>", "<blockquote>", "<p>quoted</p>"},
		},
		{
			name:     "absolute link gets nofollow",
			markdown: "[docs](https://example.com/docs)",
			want:     []string{`<a href="https://example.com/docs" rel="nofollow">docs</a>`},
		},
		{
			name:     "relative link stays as is",
			markdown: "[about](/about)",
			want:     []string{`<a href="/about">about</a>`},
		},
		{
			name:     "mailto and tel links",
			markdown: "[mail](mailto:info@example.com) [call](tel:+31201234567)",
			want:     []string{`href="mailto:info@example.com"`, `href="tel:+31201234567"`},
		},
		{
			name:     "autolinks",
			markdown: "See <https://example.com> and www.example.org.",
			want:     []string{`<a href="https://example.com" rel="nofollow">`, `<a href="http://www.example.org" rel="nofollow">`},
		},
		{
			name:     "task list",
			markdown: "- [x] done\n- [ ] todo\n",
			want:     []string{`<input checked="" disabled="" type="checkbox"> done`, `<input disabled="" type="checkbox"> todo`},
		},
		{
			name:     "https image",
			markdown: "![logo](https://cdn.example.com/logo.png)",
			want:     []string{`<img src="https://cdn.example.com/logo.png" alt="logo">`},
		},
		{
			name:     "harmless raw HTML",
			markdown: "H<sub>2</sub>O and E = mc<sup>2</sup>",
			want:     []string{"<sub>2</sub>", "<sup>2</sup>"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := HTML(tt.markdown)
			for _, want := range tt.want {
				if !strings.Contains(got, want) {
					t.Errorf("HTML(%q) = %q, want it to contain %q", tt.markdown, got, want)
				}
			}
		})
	}
}

func TestHTMLRemovesDangerousMarkup(t *testing.T) {
	tests := []struct {
		name     string
		markdown string
		// want is what must survive, proving the input was sanitized rather
		// than dropped wholesale.
		want   string
		absent []string
	}{
		{
			name:     "script tag",
			markdown: "before\n\n<script>alert(1)</script>\n\nafter",
			want:     "<p>after</p>",
			absent:   []string{"<script", "alert(1)"},
		},
		{
			name:     "inline script tag",
			markdown: "text <script>alert(1)</script> more",
			want:     "text",
			absent:   []string{"<script", "alert(1)"},
		},
		{
			name:     "style tag",
			markdown: "<style>body{display:none}</style>\n\nvisible",
			want:     "<p>visible</p>",
			absent:   []string{"<style", "display:none"},
		},
		{
			name:     "img onerror",
			markdown: `look <img src="https://example.com/a.png" onerror="alert(1)"> here`,
			want:     `<img src="https://example.com/a.png">`,
			absent:   []string{"onerror", "alert(1)"},
		},
		{
			name:     "raw anchor with javascript URL",
			markdown: `<a href="javascript:alert(1)">click</a>`,
			want:     "click",
			absent:   []string{"javascript", "href"},
		},
		{
			name:     "markdown link with javascript URL",
			markdown: "[click](javascript:alert(1))",
			want:     "click",
			absent:   []string{"javascript", "href"},
		},
		{
			name:     "mixed case javascript URL",
			markdown: "[click](JaVaScRiPt:alert(1))",
			want:     "click",
			absent:   []string{"javascript", "href"},
		},
		{
			name:     "javascript URL split by an encoded tab",
			markdown: `<a href="java&#x09;script:alert(1)">click</a>`,
			want:     "click",
			absent:   []string{"script", "href"},
		},
		{
			name:     "javascript URL with leading spaces",
			markdown: `<a href="   javascript:alert(1)">click</a>`,
			want:     "click",
			absent:   []string{"javascript", "href"},
		},
		{
			name:     "javascript URL with entity-encoded colon",
			markdown: "[click](javascript&#58;alert(1))",
			want:     "click",
			absent:   []string{"javascript", "href"},
		},
		{
			name:     "vbscript URL",
			markdown: "[click](vbscript:msgbox(1))",
			want:     "click",
			absent:   []string{"vbscript", "href"},
		},
		{
			name:     "data URL link",
			markdown: "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
			want:     "click",
			absent:   []string{"data:", "href"},
		},
		{
			name:     "data URL image",
			markdown: "![pixel](data:image/png;base64,iVBORw0KGgo=)",
			want:     `alt="pixel"`,
			absent:   []string{"data:", "src"},
		},
		{
			name:     "iframe",
			markdown: `<iframe src="https://evil.example"></iframe>` + "\n\nafter",
			want:     "<p>after</p>",
			absent:   []string{"<iframe", "evil.example"},
		},
		{
			name:     "style attribute",
			markdown: `<p style="position:fixed;top:0">covered</p>`,
			want:     "<p>covered</p>",
			absent:   []string{"style", "position"},
		},
		{
			name:     "event handler on allowed element",
			markdown: `<b onclick="alert(1)" onmouseover="alert(2)">bold</b>`,
			want:     "<b>bold</b>",
			absent:   []string{"onclick", "onmouseover", "alert"},
		},
		{
			name:     "form controls other than task checkboxes",
			markdown: `<form action="https://evil.example"><input type="text" name="password"><button>go</button></form>`,
			want:     "go",
			absent:   []string{"<form", "<input", "<button", "evil.example"},
		},
		{
			name:     "svg with script",
			markdown: `<svg><script>alert(1)</script></svg>ok`,
			want:     "ok",
			absent:   []string{"<svg", "<script", "alert"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := HTML(tt.markdown)
			if !strings.Contains(got, tt.want) {
				t.Errorf("HTML(%q) = %q, want it to contain %q", tt.markdown, got, tt.want)
			}
			for _, bad := range tt.absent {
				if strings.Contains(strings.ToLower(got), strings.ToLower(bad)) {
					t.Errorf("HTML(%q) = %q, must not contain %q", tt.markdown, got, bad)
				}
			}
			assertSafe(t, tt.markdown, got)
		})
	}
}

func FuzzHTML(f *testing.F) {
	seeds := []string{
		"# Title\n\n- a\n- b\n\n1. one\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n",
		"*em* **strong** ~~del~~ `code` [link](https://example.com) ![img](https://example.com/a.png)",
		"<script>alert(1)</script>",
		`<img src=x onerror=alert(1)>`,
		`<a href="javascript:alert(1)">x</a>`,
		"[x](javascript:alert(1))",
		"[x](JaVaScRiPt:alert(1))",
		`<a href="java&#x09;script:alert(1)">x</a>`,
		`<a href=" javascript:alert(1)">x</a>`,
		"[x](data:text/html;base64,PHNjcmlwdD4=)",
		`<iframe src="https://example.com"></iframe>`,
		`<p style="color:red" onclick="alert(1)">x</p>`,
		`<svg onload=alert(1)>`,
		"<scr<script>ipt>alert(1)</script>",
		"<textarea><script>alert(1)</script></textarea>",
		"<!-- <script>alert(1)</script> -->",
	}
	for _, seed := range seeds {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, markdown string) {
		assertSafe(t, markdown, HTML(markdown))
	})
}

// urlAttributes are the attributes a browser resolves as URLs, and so the
// ones through which a script URL could run.
var urlAttributes = map[string]bool{
	"href": true, "src": true, "cite": true, "action": true, "formaction": true,
	"background": true, "poster": true, "srcset": true, "xlink:href": true, "data": true,
}

// urlScheme matches the scheme of a URL once whitespace has been removed the
// way browsers remove it.
var urlScheme = regexp.MustCompile(`^([a-zA-Z][a-zA-Z0-9+.\-]*):`)

var safeSchemes = map[string]bool{"": true, "http": true, "https": true, "mailto": true, "tel": true}

// assertSafe fails the test when out, the HTML rendered for markdown, could
// run script. Text content is allowed to mention "javascript:" or
// "onclick=": it is escaped and inert, so the checks look at markup only,
// re-tokenizing out as a browser would.
func assertSafe(t *testing.T, markdown, out string) {
	t.Helper()
	if strings.Contains(strings.ToLower(out), "<script") {
		t.Fatalf("HTML(%q) = %q contains a script tag", markdown, out)
	}
	tokens := html.NewTokenizer(strings.NewReader(out))
	for {
		switch tokens.Next() {
		case html.ErrorToken:
			return
		case html.StartTagToken, html.SelfClosingTagToken:
			token := tokens.Token()
			switch token.Data {
			case "script", "style", "iframe", "object", "embed", "svg", "math":
				t.Fatalf("HTML(%q) = %q contains a <%s> element", markdown, out, token.Data)
			}
			for _, attr := range token.Attr {
				if strings.HasPrefix(attr.Key, "on") || attr.Key == "style" {
					t.Fatalf("HTML(%q) = %q contains a %s attribute", markdown, out, attr.Key)
				}
				if urlAttributes[attr.Key] {
					if scheme := browserScheme(attr.Val); !safeSchemes[scheme] {
						t.Fatalf("HTML(%q) = %q contains a %s URL with scheme %q", markdown, out, attr.Key, scheme)
					}
				}
			}
		}
	}
}

// browserScheme returns the lower-cased scheme a browser would see in the URL
// value: it trims leading and trailing control characters and spaces and
// drops tabs and newlines anywhere, which is how "java\tscript:" still runs.
func browserScheme(value string) string {
	value = strings.TrimFunc(value, func(r rune) bool { return r <= ' ' })
	value = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(value)
	match := urlScheme.FindStringSubmatch(value)
	if match == nil {
		return ""
	}
	return strings.ToLower(match[1])
}

// benchmarkDocument is a realistic page of about 3 KB: headings, paragraphs
// with inline markup and links, a list, a task list and a table.
const benchmarkDocument = `# Opening hours and visiting information

Welcome to the **Werkwijzer** knowledge base. This page explains when our
offices are open, how to reach us and what to bring to your *first visit*.
For urgent questions, see the [contact page](/contact) or mail
[support@example.com](mailto:support@example.com).

## Before you come

Please make sure you have the following with you:

- A valid identity document (passport, identity card or driving licence)
- Your customer number, which you can find on every invoice
- Any letters you received from us about your case
- A list of questions, so we can make the most of the appointment

Checklist for your appointment:

- [x] Book a time slot online
- [x] Confirm the appointment by email
- [ ] Upload supporting documents in advance
- [ ] Arrange parking or check the public transport planner

## Opening hours

| Day       | Morning       | Afternoon     | Phone support |
|:----------|:-------------:|:-------------:|--------------:|
| Monday    | 09:00 – 12:00 | 13:00 – 17:00 | 08:30 – 17:30 |
| Tuesday   | 09:00 – 12:00 | 13:00 – 17:00 | 08:30 – 17:30 |
| Wednesday | 09:00 – 12:00 | closed        | 08:30 – 12:30 |
| Thursday  | 09:00 – 12:00 | 13:00 – 20:00 | 08:30 – 20:00 |
| Friday    | 09:00 – 12:00 | 13:00 – 16:00 | 08:30 – 16:00 |
| Saturday  | 10:00 – 13:00 | closed        | closed        |

On public holidays the offices are ~~open~~ closed. Check the
[holiday calendar](https://www.example.com/holidays) for exact dates.

## Getting here

1. Take the train to the central station.
2. Leave the station via the north exit and turn left.
3. Walk for about five minutes along the canal.
4. Our building is the one with the blue door, number 42.

> Tip: the car park under the building fills up quickly on Thursday
> evenings. Consider arriving by bike; there is a free bicycle shed
> next to the entrance.

### Parking and public transport

Visitors arriving by car can use the public car park on the other side of
the canal. The first hour is free when you have your parking ticket stamped
at the reception desk. Bus lines 12, 15 and 22 stop right in front of the
building; the stop is called *Kanaalplein*. Night buses do not stop here,
so plan your return trip if your appointment is late in the evening.

### Accessibility

The building is fully accessible for wheelchairs. A lift is available
next to the reception, and an induction loop is installed in all meeting
rooms. If you need assistance, let us know in advance by calling
[+31 20 123 4567](tel:+31201234567).

### Frequently used commands

Staff can export the visit log with ` + "`werkwijzer export --visits`" + `:

` + "```sh\nwerkwijzer export --visits --from 2024-01-01 --format csv > visits.csv\n```" + `

More information is available at <https://docs.example.com/visits> and
www.example.org/help.
`

func BenchmarkHTML(b *testing.B) {
	b.SetBytes(int64(len(benchmarkDocument)))
	for b.Loop() {
		HTML(benchmarkDocument)
	}
}

func TestCachedRenderingEqualsFreshRendering(t *testing.T) {
	doc := "Een **vet** woord en <script>alert(1)</script>\n\n- een\n- twee"
	first := HTML(doc)
	if _, ok := cache.Get(doc); !ok {
		t.Fatal("a small document was not cached")
	}
	if again := HTML(doc); again != first || again != render(doc) {
		t.Fatalf("cached %q differs from fresh %q", again, render(doc))
	}
	big := strings.Repeat("woord ", cacheableBytes/5)
	HTML(big)
	if _, ok := cache.Get(big); ok {
		t.Fatal("a document over the size bound was cached")
	}
}
