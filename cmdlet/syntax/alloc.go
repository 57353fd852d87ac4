package syntax

// A parse allocates hundreds of thousands of small nodes; taking them from
// chunks (slabs) instead of one by one cuts allocator and GC work by about
// half. A chunk lives as long as any node in it, which is as long as the
// tree: the nodes of one parse are used together.

type slab[T any] struct {
	buf  []T
	used int // buf[:used] is handed out
	next int // size of the next chunk
}

// Chunks start small, so that a one-line script does not pay for room it
// never uses, and double up to slabChunk. Chunks of 1024 (tens of
// kilobytes) cost less per node to allocate and to mark than chunks of 256
// in BenchmarkParse (about 5 % less CPU), and the doubling keeps the room
// left unused at the end of a parse to a few chunks.
const (
	slabFirst = 4
	slabChunk = 1024
)

func (s *slab[T]) grow(need int) {
	n := max(s.next, slabFirst)
	s.next = min(2*n, slabChunk)
	s.buf, s.used = make([]T, max(n, need)), 0
}

// new returns a zero T. It advances an index rather than reslicing buf:
// storing a slice pointer costs a write barrier while the collector runs,
// which is most of a large parse.
func (s *slab[T]) new() *T {
	if s.used == len(s.buf) {
		s.grow(1)
	}
	s.used++
	return &s.buf[s.used-1]
}

// put returns a slab-backed copy of v.
func put[T any](s *slab[T], v T) *T {
	x := s.new()
	*x = v
	return x
}

// copyOf returns a slab-backed copy of items with no spare capacity, so an
// append by a user of the tree never writes into a neighbour's elements.
func (s *slab[T]) copyOf(items []T) []T {
	n := len(items)
	if n == 0 {
		return nil
	}
	if n > len(s.buf)-s.used {
		s.grow(n)
	}
	out := s.buf[s.used : s.used+n : s.used+n]
	if n <= 8 {
		// Most lists are short (a pipeline of one command, a command of
		// a few elements); element by element is cheaper than copy's
		// bulk write barrier, which the collector has on for most of a
		// large parse.
		for i, x := range items {
			out[i] = x
		}
	} else {
		copy(out, items)
	}
	s.used += n
	return out
}

type arena struct {
	strs     slab[StringLit]
	params   slab[Parameter]
	cmds     slab[Command]
	pipes    slab[Pipeline]
	vars     slab[Variable]
	cmdExprs slab[CommandExpr]
	assigns  slab[Assignment]
	arrays   slab[ArrayLit]
	expStrs  slab[ExpandableString]
	numbers  slab[Number]
	binaries slab[Binary]
	unaries  slab[Unary]
	casts    slab[Cast]
	types    slab[TypeLit]
	subExprs slab[SubExpr]
	arrSubs  slab[ArraySubExpr]
	parens   slab[Paren]
	members  slab[Member]
	invokes  slab[Invoke]
	indexes  slab[Index]
	hashes   slab[Hashtable]
	pairs    slab[KeyValue]
	blocks   slab[Block]
	scripts  slab[ScriptBlock]
	ifs      slab[If]
	clauses  slab[IfClause]
	foreachs slab[Foreach]
	tries    slab[Try]
	catches  slab[Catch]

	elemList   slab[CommandElement]
	pipeList   slab[PipelineElement]
	stmtList   slab[Stmt]
	exprList   slab[Expr]
	pairList   slab[*KeyValue]
	clauseList slab[*IfClause]
	catchList  slab[*Catch]

	// stacks for building lists; nested lists push above outer ones
	elems   []CommandElement
	stmts   []Stmt
	pipeEls []PipelineElement
	exprs   []Expr
	kvs     []*KeyValue
}

func (a *arena) strLit(ext Extent, kind StringKind, v string) *StringLit {
	s := a.strs.new()
	s.Extent, s.Kind, s.Value = ext, kind, v
	return s
}

// popExprs returns the expressions pushed since mark as a slab-backed list
// and pops them.
func (a *arena) popExprs(mark int) []Expr {
	list := a.exprList.copyOf(a.exprs[mark:])
	a.exprs = a.exprs[:mark]
	return list
}

// shortList collects the items of one list in a parse function's frame.
// Storing into a local array needs no write barrier, while a push onto one
// of the arena's stacks (on the heap) costs one per pointer word whenever
// the collector is marking, which is most of a large parse; most lists
// (the elements of a command, of a pipeline) are short. Items past the
// array go onto a heap stack, above the mark taken when the list started,
// so nested lists keep their usual discipline.
type shortList[T any] struct {
	buf  [shortLen]T
	n    int
	mark int // len of the heap stack when the list started
}

const shortLen = 6

// add appends x, to the heap stack *spill once the array is full. It is
// small enough to inline, which is what lets the compiler see that the
// array is on the stack.
func (l *shortList[T]) add(x T, spill *[]T) {
	if l.n < shortLen {
		l.buf[l.n] = x
	} else {
		*spill = append(*spill, x)
	}
	l.n++
}

// finish returns the list as a slab-backed slice and pops what it pushed
// onto *spill.
func (l *shortList[T]) finish(s *slab[T], spill *[]T) []T {
	if l.n <= shortLen {
		return s.copyOf(l.buf[:l.n])
	}
	rest := (*spill)[l.mark:]
	out := s.copyOf2(l.buf[:], rest)
	*spill = (*spill)[:l.mark]
	return out
}

// copyOf2 is copyOf of the concatenation of a and b.
func (s *slab[T]) copyOf2(a, b []T) []T {
	n := len(a) + len(b)
	if n == 0 {
		return nil
	}
	if n > len(s.buf)-s.used {
		s.grow(n)
	}
	out := s.buf[s.used : s.used+n : s.used+n]
	copy(out, a)
	copy(out[len(a):], b)
	s.used += n
	return out
}
