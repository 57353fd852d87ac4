// Command subscriber follows a certledger log the way any NATS client can:
// it reads the credentials `certledger serve` wrote, connects as the
// read-only subscriber, and prints each event from the CloudEvents JSON on
// the wire. It uses nothing of certledger's own code.
//
//	certledger serve &
//	go run ./docs/examples/subscriber -serve ~/.local/share/certledger/serve.json
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// serveFile is the part of serve.json a subscriber needs.
type serveFile struct {
	URL        string `json:"url"`
	Stream     string `json:"stream"`
	Subjects   string `json:"subjects"`
	Subscriber struct {
		User     string `json:"user"`
		Password string `json:"password"`
	} `json:"subscriber"`
}

// event is the CloudEvents envelope with the audit attributes certledger
// adds; docs/schema/ has the schema of each type's data.
type event struct {
	Type    string          `json:"type"`
	Subject string          `json:"subject"`
	Time    string          `json:"time"`
	Actor   string          `json:"actor"`
	Script  string          `json:"script"`
	Line    int             `json:"line"`
	Command string          `json:"command"`
	Data    json.RawMessage `json:"data"`
}

func main() {
	path := flag.String("serve", "serve.json", "the serve.json that `certledger serve` wrote")
	from := flag.Uint64("from", 1, "the first stream sequence to print")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := follow(ctx, *path, *from, 0, os.Stdout); err != nil && ctx.Err() == nil {
		fmt.Fprintln(os.Stderr, "subscriber:", err)
		os.Exit(1)
	}
}

// follow prints events from sequence from on, until ctx ends or, when
// limit > 0, after limit events.
func follow(ctx context.Context, path string, from uint64, limit int, out io.Writer) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var sf serveFile
	if err := json.Unmarshal(raw, &sf); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	u, err := url.Parse(sf.URL)
	if err != nil {
		return err
	}
	nc, err := nats.Connect(u.String(), nats.UserInfo(sf.Subscriber.User, sf.Subscriber.Password))
	if err != nil {
		return err
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	// An ordered consumer needs no state on the server and no rights
	// beyond reading: it is what a read-only subscriber can create.
	cons, err := js.OrderedConsumer(ctx, sf.Stream, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{sf.Subjects},
		DeliverPolicy:  jetstream.DeliverByStartSequencePolicy,
		OptStartSeq:    from,
	})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	seen := 0
	errc := make(chan error, 1)
	cc, err := cons.Consume(func(m jetstream.Msg) {
		var e event
		meta, _ := m.Metadata()
		if err := json.Unmarshal(m.Data(), &e); err != nil {
			errc <- fmt.Errorf("event %d: %w", meta.Sequence.Stream, err)
			return
		}
		fmt.Fprintf(out, "%d %s %s by %s at %s:%d: %s\n", meta.Sequence.Stream, e.Type, e.Subject, e.Actor, e.Script, e.Line, e.Command)
		if seen++; limit > 0 && seen == limit {
			cancel()
		}
	})
	if err != nil {
		return err
	}
	defer cc.Stop()
	select {
	case <-ctx.Done():
		return nil
	case err := <-errc:
		return err
	}
}
