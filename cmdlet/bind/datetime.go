package bind

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// culture is what binding a string to a DateTime needs of a .NET culture:
// the order of day, month and year in a numeric date, the month names, and
// how a DateTime prints (for a DateTime bound to a String parameter).
type culture struct {
	name     string
	dayFirst bool
	months   [12][]string // lower-case names and abbreviations, the culture's and English
	layout   string       // Go layout of the culture's "G" format
}

var englishMonths = [12][]string{
	{"january", "jan"}, {"february", "feb"}, {"march", "mar"}, {"april", "apr"},
	{"may"}, {"june", "jun"}, {"july", "jul"}, {"august", "aug"},
	{"september", "sep", "sept"}, {"october", "oct"}, {"november", "nov"}, {"december", "dec"},
}

func withMonths(extra [12][]string) [12][]string {
	var m [12][]string
	for i := range m {
		m[i] = append(append([]string(nil), extra[i]...), englishMonths[i]...)
	}
	return m
}

var cultures = map[string]*culture{
	"en-US": {name: "en-US", months: englishMonths, layout: "1/2/2006 3:04:05 PM"},
	"en-GB": {name: "en-GB", dayFirst: true, months: englishMonths, layout: "02/01/2006 15:04:05"},
	"de-DE": {name: "de-DE", dayFirst: true, layout: "02.01.2006 15:04:05", months: withMonths([12][]string{
		{"januar", "jan"}, {"februar", "feb"}, {"märz", "mär", "maerz"}, {"april", "apr"},
		{"mai"}, {"juni", "jun"}, {"juli", "jul"}, {"august", "aug"},
		{"september", "sep", "sept"}, {"oktober", "okt"}, {"november", "nov"}, {"dezember", "dez"}})},
	"fr-FR": {name: "fr-FR", dayFirst: true, layout: "02/01/2006 15:04:05", months: withMonths([12][]string{
		{"janvier", "janv"}, {"février", "févr", "fevrier"}, {"mars"}, {"avril", "avr"},
		{"mai"}, {"juin"}, {"juillet", "juil"}, {"août", "aout"},
		{"septembre", "sept"}, {"octobre", "oct"}, {"novembre", "nov"}, {"décembre", "déc", "decembre"}})},
	"invariant": {name: "invariant", months: englishMonths, layout: "01/02/2006 15:04:05"},
}

