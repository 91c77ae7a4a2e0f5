package vacancy

import (
	"html"
	"regexp"
	"strings"
	"unicode"

	"github.com/microcosm-cc/bluemonday"
	nethtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/unicode/norm"
)

// entity matches an HTML character reference left in text after one round
// of decoding: feeds often escape twice ("&amp;amp;", "&amp;eacute;").
var entity = regexp.MustCompile(`&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});`)

// decodeEntities decodes character references, up to three rounds deep.
func decodeEntities(s string) string {
	for range 3 {
		if !entity.MatchString(s) {
			break
		}
		s = html.UnescapeString(s)
	}
	return s
}

// cleanText turns what a source sent for a one-line field into plain text:
// tags stripped, entities decoded (also when escaped twice), control
// characters dropped, white space collapsed, Unicode in NFC.
func cleanText(s string) string {
	if s == "" {
		return ""
	}
	s = strings.ToValidUTF8(s, "")
	if strings.ContainsRune(s, '<') {
		s = stripTags(s)
	}
	s = decodeEntities(s)
	s = strings.Map(func(r rune) rune {
		if isControl(r) {
			if r == '\t' || r == '\n' || r == '\r' {
				return ' '
			}
			return -1
		}
		return r
	}, s)
	return norm.NFC.String(strings.Join(strings.Fields(s), " "))
}

// stripTags keeps the text of an HTML fragment, decoding its entities,
// without the content of scripts and styles.
func stripTags(s string) string {
	z := nethtml.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	skip := 0
	for {
		switch z.Next() {
		case nethtml.ErrorToken:
			return b.String()
		case nethtml.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case nethtml.StartTagToken:
			name, _ := z.TagName()
			if dropsContent(atom.Lookup(name)) {
				skip++
			} else {
				b.WriteByte(' ')
			}
		case nethtml.EndTagToken:
			name, _ := z.TagName()
			if dropsContent(atom.Lookup(name)) && skip > 0 {
				skip--
			} else {
				b.WriteByte(' ')
			}
		}
	}
}

// dropsContent lists the elements removed with everything inside them.
func dropsContent(a atom.Atom) bool {
	switch a {
	case atom.Script, atom.Style, atom.Iframe, atom.Frame, atom.Frameset, atom.Object, atom.Embed,
		atom.Applet, atom.Noscript, atom.Template, atom.Head, atom.Title, atom.Svg, atom.Math,
		atom.Form, atom.Input, atom.Button, atom.Select, atom.Textarea, atom.Video, atom.Audio,
		atom.Canvas, atom.Link, atom.Meta, atom.Base, atom.Img, atom.Picture, atom.Source, atom.Map:
		return true
	}
	return false
}

// unsafe lists the dropped elements worth a warning: active content, not
// mere decoration such as images.
func unsafe(a atom.Atom) bool {
	switch a {
	case atom.Script, atom.Style, atom.Iframe, atom.Frame, atom.Frameset, atom.Object, atom.Embed,
		atom.Applet, atom.Form, atom.Input, atom.Button, atom.Select, atom.Textarea, atom.Link, atom.Meta, atom.Base, atom.Svg, atom.Math:
		return true
	}
	return false
}

// descriptionPolicy is the last line of defence: whatever the renderer
// below produced, only these elements, without attributes, get through.
var descriptionPolicy = func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "ul", "ol", "li", "strong", "em", "br")
	return p
}()

