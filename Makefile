# The commands a newcomer types. Each first installs missing Debian
# packages (scripts/install-deps.sh), then builds with meson and ninja.
#
#   make run     build, make a self-signed certificate for localhost, and run
#                the server on the shipped configuration (development: loopback,
#                SQLite, data in var/)
#   make test    build and run every test (unit, configuration corpus,
#                shipped tree, Prosody config compatibility)
#   make asan    the same tests under AddressSanitizer + UndefinedBehaviorSanitizer
#   make clang   build and test with clang instead of gcc

BUILD ?= build
STRATA = $(BUILD)/src/strata
CONFIG ?= config/strata.cfg.lua

.PHONY: all deps build cert run test asan clang clean format

all: build

deps:
	@sh scripts/install-deps.sh

$(BUILD)/build.ninja:
	meson setup $(BUILD)

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

# A self-signed certificate for localhost in the configuration's
# `certificates` folder (var/certs in development), unless a usable one is
# there (`cert check` exits 0 or 1; 2 means missing or broken).
cert: build
	@$(STRATA) cert check localhost --config $(CONFIG) >/dev/null 2>&1; \
	    [ $$? -le 1 ] || $(STRATA) cert generate localhost --config $(CONFIG)

run: build cert
	$(STRATA) run --config $(CONFIG)

test: build
	@sh scripts/install-prosody-config.sh
	meson test -C $(BUILD) --print-errorlogs

asan: deps
	@sh scripts/install-prosody-config.sh
	@[ -f build-asan/build.ninja ] || CC=clang meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false
	ninja -C build-asan
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 meson test -C build-asan --print-errorlogs

clang: deps
	@[ -f build-clang/build.ninja ] || CC=clang meson setup build-clang
	ninja -C build-clang
	meson test -C build-clang --print-errorlogs

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) build-asan build-clang
