package graph

import (
	"math"
	"testing"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
)

func searchHit(score float64, posted time.Time, id string) vacancy.Hit {
	return vacancy.Hit{Score: score, Vacancy: &vacancy.Vacancy{ID: id, DatePosted: vacancy.Date{At: posted}}}
}

func TestSearchCursorRoundTripAndBelongsToItsQuery(t *testing.T) {
	q, _ := vacancy.ParseQuery("kantoormanagers Haarlem")
	other, _ := vacancy.ParseQuery("assistant")
	id := "019ac5d2-8f3e-7b1a-9c4d-2e6f8a0b1c3d"
	posted := time.Date(2026, 11, 2, 23, 0, 0, 123456000, time.UTC)
	cursor := encodeSearchCursor(searchHit(0.0607927106320858, posted, id), q)
	got, err := decodeSearchCursor(cursor, "after", q)
	if err != nil || got.Score != 0.0607927106320858 || !got.Posted.Equal(posted) || got.ID != id {
		t.Fatalf("round trip: %+v %v", got, err)
	}
	plain := encodeSearchCursor(searchHit(0, posted, id), nil)
	for name, c := range map[string][2]any{
		"another query": {cursor, other}, "a plain cursor": {plain, q}, "a search cursor without a query": {cursor, (*vacancy.TextQuery)(nil)},
		"garbage": {"x", q},
	} {
		if _, err := decodeSearchCursor(c[0].(string), "before", c[1].(*vacancy.TextQuery)); !apperr.Is(err, apperr.BadUserInput) {
			t.Errorf("%s: %v, want BAD_USER_INPUT", name, err)
		}
	}
	if got, err := decodeSearchCursor(plain, "after", nil); err != nil || got.ID != id || got.Score != 0 {
		t.Errorf("plain cursor: %+v %v", got, err)
	}
}

func FuzzDecodeSearchCursor(f *testing.F) {
	q, _ := vacancy.ParseQuery("kantoormanagers")
	f.Add(encodeSearchCursor(searchHit(1.5e-06, time.Unix(1_800_000_000, 5), "019ac5d2-8f3e-7b1a-9c4d-2e6f8a0b1c3d"), q))
	f.Add("")
	f.Add("dmFjcTo")
	f.Fuzz(func(t *testing.T, cursor string) {
		c, err := decodeSearchCursor(cursor, "after", q)
		if err != nil {
			if !apperr.Is(err, apperr.BadUserInput) {
				t.Fatalf("error without BAD_USER_INPUT: %v", err)
			}
			return
		}
		if !canonicalUUID(c.ID) || math.IsNaN(c.Score) || math.IsInf(c.Score, 0) {
			t.Fatalf("accepted %+v", c)
		}
		again, err := decodeSearchCursor(encodeSearchCursor(searchHit(c.Score, c.Posted, c.ID), q), "after", q)
		if err != nil || again.Score != c.Score || !again.Posted.Equal(c.Posted) || again.ID != c.ID {
			t.Fatalf("re-encoding %+v does not round-trip: %+v %v", c, again, err)
		}
	})
}
