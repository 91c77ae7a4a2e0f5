package normalize

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// dateLayout and timeLayout are the canonical forms of Date.Text.
const (
	dateLayout = "2006-01-02"
	timeLayout = "2006-01-02T15:04:05Z07:00"
)

var (
	isoDate      = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})$`)
	slashISODate = regexp.MustCompile(`^(\d{4})/(\d{2})/(\d{2})$`)
	dutchDate    = regexp.MustCompile(`^(\d{1,2})-(\d{1,2})-(\d{4})$`)
	dutchTime    = regexp.MustCompile(`^(\d{1,2})-(\d{1,2})-(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$`)
	slashDate    = regexp.MustCompile(`^\d{1,2}/\d{1,2}/\d{2,4}`)
	// isoTime is an ISO 8601 date and time, with an optional zone.
	isoTime = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?|UTC|GMT)?$`)
	// mailTime is RFC 1123/822 as RSS and Indeed feeds write it.
	mailTime = regexp.MustCompile(`^(?:[A-Za-z]{3,9},?\s+)?(\d{1,2})\s+([A-Za-z]{3,9})\s+(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([A-Za-z]{1,5}|[+-]\d{4})?$`)
)

// zoneAbbreviations are the zone names accepted instead of an offset. Go
// would read any other abbreviation as UTC, silently shifting the time,
// so others are refused.
var zoneAbbreviations = map[string]int{
	"Z": 0, "UT": 0, "UTC": 0, "GMT": 0, "WET": 0,
	"WEST": 3600, "CET": 3600, "MET": 3600, "BST": 3600,
	"CEST": 7200, "MEST": 7200, "EET": 7200, "EEST": 10800,
}

var months = map[string]time.Month{
	"jan": 1, "feb": 2, "mar": 3, "mrt": 3, "apr": 4, "may": 5, "mei": 5, "jun": 6,
	"jul": 7, "aug": 8, "sep": 9, "oct": 10, "okt": 10, "nov": 11, "dec": 12,
}

// ParseDate reads a date as sources write it, without ever shifting it
// silently between time zones:
//   - a plain date (2026-03-31, or the Dutch 31-03-2026) stays a date, its
//     instant the start of that day in loc;
//   - a date and time with an offset or zone (RFC 3339, "2026-03-31
//     12:00:00 UTC", RFC 1123 as in RSS) keeps that offset;
//   - a date and time without one is read in loc, and assumedLocal says so
//     (the caller warns).
//
// Forms that are ambiguous (03/04/2026: March or April?) and zone
// abbreviations it does not know are errors.
func ParseDate(raw string, loc *time.Location) (d Date, assumedLocal bool, err error) {
	s := strings.TrimSpace(raw)
	switch {
	case s == "":
		return Date{}, false, errors.New("empty")
	case len(s) > 64:
		return Date{}, false, errors.New("too long to be a date")
	}
	if m := isoDate.FindStringSubmatch(s); m != nil {
		return plainDate(m[1], m[2], m[3], loc)
	}
	if m := slashISODate.FindStringSubmatch(s); m != nil {
		return plainDate(m[1], m[2], m[3], loc)
	}
	if m := dutchDate.FindStringSubmatch(s); m != nil {
		return plainDate(m[3], m[2], m[1], loc)
	}
	if slashDate.MatchString(s) {
		return Date{}, false, fmt.Errorf("%q is ambiguous (day/month or month/day?); use YYYY-MM-DD", s)
	}
	if m := isoTime.FindStringSubmatch(s); m != nil {
		return dateTime(m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8], loc)
	}
	if m := dutchTime.FindStringSubmatch(s); m != nil {
		return dateTime(m[3], m[2], m[1], m[4], m[5], m[6], "", "", loc)
	}
	if m := mailTime.FindStringSubmatch(s); m != nil {
		month, ok := months[strings.ToLower(m[2][:3])]
		if !ok {
			return Date{}, false, fmt.Errorf("unknown month %q", m[2])
		}
		return dateTime(m[3], strconv.Itoa(int(month)), m[1], m[4], m[5], m[6], "", m[7], loc)
	}
	return Date{}, false, fmt.Errorf("%q is not a date; use YYYY-MM-DD or RFC 3339 (2026-03-31T17:00:00+02:00)", s)
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func plainDate(y, m, d string, loc *time.Location) (Date, bool, error) {
	year, month, day := atoi(y), atoi(m), atoi(d)
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, loc)
	if t.Year() != year || int(t.Month()) != month || t.Day() != day {
		return Date{}, false, fmt.Errorf("%04d-%02d-%02d is not a calendar date", year, month, day)
	}
	if err := plausibleYear(year); err != nil {
		return Date{}, false, err
	}
	return Date{At: t.UTC(), Text: t.Format(dateLayout)}, false, nil
}

func dateTime(y, mo, d, h, mi, sec, frac, zone string, loc *time.Location) (Date, bool, error) {
	year, month, day := atoi(y), atoi(mo), atoi(d)
	hour, minute, second := atoi(h), atoi(mi), atoi(sec)
	if month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60 {
		return Date{}, false, errors.New("not a valid date and time")
	}
	if second == 60 {
		second = 59 // a leap second; one second is not worth refusing a vacancy
	}
	if err := plausibleYear(year); err != nil {
		return Date{}, false, err
	}
	_ = frac // sub-second precision is dropped: no source means it
	in, assumed := loc, zone == ""
	if !assumed {
		offset, err := zoneOffset(zone)
		if err != nil {
			return Date{}, false, err
		}
		in = time.FixedZone("", offset)
	}
	t := time.Date(year, time.Month(month), day, hour, minute, second, 0, in)
	if t.Day() != day || int(t.Month()) != month {
		return Date{}, false, fmt.Errorf("%04d-%02d-%02d is not a calendar date", year, month, day)
	}
	return Date{At: t.UTC(), Text: t.Format(timeLayout)}, assumed, nil
}

func zoneOffset(zone string) (int, error) {
	if off, ok := zoneAbbreviations[strings.ToUpper(zone)]; ok {
		return off, nil
	}
	if zone[0] != '+' && zone[0] != '-' {
		return 0, fmt.Errorf("unknown time zone %q; give a numeric offset such as +02:00", zone)
	}
	digits := strings.ReplaceAll(zone[1:], ":", "")
	if len(digits) == 2 {
		digits += "00"
	}
	if len(digits) != 4 {
		return 0, fmt.Errorf("malformed offset %q", zone)
	}
	hours, minutes := atoi(digits[:2]), atoi(digits[2:])
	if hours > 14 || minutes > 59 {
		return 0, fmt.Errorf("offset %q is out of range", zone)
	}
	off := hours*3600 + minutes*60
	if zone[0] == '-' {
		off = -off
	}
	return off, nil
}

func plausibleYear(y int) error {
	if y < 1990 || y > 2100 {
		return fmt.Errorf("the year %d is implausible for a vacancy", y)
	}
	return nil
}
