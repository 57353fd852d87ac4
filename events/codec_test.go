package events

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files")

var when = time.Date(2026, 11, 21, 23, 30, 0, 0, time.UTC)

func sampleMeta(stmt int) Meta {
	return Meta{
		EventID:      fmt.Sprintf("01JD6Q4ZKX.%d.%d", stmt, stmt),
		RunID:        "01JD6Q4ZKX",
		Actor:        `CONTOSO\admin`,
		Host:         "adminbox",
		Time:         when,
		Script:       `C:\scripts\rotate.ps1`,
		ScriptSHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		Line:         3,
		Char:         1,
		Statement:    stmt,
		Producer:     "certledger/v0.1.0",
		Command:      `Import-ExchangeCertificate -Path c:\certificates\import.pfx -Password:***`,
		ParameterSet: "Path",
		Computer:     "adminbox.contoso.com",
	}
}

// samples holds one event of every registered type; the golden files and the
// schema checks run over it, and a test makes sure no type is missing.
func samples() []Event {
	eff := when.Add(72 * time.Hour)
	return []Event{
		{Meta: sampleMeta(0), Data: CertificateImported{
			Server: "ex01.contoso.com", Thumbprint: "B1429B7CE6A0F7C5D1C0D2B6A9E8E6E0C1D2E3F4",
			Subject: "CN=mail.contoso.com", Issuer: "CN=Contoso CA", NotBefore: when.Add(-24 * time.Hour), NotAfter: when.Add(365 * 24 * time.Hour),
			SerialNumber: "0A1B2C", FriendlyName: "mail 2026", HasPrivateKey: true, PrivateKeyExportable: false,
			AlternativeNames: []string{"mail.contoso.com", "*.contoso.com"}, SourceFile: `c:\certificates\import.pfx`,
			SourceSHA256: "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae", Chain: []string{"AB12"},
		}},
		{Meta: sampleMeta(1), Data: CertificateAssigned{
			Identity: "pool01.contoso.com", Uses: []string{"Default", "WebServicesInternal"}, Thumbprint: "B1429B7CE6A0F7C5D1C0D2B6A9E8E6E0C1D2E3F4",
			Roll: true, EffectiveDate: &eff, Known: true,
		}},
		{Meta: sampleMeta(2), Data: CertificateRemoved{Identity: "global", Uses: []string{"OAuthTokenIssuer"}, Previous: true}},
		{Meta: sampleMeta(3), Data: ServicesEnabled{Server: "ex01.contoso.com", Thumbprint: "B1429B7CE6A0F7C5D1C0D2B6A9E8E6E0C1D2E3F4", Services: []string{"IIS", "SMTP"}}},
	}
}

func TestSamplesCoverEveryType(t *testing.T) {
	have := map[string]bool{}
	for _, e := range samples() {
		have[e.Data.EventType()] = true
	}
	for _, name := range TypeNames() {
		if !have[name] && !strings.HasPrefix(name, "test.") {
			t.Errorf("no sample (golden file, schema check) for event type %s", name)
		}
	}
}

// The golden files freeze the wire format: a change to a field name, an
// attribute or an encoding shows up here as a diff (go test -update).
func TestGolden(t *testing.T) {
	for _, e := range samples() {
		name := e.Data.EventType()
		t.Run(name, func(t *testing.T) {
			got, err := Encode(e)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", "golden", name+".json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("wire format changed:\n got %s\nwant %s", got, want)
			}
			back, err := Decode(want)
			if err != nil {
				t.Fatal(err)
			}
			e.Meta.SchemaVersion = e.Data.SchemaVersion()
			if !reflect.DeepEqual(back, e) {
				t.Fatalf("round trip:\n got %+v\nwant %+v", back, e)
			}
		})
	}
}

