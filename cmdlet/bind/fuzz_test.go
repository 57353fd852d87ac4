package bind

import (
	"strings"
	"testing"
	"time"

	"github.com/certledger/certledger/cmdlet/syntax"
	"github.com/certledger/certledger/cmdlet/value"
)

// secretMark is the text the fuzzer puts after a secret parameter; no error
// message may contain it.
const secretMark = "s3cr3tPW"

// fuzzArgs decodes bytes into an element list against cmdlet c: each op
// byte picks a kind of element, the bytes after it its content. Names come
// from the cmdlet's own parameters and aliases (whole, cut to a prefix, or
// mangled) so that the fuzzer spends its time inside the binder.
func fuzzArgs(c *Cmdlet, data []byte) (args []Arg, in value.Value, hasIn bool) {
	var names []string
	for _, p := range c.Params {
		names = append(names, p.Name)
		names = append(names, p.Aliases...)
	}
	names = append(names, "Foo", "Thumbprint=ABC", "")
	next := func() byte {
		if len(data) == 0 {
			return 0
		}
		b := data[0]
		data = data[1:]
		return b
	}
	text := func() string {
		n := int(next() % 48)
		if n > len(data) {
			n = len(data)
		}
		s := string(data[:n])
		data = data[n:]
		return s
	}
	pos := 0
	ext := func() syntax.Extent {
		from := syntax.OffsetPos(pos)
		pos += int(next()%16) + 1
		return syntax.Extent{From: from, To: syntax.OffsetPos(pos)}
	}
	var scalar func(depth int) value.Value
	scalar = func(depth int) value.Value {
		switch next() % 14 {
		case 0:
			return text()
		case 1:
			return int32(int8(next()))
		case 2:
			return int64(next()) << (next() % 40)
		case 3:
			return float64(int8(next())) / 3
		case 4:
			return next()%2 == 0
		case 5:
			return nil
		case 6:
			if depth > 2 {
				return "deep"
			}
			n := int(next() % 5)
			list := make([]value.Value, n)
			for i := range list {
				list[i] = scalar(depth + 1)
			}
			return list
		case 7:
			return value.Unknown{Source: "$" + text()}
		case 8:
			return value.NewSecureString(secretMark)
		case 9:
			return []byte(text())
		case 10:
			o := value.NewObject([]string{"Microsoft.Rtc.Management.Deployment.CertificateReference",
				"Microsoft.Exchange.Management.SystemConfigurationTasks.ExchangeCertificate", "X"}[next()%3])
			o.Props.Set("Thumbprint", text())
			o.Props.Set([]string{"Identity", "Server", "Instance", "Type"}[next()%4], scalar(depth+1))
			return o
		case 11:
			return time.Date(2000+int(next()%50), time.Month(next()%12+1), 1, 0, 0, 0, 0, time.UTC)
		case 12:
			h := value.NewHashtable()
			h.Set(text(), scalar(depth+1))
			return h
		default:
			return value.Switch(next()%2 == 0)
		}
	}
	nameFor := func() string {
		n := names[int(next())%len(names)]
		switch next() % 4 {
		case 0:
			if len(n) > 1 {
				n = n[:1+int(next())%(len(n)-1)]
			}
		case 1:
			n = strings.ToUpper(n)
		}
		return n
	}
	for len(data) > 0 && len(args) < 64 {
		switch op := next() % 6; op {
		case 0, 1, 2:
			name := nameFor()
			a := Arg{Name: name, Text: "-" + name, Extent: ext()}
			secret := IsSecret(c.Name, name)
			if op == 1 || secret && next()%2 == 0 {
				a.Colon = true
				a.Text += ":"
				a.Value = scalar(0)
				if secret {
					a.Value = secretMark
				}
				a.ValueExtent = ext()
				a.Splatted = next()%4 == 0
			}
			args = append(args, a)
			if secret && !a.Colon {
				args = append(args, Arg{Value: secretMark, Extent: ext(), Source: `"` + secretMark + `"`})
			}
		case 5:
			in, hasIn = scalar(0), true
		default:
			args = append(args, Arg{Value: scalar(0), Extent: ext(), Source: "v"})
		}
	}
	return args, in, hasIn
}

func FuzzBind(f *testing.F) {
	f.Add([]byte("\x00\x05Type\x00\x07Default"), uint8(0), uint8(0))
	f.Add([]byte("\x01\x03\x01\x00\x00\x02AB\x02\x07\x02\x00\x0cxx"), uint8(0), uint8(2))
	f.Add([]byte("\x02\x09\x00\x05\x05\x05\x0a\x00\x04abcd"), uint8(4), uint8(6))
	f.Add([]byte("\x05\x0a\x00\x040A1B\x01\x00\x00\x00\x05\x06\x03\x00\x03IIS\x00\x04SMTP"), uint8(5), uint8(0))
	f.Add([]byte("\x00\x00\x00\x03\x07\x00\x00\x01\x00\x00\x08"), uint8(4), uint8(4))
	f.Fuzz(func(t *testing.T, data []byte, cmd, prof uint8) {
		profiles := append([]Profile{""}, Profiles()...)
		p := profiles[int(prof)%len(profiles)]
		names := Names(p)
		c, ok := Lookup(names[int(cmd)%len(names)], p)
		if !ok {
			t.Fatalf("Names(%q) lists a cmdlet Lookup cannot find", p)
		}
		args, in, hasIn := fuzzArgs(c, data)
		b, err := Bind(c, args, Options{Input: in, HasInput: hasIn, Culture: []string{"", "de-DE", "fr-FR", "en-GB", "invariant"}[len(data)%5]})
		if err != nil {
			e, ok := err.(*Error)
			if !ok || e == nil || e.ID == "" || e.Message == "" || b != nil {
				t.Fatalf("Bind returned %T %v with %v", err, err, b)
			}
			if strings.Contains(e.Message, secretMark) {
				t.Fatalf("secret in error message: %s", e.Message)
			}
			src := []byte(strings.Repeat("x ", 64))
			if out := e.Format("", src); !strings.Contains(out, e.ID) {
				t.Fatalf("Format lost the id: %s", out)
			}
			return
		}
		if b == nil || b.Command != c.Name || b.ParameterSet == "" {
			t.Fatalf("Bound %+v", b)
		}
		for _, w := range b.Warnings {
			if strings.Contains(w.Message, secretMark) {
				t.Fatalf("secret in warning: %s", w.Message)
			}
		}
		for _, bp := range b.Params {
			if IsSecret(c.Name, bp.Name) {
				switch bp.Value.(type) {
				case value.SecureString, value.Unknown, nil:
				default:
					t.Fatalf("secret %s bound as %T", bp.Name, bp.Value)
				}
			}
		}
	})
}
