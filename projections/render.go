package projections

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Row is a type the renderers print: the read models' row types.
type Row interface {
	Assignment | Certificate | HistoryEntry | Change
}

// WriteJSON writes rows as one JSON array (`[]` when there are none), with
// the contract's property names and times in RFC 3339 UTC.
func WriteJSON[R Row](w io.Writer, rows []R) error {
	if rows == nil {
		rows = []R{}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // command text and subjects keep their < > &
	enc.SetIndent("", "  ")
	return enc.Encode(rows)
}

// WriteCSV writes a header row of the JSON property names, then one record
// per row. Collections are joined with ";", which no DNS name, thumbprint or
// service name contains; booleans are True/False as PowerShell writes them.
func WriteCSV[R Row](w io.Writer, rows []R) error {
	cols := columns[R]("csv")
	cw := csv.NewWriter(w)
	head := make([]string, len(cols))
	for i, c := range cols {
		head[i] = c.name
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	rec := make([]string, len(cols))
	for _, r := range rows {
		v := reflect.ValueOf(r)
		for i, c := range cols {
			rec[i] = cell(v.Field(c.index), ";", "")
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteTable writes rows the way PowerShell's Format-Table does: a blank
// line, the property names, a line of dashes under each name, the rows in
// columns one space apart, and a blank line; numbers are right-aligned,
// everything else left-aligned, collections shown as {a, b}. Nothing is
// written for no rows, as PowerShell writes nothing for an empty pipeline.
// Columns are never truncated: the output is for logs as much as consoles.
func WriteTable[R Row](w io.Writer, rows []R) error {
	if len(rows) == 0 {
		return nil
	}
	cols := columns[R]("table")
	cells := make([][]string, len(rows))
	width := make([]int, len(cols))
	for i, c := range cols {
		width[i] = utf8.RuneCountInString(c.name)
	}
	for r, row := range rows {
		v := reflect.ValueOf(row)
		cells[r] = make([]string, len(cols))
		for i, c := range cols {
			s := cell(v.Field(c.index), ", ", "{}")
			cells[r][i] = s
			width[i] = max(width[i], utf8.RuneCountInString(s))
		}
	}
	bw := bufio.NewWriter(w)
	line := func(vals []string) {
		var b strings.Builder
		for i, s := range vals {
			if i > 0 {
				b.WriteByte(' ')
			}
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(s))
			if cols[i].right {
				b.WriteString(pad + s)
			} else {
				b.WriteString(s + pad)
			}
		}
		bw.WriteString(strings.TrimRight(b.String(), " "))
		bw.WriteByte('\n')
	}
	head := make([]string, len(cols))
	dash := make([]string, len(cols))
	for i, c := range cols {
		head[i] = c.name
		dash[i] = strings.Repeat("-", utf8.RuneCountInString(c.name))
	}
	bw.WriteByte('\n')
	line(head)
	line(dash)
	for _, r := range cells {
		line(r)
	}
	bw.WriteByte('\n')
	return bw.Flush()
}

type column struct {
	name  string
	index int
	right bool
}

// columns lists R's printable fields: those with a JSON name, minus those
// whose `table` tag is "-" for the given format ("table" or "csv"), and
// never nested rows.
func columns[R Row](format string) []column {
	var zero R
	t := reflect.TypeOf(zero)
	var cols []column
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		if f.Type.Kind() == reflect.Pointer && f.Type.Elem().Kind() == reflect.Struct && f.Type.Elem() != reflect.TypeFor[time.Time]() {
			continue // Change.Before/After: shown through From/To
		}
		if tag := f.Tag.Get(format); tag == "-" {
			continue
		}
		if format == "table" && f.Tag.Get("table") == "-" {
			continue
		}
		k := f.Type.Kind()
		right := k >= reflect.Int && k <= reflect.Uint64
		cols = append(cols, column{name: name, index: i, right: right})
	}
	return cols
}

// cell formats one value: times in RFC 3339 UTC, booleans as True/False,
// collections joined with sep (empty is emptyColl).
func cell(v reflect.Value, sep, emptyColl string) string {
	switch x := v.Interface().(type) {
	case string:
		return x
	case bool:
		if x {
			return "True"
		}
		return "False"
	case time.Time:
		if x.IsZero() {
			return ""
		}
		return x.UTC().Format(time.RFC3339Nano)
	case *time.Time:
		if x == nil {
			return ""
		}
		return x.UTC().Format(time.RFC3339Nano)
	case []string:
		if len(x) == 0 {
			return emptyColl
		}
		if emptyColl == "" {
			return strings.Join(x, sep)
		}
		return "{" + strings.Join(x, sep) + "}"
	case int:
		return strconv.Itoa(x)
	case uint64:
		return strconv.FormatUint(x, 10)
	}
	return fmt.Sprint(v.Interface())
}
