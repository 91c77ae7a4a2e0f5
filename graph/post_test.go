package graph

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// dataOf is the executor's encoding of an object with one string field.
func dataOf(s string) json.RawMessage {
	var b bytes.Buffer
	b.WriteString(`{"text":`)
	graphql.MarshalString(s).MarshalGQL(&b)
	b.WriteString(`,"n":1}`)
	return b.Bytes()
}

// FuzzEncodeResponseIsJSONMarshal checks the fast path against what gqlgen
// wrote before: json.Marshal of the response, byte for byte.
func FuzzEncodeResponseIsJSONMarshal(f *testing.F) {
	for _, s := range []string{
		"", "plain", `</script><img src=x onerror=alert(1)>`, "a & b > c < d",
		"line\u2028separator\u2029paragraph", "\xe2\x80", "\xe2\x80\xa8\xe2\x80\xa9\xe2\x80\xaa",
		`"quoted" \ back\slash`, "tab\tnew\nline\x00\x1f", "café ☕ 𝄞", "\xff\xfe invalid utf-8",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		resp := &graphql.Response{Data: dataOf(s)}
		want, err := json.Marshal(resp)
		if err != nil {
			t.Skip("not an answer json.Marshal accepts either")
		}
		got, err := encodeResponse(resp)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("encoded\n%s\nwant\n%s", got, want)
		}
	})
}

func TestAnswersWithMoreThanDataAreJSONMarshal(t *testing.T) {
	yes := true
	for name, resp := range map[string]*graphql.Response{
		"errors":      {Data: dataOf("x<"), Errors: gqlerror.List{{Message: "no <b>"}}},
		"extensions":  {Data: dataOf("x"), Extensions: map[string]any{"cost": 3}},
		"no data":     {Errors: gqlerror.List{{Message: "failed"}}},
		"incremental": {Data: dataOf("x"), Label: "l", HasNext: &yes},
	} {
		want, _ := json.Marshal(resp)
		got, err := encodeResponse(resp)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: encoded %s (%v), want %s", name, got, err, want)
		}
	}
}

// TestAnswersOfDataOnlyAreNotReEncoded: the executor hands over an empty
// extensions map with every answer; such an answer is written around the
// executor's bytes as they are (json.Marshal would have compacted the
// space away), in one allocation.
func TestAnswersOfDataOnlyAreNotReEncoded(t *testing.T) {
	resp := &graphql.Response{Data: json.RawMessage(`{"html": "<p>"}`), Extensions: map[string]any{}}
	got, _ := encodeResponse(resp)
	if want := `{"data":{"html": "\u003cp\u003e"}}`; string(got) != want {
		t.Fatalf("encoded %s, want %s", got, want)
	}
	if n := testing.AllocsPerRun(20, func() { _, _ = encodeResponse(resp) }); n != 1 {
		t.Fatalf("%v allocations per answer, want 1", n)
	}
}
