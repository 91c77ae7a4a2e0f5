package normalize

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// letters keeps the lower-case letters of s, so "Full-time", "full time"
// and "FULL_TIME" compare equal.
func letters(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

var parenthetical = regexp.MustCompile(`\([^)]*\)|\[[^\]]*\]`)

// employmentWords maps what sources really send, in Dutch and English, to
// Google's types. Words that describe a contract's duration rather than
// the working time ("vast", "permanent") map to nothing but are known.
var employmentWords = map[string][]EmploymentType{
	"fulltime": {FullTime}, "voltijd": {FullTime}, "voltijds": {FullTime}, "full": {FullTime},
	"fulltimepermanent": {FullTime}, "fulltimejob": {FullTime}, "fulltimebaan": {FullTime}, "vollzeit": {FullTime},
	"fulltimefixedterm": {FullTime, Temporary}, "fulltimetemporary": {FullTime, Temporary},
	"parttime": {PartTime}, "deeltijd": {PartTime}, "deeltijds": {PartTime}, "parttimepermanent": {PartTime},
	"parttimejob": {PartTime}, "parttimebaan": {PartTime}, "teilzeit": {PartTime}, "bijbaan": {PartTime},
	"werkstudent": {PartTime}, "parttimeminijob": {PartTime}, "minijob": {PartTime},
	"parttimefixedterm": {PartTime, Temporary}, "parttimetemporary": {PartTime, Temporary},
	"tijdelijk": {Temporary}, "tijdelijkcontract": {Temporary}, "tijdelijkdienstverband": {Temporary},
	"temporary": {Temporary}, "temp": {Temporary}, "fixedterm": {Temporary}, "interim": {Temporary},
	"uitzend": {Temporary}, "uitzendwerk": {Temporary}, "uitzendkracht": {Temporary}, "seizoenswerk": {Temporary},
	"seasonal": {Temporary}, "detachering": {Temporary}, "projectbasis": {Temporary},
	"zzp": {Contractor}, "zzper": {Contractor}, "freelance": {Contractor}, "freelancer": {Contractor},
	"contractor": {Contractor}, "contract": {Contractor}, "selfemployed": {Contractor}, "zelfstandige": {Contractor},
	"opdracht": {Contractor}, "interimopdracht": {Contractor, Temporary},
	"stage": {Intern}, "stagiair": {Intern}, "stagiaire": {Intern}, "stageplek": {Intern}, "afstudeerstage": {Intern},
	"meewerkstage": {Intern}, "internship": {Intern}, "intern": {Intern}, "studentinternship": {Intern},
	"vrijwilliger": {Volunteer}, "vrijwilligerswerk": {Volunteer}, "vrijwillig": {Volunteer}, "volunteer": {Volunteer},
	"oproep": {PerDiem}, "oproepkracht": {PerDiem}, "oproepbasis": {PerDiem}, "opoproepbasis": {PerDiem},
	"nuluren": {PerDiem}, "nulurencontract": {PerDiem}, "invalkracht": {PerDiem}, "perdiem": {PerDiem}, "oncall": {PerDiem},
	"other": {Other}, "overig": {Other}, "overige": {Other}, "anders": {Other}, "traineeship": {Other},
	"trainee": {Other}, "apprenticeship": {Other}, "leerwerkplek": {Other}, "bbl": {Other},
	"vast": nil, "vastcontract": nil, "vastdienstverband": nil, "permanent": nil, "vastebaan": nil,
	"onbepaaldetijd": nil, "loondienst": nil, "indienst": nil, "regular": nil,
}

var employmentSeparators = regexp.MustCompile(`[,;/|&+]|\s(?:en|of|and|or)\s`)

// MapEmploymentType maps one value a source sent, which may list several
// ("Fulltime, parttime", "voltijd of deeltijd"), to Google's types. known
// is false when a part is not recognised; the recognised ones are still
// returned.
func MapEmploymentType(raw string) (types []EmploymentType, known bool) {
	s := parenthetical.ReplaceAllString(CleanText(raw), " ")
	if letters(s) == "" {
		return nil, strings.TrimSpace(raw) == ""
	}
	known = true
	mask := 0
	for _, part := range employmentSeparators.Split(" "+strings.ToLower(s)+" ", -1) {
		word := letters(part)
		if word == "" {
			continue
		}
		mapped, ok := employmentWords[word]
		if !ok {
			// "fulltime vast", "parttime 24 uur": try each word on its own.
			found := false
			for _, w := range strings.Fields(part) {
				if m, ok := employmentWords[letters(w)]; ok && letters(w) != "" {
					mapped, found = append(mapped, m...), true
				}
			}
			if !found {
				known = false
				continue
			}
		}
		mask |= EmploymentMask(mapped)
	}
	return EmploymentTypesOf(mask), known
}

var workplaceWords = map[string]WorkplaceType{
	"onsite": Onsite, "oplocatie": Onsite, "opkantoor": Onsite, "kantoor": Onsite, "office": Onsite,
	"inoffice": Onsite, "officebased": Onsite, "fysiek": Onsite, "oplocatiewerken": Onsite, "terplaatse": Onsite,
	"hybrid": Hybrid, "hybride": Hybrid, "hybridremote": Hybrid, "hybridework": Hybrid, "hybridewerken": Hybrid,
	"deelsthuis": Hybrid, "deelsthuiswerken": Hybrid, "gedeeltelijkthuis": Hybrid, "gedeeltelijkthuiswerken": Hybrid,
	"remote": Remote, "fullyremote": Remote, "fullremote": Remote, "volledigremote": Remote, "thuiswerk": Remote,
	"thuiswerken": Remote, "vanuithuis": Remote, "telecommute": Remote, "telecommuting": Remote, "wfh": Remote,
	"workfromhome": Remote, "remotefirst": Remote, "volledigthuis": Remote, "volledigthuiswerken": Remote,
}

// MapWorkplaceType maps what a source sent to ONSITE, HYBRID or REMOTE.
func MapWorkplaceType(raw string) (WorkplaceType, bool) {
	wt, ok := workplaceWords[letters(raw)]
	return wt, ok
}

var unitWords = map[string]SalaryUnit{
	"hour": PerHour, "hours": PerHour, "hourly": PerHour, "uur": PerHour, "peruur": PerHour, "perhour": PerHour,
	"uurloon": PerHour, "ph": PerHour, "hr": PerHour,
	"day": PerDay, "daily": PerDay, "dag": PerDay, "perdag": PerDay, "perday": PerDay, "dagtarief": PerDay,
	"week": PerWeek, "weekly": PerWeek, "perweek": PerWeek, "wk": PerWeek,
	"month": PerMonth, "monthly": PerMonth, "maand": PerMonth, "permaand": PerMonth, "permonth": PerMonth,
	"maandelijks": PerMonth, "mnd": PerMonth, "pm": PerMonth, "mo": PerMonth, "maandsalaris": PerMonth,
	"year": PerYear, "yearly": PerYear, "annual": PerYear, "annually": PerYear, "jaar": PerYear, "perjaar": PerYear,
	"peryear": PerYear, "jaarlijks": PerYear, "pa": PerYear, "perannum": PerYear, "jaarsalaris": PerYear, "yr": PerYear,
}

// MapSalaryUnit maps a period to HOUR, DAY, WEEK, MONTH or YEAR.
func MapSalaryUnit(raw string) (SalaryUnit, bool) {
	u, ok := unitWords[letters(raw)]
	return u, ok
}

// currencyAliases are names and symbols sources write for a currency
// instead of its code; reading one is reported (CURRENCY_MAPPED). "$" is
// read as the US dollar, the common meaning on job sites.
var currencyAliases = map[string]string{
	"€": "EUR", "euro": "EUR", "euros": "EUR",
	"$": "USD", "us$": "USD", "dollar": "USD", "dollars": "USD", "usdollar": "USD",
	"£": "GBP", "pound": "GBP", "pounds": "GBP",
	"sfr": "CHF", "rmb": "CNY", "yuan": "CNY", "¥": "JPY", "yen": "JPY", "zł": "PLN", "zloty": "PLN",
}

// currencies are the active ISO 4217 currency codes (list one, as
// amended to 2025), without the fund codes (BOV, CHE, CHW, CLF, COU, MXV,
// USN, UYI, UYW) and the X codes of metals, testing and no currency, in
// which no one is paid. Withdrawn codes (NLG, DEM, HRK, SLL, ANG...) are not
// accepted: a vacancy in one is a mistake.
var currencies = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range strings.Fields(`
		AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD
		CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS
		GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW
		KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR
		MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR
		SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX
		USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG`) {
		m[c] = true
	}
	return m
}()