// SanitizeDescription turns a source's description into the HTML that is
// stored and served: paragraphs, lists, strong and emphasis, line breaks,
// and text. Headings become bold paragraphs, <b> and <i> become <strong>
// and <em>, other block elements (div, table cells) become paragraphs, and
// links and images keep only their text. Scripts, styles, frames, forms
// and their content are removed, as are all attributes (so every event
// handler and javascript: link). Plain text becomes paragraphs at blank
// lines, <br> at line ends and lists where lines start with "-", "*" or
// "•". Entities are decoded, also when escaped twice. removed reports that
// unsafe markup was dropped.
func SanitizeDescription(in string) (out string, removed bool) {
	in = strings.ToValidUTF8(in, "")
	if strings.TrimSpace(in) == "" {
		return "", false
	}
	if !strings.ContainsRune(in, '<') {
		if !strings.Contains(in, "&lt;") {
			return plainTextHTML(in), false
		}
		// HTML escaped once more than it should be.
		in = html.UnescapeString(in)
	}
	nodes, err := nethtml.ParseFragment(strings.NewReader(in), &nethtml.Node{Type: nethtml.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		return plainTextHTML(stripTags(in)), true
	}
	r := &renderer{}
	for _, n := range nodes {
		r.node(n, 0)
	}
	r.flush()
	clean := descriptionPolicy.Sanitize(r.out.String())
	return clean, r.removed
}

// maxDepth bounds how deep the renderer follows nested elements; deeper
// content still gets in as text.
const maxDepth = 64

// renderer writes the allowed subset of an HTML tree. Inline content goes
// into the current paragraph; a block element ends it.
type renderer struct {
	out     strings.Builder
	para    strings.Builder
	open    []string // inline elements open in the current paragraph
	hasText bool
	// inItem makes paragraphs within a list item separate by <br>.
	inItem  bool
	removed bool
}

func (r *renderer) node(n *nethtml.Node, depth int) {
	switch n.Type {
	case nethtml.TextNode:
		r.text(n.Data)
		return
	case nethtml.ElementNode:
	case nethtml.DocumentNode:
		r.children(n, depth)
		return
	default: // comments, doctypes
		return
	}
	for _, a := range n.Attr {
		k := strings.ToLower(a.Key)
		if strings.HasPrefix(k, "on") || strings.Contains(strings.ToLower(a.Val), "javascript:") {
			r.removed = true
		}
	}
	if dropsContent(n.DataAtom) || (n.DataAtom == 0 && strings.Contains(n.Data, ":")) {
		r.removed = r.removed || unsafe(n.DataAtom) || n.DataAtom == 0
		return
	}
	if depth > maxDepth {
		r.text(textOf(n))
		return
	}
	switch n.DataAtom {
	case atom.Br:
		r.para.WriteString("<br>")
	case atom.Strong, atom.B:
		r.inline("strong", n, depth)
	case atom.Em, atom.I:
		r.inline("em", n, depth)
	case atom.Ul, atom.Ol:
		r.flush()
		r.list(n, depth)
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		r.flush()
		r.inline("strong", n, depth)
		r.flush()
	case atom.P, atom.Div, atom.Section, atom.Article, atom.Header, atom.Footer, atom.Main, atom.Aside, atom.Nav,
		atom.Blockquote, atom.Address, atom.Figure, atom.Figcaption, atom.Center, atom.Table, atom.Thead, atom.Tbody,
		atom.Tfoot, atom.Tr, atom.Td, atom.Th, atom.Caption, atom.Dl, atom.Dt, atom.Dd, atom.Pre, atom.Details,
		atom.Summary, atom.Fieldset, atom.Li, atom.Body, atom.Html, atom.Hr:
		r.flush()
		r.children(n, depth)
		r.flush()
	default: // span, a, u, font, small, abbr...: their text, inline
		r.children(n, depth)
	}
}

func (r *renderer) children(n *nethtml.Node, depth int) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		r.node(c, depth+1)
	}
}

func (r *renderer) inline(tag string, n *nethtml.Node, depth int) {
	r.para.WriteString("<" + tag + ">")
	r.open = append(r.open, tag)
	r.children(n, depth)
	// A block inside may have flushed and reopened; the innermost open
	// element is this one either way.
	r.open = r.open[:len(r.open)-1]
	r.para.WriteString("</" + tag + ">")
}

