package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
	"software.sslmate.com/src/go-pkcs12"

	"github.com/certledger/certledger/events/certfile/certtest"
)

// github.com/creack/pty gives the test a real pseudo-terminal, so that the
// prompts run exactly as an administrator sees them: no environment
// fallback, echo off for the password.

// console is a certledger process on a pseudo-terminal.
type console struct {
	t    *testing.T
	cmd  *exec.Cmd
	tty  *os.File
	mu   sync.Mutex
	out  bytes.Buffer
	done chan struct{}
}

func startConsole(t *testing.T, env []string, args ...string) *console {
	t.Helper()
	bin, err := exec.LookPath("certledger") // testscript.Main put it on $PATH
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	tty, err := pty.Start(cmd)
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	c := &console{t: t, cmd: cmd, tty: tty, done: make(chan struct{})}
	go func() {
		defer close(c.done)
		buf := make([]byte, 4096)
		for {
			n, err := tty.Read(buf)
			c.mu.Lock()
			c.out.Write(buf[:n])
			c.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() { tty.Close(); _ = cmd.Process.Kill() })
	return c
}

func (c *console) output() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.out.String()
}

// expect waits for text to appear on the screen.
func (c *console) expect(text string) {
	c.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(c.output(), text) {
		if time.Now().After(deadline) {
			c.t.Fatalf("waited for %q; the screen shows:\n%s", text, c.output())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (c *console) typeLine(s string) {
	c.t.Helper()
	if _, err := c.tty.Write([]byte(s + "\r")); err != nil {
		c.t.Fatal(err)
	}
}

// wait returns the exit status and everything the screen showed.
func (c *console) wait() (int, string) {
	c.t.Helper()
	err := c.cmd.Wait()
	<-c.done
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		c.t.Fatal(err)
	}
	return code, c.output()
}

// TestTerminalPrompts answers Get-Credential and -Confirm on a real
// terminal: the password is read without echo and reaches no output; "N"
// commits nothing, "Y" commits the import.
func TestTerminalPrompts(t *testing.T) {
	dir := t.TempDir()
	set := certtest.New(t, certtest.Options{Deterministic: true})
	if err := os.WriteFile(filepath.Join(dir, "import.pfx"), set.MustPFX(t, pkcs12.Modern, canary), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "CERTLEDGER_DATA=" + filepath.Join(dir, "data"), "TZ=UTC"}
	args := []string{"exec", "--computer", "ex01.contoso.com", "--path-map", `c:\certificates=` + dir,
		`Import-ExchangeCertificate -Path c:\certificates\import.pfx -Password:(Get-Credential).password -Confirm`}

	for _, answer := range []string{"N", "Y"} {
		c := startConsole(t, env, args...)
		c.expect("User: ")
		c.typeLine("pfx")
		c.expect("Password for user pfx: ")
		c.typeLine(canary)
		c.expect(`[Y] Yes  [A] Yes to All  [N] No  [L] No to All  [S] Suspend  [?] Help (default is "Y"): `)
		c.typeLine(answer)
		code, screen := c.wait()
		if strings.Contains(screen, canary) {
			t.Fatalf("the password was echoed or printed:\n%s", screen)
		}
		switch answer {
		case "N":
			if code != 0 || !strings.Contains(screen, "produced no events; nothing was committed") {
				t.Fatalf("answering N: exit %d, screen:\n%s", code, screen)
			}
		case "Y":
			if code != 0 || !strings.Contains(screen, "committed 1 event(s)") || !strings.Contains(screen, set.Thumbprint()) {
				t.Fatalf("answering Y: exit %d, screen:\n%s", code, screen)
			}
		}
	}
}
