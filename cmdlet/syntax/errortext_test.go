package syntax

import (
	"errors"
	"testing"
)

// The English texts of parse errors, as users read them. Each was checked
// against ParserStrings.resx (see docs/syntax.md, "Errors"); {0} is
// filled as PowerShell fills it.
func TestErrorTexts(t *testing.T) {
	const form = "\nThe correct form is: foreach ($a in $b) {...}"
	tests := []struct{ src, id, msg string }{
		{"Get-X a & b", "AmpersandNotAllowed", `The ampersand (&) character is not allowed. The & operator is reserved for future use; wrap an ampersand in double quotation marks ("&") to pass it as part of a string.`},
		{"Get-X >", "MissingFileSpecification", "Missing file specification after redirection operator."},
		{"Get-X && Get-Y", "InvalidEndOfLine", "The token '&&' is not a valid statement separator in this version."},
		{"$a = @b", "SplattingNotPermitted", "The splatting operator '@' cannot be used to reference variables in an expression. '@b' can be used only as an argument to a command. To reference variables in an expression use '$b'."},
		{"$a.b(1", "MissingEndParenthesisInMethodCall", "Missing ')' in method call."},
		{"if not exist x", "MissingOpenParenthesisInIfStatement", "Missing '(' after 'if' in if statement."},
		{"if ($a) {} ElseIf $b {}", "MissingOpenParenthesisInIfStatement", "Missing '(' after 'ElseIf' in if statement."},
		{"while $a {}", "MissingOpenParenthesisAfterKeyword", "Missing opening '(' after keyword 'while'."},
		{"if (", "IfStatementMissingCondition", "Missing condition in if statement after 'if ('."},
		{"if ($a) {} elseif (", "IfStatementMissingCondition", "Missing condition in if statement after 'elseif ('."},
		{"IF ($a) {} ElseIf ($b)", "MissingStatementBlock", "Missing statement block after ElseIf ( condition )."},
		{"while (", "MissingExpressionAfterKeyword", "Missing expression after 'while' in loop."},
		{"do {} until (", "MissingExpressionAfterKeyword", "Missing expression after 'until' in loop."},
		{"foreach (", "MissingVariableNameAfterForeach", "Missing variable name after foreach." + form},
		{"foreach ($a", "MissingInInForeach", "Missing 'in' after variable in foreach loop." + form},
		{"foreach ($a in", "MissingForeachExpression", "Missing expression in foreach loop." + form},
		{"foreach ($a in $b", "MissingEndParenthesisAfterForeach", "Missing closing ')' after expression part of foreach loop." + form},
		{"foreach ($a in $b)", "MissingForeachStatement", "Missing statement body in foreach loop." + form},
		{"try", "MissingTryStatementBlock", "The Try statement is missing its statement block."},
		{"try {} catch", "MissingCatchHandlerBlock", "The Catch block is missing its statement block."},
		{"try {} finally", "MissingFinallyStatementBlock", "The Finally block is missing its statement block."},
		{"function", "MissingNameAfterKeyword", "Missing name after function keyword."},
		{"switch", "PipelineValueRequired", "A switch statement must have one of the following:  '-file file_name' or '( expression )'."},
		{"switch -abc (1) {}", "InvalidSwitchFlag", "The parameter abc is not valid for the switch statement."},
		{"switch -file", "MissingFilenameOption", "Cannot process the 'switch' statement because of a missing file name argument to the -file option."},
		{"switch ($a { 1 }", "MissingEndParenthesisInSwitchStatement", "Missing ')' after expression in switch statement."},
		{"switch (1) {default {} default {}}", "MultipleSwitchDefaultClauses", "A switch statement can have only one default clause."},
		{"trap [Exception]", "MissingTrapStatement", "The 'trap' statement was incomplete. A trap statement requires a body."},
	}
	for _, tt := range tests {
		_, err := ParseFile("", []byte(tt.src))
		var list ErrorList
		if !errors.As(err, &list) {
			t.Errorf("%q: no parse error, want %s", tt.src, tt.id)
			continue
		}
		found := false
		for _, e := range list {
			if e.ID != tt.id {
				continue
			}
			found = true
			if e.Message != tt.msg {
				t.Errorf("%q: %s\n got %q\nwant %q", tt.src, tt.id, e.Message, tt.msg)
			}
		}
		if !found {
			t.Errorf("%q: errors %v, want %s", tt.src, list, tt.id)
		}
	}
}

// Where PowerShell places the errors of an if statement (its
// IfStatementRule; the ')' placements match public transcripts such as
// "At ...:29 char:32" under the ')' of `if (Test-Path $dest)`): a missing
// '(' just after the keyword however many lines follow, a missing ')' on
// the token found instead, a missing block on the ')'.
func TestIfErrorPositions(t *testing.T) {
	for _, tt := range []struct {
		src       string
		id        string
		line, col int
	}{
		{"if not exist x", "MissingOpenParenthesisInIfStatement", 1, 3},
		{"if\n\n  not", "MissingOpenParenthesisInIfStatement", 1, 3},
		{"if ($a {}", "MissingEndParenthesisAfterStatement", 1, 8},
		{"if ($a) {} elseif ($b\n  {}", "MissingEndParenthesisAfterStatement", 2, 3},
		{"            if (Test-Path $dest)", "MissingStatementBlock", 1, 32},
		{"if ($a)\n\n", "MissingStatementBlock", 1, 7},
	} {
		_, err := ParseFile("", []byte(tt.src))
		var list ErrorList
		if !errors.As(err, &list) || list[0].ID != tt.id {
			t.Errorf("%q: %v, want %s first", tt.src, err, tt.id)
			continue
		}
		if p := list[0].Position; p.Line != tt.line || p.Col != tt.col {
			t.Errorf("%q: %s at line %d char %d, want line %d char %d", tt.src, tt.id, p.Line, p.Col, tt.line, tt.col)
		}
	}
	// A condition that is missing is the only error: no ')' is asked for
	// (IfStatementRule, WhileStatementRule, DoWhileStatementRule alike).
	for src, id := range map[string]string{"if (": "IfStatementMissingCondition", "while (": "MissingExpressionAfterKeyword", "do {} until (": "MissingExpressionAfterKeyword"} {
		_, err := ParseFile("", []byte(src))
		var list ErrorList
		if !errors.As(err, &list) || len(list) != 1 || list[0].ID != id {
			t.Errorf("%q: %v, want %s alone", src, err, id)
		}
	}
}
