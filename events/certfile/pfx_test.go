package certfile

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"testing"
)

func TestZeroKey(t *testing.T) {
	rk, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	d := rk.D.Bits()
	zeroKey(rk)
	for _, w := range d {
		if w != 0 {
			t.Fatal("RSA D's words survive")
		}
	}
	if rk.D.Sign() != 0 || rk.Primes[0].Sign() != 0 || rk.Primes[1].Sign() != 0 || rk.Precomputed.Dp.Sign() != 0 {
		t.Error("RSA private values not zeroed")
	}

	ek, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	zeroKey(ek)
	if ek.D.Sign() != 0 {
		t.Error("ECDSA D not zeroed")
	}

	_, edk, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	zeroKey(edk)
	for _, b := range edk {
		if b != 0 {
			t.Fatal("Ed25519 key not zeroed")
		}
	}
	zeroKey(nil) // no key type: nothing to do, no panic
}

func TestMatchKeyUnknownType(t *testing.T) {
	if matchKey("not a key", nil) != nil {
		t.Error("matched a non-key")
	}
}
