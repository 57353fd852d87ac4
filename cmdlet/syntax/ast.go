// Package syntax reads PowerShell script text as Windows PowerShell 5.1 reads
// it: a tokenizer faithful to PowerShell's character classes (any dash, any
// smart quote, NBSP as whitespace), a parser producing an AST with a position
// on every node, PowerShell's parse errors with their ids and English texts,
// and a printer that turns the AST back into canonical text.
//
// The package imports only the standard library.
package syntax

// Pos is a point in a source file: its byte offset plus one, so that the
// zero Pos, NoPos, is no position at all. A Pos is all a node stores; the
// line and column PowerShell would report for it come from the file's
// Lines (File.Position), because a tree holds hundreds of thousands of
// positions and a line and column on each were a quarter of its memory.
//
// A Pos is 32 bits wide: ParseFile refuses sources of 2 GiB or more, whose
// offsets would not fit.
type Pos int32

// NoPos is the zero Pos: a node that was not made by the parser.
const NoPos Pos = 0

// OffsetPos returns the Pos of byte offset off.
func OffsetPos(off int) Pos { return Pos(off + 1) }

// IsValid reports whether the position was set.
func (p Pos) IsValid() bool { return p != NoPos }

// Offset returns the 0-based byte offset of p into the source.
func (p Pos) Offset() int { return int(p) - 1 }

// Extent is the source range a node or token covers: From inclusive, To
// exclusive.
type Extent struct {
	From Pos
	To   Pos
}

// Pos returns the start of the extent.
func (e Extent) Pos() Pos { return e.From }

// End returns the position just past the extent.
func (e Extent) End() Pos { return e.To }

// Span returns the extent itself, so that any node can hand its range to an
// error record.
func (e Extent) Span() Extent { return e }

// Node is any element of the AST.
type Node interface {
	Pos() Pos
	End() Pos
	Span() Extent
}

// File is one parsed script.
type File struct {
	Extent        // the whole source
	Name   string // as given by the caller: a path, or "" for interactive input
	Src    []byte
	// Lines resolves the positions of this file's nodes to PowerShell's
	// lines and columns; File.Position is the short way to use it.
	Lines      *Lines
	Statements []Stmt
	Comments   []*Comment
	// Attributes and Params are the script's own [CmdletBinding()] and
	// param(...) block, if any.
	Attributes []*TypeLit
	Params     []*ParamDecl
}

// Position returns the line and column of p in the file.
func (f *File) Position(p Pos) Position { return f.Lines.Position(p) }

// Comment is a line comment (`# ...`) or a block comment (`<# ... #>`).
type Comment struct {
	Extent
	Text  string // including the delimiters
	Block bool

	Requires  bool // a #requires line (PowerShell applies it at the top level only)
	Signature bool // an Authenticode block, "# SIG # Begin signature block" to its end marker
}

// Stmt is a statement: a pipeline, an assignment or a control-flow construct.
type Stmt interface {
	Node
	stmtNode()
}

// Expr is an expression: anything that yields a value.
type Expr interface {
	Node
	exprNode()
}

// CommandElement is one element after a command name: a *Parameter or an
// argument Expr (a splatted variable is a *Variable with Splat set).
type CommandElement interface {
	Node
}

// PipelineElement is a *Command or a *CommandExpr.
type PipelineElement interface {
	Node
	pipelineElement()
}

// ---- statements ----

// Pipeline is one or more elements joined by `|`.
type Pipeline struct {
	Extent
	Elements []PipelineElement
}

// Command invokes a command by name: `Set-CsCertificate -Type Default`.
type Command struct {
	Extent
	Invocation string // "", "&" or "."
	Name       Expr   // usually a *StringLit bareword
	Elements   []CommandElement
	Redirects  []*Redirection // > file, 2>&1, ... in source order
}

// Parameter is a parameter token: `-Thumbprint`, `–Type` (any dash),
// `-Force:$false`. Name excludes the dash and the colon.
//
// The extent is the token alone (`-Force:` with its colon), which is what
// PowerShell underlines in binding errors; a colon argument has its own.
// Text is the token up to, not including, the colon.
type Parameter struct {
	Extent
	Name  string
	Text  string // the token exactly as written, dash included
	Colon bool   // -Name:value form; Arg holds the value
	Arg   Expr   // nil unless Colon
}

// CommandExpr is an expression used as a pipeline element: `$x | ...`, `"a"`.
type CommandExpr struct {
	Extent
	X         Expr
	Redirects []*Redirection
}

// Redirection is `> file`, `>> file`, `2> file`, `2>&1` or `*> file`.
// PowerShell rejects input redirection (`<`) with RedirectionNotSupported;
// the parser still records it, with Op "<".
type Redirection struct {
	Extent
	Op     string // as written: ">", "2>>", "2>&1", "<"
	Target Expr   // nil for a stream merge such as 2>&1
}

