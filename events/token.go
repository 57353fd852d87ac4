package events

import (
	"errors"
	"fmt"
	"strings"
)

// Aggregate identities and FQDNs contain dots (which would split a NATS
// subject token) and may contain '*' (a wildcard-certificate name, which the
// server would read as a wildcard in a filter and so match another host's
// events). They are therefore encoded into one token that is valid both as a
// NATS subject token and as a JetStream KV key: letters, digits and '-' stand
// for themselves; every other byte of the UTF-8 text becomes '_' followed by
// two upper-case hex digits ("pool.contoso.com" → "pool_2Econtoso_2Ecom").
// The encoding is a bijection between strings and well-formed tokens, so the
// token can be decoded without the event, and it keeps plain names readable.
//
// The empty string has no token: an aggregate always has an identity.

const hexDigits = "0123456789ABCDEF"

// EncodeToken encodes s into a single subject- and KV-safe token.
func EncodeToken(s string) (string, error) {
	if s == "" {
		return "", errors.New("events: cannot encode an empty identity")
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/4)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isPlain(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('_')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&0x0F])
	}
	return b.String(), nil
}

// DecodeToken reverses EncodeToken. It rejects any token EncodeToken would
// not produce (lower-case hex, a stray byte, a truncated escape), so that each
// identity has exactly one token.
func DecodeToken(tok string) (string, error) {
	if tok == "" {
		return "", errors.New("events: empty token")
	}
	b := make([]byte, 0, len(tok))
	for i := 0; i < len(tok); i++ {
		c := tok[i]
		switch {
		case isPlain(c):
			b = append(b, c)
		case c == '_':
			if i+2 >= len(tok) {
				return "", fmt.Errorf("events: token %q: truncated escape at byte %d", tok, i)
			}
			hi, lo := unhex(tok[i+1]), unhex(tok[i+2])
			if hi < 0 || lo < 0 {
				return "", fmt.Errorf("events: token %q: bad escape at byte %d", tok, i)
			}
			d := byte(hi<<4 | lo)
			if isPlain(d) {
				return "", fmt.Errorf("events: token %q: escaped plain byte %q at byte %d", tok, d, i)
			}
			b = append(b, d)
			i += 2
		default:
			return "", fmt.Errorf("events: token %q: byte %q at %d is not allowed", tok, c, i)
		}
	}
	return string(b), nil
}

func isPlain(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-'
}

func unhex(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}
