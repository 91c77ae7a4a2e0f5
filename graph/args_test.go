package graph

import (
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/apperr"
)

func TestCursorRoundTrip(t *testing.T) {
	id := "019ac5d2-8f3e-7b1a-9c4d-2e6f8a0b1c3d"
	got, err := decodeCursor(encodeCursor(id), "after")
	if err != nil || got != id {
		t.Fatalf("round trip: %q %v", got, err)
	}
	for _, bad := range []string{"", "x", encodeCursor("not-a-uuid"), encodeCursor(id + "0"), "aWQ6MDE5YWM1ZDItOGYzZS03YjFhLTljNGQtMmU2ZjhhMGIxYzNE"} {
		if _, err := decodeCursor(bad, "after"); !apperr.Is(err, apperr.BadUserInput) {
			t.Errorf("cursor %q: %v, want BAD_USER_INPUT", bad, err)
		}
	}
}

func FuzzDecodeCursor(f *testing.F) {
	f.Add(encodeCursor("019ac5d2-8f3e-7b1a-9c4d-2e6f8a0b1c3d"))
	f.Add("")
	f.Add("====")
	f.Fuzz(func(t *testing.T, cursor string) {
		id, err := decodeCursor(cursor, "after")
		if err != nil {
			if !apperr.Is(err, apperr.BadUserInput) {
				t.Fatalf("error without BAD_USER_INPUT: %v", err)
			}
			return
		}
		if !canonicalUUID(id) {
			t.Fatalf("accepted %q, which is not an id", id)
		}
		if again, err := decodeCursor(encodeCursor(id), "after"); err != nil || again != id {
			t.Fatalf("re-encoding %q does not round-trip", id)
		}
	})
}

func TestPageArguments(t *testing.T) {
	n := func(i int) *int { return &i }
	if p, err := page(nil, nil, nil, nil); err != nil || p.Limit != defaultPageSize || p.FromEnd {
		t.Fatalf("defaults: %+v %v", p, err)
	}
	for _, bad := range []int{0, -1, maxPageSize + 1} {
		if _, err := page(n(bad), nil, nil, nil); !apperr.Is(err, apperr.BadUserInput) {
			t.Errorf("first=%d: %v", bad, err)
		}
		if _, err := page(nil, nil, n(bad), nil); !apperr.Is(err, apperr.BadUserInput) {
			t.Errorf("last=%d: %v", bad, err)
		}
	}
	if p, err := page(nil, nil, n(maxPageSize), nil); err != nil || p.Limit != maxPageSize || !p.FromEnd {
		t.Errorf("last=%d: %+v %v", maxPageSize, p, err)
	}
	before := encodeCursor("0190a0b0-0000-7000-8000-000000000001")
	if p, err := page(nil, nil, nil, &before); err != nil || p.Limit != defaultPageSize || !p.FromEnd || p.BeforeID == "" {
		t.Errorf("before alone pages back from it: %+v %v", p, err)
	}
	if _, err := page(n(1), nil, n(1), nil); !apperr.Is(err, apperr.BadUserInput) {
		t.Errorf("first and last together: %v", err)
	}
	bad := "nope"
	if _, err := page(nil, nil, nil, &bad); !apperr.Is(err, apperr.BadUserInput) {
		t.Errorf("bad before: %v", err)
	}
}