// Cultures returns the culture names Options.Culture accepts ("" is en-US).
func Cultures() []string {
	out := make([]string, 0, len(cultures))
	for k := range cultures {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func lookupCulture(name string) (*culture, bool) {
	switch strings.ToLower(name) {
	case "":
		return cultures["en-US"], true
	case "iv", "invariant":
		return cultures["invariant"], true
	}
	for k, c := range cultures {
		if strings.EqualFold(k, name) {
			return c, true
		}
	}
	return nil, false
}

func (c *culture) format(t time.Time) string { return t.Format(c.layout) }

var (
	isoDate = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$`)
	timeRE  = regexp.MustCompile(`(?i)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,7}))?)?\s*(a\.?m\.?|p\.?m\.?)?`)
	zoneRE  = regexp.MustCompile(`\s*(Z|GMT|UTC|[+-]\d{2}:?\d{2})$`)
	tokenRE = regexp.MustCompile(`\d+|\p{L}+`)
)

var weekdays = map[string]bool{}

func init() {
	for _, w := range []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
		"mon", "tue", "wed", "thu", "fri", "sat", "sun",
		"montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag",
		"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"} {
		weekdays[w] = true
	}
}

// parse reads s as DateTime.Parse does in the culture, leniently enough for
// what admins type: numeric dates in the culture's order (or year first),
// month names, an optional time with seconds, fractions and AM/PM, an
// optional zone. A date without a zone is local time; a time without a
// date is today (now supplies "today").
func (c *culture) parse(s string, now time.Time) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	if m := isoDate.FindStringSubmatch(s); m != nil {
		y, mo, d := atoi(m[1]), atoi(m[2]), atoi(m[3])
		h, mi, sec := atoi(m[4]), atoi(m[5]), atoi(m[6])
		return build(y, mo, d, h, mi, sec, frac(m[7]), m[8])
	}
	zone := ""
	if m := zoneRE.FindStringSubmatchIndex(s); m != nil && m[2] > 0 {
		zone = s[m[2]:m[3]]
		if strings.EqualFold(zone, "GMT") || strings.EqualFold(zone, "UTC") {
			zone = "Z"
		}
		s = strings.TrimSpace(s[:m[0]])
	}
	h, mi, sec, ns := 0, 0, 0, 0
	datePart := s
	if m := timeRE.FindStringSubmatchIndex(s); m != nil {
		sub := func(i int) string {
			if m[2*i] < 0 {
				return ""
			}
			return s[m[2*i]:m[2*i+1]]
		}
		h, mi, sec, ns = atoi(sub(1)), atoi(sub(2)), atoi(sub(3)), frac(sub(4))
		if ampm := strings.ToLower(sub(5)); ampm != "" {
			if h < 1 || h > 12 {
				return time.Time{}, false
			}
			if ampm[0] == 'p' && h != 12 {
				h += 12
			} else if ampm[0] == 'a' && h == 12 {
				h = 0
			}
		}
		datePart = strings.TrimSpace(s[:m[0]] + " " + s[m[1]:])
	}
	if datePart == "" {
		y, mo, d := now.Date()
		return build(y, int(mo), d, h, mi, sec, ns, zone)
	}
	// What remains must be a date: numbers, a month name, a weekday name,
	// and separators.
	rest := tokenRE.ReplaceAllString(datePart, "")
	if strings.Trim(rest, " /.-,") != "" {
		return time.Time{}, false
	}
	var nums []string
	month := 0
	for _, tok := range tokenRE.FindAllString(datePart, -1) {
		if tok[0] >= '0' && tok[0] <= '9' {
			nums = append(nums, tok)
			continue
		}
		low := strings.ToLower(tok)
		if weekdays[low] {
			continue
		}
		mo := c.month(low)
		if mo == 0 || month != 0 {
			return time.Time{}, false
		}
		month = mo
	}
	var y, mo, d int
	switch {
	case month != 0 && len(nums) == 2:
		mo = month
		if len(nums[0]) >= 3 || atoi(nums[0]) > 31 {
			y, d = year(nums[0]), atoi(nums[1])
		} else {
			d, y = atoi(nums[0]), year(nums[1])
		}
	case month != 0 && len(nums) == 1:
		mo, d, y = month, atoi(nums[0]), now.Year()
	case month == 0 && len(nums) == 3:
		switch {
		case len(nums[0]) >= 3:
			y, mo, d = year(nums[0]), atoi(nums[1]), atoi(nums[2])
		case c.dayFirst:
			d, mo, y = atoi(nums[0]), atoi(nums[1]), year(nums[2])
		default:
			mo, d, y = atoi(nums[0]), atoi(nums[1]), year(nums[2])
		}
	case month == 0 && len(nums) == 2:
		y = now.Year()
		if c.dayFirst {
			d, mo = atoi(nums[0]), atoi(nums[1])
		} else {
			mo, d = atoi(nums[0]), atoi(nums[1])
		}
	default:
		return time.Time{}, false
	}
	return build(y, mo, d, h, mi, sec, ns, zone)
}

func (c *culture) month(word string) int {
	for i, names := range c.months {
		for _, n := range names {
			if word == n {
				return i + 1
			}
		}
	}
	return 0
}

// year reads a year; two digits go to 1930–2029 as .NET's calendar does.
func year(s string) int {
	y := atoi(s)
	if len(s) <= 2 {
		if y < 30 {
			return 2000 + y
		}
		return 1900 + y
	}
	return y
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0
	}
	return n
}

// frac reads up to 7 fractional digits (ticks) as nanoseconds.
func frac(s string) int {
	if s == "" {
		return 0
	}
	for len(s) < 9 {
		s += "0"
	}
	return atoi(s[:9])
}

func build(y, mo, d, h, mi, sec, ns int, zone string) (time.Time, bool) {
	if y < 1 || y > 9999 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59 {
		return time.Time{}, false
	}
	if d > time.Date(y, time.Month(mo)+1, 0, 0, 0, 0, 0, time.UTC).Day() {
		return time.Time{}, false
	}
	loc := time.Local
	if zone != "" {
		if zone == "Z" {
			loc = time.UTC
		} else {
			z := strings.ReplaceAll(zone, ":", "")
			off := (atoi(z[1:3])*60 + atoi(z[3:5])) * 60
			if z[0] == '-' {
				off = -off
			}
			loc = time.FixedZone("", off)
		}
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, ns, loc)
	return t.In(time.Local), true
}