// CurrencyCode returns the ISO 4217 code of a currency: an active code in
// any case, or (alias true) a well-known name or symbol of one.
func CurrencyCode(raw string) (code string, alias, ok bool) {
	s := strings.TrimSpace(raw)
	if up := strings.ToUpper(s); currencies[up] {
		return up, false, true
	}
	key := strings.ToLower(strings.Join(strings.Fields(s), ""))
	if code, found := currencyAliases[key]; found {
		return code, true, true
	}
	return "", false, false
}

var countryNames = map[string]string{
	"nederland": "NL", "netherlands": "NL", "thenetherlands": "NL", "holland": "NL", "nld": "NL",
	"belgie": "BE", "belgië": "BE", "belgium": "BE", "belgique": "BE", "bel": "BE",
	"duitsland": "DE", "germany": "DE", "deutschland": "DE", "deu": "DE",
	"luxemburg": "LU", "luxembourg": "LU", "lux": "LU",
	"frankrijk": "FR", "france": "FR", "fra": "FR",
	"verenigdkoninkrijk": "GB", "unitedkingdom": "GB", "uk": "GB", "gbr": "GB", "engeland": "GB",
	"spanje": "ES", "spain": "ES", "esp": "ES", "italie": "IT", "italië": "IT", "italy": "IT", "ita": "IT",
	"oostenrijk": "AT", "austria": "AT", "zwitserland": "CH", "switzerland": "CH",
	"denemarken": "DK", "denmark": "DK", "zweden": "SE", "sweden": "SE", "noorwegen": "NO", "norway": "NO",
	"polen": "PL", "poland": "PL", "ierland": "IE", "ireland": "IE", "portugal": "PT",
	"verenigdestaten": "US", "unitedstates": "US", "usa": "US", "curacao": "CW", "curaçao": "CW", "aruba": "AW",
	"suriname": "SR",
}

