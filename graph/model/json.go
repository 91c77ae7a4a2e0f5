package model

import (
	"encoding/json"
	"fmt"
	"io"
)

// JSON passes a JSON document through unchanged.
type JSON json.RawMessage

// MarshalGQL writes the document as is.
func (j JSON) MarshalGQL(w io.Writer) {
	if len(j) == 0 {
		_, _ = w.Write([]byte("null"))
		return
	}
	_, _ = w.Write(j)
}

// UnmarshalGQL accepts any input value and keeps it as JSON.
func (j *JSON) UnmarshalGQL(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("JSON scalar: %w", err)
	}
	*j = b
	return nil
}
