package certfile

import (
	"encoding/asn1"
	"math"
	"math/big"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// maxIterations bounds the key-derivation iterations a PKCS#12 file may
// ask for in all. Every derivation (the MAC's, each encrypted part's) runs
// as many as the file says, and go-pkcs12 has no bound: a crafted file
// could keep Decode busy for hours, with one huge count or with many
// encrypted parts. Tools write 2 048 (OpenSSL), 2 000 or 10 000 (Windows,
// Java) per derivation, three derivations to a file; password-hashing
// advice goes up to 600 000. A file of three derivations of 100 000 each
// decoded in 37–60 ms here, so 10 million in all is 1–2 s. A variable, so
// that tests can lower it.
var maxIterations int64 = 10_000_000

// The algorithms whose parameters carry an iteration count.
var (
	oidPBKDF2 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}
	// pkcs-12PbeIds: pbeWithSHAAnd128BitRC4 … pbewithSHAAnd40BitRC2-CBC,
	// whose parameters are {salt, iterations}.
	oidPKCS12PBE = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1}
	// PBMAC1 names its PBKDF2 parameters inside its own.
	oidPBMAC1 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 14}
)

// isPBMAC1 reports whether a MAC's DigestInfo names PBMAC1.
func isPBMAC1(digestInfo cryptobyte.String) bool {
	var alg cryptobyte.String
	var oid asn1.ObjectIdentifier
	return digestInfo.ReadASN1(&alg, cbasn1.SEQUENCE) && alg.ReadASN1ObjectIdentifier(&oid) && oid.Equal(oidPBMAC1)
}

// maxDepth bounds the walk: PKCS#12 nests about a dozen deep, and the walk
// must not recurse without end on crafted nesting.
const maxDepth = 40

// pfxIterations returns the sum of the iteration counts the PKCS#12 file
// der asks for wherever the walk can see: its MAC's, and every PBE, PBES2
// and PBMAC1 parameter set outside encrypted content. A sum that does not
// fit an int64 is returned as -1, which callers treat as over every bound.
//
// It looks into OCTET STRINGs that hold DER, since PKCS#12 wraps its
// contents in them. What is encrypted it cannot see: a key bag inside an
// encrypted part is bounded only once that part is decrypted, and go-pkcs12
// does that itself. Files in the wild put the key bag outside (every tool
// named above does).
func pfxIterations(der []byte) int64 {
	var w iterWalk
	pfx := cryptobyte.String(der)
	var body cryptobyte.String
	if !pfx.ReadASN1(&body, cbasn1.SEQUENCE) {
		return 0
	}
	// PFX ::= SEQUENCE { version, authSafe ContentInfo, macData MacData OPTIONAL }
	// MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 }
	var version, authSafe, macData cryptobyte.String
	if body.ReadAnyASN1Element(&version, nil) && body.ReadAnyASN1Element(&authSafe, nil) {
		if body.ReadASN1(&macData, cbasn1.SEQUENCE) {
			var digestInfo, salt cryptobyte.String
			if macData.ReadASN1(&digestInfo, cbasn1.SEQUENCE) && macData.ReadASN1(&salt, cbasn1.OCTET_STRING) && !isPBMAC1(digestInfo) {
				// PBMAC1 takes its count from its own parameters (which
				// the walk below finds) and ignores this one.
				w.integer(macData)
			}
		}
	}
	w.walk(cryptobyte.String(der), 0)
	return w.total
}

type iterWalk struct {
	total int64 // -1 once the sum does not fit an int64
}

// note adds an iteration count.
func (w *iterWalk) note(n int64) {
	switch {
	case w.total < 0 || n <= 0:
	case n > math.MaxInt64-w.total:
		w.total = -1
	default:
		w.total += n
	}
}

// integer notes the INTEGER that s starts with, if it does.
func (w *iterWalk) integer(s cryptobyte.String) {
	if !s.PeekASN1Tag(cbasn1.INTEGER) {
		return
	}
	var n big.Int
	if !s.ReadASN1Integer(&n) {
		return
	}
	if !n.IsInt64() {
		w.total = -1
		return
	}
	w.note(n.Int64())
}

// walk visits every element of s, descending into constructed elements and
// into OCTET STRINGs whose whole content is DER, and notes the iteration
// count of every AlgorithmIdentifier that names PBKDF2 or a PKCS#12 PBE.
func (w *iterWalk) walk(s cryptobyte.String, depth int) {
	if depth > maxDepth || w.total < 0 {
		return
	}
	for !s.Empty() {
		var elem cryptobyte.String
		var tag cbasn1.Tag
		if !s.ReadAnyASN1(&elem, &tag) {
			return
		}
		switch {
		case tag == cbasn1.SEQUENCE:
			w.algorithm(elem)
			w.walk(elem, depth+1)
		case tag&0x20 != 0 || tag == cbasn1.OCTET_STRING && isDER(elem): // constructed, or wrapped DER
			w.walk(elem, depth+1)
		}
	}
}

// algorithm notes the iteration count of an AlgorithmIdentifier { OID,
// parameters } whose OID takes one.
func (w *iterWalk) algorithm(seq cryptobyte.String) {
	var oid asn1.ObjectIdentifier
	if !seq.ReadASN1ObjectIdentifier(&oid) {
		return
	}
	var params cryptobyte.String
	if !seq.ReadASN1(&params, cbasn1.SEQUENCE) {
		return
	}
	switch {
	case oid.Equal(oidPBKDF2):
		// PBKDF2-params ::= SEQUENCE { salt CHOICE { OCTET STRING, AlgorithmIdentifier }, iterationCount INTEGER, … }
		var salt cryptobyte.String
		if params.ReadAnyASN1Element(&salt, nil) {
			w.integer(params)
		}
	case len(oid) == len(oidPKCS12PBE)+1 && oid[:len(oidPKCS12PBE)].Equal(oidPKCS12PBE):
		// pkcs-12PbeParams ::= SEQUENCE { salt OCTET STRING, iterations INTEGER }
		var salt cryptobyte.String
		if params.ReadASN1(&salt, cbasn1.OCTET_STRING) {
			w.integer(params)
		}
	}
}

// isDER reports whether s is, entirely, one or more DER elements.
func isDER(s cryptobyte.String) bool {
	if s.Empty() {
		return false
	}
	for !s.Empty() {
		var e cryptobyte.String
		if !s.ReadAnyASN1Element(&e, nil) {
			return false
		}
	}
	return true
}
