package transfer_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/transfer"
)

// FuzzDecode feeds import documents to Decode: whatever a file holds, it
// is a document or a typed BAD_USER_INPUT refusal, never a panic.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"format":"werkwijzer-export","formatVersion":1,"exportedAt":"2026-11-29T10:00:00Z","entries":[],"users":[],"sources":[],"vacancies":[]}`))
	f.Add([]byte(`{"format":"werkwijzer-export","formatVersion":2}`))
	f.Add([]byte(`{"format":"werkwijzer-export","formatVersion":1,"entries":[{"id":"x","type":"role"}]}`))
	f.Add([]byte(`{"format":"werkwijzer-export","formatVersion":"1"}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := transfer.Decode(bytes.NewReader(data), 1<<16)
		if err != nil {
			var e *apperr.Error
			if !errors.As(err, &e) || e.Code != apperr.BadUserInput {
				t.Fatalf("refusal without BAD_USER_INPUT: %v", err)
			}
			return
		}
		if doc == nil {
			t.Fatal("no document and no error")
		}
	})
}
