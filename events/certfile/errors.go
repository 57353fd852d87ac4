package certfile

import "errors"

// The kinds of failure Decode reports. Test for them with errors.Is; the
// error itself is an *Error naming the file.
var (
	// ErrEmpty: the file has no bytes (or only white space).
	ErrEmpty = errors.New("the file is empty")
	// ErrTooLarge: the file is larger than the limit (see MaxSize).
	ErrTooLarge = errors.New("the file is too large to be a certificate file")
	// ErrUnrecognized: the content is none of the supported formats.
	ErrUnrecognized = errors.New("the file is not a certificate file (PKCS#12 .pfx/.p12, PKCS#7 .p7b, or X.509 .cer/.crt/.pem)")
	// ErrCorrupt: the content starts as a supported format but is damaged.
	ErrCorrupt = errors.New("the file is corrupt")
	// ErrTruncated: the content ends before its structure does. An error of
	// this kind is also ErrCorrupt.
	ErrTruncated = errors.New("the file is truncated")
	// ErrWrongPassword: the PKCS#12 file's integrity check failed with the
	// password given (including when none was given but one is needed).
	ErrWrongPassword = errors.New("the password is not correct")
	// ErrNoCertificate: a well-formed file that holds no certificate.
	ErrNoCertificate = errors.New("the file holds no certificate")
	// ErrKeyMismatch: a PKCS#12 file whose private key belongs to none of
	// its certificates.
	ErrKeyMismatch = errors.New("the private key in the file matches none of its certificates")
	// ErrUnsupported: a well-formed file using a feature certfile does not
	// read (e.g. an encrypted PKCS#7, a certificate-only PKCS#12 that is not
	// a trust store, an unsupported PKCS#12 algorithm).
	ErrUnsupported = errors.New("the file uses a feature certledger cannot read")
)

// Error is the error Decode returns. Its message names the file, says what
// is wrong in words an administrator can act on, and never contains the
// password, key material or a panic value.
type Error struct {
	File   string // the name given to Decode
	Format string // the format detected or expected, e.g. FormatPFX; may be empty
	Kind   error  // one of the Err* values above
	Detail string // certledger's own wording of the specifics; may be empty
}

func (e *Error) Error() string {
	kind := ErrCorrupt
	if e.Kind != nil {
		kind = e.Kind
	}
	msg := e.File + ": " + kind.Error()
	if e.Format != "" && kind != ErrUnrecognized && kind != ErrEmpty && kind != ErrTooLarge {
		msg = e.File + ": " + formatNoun(e.Format) + ": " + kind.Error()
	}
	if e.Detail != "" {
		msg += " (" + e.Detail + ")"
	}
	return msg
}

// Unwrap returns the kind, so errors.Is(err, ErrWrongPassword) works. The
// underlying library error is deliberately not kept: its text is not ours
// to vouch for.
func (e *Error) Unwrap() error { return e.Kind }

// Is makes a truncated file also count as a corrupt one.
func (e *Error) Is(target error) bool {
	return target == ErrCorrupt && e.Kind == ErrTruncated
}

func formatNoun(format string) string {
	switch format {
	case FormatPFX:
		return "PKCS#12 file"
	case FormatPKCS7:
		return "PKCS#7 file"
	case FormatCert:
		return "X.509 certificate"
	}
	return format
}
