package cmdlet

import (
	"context"
	"errors"
	"testing"

	"github.com/certledger/certledger/cmdlet/bind"
)

// Binding errors pass through Run unchanged: the record prints exactly as
// the binder renders it.
func TestBindErrorsRenderAsTheBinderDoes(t *testing.T) {
	for _, src := range []string{
		"Set-CsCertificate -Foo bar",
		"Set-CsCertificate -T x",
		"Set-CsCertificate -Type Bogus -Thumbprint AB",
		"Import-ExchangeCertificate -FileName x -FileData y",
		"Set-CsCertificate -Type Default -Thumbprint 'AB' extra",
		"Enable-ExchangeCertificate -Thumbprint AB",
	} {
		h := New(newRecorder(""))
		err := h.RunSource(context.Background(), "x.ps1", []byte(src))
		var rec *ErrorRecord
		if !errors.As(err, &rec) {
			t.Fatalf("%s: %v", src, err)
		}
		var be *bind.Error
		if !errors.As(rec.cause, &be) {
			t.Errorf("%s: not a binding error: %s", src, rec.Format())
			continue
		}
		if got, want := rec.Format(), be.Format("x.ps1", []byte(src)); got != want {
			t.Errorf("%s:\n%s\nwant\n%s", src, got, want)
		}
	}
}
