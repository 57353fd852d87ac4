package cmdlet

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// PathMapping maps one Windows path prefix (a drive path such as C:\Certs or
// a UNC share such as \\server\share) to a local directory.
type PathMapping struct {
	Windows string
	Local   string
}

// PathMap is the set of --path-map entries. Prefixes compare
// case-insensitively and the longest matching prefix wins.
type PathMap []PathMapping

// ParsePathMapping parses one --path-map value, 'C:\Certs=/srv/certs'.
func ParsePathMapping(s string) (PathMapping, error) {
	i := strings.LastIndex(s, "=")
	if i <= 0 || i == len(s)-1 {
		return PathMapping{}, fmt.Errorf("path map %q: want WINPREFIX=LOCALDIR, e.g. 'C:\\Certs=/srv/certs'", s)
	}
	win, local := strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+1:])
	if !isWindowsAbs(win) {
		return PathMapping{}, fmt.Errorf("path map %q: %q is not a Windows drive path or UNC share", s, win)
	}
	return PathMapping{Windows: win, Local: local}, nil
}

// Set implements flag.Value-style accumulation, so that the CLI can take
// repeated --path-map flags straight into a PathMap.
func (pm *PathMap) Set(s string) error {
	m, err := ParsePathMapping(s)
	if err != nil {
		return err
	}
	*pm = append(*pm, m)
	return nil
}

func (pm PathMap) String() string {
	parts := make([]string, len(pm))
	for i, m := range pm {
		parts[i] = m.Windows + "=" + m.Local
	}
	return strings.Join(parts, ",")
}

