package normalize

import (
	"bytes"
	"html"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	nethtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/unicode/norm"
)

// entityWindow is how far a character reference can reach: the longest
// named one, "&CounterClockwiseContourIntegral;", is 33 bytes.
const entityWindow = 40

// decodeEntities decodes character references until none is left, also
// when escaped several times ("&amp;amp;lt;") or when a decoded character
// completes a reference around it ("&l&#116;;"). Each decoding shortens
// the text by at least one character and only the entityWindow bytes
// before it are read again, so this is linear in the length of s.
func decodeEntities(s string) string {
	if !strings.ContainsRune(s, '&') {
		return s
	}
	out := make([]byte, 0, len(s))
	var again []byte // text to read before s[pos:]
	pos := 0
	// The one way out is the break below: nothing waits to be read again
	// and the rest of s holds no '&' (an empty rest included).
	for {
		if len(again) == 0 {
			i := strings.IndexByte(s[pos:], '&')
			if i < 0 {
				out = append(out, s[pos:]...)
				break
			}
			out = append(out, s[pos:pos+i]...)
			pos += i
		} else if again[0] != '&' {
			out = append(out, again[0])
			again = again[1:]
			continue
		}
		// A reference starts here: decode it alone, from a window that
		// ends before the next '&'.
		var buf [entityWindow]byte
		w := append(buf[:0], again[:min(len(again), entityWindow)]...)
		w = append(w, s[pos:min(len(s), pos+entityWindow-len(w))]...)
		if i := bytes.IndexByte(w[1:], '&'); i >= 0 {
			w = w[:i+1]
		}
		d := ""
		if len(w) > 2 && (w[1] == '#' || 'a' <= w[1]|0x20 && w[1]|0x20 <= 'z') {
			d = html.UnescapeString(string(w))
		}
		if d == "" || d == string(w) {
			out = append(out, '&')
			if len(again) > 0 {
				again = again[1:]
			} else {
				pos++
			}
			continue
		}
		// Consume the window, then read the decoded text again together
		// with the window before it, where it may complete a reference.
		n := min(len(w), len(again)) // the part of the window taken from again
		again = again[n:]
		pos += len(w) - n
		back := max(0, len(out)-entityWindow)
		next := make([]byte, 0, len(out)-back+len(d)+len(again))
		next = append(append(append(next, out[back:]...), d...), again...)
		again, out = next, out[:back]
	}
	return string(out)
}

// maxCleanRounds bounds how often cleaning repeats until the text stops
// changing; text still changing after that is adversarial.
const maxCleanRounds = 8

// tagOpen finds a '<' a browser would read as the start of a tag, a
// comment or a processing instruction.
var tagOpen = regexp.MustCompile(`<+([A-Za-z/!?])`)

// CleanText turns what a source sent for a one-line field into plain text:
// entities decoded (also when escaped several times), tags stripped,
// control characters dropped, white space collapsed, Unicode in NFC. This
// repeats until the text no longer changes, so no encoding trick leaves
// markup behind and cleaning the result again changes nothing. The result
// never holds a '<' followed by a letter, '/', '!' or '?': a frontend that
// inserts it into HTML without escaping still gets no element.
func CleanText(s string) string {
	if s == "" {
		return ""
	}
	s = strings.ToValidUTF8(s, "")
	for range maxCleanRounds {
		t := cleanRound(s)
		if t == s || !strings.ContainsAny(t, "&<") {
			// Without '&' or '<' a round only collapses space again,
			// which changes nothing.
			return t
		}
		s = t
	}
	// Still changing: drop what could still decode or open a tag.
	return collapseLine(strings.NewReplacer("&", "", "<", "").Replace(s))
}

func cleanRound(s string) string {
	s = decodeEntities(collapseLine(s))
	if strings.ContainsRune(s, '<') {
		s = stripTags(s)
	}
	s = collapseLine(s)
	if strings.ContainsRune(s, '<') {
		// Stripping keeps the content of raw-text elements such as <xmp>
		// and <plaintext> as text, tags and all.
		s = tagOpen.ReplaceAllString(s, "$1")
	}
	return s
}