func loadSchema(t *testing.T, eventType string, version int) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "docs", "schema", fmt.Sprintf("%s.v%d.json", eventType, version)))
	if err != nil {
		t.Fatal(err)
	}
	var s map[string]any
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSchemasValidateRealEvents(t *testing.T) {
	for _, e := range samples() {
		name := e.Data.EventType()
		t.Run(name, func(t *testing.T) {
			schema := loadSchema(t, name, e.Data.SchemaVersion())
			if schema["$id"] != SchemaURI(name, e.Data.SchemaVersion()) {
				t.Fatalf("$id %v, want the events' dataschema %s", schema["$id"], SchemaURI(name, e.Data.SchemaVersion()))
			}
			wire, err := Encode(e)
			if err != nil {
				t.Fatal(err)
			}
			var doc any
			json.Unmarshal(wire, &doc)
			if errs := validate(schema, doc, "$"); len(errs) > 0 {
				t.Fatalf("schema rejects a real event:\n%s", strings.Join(errs, "\n"))
			}
			// Zero values (nil slices, no effective date) are valid too.
			zero, _ := New(name)
			wire, err = Encode(Event{Meta: sampleMeta(0), Data: fill(zero)})
			if err != nil {
				t.Fatal(err)
			}
			json.Unmarshal(wire, &doc)
			if errs := validate(schema, doc, "$"); len(errs) > 0 {
				t.Fatalf("schema rejects a sparse event:\n%s", strings.Join(errs, "\n"))
			}
			// The checker can fail: broken copies of the event are rejected.
			for _, mutate := range []func(m map[string]any){
				func(m map[string]any) { delete(m, "actor") },
				func(m map[string]any) { m["time"] = "yesterday" },
				func(m map[string]any) { m["specversion"] = "0.3" },
				func(m map[string]any) { m["extra"] = 1 },
				func(m map[string]any) { m["data"].(map[string]any)["Unknown"] = true },
				func(m map[string]any) {
					d := m["data"].(map[string]any)
					for k := range d {
						delete(d, k)
						return
					}
				},
			} {
				var m map[string]any
				json.Unmarshal(wire, &m)
				mutate(m)
				if errs := validate(schema, m, "$"); len(errs) == 0 {
					t.Fatalf("schema accepted a broken event: %v", m)
				}
			}
		})
	}
}

// fill gives the identity fields of a zero event a value (an aggregate
// needs one) and leaves everything else zero.
func fill(d Data) Data {
	v := reflect.New(reflect.TypeOf(d)).Elem()
	v.Set(reflect.ValueOf(d))
	for _, f := range []string{"Identity", "Server", "Thumbprint"} {
		if fv := v.FieldByName(f); fv.IsValid() {
			fv.SetString("0A")
		}
	}
	return v.Interface().(Data)
}

// validate is a small JSON Schema (2020-12) checker for the keywords the
// schemas in docs/schema use. It fails on any keyword it does not know, so a
// schema cannot rely on a rule the test silently skips.
func validate(schema map[string]any, v any, path string) (errs []string) {
	fail := func(f string, a ...any) { errs = append(errs, path+": "+fmt.Sprintf(f, a...)) }
	for k, rule := range schema {
		switch k {
		case "$schema", "$id", "title", "description":
		case "type":
			var types []any
			if s, ok := rule.(string); ok {
				types = []any{s}
			} else {
				types = rule.([]any)
			}
			ok := false
			for _, ty := range types {
				ok = ok || hasType(v, ty.(string))
			}
			if !ok {
				fail("type %T, want %v", v, rule)
			}
		case "const":
			if !reflect.DeepEqual(v, rule) {
				fail("%v, want %v", v, rule)
			}
		case "required":
			if m, ok := v.(map[string]any); ok {
				for _, r := range rule.([]any) {
					if _, ok := m[r.(string)]; !ok {
						fail("missing %s", r)
					}
				}
			}
		case "properties":
			if m, ok := v.(map[string]any); ok {
				props := rule.(map[string]any)
				for name, val := range m {
					if sub, ok := props[name]; ok {
						errs = append(errs, validate(sub.(map[string]any), val, path+"."+name)...)
					} else if schema["additionalProperties"] == false {
						fail("unexpected property %s", name)
					}
				}
			}
		case "additionalProperties":
			if rule != false {
				fail("checker supports only additionalProperties: false")
			}
		case "items":
			if a, ok := v.([]any); ok {
				for i, el := range a {
					errs = append(errs, validate(rule.(map[string]any), el, fmt.Sprintf("%s[%d]", path, i))...)
				}
			}
		case "minLength":
			if s, ok := v.(string); ok && float64(len([]rune(s))) < rule.(float64) {
				fail("shorter than %v", rule)
			}
		case "minimum":
			if n, ok := v.(float64); ok && n < rule.(float64) {
				fail("%v below %v", n, rule)
			}
		case "pattern":
			if s, ok := v.(string); ok && !regexp.MustCompile(rule.(string)).MatchString(s) {
				fail("%q does not match %s", s, rule)
			}
		case "format":
			if rule != "date-time" {
				fail("checker does not know format %v", rule)
			} else if s, ok := v.(string); ok {
				if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
					fail("%q is not an RFC 3339 date-time", s)
				}
			}
		default:
			fail("checker does not know keyword %q", k)
		}
	}
	return errs
}

func hasType(v any, ty string) bool {
	switch ty {
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "integer":
		n, ok := v.(float64)
		return ok && n == float64(int64(n))
	case "number":
		_, ok := v.(float64)
		return ok
	case "null":
		return v == nil
	}
	return false
}