// winComponents splits a Windows path into its root ("c:" or
// "\\server\share", lower-cased) and the components after it.
func winComponents(p string) (root string, rest []string) {
	p = strings.ReplaceAll(p, "/", `\`)
	switch {
	case strings.HasPrefix(p, `\\`):
		parts := splitNonEmpty(p[2:])
		if len(parts) < 2 {
			return `\\` + strings.ToLower(strings.Join(parts, `\`)), nil
		}
		return `\\` + strings.ToLower(parts[0]+`\`+parts[1]), parts[2:]
	case len(p) >= 2 && p[1] == ':':
		return strings.ToLower(p[:2]), splitNonEmpty(p[2:])
	}
	return "", splitNonEmpty(p)
}

// splitNonEmpty splits a Windows path into components, applying "." and
// "..". A ".." above the start is dropped, as at a drive's root.
func splitNonEmpty(p string) []string { return splitComponents(p, false) }

// splitComponents is splitNonEmpty; keepUp keeps a leading ".." (for a
// path relative to a directory).
func splitComponents(p string, keepUp bool) []string {
	var out []string
	for _, c := range strings.Split(p, `\`) {
		switch c {
		case "", ".":
			continue
		case "..":
			if len(out) > 0 && out[len(out)-1] != ".." {
				out = out[:len(out)-1]
			} else if keepUp {
				out = append(out, "..")
			}
			continue
		}
		out = append(out, c)
	}
	return out
}

func isWindowsAbs(p string) bool {
	if strings.HasPrefix(p, `\\`) || strings.HasPrefix(p, "//") {
		return true
	}
	return len(p) >= 2 && p[1] == ':' && (p[0]|0x20 >= 'a' && p[0]|0x20 <= 'z')
}

// Resolve maps a Windows path to a local one; ok is false when no entry
// covers it.
func (pm PathMap) Resolve(win string) (string, bool) {
	root, rest := winComponents(win)
	best, bestLen := -1, -1
	for i, m := range pm {
		mroot, mrest := winComponents(m.Windows)
		if mroot != root || len(mrest) > len(rest) {
			continue
		}
		match := true
		for j, c := range mrest {
			if !strings.EqualFold(c, rest[j]) {
				match = false
				break
			}
		}
		if match && len(mrest) > bestLen {
			best, bestLen = i, len(mrest)
		}
	}
	if best < 0 {
		return "", false
	}
	return filepath.Join(append([]string{pm[best].Local}, rest[bestLen:]...)...), true
}

// fileError is a file the script names that is not there (or cannot be
// read), with PowerShell's texts for the provider and .NET forms.
type fileError struct {
	id       string
	path     string // as the script wrote it
	local    string
	category string
	reason   string
	cause    error
	unmapped bool
}

func (e *fileError) Error() string {
	switch e.id {
	case "PathNotFound", "certledger.PathNotMapped":
		msg := fmt.Sprintf("Cannot find path '%s' because it does not exist.", e.path)
		if e.unmapped {
			msg += " No --path-map entry covers it (e.g. --path-map '" + mapHint(e.path) + "=/srv/certs')."
		}
		return msg
	}
	return fmt.Sprintf("Cannot read '%s': %v", e.path, e.cause)
}

func mapHint(p string) string {
	if strings.HasPrefix(p, `\\`) || strings.HasPrefix(p, "//") {
		parts := splitNonEmpty(strings.ReplaceAll(p, "/", `\`)[2:])
		if len(parts) >= 2 {
			return `\\` + parts[0] + `\` + parts[1]
		}
		return p
	}
	if len(p) >= 2 {
		return strings.ToUpper(p[:1]) + `:\`
	}
	return p
}

func (e *fileError) Unwrap() error { return e.cause }

// dotnet is the error as [System.IO.File] reports it.
func (e *fileError) dotnet() error {
	if e.id == "PathNotFound" || e.id == "certledger.PathNotMapped" {
		return fmt.Errorf("Could not find file '%s'.", e.path)
	}
	return e.cause
}

func (e *fileError) dotnetID() string {
	if e.id == "PathNotFound" || e.id == "certledger.PathNotMapped" {
		return "FileNotFoundException"
	}
	return "IOException"
}

func (e *fileError) record() *ErrorRecord {
	return &ErrorRecord{ID: e.id, Message: e.Error(), Category: e.category, Reason: e.reason,
		TargetName: e.path, TargetType: "String", cause: e}
}

// maxFileSize bounds what one read may load: certificate files are a few
// kilobytes, and a script must not be able to exhaust memory.
const maxFileSize = 64 << 20

// fileSystem is the Files a script run uses: Windows paths through the
// path map, relative paths against the script's directory, and
// case-insensitive lookup, since scripts written on Windows spell names in
// any case.
type fileSystem struct {
	pathMap PathMap
	dir     string
}

var _ Files = (*fileSystem)(nil)

// localPath turns a script path into a local path, without looking at the
// disk.
func (fsys *fileSystem) localPath(p string) (string, *fileError) {
	orig := p
	for _, prefix := range []string{"Microsoft.PowerShell.Core\\FileSystem::", "FileSystem::"} {
		if len(p) >= len(prefix) && strings.EqualFold(p[:len(prefix)], prefix) {
			p = p[len(prefix):]
		}
	}
	if p == "" {
		return "", &fileError{id: "PathNotFound", path: orig, category: "ObjectNotFound", reason: "ItemNotFoundException"}
	}
	if isWindowsAbs(p) && !strings.HasPrefix(p, "//") {
		local, ok := fsys.pathMap.Resolve(p)
		if !ok {
			return "", &fileError{id: "certledger.PathNotMapped", path: orig, category: "ObjectNotFound", reason: "ItemNotFoundException", unmapped: true}
		}
		return local, nil
	}
	if strings.HasPrefix(p, "/") {
		// A local path ($PSScriptRoot) a script extended the Windows way:
		// no one means a backslash inside a file name here.
		return filepath.Clean(strings.ReplaceAll(p, `\`, "/")), nil
	}
	if strings.HasPrefix(p, `\`) {
		// Root of the current drive: not meaningful here.
		return "", &fileError{id: "certledger.PathNotMapped", path: orig, category: "ObjectNotFound", reason: "ItemNotFoundException", unmapped: true}
	}
	parts := splitComponents(strings.ReplaceAll(p, "/", `\`), true)
	return filepath.Join(append([]string{fsys.dir}, parts...)...), nil
}

// resolve finds the file on disk, matching each component
// case-insensitively when the exact spelling is absent.
func (fsys *fileSystem) resolve(p string) (string, error) {
	local, ferr := fsys.localPath(p)
	if ferr != nil {
		return "", ferr
	}
	found, ok := findInsensitive(local)
	if !ok {
		return "", &fileError{id: "PathNotFound", path: p, local: local, category: "ObjectNotFound", reason: "ItemNotFoundException"}
	}
	return found, nil
}

func findInsensitive(local string) (string, bool) {
	if _, err := os.Stat(local); err == nil {
		return local, true
	}
	vol := filepath.VolumeName(local)
	rest := local[len(vol):]
	cur := vol + string(filepath.Separator)
	if !filepath.IsAbs(local) {
		cur = "."
	}
	for _, c := range strings.Split(rest, string(filepath.Separator)) {
		if c == "" {
			continue
		}
		next := filepath.Join(cur, c)
		if _, err := os.Lstat(next); err == nil {
			cur = next
			continue
		}
		entries, err := os.ReadDir(cur)
		if err != nil {
			return "", false
		}
		var matches []string
		for _, e := range entries {
			if strings.EqualFold(e.Name(), c) {
				matches = append(matches, e.Name())
			}
		}
		if len(matches) == 0 {
			return "", false
		}
		sort.Strings(matches)
		cur = filepath.Join(cur, matches[0])
	}
	return cur, true
}

// ReadFile implements Files.
func (fsys *fileSystem) ReadFile(p string) ([]byte, string, error) {
	local, err := fsys.resolve(p)
	if err != nil {
		return nil, "", err
	}
	st, err := os.Stat(local)
	switch {
	case err == nil && st.IsDir():
		return nil, local, &fileError{id: "certledger.ReadFileFailed", path: p, local: local, category: "ReadError", reason: "UnauthorizedAccessException",
			cause: fmt.Errorf("it is a directory")}
	case err == nil && !st.Mode().IsRegular():
		// A device or a pipe (/dev/zero, a FIFO) could hang the run.
		return nil, local, &fileError{id: "certledger.ReadFileFailed", path: p, local: local, category: "ReadError", reason: "IOException",
			cause: fmt.Errorf("it is not a regular file")}
	case err == nil && st.Size() > maxFileSize:
		return nil, local, &fileError{id: "certledger.ReadFileFailed", path: p, local: local, category: "ReadError", reason: "IOException",
			cause: fmt.Errorf("it is larger than %d bytes, which no certificate file is", maxFileSize)}
	}
	data, err := os.ReadFile(local)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, local, &fileError{id: "PathNotFound", path: p, local: local, category: "ObjectNotFound", reason: "ItemNotFoundException"}
		}
		return nil, local, &fileError{id: "certledger.ReadFileFailed", path: p, local: local, category: "ReadError", reason: "IOException", cause: errors.Unwrap(err)}
	}
	return data, local, nil
}

// WriteFile implements Files: the directory must exist (matched
// case-insensitively); the file is created or overwritten.
func (fsys *fileSystem) WriteFile(p string, data []byte) (string, error) {
	local, ferr := fsys.localPath(p)
	if ferr != nil {
		return "", ferr
	}
	dir, ok := findInsensitive(filepath.Dir(local))
	if !ok {
		return "", &fileError{id: "certledger.DirectoryNotFound", path: p, local: local, category: "ObjectNotFound", reason: "DirectoryNotFoundException",
			cause: fmt.Errorf("Could not find a part of the path '%s'.", p)}
	}
	name := filepath.Base(local)
	if entries, err := os.ReadDir(dir); err == nil {
		for _, e := range entries {
			if e.Name() != name && strings.EqualFold(e.Name(), name) {
				name = e.Name()
				break
			}
		}
	}
	out := filepath.Join(dir, name)
	if err := os.WriteFile(out, data, 0o644); err != nil {
		return out, &fileError{id: "certledger.WriteFileFailed", path: p, local: out, category: "WriteError", reason: "IOException", cause: errors.Unwrap(err)}
	}
	return out, nil
}

func base64Std(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func roundHalfEven(f float64, digits int) float64 {
	if digits < 0 || digits > 15 {
		digits = 0
	}
	p := math.Pow(10, float64(digits))
	return math.RoundToEven(f*p) / p
}
