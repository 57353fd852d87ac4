package syntax

import (
	"math"
	"strconv"
	"strings"
)

// parseNumber parses PowerShell 5.1 numeric literal text: decimal or 0x hex
// digits, an optional fraction and exponent, a type suffix (d decimal, l
// long) and a multiplier (kb mb gb tb pb), with an optional leading dash of
// any kind. An integer is an int32 when it fits, else an int64, else a
// Decimal, else a float64; hex literals wrap into int32 or int64 as in
// PowerShell. It reports false when the text is not a number by itself.
func parseNumber(text string) (any, bool) {
	s := text
	neg := false
	if r := firstRune(s); isDash(r) {
		neg = true
		s = s[len(string(r)):]
	}
	if s == "" {
		return nil, false
	}
	mult := int64(1)
	if len(s) > 2 {
		switch strings.ToLower(s[len(s)-2:]) {
		case "kb":
			mult = 1 << 10
		case "mb":
			mult = 1 << 20
		case "gb":
			mult = 1 << 30
		case "tb":
			mult = 1 << 40
		case "pb":
			mult = 1 << 50
		}
		if mult != 1 {
			s = s[:len(s)-2]
		}
	}
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		return parseHex(s[2:], neg, mult)
	}
	suffix := byte(0)
	if c := s[len(s)-1]; c == 'd' || c == 'D' || c == 'l' || c == 'L' {
		suffix = c | 0x20
		s = s[:len(s)-1]
	}
	// digits [. digits] [e [sign] digits], at least one digit in the mantissa
	i, digits := 0, 0
	for i < len(s) && isDigit(s[i]) {
		i++
		digits++
	}
	real := false
	if i < len(s) && s[i] == '.' {
		real = true
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
			digits++
		}
	}
	if digits == 0 {
		return nil, false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		real = true
		i++
		if i < len(s) && (s[i] == '+' || isDash(firstRune(s[i:]))) {
			if s[i] == '+' || s[i] == '-' {
				i++
			} else {
				return nil, false
			}
		}
		j := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i == j {
			return nil, false
		}
	}
	if i != len(s) {
		return nil, false
	}
	if neg {
		s = "-" + s
	}
	switch {
	case suffix == 'd':
		if mult != 1 {
			f, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return nil, false
			}
			return Decimal(strconv.FormatFloat(f*float64(mult), 'f', -1, 64)), true
		}
		return Decimal(canonicalDecimal(s)), true
	case real:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil && !isRangeErr(err) {
			return nil, false
		}
		f *= float64(mult)
		if suffix == 'l' {
			if f != math.Trunc(f) || math.Abs(f) > math.MaxInt64 {
				return nil, false
			}
			return int64(f), true
		}
		return f, true
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		if suffix == 'l' {
			return nil, false
		}
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil && !isRangeErr(ferr) {
			return nil, false
		}
		f *= float64(mult)
		if len(strings.TrimLeft(strings.TrimPrefix(s, "-"), "0")) <= 28 {
			return Decimal(canonicalDecimal(s)), true
		}
		return f, true
	}
	return scaleInt(n, mult, suffix == 'l')
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func scaleInt(n, mult int64, long bool) (any, bool) {
	if mult != 1 {
		if n != 0 && (n > math.MaxInt64/mult || n < math.MinInt64/mult) {
			return float64(n) * float64(mult), true
		}
		n *= mult
	}
	if !long && n >= math.MinInt32 && n <= math.MaxInt32 {
		return int32(n), true
	}
	return n, true
}

func parseHex(h string, neg bool, mult int64) (any, bool) {
	long := false
	if h != "" && (h[len(h)-1] == 'l' || h[len(h)-1] == 'L') {
		long = true
		h = h[:len(h)-1]
	}
	if h == "" || len(h) > 16 {
		return nil, false
	}
	u, err := strconv.ParseUint(h, 16, 64)
	if err != nil {
		return nil, false
	}
	var n int64
	if !long && u <= math.MaxUint32 {
		n = int64(int32(uint32(u)))
	} else {
		n = int64(u)
	}
	if neg {
		n = -n
	}
	return scaleInt(n, mult, long || u > math.MaxUint32)
}

func canonicalDecimal(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	s = strings.TrimLeft(s, "0")
	if s == "" || s[0] == '.' {
		s = "0" + s
	}
	if neg {
		return "-" + s
	}
	return s
}