// A v0 event, as an early build stored it, still reads as the current
// version through the upcaster chain.
func TestUpcastV0Fixture(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "upcast", "certificate.assigned.v0.json"))
	if err != nil {
		t.Fatal(err)
	}
	e, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	want := CertificateAssigned{Identity: "pool01.contoso.com", Uses: []string{"WebServicesExternal"}, Thumbprint: "B1429B7CE6A0F7C5D1C0D2B6A9E8E6E0C1D2E3F"}
	if !reflect.DeepEqual(e.Data, want) {
		t.Fatalf("upcast v0 = %#v, want %#v", e.Data, want)
	}
	if e.Meta.SchemaVersion != 0 || e.Meta.RunID != "legacy-run" || e.Meta.Line != 1 {
		t.Fatalf("meta %+v", e.Meta)
	}
	// The current version of the same event reads unchanged.
	b, err = os.ReadFile(filepath.Join("testdata", "upcast", "certificate.assigned.v1.json"))
	if err != nil {
		t.Fatal(err)
	}
	e1, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(e1.Data, want) || e1.Meta.SchemaVersion != 1 {
		t.Fatalf("v1 = %#v (v%d)", e1.Data, e1.Meta.SchemaVersion)
	}
}

func TestDecodeUnknownAndFuture(t *testing.T) {
	for _, doc := range []string{
		`{"specversion":"1.0","id":"x","type":"certificate.renamed","subject":"a","aggregatekind":"certificate","dataversion":1,"data":{"A":1}}`,
		`{"specversion":"1.0","id":"x","type":"certificate.assigned","subject":"a","aggregatekind":"assignment","dataversion":9,"data":{"A":1}}`,
	} {
		e, err := Decode([]byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		u, ok := e.Data.(Unknown)
		if !ok || string(u.Raw) != `{"A":1}` || u.Agg.ID != "a" {
			t.Fatalf("Decode(%s) = %#v", doc, e.Data)
		}
		if _, err := Encode(e); err == nil {
			t.Fatal("an Unknown event was encoded")
		}
	}
	for _, bad := range []string{``, `{`, `{"specversion":"0.3","id":"x","type":"t"}`, `{"specversion":"1.0"}`,
		`{"specversion":"1.0","id":"x","type":"certificate.assigned","dataversion":0,"data":{"Use":""}}`} {
		if _, err := Decode([]byte(bad)); err == nil {
			t.Errorf("Decode(%q) succeeded", bad)
		}
	}
}

// fakeSecret has the method cmdlet/value.SecureString has.
type fakeSecret struct{ s string }

func (f fakeSecret) Reveal() string { return f.s }

type withSecret struct {
	CertificateRemoved
	Extra []any
}

func init() { Register(withSecret{}) }

func TestEncodeRefusesSecrets(t *testing.T) {
	for _, extra := range [][]any{{fakeSecret{"hunter2"}}, {map[string]any{"k": &fakeSecret{"hunter2"}}}} {
		e := Event{Meta: sampleMeta(0), Data: withSecret{CertificateRemoved{Identity: "global"}, extra}}
		b, err := Encode(e)
		if !errors.Is(err, ErrSecret) {
			t.Fatalf("Encode = %s, %v; want ErrSecret", b, err)
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Fatalf("the error shows the secret: %v", err)
		}
	}
	// The same type without a secret encodes.
	if _, err := Encode(Event{Meta: sampleMeta(0), Data: withSecret{CertificateRemoved{Identity: "global"}, []any{"plain"}}}); err != nil {
		t.Fatal(err)
	}
}

func (withSecret) EventType() string { return "test.withsecret" }

func TestEncodeRefusesIncompleteEvents(t *testing.T) {
	ok := samples()[2]
	for name, mut := range map[string]func(*Event){
		"whatif":    func(e *Event) { e.Meta.WhatIf = true },
		"no id":     func(e *Event) { e.Meta.EventID = "" },
		"no run":    func(e *Event) { e.Meta.RunID = "" },
		"no time":   func(e *Event) { e.Meta.Time = time.Time{} },
		"no actor":  func(e *Event) { e.Meta.Actor = "" },
		"no data":   func(e *Event) { e.Data = nil },
		"no ident":  func(e *Event) { e.Data = CertificateRemoved{} },
		"wrong ver": func(e *Event) { e.Data = oldRemoved{} },
	} {
		e := ok
		mut(&e)
		if b, err := Encode(e); err == nil {
			t.Errorf("%s: encoded %s", name, b)
		}
	}
}

type oldRemoved struct{ CertificateRemoved }

func (oldRemoved) SchemaVersion() int { return 0 }
