package ledger

import (
	"bytes"
	"html/template"
	"time"
)

// report is what a -Report file records of one cmdlet call.
type report struct {
	Cmdlet     string
	Command    string // redacted
	Script     string
	Line       int
	Time       time.Time
	Identity   string
	Uses       []string
	Thumbprint string
}

// html/template escapes everything a script put into the report; the
// command text in it is the redacted one, so no secret reaches the file.
var reportPage = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{.Cmdlet}} report</title></head>
<body>
<h1>{{.Cmdlet}}</h1>
<table>
<tr><th>Time (UTC)</th><td>{{.Time.UTC.Format "2006-01-02T15:04:05Z07:00"}}</td></tr>
<tr><th>Command</th><td><code>{{.Command}}</code></td></tr>
<tr><th>Script</th><td>{{.Script}}:{{.Line}}</td></tr>
<tr><th>Identity</th><td>{{.Identity}}</td></tr>
<tr><th>Uses</th><td>{{range $i, $u := .Uses}}{{if $i}}, {{end}}{{$u}}{{end}}</td></tr>
{{if .Thumbprint}}<tr><th>Thumbprint</th><td>{{.Thumbprint}}</td></tr>{{end}}
<tr><th>Result</th><td>Recorded; committed with the rest of the run</td></tr>
</table>
</body></html>
`))

// report writes the -Report file of a call, if one was asked for. The host
// holds every write until the whole script has run without error, so a
// failed run leaves no report claiming something was recorded.
func (c call) report(cmdlet, identity string, uses []string, thumb string) error {
	p := c.str("Report")
	if p == "" {
		return nil
	}
	var buf bytes.Buffer
	err := reportPage.Execute(&buf, report{
		Cmdlet: cmdlet, Command: c.inv.Text, Script: c.inv.File, Line: c.inv.Line,
		Time: c.cfg.Now, Identity: identity, Uses: uses, Thumbprint: thumb,
	})
	if err != nil {
		return err
	}
	_, err = c.inv.Files.WriteFile(p, buf.Bytes())
	return err
}
