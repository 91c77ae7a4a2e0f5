package feed

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"strings"

	"github.com/werkwijzer/werkwijzer/internal/vacancy"
	"github.com/werkwijzer/werkwijzer/internal/vacancy/normalize"
)

// This file holds what the readers of the applicant tracking systems'
// own APIs (Personio, Greenhouse, Lever) share: they stream, one job at a
// time, and their places are free text such as "Amsterdam, Netherlands"
// or "Remote".

// skipBOM drops a UTF-8 byte order mark, which neither decoder accepts.
func skipBOM(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	if bom, err := br.Peek(3); err == nil && string(bom) == "\xef\xbb\xbf" {
		_, _ = br.Discard(3)
	}
	return br
}

// jsonTokenError turns a decoder's failure into ErrMalformed; a document
// that ends early reads as io.EOF or io.ErrUnexpectedEOF.
func jsonTokenError(format string, err error) error {
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return malformed(format, err)
}

// eachJSONElement reads the array the decoder is at, one element at a
// time, so only one job is held raw at once.
func eachJSONElement(d *json.Decoder, what string, fn func(raw json.RawMessage) error) error {
	tok, err := d.Token()
	if err != nil {
		return jsonTokenError(what+" JSON: %v", err)
	}
	if tok != json.Delim('[') {
		return malformed("%s: want a JSON list of jobs, got %v", what, tok)
	}
	n := 0
	for d.More() {
		if n++; n > MaxItems {
			return malformed("more than %d jobs", MaxItems)
		}
		var raw json.RawMessage
		if err := d.Decode(&raw); err != nil {
			return jsonTokenError(what+" JSON: %v", err)
		}
		if err := fn(raw); err != nil {
			return err
		}
	}
	if _, err := d.Token(); err != nil {
		return jsonTokenError(what+" JSON: %v", err)
	}
	return nil
}

// endOfJSON checks that nothing but space follows the document, as
// json.Unmarshal would: a second document is not a feed.
func endOfJSON(d *json.Decoder, what string) error {
	if _, err := d.Token(); !errors.Is(err, io.EOF) {
		if err == nil {
			return malformed("%s JSON: data after the document", what)
		}
		return malformed("%s JSON: %v", what, err)
	}
	return nil
}

// place reads a free-text place ("Amsterdam, Noord-Holland, Netherlands",
// "Remote", "Utrecht (Hybrid)"): a part that names a workplace type
// ("Remote", "Hybride") is returned as that, the rest as a location whose
// last part is its country when it names one.
func place(s string) (loc vacancy.Location, workplace string) {
	s = strings.TrimSpace(s)
	if open := strings.LastIndexByte(s, '('); open > 0 && strings.HasSuffix(s, ")") {
		if _, ok := normalize.MapWorkplaceType(s[open+1 : len(s)-1]); ok {
			workplace, s = s[open+1:len(s)-1], strings.TrimSpace(s[:open])
		}
	}
	var parts []string
	s = strings.NewReplacer(" - ", ",", " – ", ",").Replace(s)
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '/' }) {
		p = strings.TrimSpace(strings.Trim(strings.TrimSpace(p), "-–"))
		if p == "" {
			continue
		}
		if _, ok := normalize.MapWorkplaceType(p); ok {
			workplace = p
			continue
		}
		parts = append(parts, p)
	}
	if len(parts) > 1 {
		if _, ok := normalize.CountryCode(parts[len(parts)-1]); ok {
			loc.Country, parts = parts[len(parts)-1], parts[:len(parts)-1]
		}
	}
	if len(parts) > 0 {
		loc.Locality = parts[0]
	}
	if len(parts) > 1 {
		loc.Region = strings.Join(parts[1:], ", ")
	}
	return loc, workplace
}

// addPlace adds a free-text place to an item: its location, unless one
// like it is there already, and its workplace type if the item has none.
func addPlace(it *vacancy.Item, s string) {
	loc, wt := place(s)
	if wt != "" && it.WorkplaceType == "" {
		it.WorkplaceType = wt
	}
	if loc == (vacancy.Location{}) {
		return
	}
	for _, have := range it.Locations {
		if have == loc {
			return
		}
	}
	it.Locations = append(it.Locations, loc)
}

// pathSegmentAfter returns the path segment of u that follows the segment
// named after: the board in /v1/boards/BOARD/jobs, the site in
// /v0/postings/SITE.
func pathSegmentAfter(u *url.URL, after string) string {
	if u == nil {
		return ""
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	for i := 0; i+1 < len(parts); i++ {
		if parts[i] == after {
			return parts[i+1]
		}
	}
	return ""
}
