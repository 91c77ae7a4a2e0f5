package normalize_test

import (
	"testing"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/vacancy/normalize"
)

// TestDateEdges: offsets west of UTC are as valid as those east of it, and
// each limit (year, hour, minute, offset, leap second) sits where it says.
func TestDateEdges(t *testing.T) {
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	cases := []struct {
		in, text string
		at       time.Time
		assumed  bool
	}{
		// West of UTC: New York, Newfoundland, Brazil.
		{"2026-10-01T09:00:00-05:00", "2026-10-01T09:00:00-05:00", time.Date(2026, 10, 1, 14, 0, 0, 0, time.UTC), false},
		{"2026-10-01T09:00:00-0330", "2026-10-01T09:00:00-03:30", time.Date(2026, 10, 1, 12, 30, 0, 0, time.UTC), false},
		{"2026-10-01T09:00:00-03", "2026-10-01T09:00:00-03:00", time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC), false},
		{"Fri, 02 Oct 2026 10:00:00 -0500", "2026-10-02T10:00:00-05:00", time.Date(2026, 10, 2, 15, 0, 0, 0, time.UTC), false},
		// The widest offsets there are, and a minute short of an hour.
		{"2026-10-01T09:00:00+14:00", "2026-10-01T09:00:00+14:00", time.Date(2026, 9, 30, 19, 0, 0, 0, time.UTC), false},
		{"2026-10-01T09:00:00-14:00", "2026-10-01T09:00:00-14:00", time.Date(2026, 10, 1, 23, 0, 0, 0, time.UTC), false},
		{"2026-10-01T09:00:00+05:59", "2026-10-01T09:00:00+05:59", time.Date(2026, 10, 1, 3, 1, 0, 0, time.UTC), false},
		// Zone names in any case; the last second of a day, and a leap
		// second read as the one before it.
		{"1 Oct 2026 23:59:59 cest", "2026-10-01T23:59:59+02:00", time.Date(2026, 10, 1, 21, 59, 59, 0, time.UTC), false},
		{"2026-12-31T23:59:60Z", "2026-12-31T23:59:59Z", time.Date(2026, 12, 31, 23, 59, 59, 0, time.UTC), false},
		{"2026-10-01t09:00z", "", time.Time{}, false}, // lower-case T is not ISO 8601's separator here
		// Other spellings of a plain date; years at the plausible limits.
		{"2026/03/31", "2026-03-31", time.Date(2026, 3, 30, 22, 0, 0, 0, time.UTC), false},
		{"1-2-2026", "2026-02-01", time.Date(2026, 1, 31, 23, 0, 0, 0, time.UTC), false},
		{"1990-01-01", "1990-01-01", time.Date(1989, 12, 31, 23, 0, 0, 0, time.UTC), false},
		{"2100-12-31", "2100-12-31", time.Date(2100, 12, 30, 23, 0, 0, 0, time.UTC), false},
		{"1990-01-01T00:00:00Z", "1990-01-01T00:00:00Z", time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC), false},
		// A Dutch date and time has no zone: read in the source's.
		{"31-03-2026 14:30", "2026-03-31T14:30:00+02:00", time.Date(2026, 3, 31, 12, 30, 0, 0, time.UTC), true},
		{"31-12-2026 9:05:07", "2026-12-31T09:05:07+01:00", time.Date(2026, 12, 31, 8, 5, 7, 0, time.UTC), true},
		// Dutch and English month names in mail dates.
		{"2 mrt 2026 10:00 CET", "2026-03-02T10:00:00+01:00", time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), false},
		{"Tuesday, 31 March 2026 10:00 UT", "2026-03-31T10:00:00Z", time.Date(2026, 3, 31, 10, 0, 0, 0, time.UTC), false},
	}
	for _, c := range cases {
		d, assumed, err := normalize.ParseDate(c.in, ams)
		if c.text == "" {
			if err == nil {
				t.Errorf("ParseDate(%q) = %+v; want an error", c.in, d)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseDate(%q): %v", c.in, err)
			continue
		}
		if d.Text != c.text || !d.At.Equal(c.at) || assumed != c.assumed {
			t.Errorf("ParseDate(%q) = %q %v assumed=%v; want %q %v assumed=%v", c.in, d.Text, d.At, assumed, c.text, c.at, c.assumed)
		}
	}
	for _, bad := range []string{
		"", "   ", "2026-10-01" + string(make([]byte, 60)),
		"2026-10-01T09:00:00+05:60", "2026-10-01T09:00:00-15:00",
		"1989-12-31", "2101-01-01", "1989-12-31T23:00:00Z", "2101-01-01T00:00:00Z",
		"2026-10-01T24:00:00Z", "2026-10-01T10:60:00Z", "2026-10-01T10:00:61Z",
		"2026-00-10T10:00:00Z", "2026-13-10T10:00:00Z", "2026-10-00T10:00:00Z", "2026-10-32T10:00:00Z",
		"2026-02-30T10:00:00Z", "31-02-2026", "2026-02-29",
		"2 foo 2026 10:00 GMT", "2 okt 2026 10:00 XYZ",
	} {
		if d, _, err := normalize.ParseDate(bad, ams); err == nil {
			t.Errorf("ParseDate(%q) = %+v; want an error", bad, d)
		}
	}
}

func TestDateOnlyAndZero(t *testing.T) {
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	d, _, _ := normalize.ParseDate("2026-10-01", ams)
	if !d.DateOnly() || d.IsZero() {
		t.Fatalf("%+v: want a plain date", d)
	}
	d, _, _ = normalize.ParseDate("2026-10-01T09:00:00Z", ams)
	if d.DateOnly() || d.IsZero() {
		t.Fatalf("%+v: want a date and time", d)
	}
	if !(normalize.Date{}).IsZero() {
		t.Fatal("the zero Date is not IsZero")
	}
}

// A component out of its range is named as such, before the calendar
// check could call a normalised date "not a calendar date": the source
// reads what to fix.
func TestDateComponentsOutOfRangeSaySo(t *testing.T) {
	for _, bad := range []string{
		"2026-00-10T10:00:00Z", "2026-13-10T10:00:00Z", "2026-10-00T10:00:00Z", "2026-10-32T10:00:00Z",
		"2026-10-01T24:00:00Z", "2026-10-01T10:60:00Z", "2026-10-01T10:00:61Z",
	} {
		_, _, err := normalize.ParseDate(bad, time.UTC)
		if err == nil || err.Error() != "not a valid date and time" {
			t.Errorf("ParseDate(%q): %v, want %q", bad, err, "not a valid date and time")
		}
	}
}
