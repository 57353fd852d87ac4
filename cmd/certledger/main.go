// Command certledger reads pasted Lync/Skype for Business and Exchange
// certificate PowerShell as PowerShell reads it, records what it does as
// events on a NATS JetStream log, and answers from that log which
// certificate is in force where, now or at any past instant.
package main

import "os"

func main() {
	os.Exit(Main(os.Args[1:], newEnv()))
}
