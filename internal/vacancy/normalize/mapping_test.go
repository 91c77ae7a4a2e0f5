package normalize_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/werkwijzer/werkwijzer/internal/vacancy/normalize"
)

func allowedOnly(t testing.TB, s string) {
	t.Helper()
	allowed := []string{"p", "ul", "ol", "li", "strong", "em", "br"}
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if !slices.Contains(allowed, string(name)) || hasAttr {
				t.Fatalf("%q in sanitized output %q", name, s)
			}
		}
	}
}

func TestDescriptionsKeepStructureAndLoseEverythingActive(t *testing.T) {
	cases := []struct {
		in, want string
		removed  bool
	}{
		{`<p>Hallo <b>wereld</b> en <i>jij</i>.</p>`, `<p>Hallo <strong>wereld</strong> en <em>jij</em>.</p>`, false},
		{`<h2>Wat ga je doen?</h2><ul><li>Plannen</li><li>Regelen</li></ul>`, `<p><strong>Wat ga je doen?</strong></p><ul><li>Plannen</li><li>Regelen</li></ul>`, false},
		{`<p onclick="steal()">Klik</p><script>alert(1)</script><style>p{}</style>`, `<p>Klik</p>`, true},
		{`<p>Zie <a href="javascript:alert(1)">hier</a>.</p>`, `<p>Zie hier.</p>`, true},
		{`<iframe src="https://evil.test"></iframe><p>Tekst</p>`, `<p>Tekst</p>`, true},
		{`<div>Een</div><div>Twee</div>`, `<p>Een</p><p>Twee</p>`, false},
		{`<p>Caf&amp;eacute; &amp;amp; bar</p>`, `<p>Café &amp; bar</p>`, false},
		{`&lt;p&gt;Dubbel &lt;strong&gt;escaped&lt;/strong&gt;&lt;/p&gt;`, `<p>Dubbel <strong>escaped</strong></p>`, false},
		{"Eerste alinea\nmet regel.\n\nTaken:\n- plannen\n- regelen\n• bellen", `<p>Eerste alinea<br>met regel.</p><p>Taken:</p><ul><li>plannen</li><li>regelen</li><li>bellen</li></ul>`, false},
		{`<strong>Vet <div>blok</div> verder</strong>`, `<p><strong>Vet </strong></p><p><strong>blok</strong></p><p><strong>verder</strong></p>`, false},
		{`<ol><li>Een<ul><li>a</li></ul></li><li>Twee</li></ol>`, `<ol><li>Een<ul><li>a</li></ul></li><li>Twee</li></ol>`, false},
		{`<table><tr><td>Cel 1</td><td>Cel 2</td></tr></table>`, `<p>Cel 1</p><p>Cel 2</p>`, false},
		{`<svg><script>alert(1)</script></svg><p>ok</p>`, `<p>ok</p>`, true},
		{`<img src=x onerror=alert(1)><p>foto</p>`, `<p>foto</p>`, true},
	}
	for _, c := range cases {
		got, removed := normalize.SanitizeDescription(c.in)
		if got != c.want {
			t.Errorf("SanitizeDescription(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
		if removed != c.removed {
			t.Errorf("SanitizeDescription(%q) removed=%v, want %v", c.in, removed, c.removed)
		}
		allowedOnly(t, got)
	}
}

func TestDatesKeepTheirOffsetAndNeverShiftSilently(t *testing.T) {
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	cases := []struct {
		in, text string
		at       time.Time
		assumed  bool
	}{
		{"2026-10-01", "2026-10-01", time.Date(2026, 9, 30, 22, 0, 0, 0, time.UTC), false},
		{"2026-12-01", "2026-12-01", time.Date(2026, 11, 30, 23, 0, 0, 0, time.UTC), false},
		{"01-10-2026", "2026-10-01", time.Date(2026, 9, 30, 22, 0, 0, 0, time.UTC), false},
		{"2026-10-01T09:00:00+02:00", "2026-10-01T09:00:00+02:00", time.Date(2026, 10, 1, 7, 0, 0, 0, time.UTC), false},
		{"2026-10-01T09:00:00.123Z", "2026-10-01T09:00:00Z", time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC), false},
		{"2026-10-01 12:32:15 UTC", "2026-10-01T12:32:15Z", time.Date(2026, 10, 1, 12, 32, 15, 0, time.UTC), false},
		{"Fri, 02 Oct 2026 22:49:39 GMT", "2026-10-02T22:49:39Z", time.Date(2026, 10, 2, 22, 49, 39, 0, time.UTC), false},
		{"Fri, 02 Oct 2026 10:00:00 +0100", "2026-10-02T10:00:00+01:00", time.Date(2026, 10, 2, 9, 0, 0, 0, time.UTC), false},
		{"2 okt 2026 10:00 CEST", "2026-10-02T10:00:00+02:00", time.Date(2026, 10, 2, 8, 0, 0, 0, time.UTC), false},
		{"2026-10-01T09:00:00", "2026-10-01T09:00:00+02:00", time.Date(2026, 10, 1, 7, 0, 0, 0, time.UTC), true},
		{"2026-01-15 09:00", "2026-01-15T09:00:00+01:00", time.Date(2026, 1, 15, 8, 0, 0, 0, time.UTC), true},
	}
	for _, c := range cases {
		d, assumed, err := normalize.ParseDate(c.in, ams)
		if err != nil {
			t.Errorf("ParseDate(%q): %v", c.in, err)
			continue
		}
		if d.Text != c.text || !d.At.Equal(c.at) || assumed != c.assumed {
			t.Errorf("ParseDate(%q) = %q %v assumed=%v; want %q %v assumed=%v", c.in, d.Text, d.At, assumed, c.text, c.at, c.assumed)
		}
	}
	for _, bad := range []string{"01/02/2026", "2/3/26", "2026-02-30", "2026-13-01", "1899-01-01", "next week", "2026-10-01T09:00:00 EST", "2026-10-01T25:00:00Z", "2026-10-01T09:00:00+15:00"} {
		if _, _, err := normalize.ParseDate(bad, ams); err == nil {
			t.Errorf("ParseDate(%q) accepted an ambiguous or invalid date", bad)
		}
	}
}

func TestSalaryText(t *testing.T) {
	cases := []struct {
		text     string
		min, max float64 // 0: absent
		currency string
		unit     normalize.SalaryUnit
	}{
		{"€ 2.800 - € 3.400 per maand", 2800, 3400, "EUR", normalize.PerMonth},
		{"€14,06 per uur", 14.06, 14.06, "EUR", normalize.PerHour},
		{"tot €4.000 bruto per maand", 0, 4000, "EUR", normalize.PerMonth},
		{"vanaf € 3000 p/mnd", 3000, 0, "EUR", normalize.PerMonth},
		{"$50K per year", 50000, 50000, "USD", normalize.PerYear},
		{"EUR 52,000 - 60,000 per year", 52000, 60000, "EUR", normalize.PerYear},
		{"€ 3.000,50 - € 3.500,75 per maand", 3000.50, 3500.75, "EUR", normalize.PerMonth},
		{"€ 12.50 per uur", 12.50, 12.50, "EUR", normalize.PerHour},
		{"€ 12.5 per uur", 12.5, 12.5, "EUR", normalize.PerHour},
		{"€ 1.250 per maand", 1250, 1250, "EUR", normalize.PerMonth},
	}
	for _, c := range cases {
		in, ok := normalize.ParseSalaryText(c.text)
		if !ok {
			t.Errorf("ParseSalaryText(%q) failed", c.text)
			continue
		}
		get := func(p *float64) float64 {
			if p == nil {
				return 0
			}
			return *p
		}
		if get(in.Min) != c.min || get(in.Max) != c.max || in.Currency != c.currency || in.Unit != string(c.unit) {
			t.Errorf("ParseSalaryText(%q) = %v-%v %s %s", c.text, get(in.Min), get(in.Max), in.Currency, in.Unit)
		}
	}
	for _, bad := range []string{"marktconform", "€ 3000", "3000 per maand", "goed salaris per maand"} {
		if in, ok := normalize.ParseSalaryText(bad); ok {
			t.Errorf("ParseSalaryText(%q) = %+v; want a failure", bad, in)
		}
	}
}

func TestEmploymentTypesMapWhatSourcesReallySend(t *testing.T) {
	cases := []struct {
		in   string
		want []normalize.EmploymentType
	}{
		{"fulltime", []normalize.EmploymentType{normalize.FullTime}},
		{"Full-time", []normalize.EmploymentType{normalize.FullTime}},
		{"full time", []normalize.EmploymentType{normalize.FullTime}},
		{"FULL_TIME", []normalize.EmploymentType{normalize.FullTime}},
		{"Voltijd", []normalize.EmploymentType{normalize.FullTime}},
		{"parttime", []normalize.EmploymentType{normalize.PartTime}},
		{"Deeltijd", []normalize.EmploymentType{normalize.PartTime}},
		{"Parttime (24 - 32 uur)", []normalize.EmploymentType{normalize.PartTime}},
		{"tijdelijk", []normalize.EmploymentType{normalize.Temporary}},
		{"ZZP", []normalize.EmploymentType{normalize.Contractor}},
		{"freelance", []normalize.EmploymentType{normalize.Contractor}},
		{"stage", []normalize.EmploymentType{normalize.Intern}},
		{"vrijwilliger", []normalize.EmploymentType{normalize.Volunteer}},
		{"oproepkracht", []normalize.EmploymentType{normalize.PerDiem}},
		{"fulltime_fixed_term", []normalize.EmploymentType{normalize.FullTime, normalize.Temporary}},
		{"Fulltime, parttime", []normalize.EmploymentType{normalize.FullTime, normalize.PartTime}},
		{"voltijd of deeltijd", []normalize.EmploymentType{normalize.FullTime, normalize.PartTime}},
		{"Fulltime, vast", []normalize.EmploymentType{normalize.FullTime}},
		{"Tijdelijk / ZZP", []normalize.EmploymentType{normalize.Contractor, normalize.Temporary}},
		// Separated parts are read whole before word by word.
		{"Full time, part time", []normalize.EmploymentType{normalize.FullTime, normalize.PartTime}},
		{"interim opdracht", []normalize.EmploymentType{normalize.Contractor, normalize.Temporary}},
		// Unseparated words are tried one by one when the whole is unknown.
		{"fulltime vast", []normalize.EmploymentType{normalize.FullTime}},
		{"parttime 24 uur", []normalize.EmploymentType{normalize.PartTime}},
		{"Fulltime; parttime | stage", []normalize.EmploymentType{normalize.FullTime, normalize.PartTime, normalize.Intern}},
	}
	for _, c := range cases {
		got, known := normalize.MapEmploymentType(c.in)
		if !known || !slices.Equal(got, c.want) {
			t.Errorf("MapEmploymentType(%q) = %v known=%v; want %v", c.in, got, known, c.want)
		}
	}
}

// TestUnknownEmploymentTypes: a part that is not known makes known false,
// and the known parts are still returned.
func TestUnknownEmploymentTypes(t *testing.T) {
	cases := []struct {
		in    string
		want  []normalize.EmploymentType
		known bool
	}{
		{"fulltime, bonusregeling", []normalize.EmploymentType{normalize.FullTime}, false},
		{"bonusregeling, parttime", []normalize.EmploymentType{normalize.PartTime}, false},
		{"bonusregeling", nil, false},
		{"42", nil, false},
		{"", nil, true},
		{"  ", nil, true},
		{"vast", nil, true},
		{"(fulltime)", nil, false},
	}
	for _, c := range cases {
		got, known := normalize.MapEmploymentType(c.in)
		if known != c.known || !slices.Equal(got, c.want) {
			t.Errorf("MapEmploymentType(%q) = %v known=%v; want %v known=%v", c.in, got, known, c.want, c.known)
		}
	}
}

func TestWorkplaceTypes(t *testing.T) {
	for in, want := range map[string]normalize.WorkplaceType{"remote": normalize.Remote, "Thuiswerken": normalize.Remote, "Hybride": normalize.Hybrid,
		"Hybrid remote": normalize.Hybrid, "op locatie": normalize.Onsite, "ONSITE": normalize.Onsite} {
		if got, ok := normalize.MapWorkplaceType(in); !ok || got != want {
			t.Errorf("MapWorkplaceType(%q) = %s", in, got)
		}
	}
}

func TestCurrencyCodes(t *testing.T) {
	for raw, want := range map[string]struct {
		code      string
		alias, ok bool
	}{
		"EUR": {"EUR", false, true}, " eur ": {"EUR", false, true}, "XCG": {"XCG", false, true}, "ZWG": {"ZWG", false, true},
		"EURO": {"EUR", true, true}, "Euros": {"EUR", true, true}, "€": {"EUR", true, true}, "$": {"USD", true, true},
		"US $": {"USD", true, true}, "£": {"GBP", true, true}, "rmb": {"CNY", true, true},
		"NLG": {}, "HRK": {}, "XAU": {}, "XYZ": {}, "": {}, "EU": {}, "EURX": {},
	} {
		code, alias, ok := normalize.CurrencyCode(raw)
		if code != want.code || alias != want.alias || ok != want.ok {
			t.Errorf("CurrencyCode(%q) = %q, %v, %v; want %+v", raw, code, alias, ok, want)
		}
	}
}

func FuzzCurrencyCode(f *testing.F) {
	for _, s := range []string{"EUR", "euro", "€", "US$", "NLG", "", " \u00a0$ "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		code, alias, ok := normalize.CurrencyCode(raw)
		if !ok {
			if code != "" || alias {
				t.Fatalf("%q: not a currency, yet %q %v", raw, code, alias)
			}
			return
		}
		// Whatever was sent, what is stored is an accepted code.
		if again, a, ok := normalize.CurrencyCode(code); !ok || a || again != code {
			t.Fatalf("%q read as %q, which is not itself a code", raw, code)
		}
	})
}