// Assignment is `$x = ...` (and `+=`, `-=`, ...).
type Assignment struct {
	Extent
	Op    string // "=", "+=", "-=", "*=", "/=", "%="
	Left  Expr
	Right Stmt
}

// If is `if (...) {...} elseif (...) {...} else {...}`.
type If struct {
	Extent
	Clauses []*IfClause
	Else    *Block // nil if absent
}

// IfClause is one `if` or `elseif` condition with its body.
type IfClause struct {
	Extent
	Cond Stmt
	Body *Block
}

// Foreach is `foreach ($x in <pipeline>) {...}`.
type Foreach struct {
	Extent
	Label string
	Var   *Variable
	In    Stmt
	Body  *Block
}

// For is `for (init; cond; step) {...}`.
type For struct {
	Extent
	Label            string
	Init, Cond, Step Stmt // each may be nil
	Body             *Block
}

// While is `while (cond) {...}`; Do is set for `do {...} while/until (cond)`.
type While struct {
	Extent
	Label string
	Do    bool
	Until bool
	Cond  Stmt
	Body  *Block
}

// Switch is `switch -regex -casesensitive (<pipeline>) { <cond> {...} default {...} }`,
// or `switch -file <path> {...}` (File set, Cond nil).
type Switch struct {
	Extent
	Label string
	// Mode is "regex", "wildcard" or "exact" (the default, also when
	// written as -exact); when several are given the last one wins, as in
	// PowerShell.
	Mode          string
	CaseSensitive bool
	File          Expr // the -file argument; nil without -file
	Cond          Stmt // the ( pipeline ); nil with -file
	// Clauses in source order, default clauses included: PowerShell runs
	// the (last) default clause only for an element no other clause matched,
	// wherever it is written.
	Clauses []*SwitchClause
}

// SwitchClause is one `<cond> { ... }` of a switch. Cond is a bareword,
// string, number, variable, ( ) expression or script block; a default clause
// has Default set and Cond the bareword `default`.
type SwitchClause struct {
	Extent
	Default bool
	Cond    Expr
	Body    *Block
}

// Trap is `trap [Type] { ... }`. It is parsed so that it can be reported
// where it is written; the host does not run it.
type Trap struct {
	Extent
	Type *TypeLit // nil for a trap of every error
	Body *Block
}

// Try is `try {...} catch [T] {...} finally {...}`.
type Try struct {
	Extent
	Body    *Block
	Catches []*Catch
	Finally *Block // nil if absent
}

// Catch is one catch clause; Types is empty for a catch-all.
type Catch struct {
	Extent
	Types []*TypeLit
	Body  *Block
}

// Function is `function Name { param(...) ... }` or `function Name($a) {...}`.
type Function struct {
	Extent
	Keyword string // "function" or "filter"
	Name    string
	Body    *ScriptBlock
}

// Flow is `return`, `throw`, `break`, `continue` or `exit`, with an optional
// pipeline (or label) after it.
type Flow struct {
	Extent
	Keyword string // lower case
	Value   Stmt   // may be nil
}

// Block is a statement block `{ ... }`.
type Block struct {
	Extent
	Stmts []Stmt
}

// ---- expressions ----

// StringKind says how a string was written.
type StringKind int

const (
	Bare         StringKind = iota // a bareword argument: C:\certs\a.pfx
	SingleQuoted                   // 'x' (any single quote, ASCII or smart)
	DoubleQuoted                   // "x" (any double quote)
	HereSingle                     // @' ... '@
	HereDouble                     // @" ... "@
	// Verbatim is the rest of a line after the stop-parsing token --%;
	// Value holds it with surrounding white space trimmed.
	Verbatim
)

// StringLit is a string with no expansion left to do: a bareword, a
// single-quoted string, or a double-quoted string without `$`. Value is the
// string's value (quotes removed, escapes applied).
type StringLit struct {
	Extent
	Kind  StringKind
	Value string
}

// ExpandableString is a double-quoted string (or bareword) with `$var`,
// `${...}` or `$(...)` inside. Parts alternate literal *StringLit pieces and
// the expressions to expand, in source order.
type ExpandableString struct {
	Extent
	Kind  StringKind
	Raw   string // the source text between the quotes
	Parts []Expr
}

// Number is a numeric literal, including barewords that parse as numbers
// (`-Thumbprint 1E10` is a double). Value is int32, int64, float64 or a
// decimal kept as its text.
type Number struct {
	Extent
	Text  string
	Value any
}

