package syntax

// A parse allocates hundreds of thousands of small nodes; taking them from
// chunks (slabs) instead of one by one cuts allocator and GC work by about
// half. A chunk lives as long as any node in it, which is as long as the
// tree: the nodes of one parse are used together.

type slab[T any] struct{ buf []T }

const slabChunk = 128

func (s *slab[T]) new() *T {
	if len(s.buf) == 0 {
		s.buf = make([]T, slabChunk)
	}
	x := &s.buf[0]
	s.buf = s.buf[1:]
	return x
}

// copyOf returns a slab-backed copy of items with no spare capacity, so an
// append by a user of the tree never writes into a neighbour's elements.
func (s *slab[T]) copyOf(items []T) []T {
	n := len(items)
	if n == 0 {
		return nil
	}
	if n > len(s.buf) {
		s.buf = make([]T, max(4*slabChunk, n))
	}
	out := s.buf[:n:n]
	copy(out, items)
	s.buf = s.buf[n:]
	return out
}

type arena struct {
	strs     slab[StringLit]
	params   slab[Parameter]
	cmds     slab[Command]
	pipes    slab[Pipeline]
	vars     slab[Variable]
	elemList slab[CommandElement]
	pipeList slab[PipelineElement]
	stmtList slab[Stmt]

	// stacks for building lists; nested lists push above outer ones
	elems []CommandElement
	stmts []Stmt
}

func (a *arena) strLit(ext Extent, kind StringKind, v string) *StringLit {
	s := a.strs.new()
	s.Extent, s.Kind, s.Value = ext, kind, v
	return s
}
