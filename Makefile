# Diarium: the two commands a newcomer runs are `make demo` and `make test`.
# Both install the Debian packages they need when missing, then build and run.

SWIFT       ?= swift
DEB_PACKAGES = libcurl4-openssl-dev libsqlite3-dev chromium fonts-dejavu-core
SUDO        := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEMO_DB     ?= demo-output/registry.sqlite

.PHONY: deps build release demo test bench install clean

deps:
	@missing=""; \
	for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# A fresh sample registry each time, kept in demo-output/ to explore afterwards.
demo: build
	@mkdir -p $(dir $(DEMO_DB))
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(SWIFT) run diarium demo --db $(DEMO_DB)

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

bench: release
	$(SWIFT) run -c release diarium-bench

clean:
	rm -rf .build demo-output
