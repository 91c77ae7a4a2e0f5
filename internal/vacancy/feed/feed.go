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
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
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

// Parse reads a document of a source of the given kind. base is where it
// came from, for resolving relative links in JSON-LD pages; it may be nil.
func Parse(kind vacancy.Kind, data []byte, base *url.URL) ([]vacancy.Item, error) {
	switch kind {
	case vacancy.KindIndeedXML:
		return ParseIndeedXML(data)
	case vacancy.KindRecruitee:
		return ParseRecruitee(data)
	case vacancy.KindJSONLD:
		return ParseJSONLD(data, base)
	case vacancy.KindPersonio:
		return ParsePersonio(bytes.NewReader(data), base)
	case vacancy.KindGreenhouse:
		return ParseGreenhouse(bytes.NewReader(data), base)
	case vacancy.KindLever:
		return ParseLever(bytes.NewReader(data), base)
	}
	return nil, fmt.Errorf("a %s source has no feed to parse", kind)
}

// trimBOM drops a UTF-8 byte order mark and leading space.
func trimBOM(data []byte) []byte {
	return bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
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