// collapseLine drops control characters, collapses white space (line
// breaks included) into single spaces, trims, and puts Unicode in NFC.
func collapseLine(s string) string {
	return strings.TrimSpace(collapseSpace(s))
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
			a := atom.Lookup(name)
			switch {
			case void(a):
				// Never closed, so it cannot hide what follows.
				b.WriteByte(' ')
			case dropsContent(a):
				skip++
			default:
				b.WriteByte(' ')
			}
		case nethtml.EndTagToken:
			name, _ := z.TagName()
			if a := atom.Lookup(name); dropsContent(a) && !void(a) && skip > 0 {
				skip--
			} else {
				b.WriteByte(' ')
			}
		case nethtml.SelfClosingTagToken:
			b.WriteByte(' ')
		}
	}
}

// void lists the dropped elements that have no end tag.
func void(a atom.Atom) bool {
	switch a {
	case atom.Img, atom.Input, atom.Link, atom.Meta, atom.Base, atom.Source, atom.Embed:
		return true
	}
	return false
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
	// pending collects text until the next tag, so that text which ends
	// up as one run in the output is normalized as one.
	pending strings.Builder
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
		r.tag("<br>")
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
	r.tag("<" + tag + ">")
	r.open = append(r.open, tag)
	r.children(n, depth)
	// A block inside may have flushed and reopened; the innermost open
	// element is this one either way.
	r.open = r.open[:len(r.open)-1]
	r.tag("</" + tag + ">")
}

func (r *renderer) text(s string) {
	r.pending.WriteString(s)
}

// tag writes markup into the current paragraph, after the text before it.
func (r *renderer) tag(markup string) {
	r.writeText()
	r.para.WriteString(markup)
}

// writeText writes the pending text into the current paragraph.
func (r *renderer) writeText() {
	s := normText(r.pending.String())
	r.pending.Reset()
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
	r.writeText()
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

// normText is a run of description text as stored: entities decoded (also
// when escaped several times), control characters dropped, white space
// collapsed, Unicode in NFC. It repeats until the text no longer changes,
// so that sanitizing a sanitized description changes nothing.
func normText(s string) string {
	for range maxCleanRounds {
		t := collapseSpace(decodeEntities(s))
		if t == s || !strings.ContainsRune(t, '&') {
			// Without '&' a round only collapses space again.
			return t
		}
		s = t
	}
	return collapseSpace(strings.ReplaceAll(s, "&", ""))
}

// collapseSpace turns every run of white space into one space, drops
// control characters and invalid UTF-8, and normalizes to NFC.
func collapseSpace(s string) string {
	if spacedOnce(s) {
		// Most text of a feed needs no change: skip the copy (the
		// description renderer calls this for every text run).
		return norm.NFC.String(s)
	}
	var b strings.Builder
	b.Grow(len(s))
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

// spacedOnce reports whether collapseSpace would leave s as it is but
// for NFC: valid UTF-8 without control characters, whose only white space
// is single ' ' characters.
func spacedOnce(s string) bool {
	space := false
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f { // printable ASCII: the common case
			if c == ' ' {
				if space {
					return false
				}
				space = true
			} else {
				space = false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || IsControl(r) || unicode.IsSpace(r) {
			return false
		}
		space = false
		i += size
	}
	return true
}

// IsControl reports whether r is a C0 or C1 control character or DEL,
// which no field of a vacancy may keep.
func IsControl(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }

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
				if text := strings.TrimSpace(normText(line[len(m):])); text != "" {
					emitLines()
					items = append(items, html.EscapeString(text))
				}
				continue
			}
			if text := strings.TrimSpace(normText(line)); text != "" {
				emitItems()
				lines = append(lines, html.EscapeString(text))
			}
		}
		emitLines()
		emitItems()
	}
	return descriptionPolicy.Sanitize(out.String())
}
