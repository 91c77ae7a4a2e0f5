package datatypes

import (
	"reflect"
	"testing"
)

func TestJSONValueAndScan(t *testing.T) {
	if v, err := JSON(nil).Value(); v != nil || err != nil {
		t.Fatalf("an empty document is stored as %#v, %v; want NULL", v, err)
	}
	if v, _ := JSON(`{"a":1}`).Value(); v != `{"a":1}` {
		t.Fatalf("stored as %#v; want the text", v)
	}
	var j JSON
	if err := j.Scan(nil); err != nil || string(j) != "null" {
		t.Fatalf("NULL scanned as %q, %v", j, err)
	}
	buf := []byte(`[1,2]`)
	if err := j.Scan(buf); err != nil {
		t.Fatal(err)
	}
	buf[1] = '9'
	if string(j) != "[1,2]" {
		t.Fatalf("the scanned document shares the driver's buffer: %q", j)
	}
	if err := j.Scan(`"s"`); err != nil || string(j) != `"s"` {
		t.Fatalf("text scanned as %q, %v", j, err)
	}
	if err := j.Scan(42); err == nil {
		t.Fatal("a number was scanned as a document")
	}
}

func TestJSONTypeRoundTrip(t *testing.T) {
	in := map[string][]int{"a": {1, 2}}
	v, err := NewJSONType(in).Value()
	if err != nil || v != `{"a":[1,2]}` {
		t.Fatalf("stored as %#v, %v", v, err)
	}
	for _, stored := range []any{v, []byte(v.(string))} {
		var out JSONType[map[string][]int]
		if err := out.Scan(stored); err != nil || !reflect.DeepEqual(out.Data(), in) {
			t.Fatalf("%T read back as %v, %v", stored, out.Data(), err)
		}
	}
	var out JSONType[[]string]
	if err := out.Scan(nil); err == nil {
		t.Fatal("NULL was read into a value")
	}
	if err := out.Scan(`{"not":"a list"}`); err == nil {
		t.Fatal("a document of the wrong shape was read")
	}
	if _, err := NewJSONType(func() {}).Value(); err == nil {
		t.Fatal("a value JSON cannot encode was stored")
	}
}
