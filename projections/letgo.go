package projections

import (
	"strconv"
	"time"
)

// What a rebuild keeps of the certificates and thumbprints it has spilled:
// per certificate a few flags, keyed by its server and the thumbprint's 20
// bytes, about 40 bytes, where the whole cert, its key strings, its
// interned thumbprint and import marks took about 700. What an assignment
// of the present shows of a thumbprint (subject, expiry) goes to "known"
// documents in the bucket, which Rebuilt.Assignments reads back for the
// thumbprints the present names.

// certRef names a certificate compactly: its server interned, its
// thumbprint as bytes.
type certRef struct {
	server uint32
	thumb  [20]byte
}

// certFlags are what later records build on: whether the certificate was
// imported (a first import decides the key), and its key.
type certFlags uint8

const (
	flagImported certFlags = 1 << iota
	flagKey
	flagExportable
)

// knownDoc lists thumbprints a spill let go of, with what an assignment of
// the present shows of each: the subject and expiry of the import the
// thumbprint had then (a later document may list it again; the first
// listing is its first import's).
// Only the rebuild that writes known documents reads them, so they carry
// no format of their own.
type knownDoc struct {
	Thumbs []knownThumb `json:"Thumbs"`
}

type knownThumb struct {
	Thumbprint string    `json:"T"`
	Subject    string    `json:"S,omitempty"`
	NotAfter   time.Time `json:"N"`
}

// knownPerDoc bounds a known document: about 100 bytes each.
const knownPerDoc = 4000

func knownKey(k int) string { return "known-" + strconv.Itoa(k) }

// thumbBytes decodes a normalised thumbprint of 40 upper-case hex digits;
// ok is false for anything else. Encoding the bytes back gives the string
// again, so that the bytes identify it: encoding/hex would also take lower
// case (two strings, one key), and it needs a []byte, a copy per record.
func thumbBytes(t string) (b [20]byte, ok bool) {
	if len(t) != 2*len(b) {
		return b, false
	}
	for i := range b {
		hi, ok1 := unhex(t[2*i])
		lo, ok2 := unhex(t[2*i+1])
		if !ok1 || !ok2 {
			return b, false
		}
		b[i] = hi<<4 | lo
	}
	return b, true
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func (m *Model) serverID(server string) uint32 {
	id, ok := m.serverIDs[server]
	if !ok {
		id = uint32(len(m.serverIDs))
		m.serverIDs[server] = id
	}
	return id
}

// goneFlags returns the flags of a certificate a spill let go of.
func (m *Model) goneFlags(server, thumb string) (certFlags, bool) {
	if len(m.gone) == 0 {
		return 0, false
	}
	t, ok := thumbBytes(thumb)
	if !ok {
		return 0, false
	}
	id, ok := m.serverIDs[server]
	if !ok {
		return 0, false
	}
	f, ok := m.gone[certRef{id, t}]
	return f, ok
}

// letGo drops, after a spill, the certificates and thumbprints the
// segments now hold, keeping of each certificate what later records build
// on, and returning of each thumbprint what the present shows, for the
// caller to write. The model then answers for the present only, which a
// spill that drops history has made it do already.
func (m *Model) letGo() []knownThumb {
	if m.gone == nil {
		m.serverIDs = make(map[string]uint32)
		m.gone = make(map[certRef]certFlags)
	}
	// A fresh map: a map keeps the room of its largest size.
	kept := make(map[certID]*cert)
	for k, c := range m.certs {
		t, ok := thumbBytes(c.thumb)
		if !ok {
			kept[k] = c
			continue
		}
		var f certFlags
		if c.imported {
			f |= flagImported
		}
		if c.hasKey {
			f |= flagKey
		}
		if c.exportable {
			f |= flagExportable
		}
		m.gone[certRef{m.serverID(c.server), t}] = f
	}
	m.certs = kept
	var known []knownThumb
	for id, ti := range m.thumbs {
		if ti == nil {
			continue
		}
		if _, ok := thumbBytes(m.names[id]); !ok {
			continue
		}
		known = append(known, knownThumb{Thumbprint: m.names[id], Subject: ti.subject, NotAfter: ti.notAfter})
		m.thumbs[id] = nil
	}
	m.compactNames()
	return known
}

// compactNames interns again only the thumbprints still referred to: by a
// slot's present timeline, or a thumbInfo kept whole. The slots hold no ops
// when it runs (a spill that drops has written them).
func (m *Model) compactNames() {
	remap := make([]uint32, len(m.names)) // 0: not kept (yet)
	names, thumbs := []string{""}, []*thumbInfo{nil}
	ids := map[string]uint32{"": 0}
	keep := func(id uint32) uint32 {
		if id != 0 && remap[id] == 0 {
			remap[id] = uint32(len(names))
			names = append(names, m.names[id])
			thumbs = append(thumbs, m.thumbs[id])
			ids[m.names[id]] = remap[id]
		}
		return remap[id]
	}
	for id, ti := range m.thumbs {
		if ti != nil {
			keep(uint32(id))
		}
	}
	for _, s := range m.sortedSlots() {
		for i := range s.tl {
			st := &s.tl[i].st
			st.thumb, st.prev = keep(st.thumb), keep(st.prev)
		}
	}
	m.names, m.thumbs, m.nameIDs = names, thumbs, ids
}
