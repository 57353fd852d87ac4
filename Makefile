# certledger — build, run the example, test.
GO        ?= go
BIN       := bin/certledger
RUN_DIR   := $(shell mktemp -u /tmp/certledger-run.XXXXXX)
export CGO_ENABLED ?= 0

.PHONY: all build run test test-short test-cluster fuzz bench vet clean

all: build

# The version every event records as its producer.
VERSION   ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -X github.com/certledger/certledger/cmd/internal/ledger.version=$(VERSION)

build:
	$(GO) build -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/certledger

# The main job on the embedded default: the bundled example script against a
# throw-away data directory, then the assignments it leaves in force.
# Get-Credential in the example reads the PFX password from the environment
# when there is no terminal; the example files are made with the same one.
run: export CERTLEDGER_CREDENTIAL_PASSWORD ?= example-only
run: build
	@mkdir -p $(RUN_DIR)/certs
	@$(GO) build -o $(RUN_DIR)/mkcerts ./events/certfile/certtest/cmd/mkcerts
	@$(RUN_DIR)/mkcerts -dir $(RUN_DIR)/certs -cn fe01.contoso.com -password-env CERTLEDGER_CREDENTIAL_PASSWORD >/dev/null
	@$(RUN_DIR)/mkcerts -dir $(RUN_DIR)/certs/next -cn fe01.contoso.com -random -password-env CERTLEDGER_CREDENTIAL_PASSWORD >/dev/null
	$(BIN) run --data $(RUN_DIR)/data --computer fe01.contoso.com \
	  --path-map 'C:\certificates=$(RUN_DIR)/certs' docs/examples/rollover.ps1 </dev/null
	$(BIN) assignments --data $(RUN_DIR)/data --computer fe01.contoso.com
	@echo "# ... and as of 60 days from now, once the staged roll has taken effect:"
	$(BIN) assignments --data $(RUN_DIR)/data --computer fe01.contoso.com --identity Global \
	  --as-of $$(date -u -d '+60 days' +%Y-%m-%dT%H:%M:%SZ)
	@rm -rf $(RUN_DIR)

vet:
	$(GO) vet ./...

# Everything: unit, integration against the real embedded nats-server, the
# CLI end to end through the binary (testscript), and each fuzz target's
# seed corpus.
test: vet
	$(GO) test -count=1 -timeout 12m ./...

test-short:
	$(GO) test -short ./...

# The 3-node JetStream cluster failover test (loopback only).
test-cluster:
	CERTLEDGER_CLUSTER_TEST=1 $(GO) test -count=1 -timeout 10m -run Cluster ./events/natsstore/

# Each fuzz target for FUZZTIME (go test runs only their seed corpora).
FUZZTIME ?= 60s
FUZZ := -run '^$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 5s
fuzz:
	$(GO) test $(FUZZ) -fuzz '^FuzzParse$$' ./cmdlet/syntax/
	$(GO) test $(FUZZ) -fuzz '^FuzzBind$$' ./cmdlet/bind/
	$(GO) test $(FUZZ) -fuzz '^FuzzRun$$' ./cmdlet/
	$(GO) test $(FUZZ) -fuzz '^FuzzCheck$$' ./cmdlet/
	$(GO) test $(FUZZ) -fuzz '^FuzzDecode$$' ./events/certfile/
	$(GO) test $(FUZZ) -fuzz '^FuzzToken$$' ./events/
	$(GO) test $(FUZZ) -fuzz '^FuzzDecodeToken$$' ./events/
	$(GO) test $(FUZZ) -fuzz '^FuzzFold$$' ./projections/
	$(GO) test $(FUZZ) -fuzz '^FuzzLoadDocument$$' ./projections/

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

clean:
	rm -rf bin
