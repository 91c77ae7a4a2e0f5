// Package feed reads the vacancy feeds Werkwijzer pulls into items for the
// sync engine: Indeed-style XML, the Recruitee careers API (JSON),
// schema.org JobPosting JSON-LD (pages with <script
// type="application/ld+json"> blocks, or JSON files), Personio's XML job
// feed, Greenhouse's Job Board API and Lever's Postings API.
//
// Parsers map what each format carries to vacancy.Item and nothing more:
// every check and normalisation (URLs, HTML, dates, salaries, employment
// types, roles) happens in the vacancy package, the same for every path
// in. A parser fails only when the document as a whole is malformed, so
// that the importer never takes half a feed for the whole one and closes
// vacancies it merely failed to read.
package feed

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/werkwijzer/werkwijzer/internal/vacancy"
)

// MaxItems bounds the vacancies one feed may hold.
const MaxItems = 100_000

// ErrMalformed wraps every parse failure of a document.
var ErrMalformed = errors.New("malformed feed")

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, args...))
}

// Parse reads a document of a source of the given kind from r, as a
// stream: only the item being read and the items read so far are held,
// never the whole document. base is where it came from, for resolving
// relative links in JSON-LD pages; it may be nil. A failure to read r
// (such as a size limit running out) is returned as it is, not as
// ErrMalformed.
func Parse(kind vacancy.Kind, r io.Reader, base *url.URL) ([]vacancy.Item, error) {
	rr := &readErrReader{r: r}
	var items []vacancy.Item
	var err error
	switch kind {
	case vacancy.KindIndeedXML:
		items, err = ParseIndeedXML(rr)
	case vacancy.KindRecruitee:
		items, err = ParseRecruitee(rr)
	case vacancy.KindJSONLD:
		items, err = ParseJSONLD(rr, base)
	case vacancy.KindPersonio:
		items, err = ParsePersonio(rr, base)
	case vacancy.KindGreenhouse:
		items, err = ParseGreenhouse(rr, base)
	case vacancy.KindLever:
		items, err = ParseLever(rr, base)
	default:
		return nil, fmt.Errorf("a %s source has no feed to parse", kind)
	}
	if rr.err != nil {
		// The document was cut off by its reader, not malformed.
		return nil, rr.err
	}
	return items, err
}

// readErrReader remembers the first error of r other than io.EOF: the
// parsers report what they make of a short read, but the cause is the
// reader's.
type readErrReader struct {
	r   io.Reader
	err error
}

func (r *readErrReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) && r.err == nil {
		r.err = err
	}
	return n, err
}

// start skips a UTF-8 byte order mark and leading space and returns the
// document's first byte (0 for an empty one) with a reader positioned on
// it.
func start(r io.Reader) (*bufio.Reader, byte, error) {
	br := bufio.NewReader(r)
	if bom, err := br.Peek(3); err == nil && string(bom) == "\xef\xbb\xbf" {
		_, _ = br.Discard(3)
	}
	for {
		b, err := br.ReadByte()
		if errors.Is(err, io.EOF) {
			return br, 0, nil
		}
		if err != nil {
			return nil, 0, err
		}
		if b != ' ' && b != '\t' && b != '\r' && b != '\n' {
			_ = br.UnreadByte()
			return br, b, nil
		}
	}
}

// skipValue reads past the next JSON value token by token, so a large
// value nobody needs is never held whole.
func skipValue(d *json.Decoder) error {
	depth := 0
	for {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

// endOfDocument reads the closing delimiter of the value being read and
// checks that nothing but space follows it, as json.Unmarshal would.
func endOfDocument(d *json.Decoder) error {
	if _, err := d.Token(); err != nil {
		return err
	}
	if _, err := d.Token(); !errors.Is(err, io.EOF) {
		if err == nil {
			return errors.New("data after the top-level value")
		}
		return err
	}
	return nil
}

// splitList splits "a, b; c" into its parts.
func splitList(s string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '|' }) {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// flexString reads a JSON value that should be a string but may be a
// number or null.
func flexString(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

// flexFloat reads a JSON number that may be written as a string ("3.000"
// is read the Dutch way only by the vacancy package; here only plain
// numbers count).
func flexFloat(raw json.RawMessage) *float64 {
	s := strings.TrimSpace(flexString(raw))
	if s == "" {
		return nil
	}
	f, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil {
		return nil
	}
	return &f
}

// flexStrings reads a string or an array of strings.
func flexStrings(raw json.RawMessage) []string {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '[' {
		var list []json.RawMessage
		if json.Unmarshal(raw, &list) != nil {
			return nil
		}
		var out []string
		for _, r := range list {
			if s := flexString(r); s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	if s := flexString(raw); s != "" {
		return []string{s}
	}
	return nil
}

// flexObjects reads an object or an array of objects.
func flexObjects(raw json.RawMessage) []map[string]json.RawMessage {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil
	}
	if raw[0] == '[' {
		var list []json.RawMessage
		if json.Unmarshal(raw, &list) != nil {
			return nil
		}
		var out []map[string]json.RawMessage
		for _, r := range list {
			out = append(out, flexObjects(r)...)
		}
		return out
	}
	var obj map[string]json.RawMessage
	if raw[0] != '{' || json.Unmarshal(raw, &obj) != nil {
		return nil
	}
	return []map[string]json.RawMessage{obj}
}
