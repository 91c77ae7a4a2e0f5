package transfer

import _ "embed"

// SchemaV1 is the JSON Schema (draft 2020-12) of format version 1, for
// those who read or write exports with other tools.
//
//go:embed schema/export-v1.schema.json
var SchemaV1 []byte
