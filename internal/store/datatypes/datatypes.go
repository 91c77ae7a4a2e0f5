// Package datatypes holds the store's JSON column types: the two it used
// from gorm.io/datatypes, which also linked MySQL's driver and GORM
// dialect into the binary for them. The names are kept so the row types
// read as before. A column is JSONB on PostgreSQL and JSON text on SQLite,
// as the migrations declare; both drivers take and give text.
package datatypes

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
)

// JSON is a JSON document stored as it is.
type JSON json.RawMessage

// Value stores an empty document as NULL.
func (j JSON) Value() (driver.Value, error) {
	if len(j) == 0 {
		return nil, nil
	}
	return string(j), nil
}

// Scan reads NULL as the document null. Bytes are copied: the driver may
// reuse its buffer for the next row.
func (j *JSON) Scan(value any) error {
	switch v := value.(type) {
	case nil:
		*j = JSON("null")
	case []byte:
		*j = JSON(append([]byte(nil), v...))
	case string:
		*j = JSON(v)
	default:
		return fmt.Errorf("scan a JSON column: got %T", value)
	}
	return nil
}

// GormDataType makes GORM treat the field as one JSON column.
func (JSON) GormDataType() string { return "json" }

// JSONType is a value of type T stored as its JSON encoding.
type JSONType[T any] struct {
	data T
}

// NewJSONType wraps data for storing.
func NewJSONType[T any](data T) JSONType[T] { return JSONType[T]{data: data} }

// Data returns the value.
func (j JSONType[T]) Data() T { return j.data }

// Value encodes the value.
func (j JSONType[T]) Value() (driver.Value, error) {
	b, err := json.Marshal(j.data)
	if err != nil {
		return nil, fmt.Errorf("encode %T: %w", j.data, err)
	}
	return string(b), nil
}

// Scan decodes the column; NULL is refused, as T may have no null.
func (j *JSONType[T]) Scan(value any) error {
	var b []byte
	switch v := value.(type) {
	case []byte:
		b = v
	case string:
		b = []byte(v)
	default:
		return fmt.Errorf("scan a JSON column into %T: got %T", j.data, value)
	}
	return json.Unmarshal(b, &j.data)
}

// GormDataType makes GORM treat the field as one JSON column.
func (JSONType[T]) GormDataType() string { return "json" }
