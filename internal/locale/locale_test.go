package locale

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func mustNewSet(t testing.TB, codes ...string) *Set {
	t.Helper()
	set, err := NewSet(codes)
	if err != nil {
		t.Fatalf("NewSet(%q): %v", codes, err)
	}
	return set
}

func TestNewSetNormalizes(t *testing.T) {
	set := mustNewSet(t, "NL", "en_gb", "EN", "fr-ca")

	if got, want := set.Codes(), []string{"nl", "en-GB", "en", "fr-CA"}; !slices.Equal(got, want) {
		t.Errorf("Codes() = %q, want %q", got, want)
	}
	if got := set.Default(); got != "nl" {
		t.Errorf("Default() = %q, want %q", got, "nl")
	}
	want := []Locale{
		{Code: "nl", Name: "Nederlands", IsDefault: true},
		{Code: "en-GB", Name: "British English"},
		{Code: "en", Name: "English"},
		{Code: "fr-CA", Name: "français canadien"},
	}
	if got := set.All(); !slices.Equal(got, want) {
		t.Errorf("All() = %+v, want %+v", got, want)
	}
}

func TestNewSetErrors(t *testing.T) {
	tests := []struct {
		name    string
		codes   []string
		wantErr string
	}{
		{name: "nil list", codes: nil, wantErr: "no locales configured"},
		{name: "empty list", codes: []string{}, wantErr: "no locales configured"},
		{name: "empty code", codes: []string{"nl", ""}, wantErr: "locale 2: empty locale code"},
		{name: "blank code", codes: []string{"  "}, wantErr: "locale 1: empty locale code"},
		{name: "too short", codes: []string{"e"}, wantErr: `invalid locale "e": not a valid BCP 47 language tag`},
		{name: "empty subtag", codes: []string{"en--gb"}, wantErr: `invalid locale "en--gb"`},
		{name: "trailing dash", codes: []string{"en-"}, wantErr: `invalid locale "en-"`},
		{name: "unknown language", codes: []string{"nl", "zz"}, wantErr: `locale 2: invalid locale "zz"`},
		{name: "surrounding spaces", codes: []string{" en"}, wantErr: `invalid locale " en"`},
		{name: "undetermined language", codes: []string{"und"}, wantErr: `invalid locale "und": it names no language`},
		{name: "duplicate", codes: []string{"nl", "en", "nl"}, wantErr: `locale 3: "nl" duplicates "nl"`},
		{name: "duplicate after case folding", codes: []string{"en", "EN"}, wantErr: `locale 2: "EN" duplicates "en": both are "en"`},
		{name: "duplicate after underscore", codes: []string{"en-gb", "en_GB"}, wantErr: `"en_GB" duplicates "en-gb": both are "en-GB"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, err := NewSet(tt.codes)
			if err == nil {
				t.Fatalf("NewSet(%q) = %v, want error containing %q", tt.codes, set.Codes(), tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("NewSet(%q) error = %q, want it to contain %q", tt.codes, err, tt.wantErr)
			}
		})
	}
}

func TestParseList(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []string
		wantErr string
	}{
		{name: "default setting", in: "nl,en", want: []string{"nl", "en"}},
		{name: "spaces", in: " nl , en ", want: []string{"nl", "en"}},
		{name: "single", in: "en-GB", want: []string{"en-GB"}},
		{name: "empty", in: "", wantErr: "empty locale list"},
		{name: "blank", in: "  ", wantErr: "empty locale list"},
		{name: "empty item", in: "nl,,en", wantErr: "item 2 is empty"},
		{name: "trailing comma", in: "nl,en,", wantErr: "item 3 is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseList(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseList(%q) = %q, %v; want error containing %q", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || !slices.Equal(got, tt.want) {
				t.Errorf("ParseList(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestCodesAndAllReturnCopies(t *testing.T) {
	set := mustNewSet(t, "nl", "en")
	set.Codes()[0] = "xx"
	set.All()[0].Code = "xx"
	if got := set.Default(); got != "nl" {
		t.Errorf("Default() = %q after modifying returned slices, want %q", got, "nl")
	}
}

func TestSupports(t *testing.T) {
	set := mustNewSet(t, "nl", "en-GB")
	tests := []struct {
		code string
		want bool
	}{
		{"nl", true},
		{"en-GB", true},
		{"en-gb", false}, // not canonical: Normalize first
		{"en", false},
		{"de", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := set.Supports(tt.code); got != tt.want {
			t.Errorf("Supports(%q) = %v, want %v", tt.code, got, tt.want)
		}
	}
}

func TestNormalize(t *testing.T) {
	set := mustNewSet(t, "nl", "en", "en-GB")
	tests := []struct {
		code string
		want string // empty when code is unsupported
	}{
		{"nl", "nl"},
		{"NL", "nl"},
		{"en", "en"},
		{"en-GB", "en-GB"},
		{"en-gb", "en-GB"},
		{"EN_gb", "en-GB"},
		{"en-US", ""}, // no fallback: Normalize only fixes spelling
		{"nl-BE", ""},
		{"de", ""},
		{"en-", ""},
		{" en", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			got, err := set.Normalize(tt.code)
			if tt.want != "" {
				if err != nil || got != tt.want {
					t.Errorf("Normalize(%q) = %q, %v; want %q", tt.code, got, err, tt.want)
				}
				return
			}
			var unsupported *UnsupportedError
			if !errors.As(err, &unsupported) {
				t.Fatalf("Normalize(%q) = %q, %v; want an *UnsupportedError", tt.code, got, err)
			}
			if unsupported.Code != tt.code || !slices.Equal(unsupported.Supported, set.Codes()) {
				t.Errorf("Normalize(%q) error = %+v, want Code %q and Supported %q", tt.code, unsupported, tt.code, set.Codes())
			}
		})
	}
}

func TestUnsupportedErrorMessage(t *testing.T) {
	_, err := mustNewSet(t, "nl", "en").Normalize("de")
	want := `unsupported locale "de"; supported locales: nl, en`
	if err == nil || err.Error() != want {
		t.Errorf("Normalize(%q) error = %v, want %q", "de", err, want)
	}
}

func TestFromAcceptLanguage(t *testing.T) {
	nlEn := []string{"nl", "en"}
	regional := []string{"nl", "en-GB", "en"}
	britishOnly := []string{"nl", "en-GB"}
	tests := []struct {
		name   string
		codes  []string
		header string
		want   string // empty when no locale should match
	}{
		{name: "empty", codes: nlEn, header: ""},
		{name: "blank", codes: nlEn, header: "  "},
		{name: "single", codes: nlEn, header: "en", want: "en"},
		{name: "default", codes: nlEn, header: "nl", want: "nl"},
		{name: "case insensitive", codes: nlEn, header: "EN", want: "en"},
		{name: "unsupported only", codes: nlEn, header: "fr, de;q=0.8"},
		{name: "region falls back to language", codes: nlEn, header: "nl-BE", want: "nl"},
		{name: "region with underscore", codes: nlEn, header: "en_US", want: "en"},
		{name: "script and region fall back", codes: nlEn, header: "en-Latn-US", want: "en"},
		{name: "typical browser header", codes: nlEn, header: "en-US,en;q=0.9,nl;q=0.8", want: "en"},
		{name: "highest q wins", codes: nlEn, header: "nl;q=0.5, en;q=0.8", want: "en"},
		{name: "q skips unsupported", codes: nlEn, header: "de, en;q=0.5, nl;q=0.7", want: "nl"},
		{name: "tie keeps header order", codes: nlEn, header: "en;q=0.5, nl;q=0.5", want: "en"},
		{name: "tie keeps header order reversed", codes: nlEn, header: "nl;q=0.5, en;q=0.5", want: "nl"},
		{name: "missing q is 1", codes: nlEn, header: "nl;q=0.999, en", want: "en"},
		{name: "q=1.000", codes: nlEn, header: "nl;q=0.9, en;q=1.000", want: "en"},
		{name: "fallback counts at its own q", codes: nlEn, header: "en-US, nl;q=0.9", want: "en"},
		{name: "spaces around parameters", codes: nlEn, header: " nl ; q=0.7 ,\ten ; Q=0.8 ", want: "en"},
		{name: "other parameters ignored", codes: nlEn, header: "en;level=1;q=0.5, nl;q=0.4", want: "en"},
		{name: "q=0 alone", codes: nlEn, header: "en;q=0"},
		{name: "q=0 with decimals", codes: nlEn, header: "en;q=0.000"},
		{name: "q=0 excludes despite later entry", codes: nlEn, header: "en;q=0, en;q=1"},
		{name: "q=0 excludes region fallback", codes: nlEn, header: "en-US, en;q=0"},
		{name: "q=0 on region keeps language", codes: nlEn, header: "en-US;q=0, en", want: "en"},
		{name: "q=0 excludes everything", codes: nlEn, header: "nl;q=0, en;q=0, *"},
		{name: "q=0 on the first locale leaves the others matchable", codes: nlEn, header: "nl;q=0, en-US", want: "en"},
		{name: "over-long range skipped", codes: nlEn, header: "en-x-" + strings.Repeat("abcdefgh-", 7) + "abcdefgh, nl;q=0.5", want: "nl"},
		{name: "range of the longest length read", codes: nlEn, header: longestRange + ", nl;q=0.5", want: "en"},
		{name: "range one byte too long skipped", codes: nlEn, header: longestRange + "f, nl;q=0.5", want: "nl"},
		{name: "q=0.85 beats q=0.8", codes: nlEn, header: "nl;q=0.8, en;q=0.85", want: "en"},
		{name: "q=0.9 beats q=0.85", codes: nlEn, header: "en;q=0.85, nl;q=0.9", want: "nl"},
		{name: "three weights sorted", codes: regional, header: "nl;q=0.2, en;q=0.85, en-GB;q=0.9", want: "en-GB"},
		{name: "q=0 on region alone accepts nothing", codes: nlEn, header: "en-US;q=0"},
		{name: "every locale excluded", codes: nlEn, header: "nl;q=0, en;q=0, en-US, fr"},
		{name: "wildcard is default", codes: nlEn, header: "*", want: "nl"},
		{name: "wildcard after unsupported", codes: nlEn, header: "de, *;q=0.1", want: "nl"},
		{name: "wildcard skips excluded", codes: nlEn, header: "nl;q=0, *", want: "en"},
		{name: "wildcard skips named locales", codes: nlEn, header: "nl;q=0.1, *;q=0.5", want: "en"},
		{name: "wildcard loses to higher q", codes: nlEn, header: "*;q=0.5, en", want: "en"},
		{name: "wildcard with q=0", codes: nlEn, header: "*;q=0"},
		{name: "garbage", codes: nlEn, header: ";;;,q=abc"},
		{name: "only commas", codes: nlEn, header: ",,,"},
		{name: "bad q skips entry", codes: nlEn, header: "en;q=abc, nl;q=0.1", want: "nl"},
		{name: "q above 1", codes: nlEn, header: "en;q=1.5, nl;q=0.1", want: "nl"},
		{name: "q of 2", codes: nlEn, header: "en;q=2, nl;q=0.1", want: "nl"},
		{name: "q too precise", codes: nlEn, header: "en;q=0.0001, nl;q=0.1", want: "nl"},
		{name: "negative q", codes: nlEn, header: "en;q=-1, nl;q=0.1", want: "nl"},
		{name: "empty q", codes: nlEn, header: "en;q=, nl;q=0.1", want: "nl"},
		{name: "bad range", codes: nlEn, header: "e$n, 1en, en-, -en, en--us"},
		{name: "range too long", codes: nlEn, header: "en" + strings.Repeat("-abcdefgh", 8)},
		{name: "exact beats prefix", codes: regional, header: "en", want: "en"},
		{name: "exact region", codes: regional, header: "en-GB", want: "en-GB"},
		{name: "other region falls back to language", codes: regional, header: "en-US", want: "en"},
		{name: "language matches region by prefix", codes: britishOnly, header: "en", want: "en-GB"},
		{name: "other region falls back to sibling region", codes: britishOnly, header: "en-US", want: "en-GB"},
		{name: "q=0 on language excludes its regions", codes: britishOnly, header: "en-US, en;q=0"},
		{name: "header over 4 KB", codes: nlEn, header: "en," + strings.Repeat(" ", 4<<10)},
		{name: "header of exactly 4 KB", codes: nlEn, header: "en," + strings.Repeat(" ", 4<<10-3), want: "en"},
		{name: "32nd entry is read", codes: nlEn, header: strings.Repeat("de,", 31) + "en", want: "en"},
		{name: "33rd entry is ignored", codes: nlEn, header: strings.Repeat("de,", 32) + "en"},
		{name: "weights in hundredths", codes: nlEn, header: "nl;q=0.8, en;q=0.85", want: "en"},
		{name: "weights in hundredths reversed", codes: nlEn, header: "en;q=0.8, nl;q=0.85", want: "nl"},
		{name: "British English picks English", codes: nlEn, header: "en-GB", want: "en"},
		{name: "Netherlands Dutch picks Dutch", codes: nlEn, header: "nl-NL", want: "nl"},
		{name: "kindred language is not served", codes: nlEn, header: "af, fy"},
		{name: "33rd q=0 entry is ignored", codes: nlEn, header: strings.Repeat("en,", 32) + "en;q=0", want: "en"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set := mustNewSet(t, tt.codes...)
			got, ok := set.FromAcceptLanguage(tt.header)
			if got != tt.want || ok != (tt.want != "") {
				t.Errorf("FromAcceptLanguage(%q) with %q = %q, %v; want %q, %v",
					tt.header, tt.codes, got, ok, tt.want, tt.want != "")
			}
		})
	}
}

// TestMatch: a locale argument is matched the way an Accept-Language entry
// is, so routers may pass their visitor's regional tag as is.
// longestRange is a valid language range of maxLanguageRangeLen bytes.
var longestRange = "en-x-" + strings.Repeat("abcdefgh-", 6) + "abcde"

func TestMatch(t *testing.T) {
	if len(longestRange) != maxLanguageRangeLen {
		t.Fatalf("longestRange is %d bytes; want %d", len(longestRange), maxLanguageRangeLen)
	}
	nlEn := mustNewSet(t, "nl", "en")
	regional := mustNewSet(t, "nl", "en-GB", "en")
	tests := []struct {
		set  *Set
		code string
		want string // empty when the code must be refused
	}{
		{nlEn, "nl", "nl"},
		{nlEn, "EN", "en"},
		{nlEn, "en-GB", "en"},
		{nlEn, "en_GB", "en"},
		{nlEn, "en-US", "en"},
		{nlEn, "nl-NL", "nl"},
		{nlEn, "nl-BE", "nl"},
		{nlEn, "en-Latn-US", "en"},
		{regional, "en-GB", "en-GB"},
		{regional, "en_gb", "en-GB"},
		{regional, "en-US", "en"},
		{regional, "en-AU", "en-GB"},
		{nlEn, "de", ""},
		{nlEn, "de-NL", ""},
		{nlEn, "af", ""},
		{nlEn, "fy", ""},
		{nlEn, "*", ""},
		{nlEn, "", ""},
		{nlEn, "en;q=1", ""},
		{nlEn, "en" + strings.Repeat("-abcdefgh", 8), ""},
		{nlEn, longestRange, "en"},
		{nlEn, longestRange + "f", ""},
	}
	for _, tt := range tests {
		got, err := tt.set.Match(tt.code)
		if tt.want == "" {
			var unsupported *UnsupportedError
			if !errors.As(err, &unsupported) || unsupported.Code != tt.code || !slices.Equal(unsupported.Supported, tt.set.Codes()) {
				t.Errorf("Match(%q) = %q, %v; want an *UnsupportedError listing %q", tt.code, got, err, tt.set.Codes())
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Match(%q) with %q = %q, %v; want %q", tt.code, tt.set.Codes(), got, err, tt.want)
		}
	}
}

func TestChain(t *testing.T) {
	set := mustNewSet(t, "nl", "en", "en-GB")
	tests := []struct {
		code string
		want []string
	}{
		{"nl", []string{"nl"}},
		{"en", []string{"en", "nl"}},
		{"en-GB", []string{"en-GB", "nl"}},
		{"EN_gb", []string{"en-GB", "nl"}},
		{"de", []string{"nl"}},
		{"", []string{"nl"}},
	}
	for _, tt := range tests {
		if got := set.Chain(tt.code); !slices.Equal(got, tt.want) {
			t.Errorf("Chain(%q) = %q, want %q", tt.code, got, tt.want)
		}
	}
}

func FuzzFromAcceptLanguage(f *testing.F) {
	for _, seed := range []string{
		"", "en", "nl-BE", "en-US,en;q=0.9,nl;q=0.8", "*", "en;q=0, *",
		";;;,q=abc", "en;q=1.5", "en_GB;Q=0.5 , fr", strings.Repeat("de,", 40) + "en",
	} {
		f.Add(seed)
	}
	set := mustNewSet(f, "nl", "en", "en-GB", "fr-CA")
	codes := set.Codes()
	f.Fuzz(func(t *testing.T, header string) {
		code, ok := set.FromAcceptLanguage(header)
		if ok && !slices.Contains(codes, code) {
			t.Fatalf("FromAcceptLanguage(%q) = %q, which is not one of %q", header, code, codes)
		}
		if !ok && code != "" {
			t.Fatalf("FromAcceptLanguage(%q) = %q, false; want an empty code when not ok", header, code)
		}
		// The same input as a locale argument: a supported code or the
		// typed refusal, never anything else.
		if matched, err := set.Match(header); err != nil {
			var unsupported *UnsupportedError
			if !errors.As(err, &unsupported) {
				t.Fatalf("Match(%q) error = %#v, want an *UnsupportedError", header, err)
			}
		} else if !slices.Contains(codes, matched) {
			t.Fatalf("Match(%q) = %q, which is not one of %q", header, matched, codes)
		}
	})
}

func FuzzNormalize(f *testing.F) {
	for _, seed := range []string{"", "nl", "EN", "en_gb", "en-GB", "de", "en-", "\xff"} {
		f.Add(seed)
	}
	set := mustNewSet(f, "nl", "en", "en-GB")
	codes := set.Codes()
	f.Fuzz(func(t *testing.T, code string) {
		got, err := set.Normalize(code)
		if err != nil {
			var unsupported *UnsupportedError
			if !errors.As(err, &unsupported) || unsupported.Code != code {
				t.Fatalf("Normalize(%q) error = %#v, want an *UnsupportedError for the code", code, err)
			}
			return
		}
		if !slices.Contains(codes, got) {
			t.Fatalf("Normalize(%q) = %q, which is not one of %q", code, got, codes)
		}
		if !strings.EqualFold(got, strings.ReplaceAll(code, "_", "-")) {
			t.Fatalf("Normalize(%q) = %q, which is not the same code", code, got)
		}
		if again, err := set.Normalize(got); err != nil || again != got {
			t.Fatalf("Normalize(%q) = %q, %v; want it unchanged", got, again, err)
		}
	})
}
