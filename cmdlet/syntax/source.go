package syntax

import (
	"encoding/binary"
	"unicode/utf16"
	"unicode/utf8"
)

// DecodeSource returns script bytes as UTF-8, the encoding ParseFile
// reads. Windows PowerShell ISE and Notepad's "Unicode" save scripts as
// UTF-16 with a byte order mark; such files are converted (an unpaired
// surrogate becomes U+FFFD). Anything else, with or without a UTF-8 byte
// order mark, is returned unchanged: positions are offsets into what
// ParseFile is given, so callers should parse the returned bytes.
func DecodeSource(b []byte) []byte {
	var order binary.ByteOrder
	switch {
	case len(b) >= 2 && b[0] == 0xFF && b[1] == 0xFE:
		order = binary.LittleEndian
	case len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF:
		order = binary.BigEndian
	default:
		return b
	}
	b = b[2:]
	units := make([]uint16, len(b)/2)
	for i := range units {
		units[i] = order.Uint16(b[2*i:])
	}
	out := make([]byte, 0, len(units)+len(units)/2)
	for _, r := range utf16.Decode(units) {
		out = utf8.AppendRune(out, r)
	}
	if len(b)%2 == 1 {
		out = utf8.AppendRune(out, utf8.RuneError) // a truncated last unit
	}
	return out
}
