# Diarium: the two commands a newcomer runs are `make demo` and `make test`.
# Both install the Debian packages they need when missing, then build and run.

SWIFT       ?= swift
DEB_PACKAGES = libcurl4-openssl-dev libsqlite3-dev libxml2-utils
SUDO        := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEMO_DB     ?= demo-output/registry.sqlite

.PHONY: deps test-tools build release demo test bench install clean

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

# The export tests check WARC files with warcio (xmllint comes with DEB_PACKAGES).
# Installed only when missing; a Debian system Python (PEP 668) gets it in the user's site.
test-tools:
	@python3 -m pip --version >/dev/null 2>&1 || { $(SUDO) apt-get update && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y python3-pip; }
	@python3 -c "import warcio" >/dev/null 2>&1 || \
	  PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1 python3 -m pip install --quiet warcio==1.8.1 2>/dev/null || \
	  PIP_DISABLE_PIP_VERSION_CHECK=1 python3 -m pip install --quiet --user --break-system-packages warcio==1.8.1

test: deps test-tools
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

bench: release
	$(SWIFT) run -c release diarium-bench

clean:
	rm -rf .build demo-output
