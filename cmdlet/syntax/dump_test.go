package syntax

import (
	"fmt"
	"reflect"
	"strings"
)

// dump renders a node tree for golden files: one node per line, with its
// type, extent and scalar fields, children indented.
func dump(f *File) string {
	var b strings.Builder
	dumpValue(&b, f.Lines, reflect.ValueOf(f), 0, "")
	return b.String()
}

var extentType = reflect.TypeOf(Extent{})

func dumpValue(b *strings.Builder, lines *Lines, v reflect.Value, indent int, label string) {
	pad := strings.Repeat("  ", indent)
	if label != "" {
		label += ": "
	}
	switch v.Kind() {
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() || v.Type() == reflect.TypeOf(lines) {
			return
		}
		dumpValue(b, lines, v.Elem(), indent, strings.TrimSuffix(label, ": "))
		return
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return
		}
		for i := 0; i < v.Len(); i++ {
			dumpValue(b, lines, v.Index(i), indent, strings.TrimSuffix(label, ": "))
		}
		return
	case reflect.Struct:
	default:
		return
	}
	t := v.Type()
	fmt.Fprintf(b, "%s%s%s", pad, label, t.Name())
	var children []int
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		fv := v.Field(i)
		if f.Type == extentType {
			e := fv.Interface().(Extent)
			fmt.Fprintf(b, " %s-%s", lines.Position(e.From), lines.Position(e.To))
			continue
		}
		switch fv.Kind() {
		case reflect.String:
			if fv.String() != "" {
				fmt.Fprintf(b, " %s=%q", f.Name, fv.String())
			}
		case reflect.Bool:
			if fv.Bool() {
				fmt.Fprintf(b, " %s", f.Name)
			}
		case reflect.Int:
			if f.Type.Name() == "StringKind" {
				fmt.Fprintf(b, " %s", [...]string{"Bare", "SingleQuoted", "DoubleQuoted", "HereSingle", "HereDouble", "Verbatim"}[fv.Int()])
			} else if fv.Int() != 0 {
				fmt.Fprintf(b, " %s=%d", f.Name, fv.Int())
			}
		case reflect.Interface:
			if f.Name == "Value" && t.Name() == "Number" {
				fmt.Fprintf(b, " Value=%T(%v)", fv.Interface(), fv.Interface())
				continue
			}
			children = append(children, i)
		case reflect.Pointer, reflect.Slice:
			if f.Name == "Src" {
				continue
			}
			children = append(children, i)
		case reflect.Struct:
			if f.Type.Name() == "Pos" {
				continue
			}
		}
	}
	b.WriteByte('\n')
	for _, i := range children {
		dumpValue(b, lines, v.Field(i), indent+1, t.Field(i).Name)
	}
}
