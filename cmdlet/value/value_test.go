package value

import (
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"strings"
	"testing"
)

const secret = "S3cret-Canary-value"

// TestSecureStringNeverPrints formats a secret every way a program might
// print one by accident; only Reveal gives it.
func TestSecureStringNeverPrints(t *testing.T) {
	s := NewSecureString(secret)
	cred := &Credential{UserName: "pfx", Password: s}
	holder := struct {
		Password SecureString
		Cred     *Credential
		Any      any
	}{s, cred, s}

	var logged strings.Builder
	log.New(&logged, "", 0).Printf("%v %+v", s, holder)
	js, err := json.Marshal(holder)
	if err != nil {
		t.Fatal(err)
	}
	text, _ := s.MarshalText()
	outputs := map[string]string{
		"%v": fmt.Sprintf("%v", s), "%s": fmt.Sprintf("%s", s), "%q": fmt.Sprintf("%q", s),
		"%x": fmt.Sprintf("%x", s), "%#v": fmt.Sprintf("%#v", s), "%+v struct": fmt.Sprintf("%+v", holder),
		"%#v struct": fmt.Sprintf("%#v", holder), "%v credential": fmt.Sprintf("%v", *cred),
		"error": fmt.Errorf("bad password %v", s).Error(), "errors.New": errors.New(fmt.Sprint(s)).Error(),
		"json": string(js), "text": string(text), "log": logged.String(), "String": s.String(),
	}
	for how, out := range outputs {
		if strings.Contains(out, secret) {
			t.Errorf("%s printed the secret: %s", how, out)
		}
		if !strings.Contains(out, Redacted) {
			t.Errorf("%s = %q, want the redaction marker", how, out)
		}
	}
	if s.Reveal() != secret {
		t.Fatalf("Reveal = %q", s.Reveal())
	}
	s.Wipe()
	if cred.Password.Reveal() == secret {
		t.Fatal("Wipe left the secret in a copy")
	}
}

func TestHashtableIsCaseInsensitiveAndOrdered(t *testing.T) {
	h := NewHashtable()
	h.Set("Type", "Default")
	h.Set("Thumbprint", "AB")
	h.Set("type", "Internal")
	if v, _ := h.Get("TYPE"); v != "Internal" || h.Len() != 2 {
		t.Fatalf("Get(TYPE) = %v, Len %d", v, h.Len())
	}
	if k := h.Keys(); k[0] != "Type" || k[1] != "Thumbprint" {
		t.Fatalf("Keys = %v: the first spelling and insertion order are kept", k)
	}
	if _, ok := h.Get("Path"); ok {
		t.Fatal("Get of an absent key reported found")
	}
}
