// Package jsonld prepares schema.org JSON-LD for embedding in an HTML page.
package jsonld

import (
	"bytes"
	"encoding/json"
)

// Script returns the encoded JSON doc as the text of a <script
// type="application/ld+json"> element: every <, >, &, U+2028 and U+2029 in
// it is a \u escape, so the text can neither end the element nor open a
// comment in it, whatever the encoder that produced doc did. A frontend
// must embed this string rather than serialize the parsed JSON again,
// which undoes the escapes.
func Script(doc []byte) string {
	var b bytes.Buffer
	json.HTMLEscape(&b, doc)
	return b.String()
}

// Marshal encodes v and returns it as Script does.
func Marshal(v any) (string, error) {
	doc, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return Script(doc), nil
}
