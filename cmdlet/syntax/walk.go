package syntax

// Inspect traverses the tree rooted at n in source order, calling f for
// each node; if f returns false, the node's children are skipped. The
// parts of expandable strings, parameter arguments and redirections are
// visited too.
func Inspect(n Node, f func(Node) bool) {
	if n == nil || !f(n) {
		return
	}
	stmt := func(s Stmt) {
		if s != nil {
			Inspect(s, f)
		}
	}
	expr := func(x Expr) {
		if x != nil {
			Inspect(x, f)
		}
	}
	block := func(b *Block) {
		if b != nil {
			Inspect(b, f)
		}
	}
	switch n := n.(type) {
	case *File:
		for _, a := range n.Attributes {
			Inspect(a, f)
		}
		for _, p := range n.Params {
			Inspect(p, f)
		}
		for _, s := range n.Statements {
			stmt(s)
		}
	case *Pipeline:
		for _, e := range n.Elements {
			Inspect(e, f)
		}
	case *Command:
		expr(n.Name)
		for _, e := range n.Elements {
			Inspect(e, f)
		}
		for _, r := range n.Redirects {
			Inspect(r, f)
		}
	case *Parameter:
		expr(n.Arg)
	case *CommandExpr:
		expr(n.X)
		for _, r := range n.Redirects {
			Inspect(r, f)
		}
	case *Redirection:
		expr(n.Target)
	case *Assignment:
		expr(n.Left)
		stmt(n.Right)
	case *If:
		for _, c := range n.Clauses {
			Inspect(c, f)
		}
		block(n.Else)
	case *IfClause:
		stmt(n.Cond)
		block(n.Body)
	case *Foreach:
		if n.Var != nil {
			Inspect(n.Var, f)
		}
		stmt(n.In)
		block(n.Body)
	case *For:
		stmt(n.Init)
		stmt(n.Cond)
		stmt(n.Step)
		block(n.Body)
	case *While:
		if n.Do {
			block(n.Body)
			stmt(n.Cond)
		} else {
			stmt(n.Cond)
			block(n.Body)
		}
	case *Switch:
		if n.File != nil {
			Inspect(n.File, f)
		}
		stmt(n.Cond)
		for _, c := range n.Clauses {
			Inspect(c, f)
		}
	case *Trap:
		if n.Type != nil {
			Inspect(n.Type, f)
		}
		block(n.Body)
	case *SwitchClause:
		if n.Cond != nil {
			Inspect(n.Cond, f)
		}
		block(n.Body)
	case *Try:
		block(n.Body)
		for _, c := range n.Catches {
			Inspect(c, f)
		}
		block(n.Finally)
	case *Catch:
		for _, t := range n.Types {
			Inspect(t, f)
		}
		block(n.Body)
	case *Function:
		if n.Body != nil {
			Inspect(n.Body, f)
		}
	case *Flow:
		stmt(n.Value)
	case *Block:
		for _, s := range n.Stmts {
			stmt(s)
		}
	case *ExpandableString:
		for _, p := range n.Parts {
			expr(p)
		}
	case *ArrayLit:
		for _, e := range n.Elems {
			expr(e)
		}
	case *ArraySubExpr:
		for _, s := range n.Stmts {
			stmt(s)
		}
	case *SubExpr:
		for _, s := range n.Stmts {
			stmt(s)
		}
	case *Paren:
		stmt(n.X)
	case *Hashtable:
		for _, kv := range n.Pairs {
			Inspect(kv, f)
		}
	case *KeyValue:
		expr(n.Key)
		stmt(n.Value)
	case *Member:
		expr(n.X)
		expr(n.Name)
	case *Invoke:
		expr(n.X)
		expr(n.Name)
		for _, a := range n.Args {
			expr(a)
		}
	case *Index:
		expr(n.X)
		expr(n.Index)
	case *Cast:
		if n.Type != nil {
			Inspect(n.Type, f)
		}
		expr(n.X)
	case *ScriptBlock:
		for _, a := range n.Attributes {
			Inspect(a, f)
		}
		for _, p := range n.Params {
			Inspect(p, f)
		}
		for _, s := range n.Stmts {
			stmt(s)
		}
		for _, nb := range n.Named {
			Inspect(nb, f)
		}
	case *NamedBlock:
		block(n.Body)
	case *ParamDecl:
		for _, a := range n.Attributes {
			Inspect(a, f)
		}
		if n.Var != nil {
			Inspect(n.Var, f)
		}
		expr(n.Default)
	case *Binary:
		expr(n.X)
		expr(n.Y)
	case *Unary:
		expr(n.X)
	}
}