func (r *renderer) text(s string) {
	s = collapseSpace(decodeEntities(s))
	if !r.hasText {
		s = strings.TrimLeftFunc(s, unicode.IsSpace)
	}
	if s == "" {
		return
	}
	r.hasText = true
	r.para.WriteString(html.EscapeString(s))
}

// flush ends the current paragraph, closing and reopening the inline
// elements that span it.
func (r *renderer) flush() {
	if r.hasText {
		content := r.para.String()
		for i := len(r.open) - 1; i >= 0; i-- {
			content += "</" + r.open[i] + ">"
		}
		content = strings.TrimRightFunc(content, unicode.IsSpace)
		if r.inItem {
			if r.out.Len() > 0 && !strings.HasSuffix(r.out.String(), "</ul>") && !strings.HasSuffix(r.out.String(), "</ol>") {
				r.out.WriteString("<br>")
			}
			r.out.WriteString(content)
		} else {
			r.out.WriteString("<p>" + content + "</p>")
		}
	}
	r.para.Reset()
	r.hasText = false
	for _, tag := range r.open {
		r.para.WriteString("<" + tag + ">")
	}
}

// list writes a list; each child becomes an item, rendered on its own.
func (r *renderer) list(n *nethtml.Node, depth int) {
	tag := "ul"
	if n.DataAtom == atom.Ol {
		tag = "ol"
	}
	var items []string
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == nethtml.TextNode && strings.TrimSpace(c.Data) == "" {
			continue
		}
		item := &renderer{inItem: true}
		if c.Type == nethtml.ElementNode && c.DataAtom == atom.Li {
			item.children(c, depth+1)
		} else {
			item.node(c, depth+1)
		}
		item.flush()
		r.removed = r.removed || item.removed
		if s := item.out.String(); s != "" {
			items = append(items, "<li>"+s+"</li>")
		}
	}
	if len(items) > 0 {
		r.out.WriteString("<" + tag + ">" + strings.Join(items, "") + "</" + tag + ">")
	}
}

func textOf(n *nethtml.Node) string {
	var b strings.Builder
	var walk func(*nethtml.Node)
	walk = func(n *nethtml.Node) {
		if n.Type == nethtml.TextNode {
			b.WriteString(n.Data)
		}
		if n.Type == nethtml.ElementNode && dropsContent(n.DataAtom) {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		b.WriteByte(' ')
	}
	walk(n)
	return b.String()
}

func collapseSpace(s string) string {
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
		if isControl(r) {
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return norm.NFC.String(b.String())
}

var (
	bullet     = regexp.MustCompile(`^\s*(?:[-*•·▪–]|\d+[.)])\s+`)
	blankLines = regexp.MustCompile(`\n\s*\n`)
)

// plainTextHTML turns plain text into paragraphs, line breaks and lists.
func plainTextHTML(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	var out strings.Builder
	for _, block := range blankLines.Split(s, -1) {
		var lines, items []string
		emitLines := func() {
			if len(lines) > 0 {
				out.WriteString("<p>" + strings.Join(lines, "<br>") + "</p>")
				lines = nil
			}
		}
		emitItems := func() {
			if len(items) > 0 {
				out.WriteString("<ul><li>" + strings.Join(items, "</li><li>") + "</li></ul>")
				items = nil
			}
		}
		for _, line := range strings.Split(block, "\n") {
			if m := bullet.FindString(line); m != "" {
				if text := strings.TrimSpace(collapseSpace(decodeEntities(line[len(m):]))); text != "" {
					emitLines()
					items = append(items, html.EscapeString(text))
				}
				continue
			}
			if text := strings.TrimSpace(collapseSpace(decodeEntities(line))); text != "" {
				emitItems()
				lines = append(lines, html.EscapeString(text))
			}
		}
		emitLines()
		emitItems()
	}
	return descriptionPolicy.Sanitize(out.String())
}