// isoCountries are ISO 3166-1 alpha-2 codes accepted as they are.
var isoCountries = strings.Fields(`AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP
KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT
MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG
UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW`)

// CountryCode returns the ISO 3166-1 alpha-2 code of a code or a common
// Dutch or English country name.
func CountryCode(raw string) (string, bool) {
	s := strings.TrimSpace(raw)
	up := strings.ToUpper(s)
	if len(up) == 2 {
		for _, c := range isoCountries {
			if c == up {
				return up, true
			}
		}
	}
	code, ok := countryNames[strings.ToLower(strings.ReplaceAll(strings.ReplaceAll(s, " ", ""), "-", ""))]
	return code, ok
}

var (
	amountPattern = regexp.MustCompile(`(\d{1,3}(?:[.\s ]\d{3})+(?:,\d{1,2})?|\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:[.,]\d{1,2})?)\s*([kK])?\b`)
	upToWords     = regexp.MustCompile(`(?i)\b(tot|up to|max(?:imaal|imum)?|hooguit)\b`)
	fromWords     = regexp.MustCompile(`(?i)\b(vanaf|from|min(?:imaal|imum)?|starting at|v\.a\.)\b`)
	unitInText    = regexp.MustCompile(`(?i)(?:per|/|p\.?)\s*([a-z.]+)|\b(uurloon|maandsalaris|jaarsalaris|hourly|monthly|yearly|annually|annual|bruto per maand)\b`)
	currencyText  = regexp.MustCompile(`(?i)€|\$|£|\b(EUR|USD|GBP|CHF|euro)\b`)
)

