# ggzy-exporters — see README.md. `make test` is what CI runs (.ci/run).
GO        ?= go
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
REVISION  ?= $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
PKG_VER    = github.com/prometheus/common/version
LDFLAGS    = -X $(PKG_VER).Version=$(VERSION) -X $(PKG_VER).Revision=$(REVISION) -X $(PKG_VER).Branch=main
EXPORTERS  = $(notdir $(wildcard exporters/*))
GOBIN     ?= $(shell $(GO) env GOPATH)/bin
PINT_VERSION ?= v0.87.0
export PATH := $(GOBIN):$(PATH)

.PHONY: all build test test-short lint bench e2e demo deps tools golden clean

all: lint build test

build: $(addprefix bin/ggzy_,$(addsuffix _exporter,$(EXPORTERS)))

bin/ggzy_%_exporter: FORCE
	$(GO) build -ldflags '$(LDFLAGS)' -o $@ ./exporters/$*

FORCE:

## deps: install what the tests and the demo need (Debian packages, pint); idempotent.
deps:
	bash .ci/setup

tools:
	GOBIN=$(GOBIN) bash .ci/install-pint $(PINT_VERSION)

## test: every test, with the race detector: unit, golden, real servers, rules, dashboards, compose, e2e.
test: deps tools
	$(GO) test -race -count=1 -timeout 40m ./...

test-short:
	$(GO) test -short -count=1 ./...

## golden: rewrite golden files and generated artefacts (review the diff!).
golden:
	UPDATE_GOLDEN=1 $(GO) test -count=1 ./...

lint:
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt: $$out"; exit 1; fi
	@if command -v golangci-lint >/dev/null; then golangci-lint run; else echo "golangci-lint not installed, skipped"; fi

## bench: side-by-side benchmarks against Debian's upstream exporters (not part of `make test`).
bench: deps build
	$(GO) test -run '^$$' -bench . -benchtime 1x -timeout 30m ./exporters/... | tee bench.txt

## e2e: only the end-to-end run (also part of `make test`).
e2e: deps tools
	$(GO) test -race -count=1 -run 'E2E' -timeout 20m ./compose/...

## demo: run the whole stack natively on loopback and print the URLs.
demo: deps build
	bash compose/native/demo.sh

clean:
	rm -rf bin bench.txt
