package transfer_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/transfer"
)

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(transfer.SchemaV1))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const url = "export-v1.schema.json"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func validate(t *testing.T, s *jsonschema.Schema, doc []byte) error {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	return s.Validate(v)
}

// TestExportMatchesItsSchema: a real export, with and without
// credentials, from each database, is valid against the schema in the
// repository, and the schema is strict enough to refuse a document with a
// member it does not describe.
func TestExportMatchesItsSchema(t *testing.T) {
	s := compileSchema(t)
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fill(t, db)
		for _, withCredentials := range []bool{false, true} {
			if err := validate(t, s, export(t, db, withCredentials)); err != nil {
				t.Fatalf("export (credentials %v) does not match the schema: %v", withCredentials, err)
			}
		}
		doc := bytes.Replace(export(t, db, false), []byte(`"createdAt"`), []byte(`"surprise": 1, "createdAt"`), 1)
		if err := validate(t, s, doc); err == nil || !strings.Contains(err.Error(), "surprise") {
			t.Fatalf("a document with an unknown member passed the schema: %v", err)
		}
	})
}