// Decimal is the value of a [decimal] literal (`1d`, or an integer too large
// for a long), kept as its canonical text.
type Decimal string

// Variable is `$name`, `${any name}`, `$env:NAME`, `$script:x`, or `@name`
// when splatted (Splat set).
type Variable struct {
	Extent
	Name   string // without `$`/`@`, including any scope or drive: "env:COMPUTERNAME"
	Splat  bool
	Braced bool
}

// ArrayLit is a comma list: `Default, WebServicesInternal`.
type ArrayLit struct {
	Extent
	Elems []Expr
}

// ArraySubExpr is `@( ... )`.
type ArraySubExpr struct {
	Extent
	Stmts []Stmt
}

// SubExpr is `$( ... )`.
type SubExpr struct {
	Extent
	Stmts []Stmt
}

// Paren is `( <pipeline> )`.
type Paren struct {
	Extent
	X Stmt
}

// Hashtable is `@{ Key = value; ... }`.
type Hashtable struct {
	Extent
	Pairs []*KeyValue
}

// KeyValue is one entry of a hashtable literal.
type KeyValue struct {
	Extent
	Key   Expr
	Value Stmt
}

// Member is property access: `$x.Thumbprint`, `(Get-Credential).password`,
// `[Type]::Prop` (Static).
type Member struct {
	Extent
	X      Expr
	Name   Expr // usually a *StringLit
	Static bool
}

// Invoke is a method call: `$d.AddDays(1)`, `[System.IO.File]::ReadAllBytes('x')`.
type Invoke struct {
	Extent
	X      Expr
	Name   Expr
	Static bool
	Args   []Expr
}

// Index is `$x[0]`.
type Index struct {
	Extent
	X     Expr
	Index Expr
}

// TypeLit is a type name in brackets: `[Byte[]]`, `[System.IO.File]`.
type TypeLit struct {
	Extent
	Name string // without the brackets: "Byte[]"
}

// Cast is `[Type] expr`.
type Cast struct {
	Extent
	Type *TypeLit
	X    Expr
}

// ScriptBlock is `{ param(...) ... }`; the body of a function, a
// Where-Object filter or a ForEach-Object block.
type ScriptBlock struct {
	Extent
	Params []*ParamDecl
	Stmts  []Stmt
	// Attributes are those before param(): [CmdletBinding()].
	Attributes []*TypeLit
	// Named holds the begin, process and end blocks of a body written
	// with them (Stmts is then empty), in source order.
	Named []*NamedBlock
}

// NamedBlock is `begin { ... }`, `process { ... }` or `end { ... }` in a
// script block or function body. Name is lower case.
type NamedBlock struct {
	Extent
	Name string
	Body *Block
}

// ParamDecl is one parameter of a param() block or function signature.
type ParamDecl struct {
	Extent
	Attributes []*TypeLit // [Parameter(...)] kept as text, and [type] constraints
	Var        *Variable
	Default    Expr // may be nil
}

// Binary is `x op y`. Op is canonical: the dash form in lower case for named
// operators ("-eq", "-and", "-like"; any dash and case in the source), or the
// symbol ("+", "..", ",").
type Binary struct {
	Extent
	Op    string
	OpPos Pos
	X, Y  Expr
}

// Unary is `-not x`, `!x`, `-x`, `++x`, `,x`.
type Unary struct {
	Extent
	Op      string
	X       Expr
	Postfix bool // x++ or x--
}

func (*Pipeline) stmtNode()   {}
func (*Assignment) stmtNode() {}
func (*If) stmtNode()         {}
func (*Foreach) stmtNode()    {}
func (*For) stmtNode()        {}
func (*While) stmtNode()      {}
func (*Try) stmtNode()        {}
func (*Switch) stmtNode()     {}
func (*Trap) stmtNode()       {}
func (*Function) stmtNode()   {}
func (*Flow) stmtNode()       {}
func (*Block) stmtNode()      {}

func (*Command) pipelineElement()     {}
func (*CommandExpr) pipelineElement() {}

func (*StringLit) exprNode()        {}
func (*ExpandableString) exprNode() {}
func (*Number) exprNode()           {}
func (*Variable) exprNode()         {}
func (*ArrayLit) exprNode()         {}
func (*ArraySubExpr) exprNode()     {}
func (*SubExpr) exprNode()          {}
func (*Paren) exprNode()            {}
func (*Hashtable) exprNode()        {}
func (*Member) exprNode()           {}
func (*Invoke) exprNode()           {}
func (*Index) exprNode()            {}
func (*TypeLit) exprNode()          {}
func (*Cast) exprNode()             {}
func (*ScriptBlock) exprNode()      {}
func (*Binary) exprNode()           {}
func (*Unary) exprNode()            {}