// parseAmount reads "2.800", "2800,50", "2,800.50", "14,06" or "50K": what
// amountPattern matched, so it starts with a digit.
func parseAmount(num, k string) (float64, bool) {
	s := strings.NewReplacer(" ", "", " ", "").Replace(num)
	lastDot, lastComma := strings.LastIndexByte(s, '.'), strings.LastIndexByte(s, ',')
	switch {
	case lastDot >= 0 && lastComma >= 0:
		if lastComma > lastDot { // 2.800,50
			s = strings.ReplaceAll(s, ".", "")
			s = strings.Replace(s, ",", ".", 1)
		} else { // 2,800.50
			s = strings.ReplaceAll(s, ",", "")
		}
	case lastComma >= 0:
		if len(s)-lastComma-1 == 3 { // 2,800
			s = strings.ReplaceAll(s, ",", "")
		} else { // 14,06
			s = strings.Replace(s, ",", ".", 1)
		}
	case lastDot >= 0:
		if len(s)-lastDot-1 == 3 { // 2.800
			s = strings.ReplaceAll(s, ".", "")
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false
	}
	if k != "" {
		v *= 1000
	}
	return v, true
}

// ParseSalaryText reads a salary written as text, as feeds carry it: "€
// 2.800 - € 3.400 per maand", "€14,06 per uur", "tot €4.000 bruto per
// maand", "$50K per year". It needs at least one amount, a currency and a
// period; ok is false otherwise.
func ParseSalaryText(text string) (*SalaryInput, bool) {
	s := CleanText(text)
	if len(s) > 300 {
		return nil, false
	}
	cur := currencyText.FindString(s)
	if cur == "" {
		return nil, false
	}
	currency, _, ok := CurrencyCode(cur)
	if !ok {
		return nil, false
	}
	var unit SalaryUnit
	for _, m := range unitInText.FindAllStringSubmatch(s, -1) {
		word := m[1]
		if word == "" {
			word = m[2]
		}
		if strings.Contains(strings.ToLower(word), "maand") {
			word = "maand"
		}
		if u, ok := MapSalaryUnit(strings.TrimSuffix(word, ".")); ok {
			unit = u
			break
		}
	}
	if unit == "" {
		return nil, false
	}
	var amounts []float64
	for _, m := range amountPattern.FindAllStringSubmatch(s, 3) {
		if v, ok := parseAmount(m[1], m[2]); ok {
			amounts = append(amounts, v)
		}
	}
	in := &SalaryInput{Currency: currency, Unit: string(unit)}
	switch len(amounts) {
	case 0:
		return nil, false
	case 1:
		v := amounts[0]
		switch {
		case upToWords.MatchString(s):
			in.Max = &v
		case fromWords.MatchString(s):
			in.Min = &v
		default:
			in.Min, in.Max = &v, &v
		}
	default:
		lo, hi := amounts[0], amounts[1]
		in.Min, in.Max = &lo, &hi
	}
	return in, true
}

var hoursText = regexp.MustCompile(`(?i)(\d{1,2}(?:[.,]\d)?)\s*(?:(?:-|–|tot|to|a|à)\s*(\d{1,2}(?:[.,]\d)?)\s*)?(?:uur|hours|hrs|u\.?)\b(?:\s*(?:per|p\.?\s*|/)\s*(?:week|wk)\b)?`)

// ParseHoursText finds hours per week in text such as "32-40 uur per
// week", "24 uur" or "Parttime (20 tot 24 uur)".
func ParseHoursText(text string) (*HoursInput, bool) {
	m := hoursText.FindStringSubmatch(text)
	if m == nil {
		return nil, false
	}
	lo, err := strconv.ParseFloat(strings.Replace(m[1], ",", ".", 1), 64)
	if err != nil {
		return nil, false
	}
	in := &HoursInput{Min: &lo, Max: &lo}
	if m[2] != "" {
		hi, err := strconv.ParseFloat(strings.Replace(m[2], ",", ".", 1), 64)
		if err != nil {
			return nil, false
		}
		in.Max = &hi
	}
	return in, true
}
