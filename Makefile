# Diarium: the two commands a newcomer runs are `make demo` and `make test`.
# Both install the Debian packages they need when missing, then build and run.

SWIFT       ?= swift
DEB_PACKAGES      = libcurl4-openssl-dev libsqlite3-dev libssl-dev libpango1.0-dev libcairo2-dev
# What only the tests need: xmllint for the Noark 5 schemas, Chromium (and a font) for the web page,
# openssl (a local RFC 3161 time-stamping authority), chattr and setpriv (read-only registries).
TEST_DEB_PACKAGES = libxml2-utils chromium fonts-dejavu-core openssl e2fsprogs util-linux poppler-utils
# What only `make bench` needs: wrk, the reference HTTP load generator beside Diarium's rate.
BENCH_DEB_PACKAGES = wrk socat openssl python3-venv
SUDO        := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEMO_DB     ?= demo-output/registry.sqlite

.PHONY: deps test-deps test-tools build release demo test bench bench-peer install clean

# Installs the named Debian packages that are missing (apt-get update first, only then).
define install_missing
	@missing=""; \
	for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; \
	fi
endef

deps:
	$(call install_missing,$(DEB_PACKAGES))

test-deps: deps
	$(call install_missing,$(TEST_DEB_PACKAGES))

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# A fresh sample registry each time, kept in demo-output/ to explore afterwards.
demo: build
	@mkdir -p $(dir $(DEMO_DB))
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(SWIFT) run diarium demo --db $(DEMO_DB)

# The export tests check WARC files with warcio and FGS packages with eark-validator (xmllint comes
# with TEST_DEB_PACKAGES).
# Installed only when missing; a Debian system Python (PEP 668) gets it in the user's site.
test-tools:
	@python3 -m pip --version >/dev/null 2>&1 || { $(SUDO) apt-get update && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y python3-pip; }
	@python3 -c "import warcio" >/dev/null 2>&1 || \
	  PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1 python3 -m pip install --quiet warcio==1.8.1 2>/dev/null || \
	  PIP_DISABLE_PIP_VERSION_CHECK=1 python3 -m pip install --quiet --user --break-system-packages warcio==1.8.1
	@python3 -c "import eark_validator" >/dev/null 2>&1 || \
	  PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1 python3 -m pip install --quiet eark-validator==1.1.3 2>/dev/null || \
	  PIP_DISABLE_PIP_VERSION_CHECK=1 python3 -m pip install --quiet --user --break-system-packages eark-validator==1.1.3

test: test-deps test-tools
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(MAKE) systemd-check

# Prints the table and writes it into docs/PERFORMANCE.md (between its markers).
# Builds only the benchmark product (and the modules it measures), not the web page's
# Hummingbird stack, so that a fresh machine finishes within the issue's 15 minutes.
# The peer comparison runs on a 10,000-post account here: mastodon-archive alone needs
# over ten minutes of CPU for the issue's 100,000, which `make bench-peer` runs (~25 min).
BENCH_PEER_POSTS ?= 10000
bench: deps
	$(call install_missing,$(BENCH_DEB_PACKAGES))
	$(SWIFT) build -c release --product diarium-bench
	.build/release/diarium-bench --write docs/PERFORMANCE.md --peer-posts $(BENCH_PEER_POSTS)

# Diarium and mastodon-archive on the issue's account of 100,000 posts; prints its rows.
bench-peer: deps
	$(call install_missing,$(BENCH_DEB_PACKAGES))
	$(SWIFT) build -c release --product diarium-bench
	.build/release/diarium-bench --only peer --peer-posts 100000

# The units must pass `systemd-analyze verify` and rate an exposure of 2.0 or lower.
# Runs where systemd-analyze exists (Debian: the systemd package); skipped, and said so,
# elsewhere. ExecStart is pointed at the built binary so verify can check it exists.
.PHONY: systemd-check
SYSTEMD_UNITS = diarium.service diarium-journal.service diarium-journal.timer
systemd-check:
	@if ! command -v systemd-analyze >/dev/null 2>&1; then \
	  echo "systemd-check: systemd-analyze not found, unit checks skipped"; exit 0; fi; \
	tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	bin="$(CURDIR)/.build/debug/diarium"; [ -x "$$bin" ] || bin=/bin/true; \
	for u in $(SYSTEMD_UNITS); do sed "s|/usr/local/bin/diarium|$$bin|g" systemd/$$u > "$$tmp/$$u"; done; \
	systemd-analyze verify --man=no $(addprefix "$$tmp"/,$(SYSTEMD_UNITS)) || exit 1; \
	for u in diarium.service diarium-journal.service; do \
	  systemd-analyze security --offline=true --threshold=20 "$$tmp/$$u" | tail -1; \
	  systemd-analyze security --offline=true --threshold=20 "$$tmp/$$u" >/dev/null || { echo "$$u: exposure above 2.0"; exit 1; }; \
	done; echo "systemd-check: units verified, exposure 2.0 or lower"

# Installs the daemon the way systemd/diarium.service expects it. PREFIX and DESTDIR as usual.
# An existing /etc/diarium/diarium.toml is never overwritten.
PREFIX  ?= /usr/local
DESTDIR ?=
install: release
	install -D -m 0755 .build/release/diarium $(DESTDIR)$(PREFIX)/bin/diarium
	install -d -m 0755 $(DESTDIR)$(PREFIX)/share/diarium/rules
	cp -R config/rules/. $(DESTDIR)$(PREFIX)/share/diarium/rules/
	install -d -m 0755 $(DESTDIR)$(PREFIX)/share/diarium/schemas/noark5
	install -m 0644 schemas/noark5/*.xsd $(DESTDIR)$(PREFIX)/share/diarium/schemas/noark5/
	install -d -m 0755 $(DESTDIR)$(PREFIX)/share/diarium/schemas/fgs
	install -m 0644 schemas/fgs/*.xsd schemas/fgs/erms.sch $(DESTDIR)$(PREFIX)/share/diarium/schemas/fgs/
	install -D -m 0644 README.md $(DESTDIR)$(PREFIX)/share/doc/diarium/README.md
	for u in $(SYSTEMD_UNITS); do install -D -m 0644 systemd/$$u $(DESTDIR)/etc/systemd/system/$$u; done
	install -D -m 0644 config/diarium.toml $(DESTDIR)$(PREFIX)/share/doc/diarium/diarium.toml.example
	install -d -m 0755 $(DESTDIR)/etc/diarium
	install -d -m 0700 $(DESTDIR)/etc/diarium/credentials
	[ -e $(DESTDIR)/etc/diarium/diarium.toml ] || install -m 0644 config/diarium.toml $(DESTDIR)/etc/diarium/diarium.toml
	@echo "Installed. Next: edit /etc/diarium/diarium.toml, put tokens in /etc/diarium/credentials/,"
	@echo "then: systemctl daemon-reload && systemctl enable --now diarium diarium-journal.timer"

clean:
	rm -rf .build demo-output
