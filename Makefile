# mpavs — one Makefile for the library, the CLI, the daemons, tests and benchmarks.
#
#   make            build libmpavs (static + shared), the mpavs CLI and the daemons (release, -O2)
#   make test       setup, build, every test (unit, integration on anvil, forge, ASan+UBSan, fuzz smoke)
#   make check      unit tests only (fast inner loop)
#   make bench      benchmarks (print medians and ratios; never fail)
#   make sanitize   unit tests built with ASan+UBSan
#   make tsan       the daemons' unit and integration tests under ThreadSanitizer
#   make portable   the BN254/BLS unit tests built with the portable field arithmetic (MPAVS_PORTABLE=1)
#   make fuzz       every fuzz target for FUZZ_SECONDS each (default 20)
#   make ctime      constant-time check of secret-key code under valgrind
#   make install    PREFIX=/usr/local: library, headers, pkg-config file, binaries
#   make format     clang-format every C file
#
# Sources are found by layout: src/<module>/*.c is the library, cli/*.c the CLI,
# daemons/<name>/*.c one daemon each (its core: every file but main.c, in build/libmpavs-<name>.a; daemons/common/*.c
# in build/libmpavs-common.a, linked into every daemon), tests/unit/test_*.c one test binary each,
# bench/bench_*.c one benchmark each, tests/fuzz/fuzz_*.c one fuzz target each.

VERSION   := 0.1.0
PREFIX    ?= /usr/local
BUILD     ?= build
CC        ?= cc
WERROR    ?= $(if $(CI),-Werror,)
OPT       ?= -O2
TOOLS_BIN := $(CURDIR)/.tools/bin
export PATH := $(TOOLS_BIN):$(PATH)

PKGS      := openssl libsecp256k1 libcurl jansson libmicrohttpd sqlite3
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

# Field arithmetic of src/bn254 (chosen at build time, see src/bn254/field.h): the x86-64
# MULX/ADCX/ADOX path needs a compiler targeting BMI2+ADX. We add -mbmi2 -madx only when the
# compiler emits x86-64 code and the machine building (and running the tests) has both flags
# in /proc/cpuinfo. MPAVS_PORTABLE=1 builds the portable C path instead (for other CPUs or
# to test it); ARCH_CFLAGS="..." overrides the choice (e.g. for a cross build).
ifndef ARCH_CFLAGS
ifeq ($(MPAVS_PORTABLE),1)
ARCH_CFLAGS := -DMPAVS_PORTABLE
else
ARCH_CFLAGS := $(shell $(CC) -dumpmachine 2>/dev/null | grep -q '^x86_64' && grep -qw bmi2 /proc/cpuinfo 2>/dev/null \
                 && grep -qw adx /proc/cpuinfo && echo -mbmi2 -madx)
endif
endif

WARN      := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith \
             -Wformat=2 -Wvla -Wno-unused-parameter $(WERROR)
CFLAGS_ALL = -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L $(OPT) -g -fPIC \
             -fvisibility=hidden -Iinclude -Isrc -Idaemons -Itests/support $(WARN) $(ARCH_CFLAGS) $(PKG_CFLAGS) $(EXTRA_CFLAGS) $(CFLAGS)
LDLIBS_ALL = $(PKG_LIBS) -lgmp -lpthread -lm $(EXTRA_LDFLAGS) $(LDFLAGS)

# src/devnet/ is its own library (libmpavs-devnet.a: deployment and devnet tooling), linked by the
# CLI and the tests only; `make layers` checks that no daemon references it.
LIB_SRC    := $(sort $(filter-out src/devnet/%,$(wildcard src/*/*.c)))
DEVNET_SRC := $(sort $(wildcard src/devnet/*.c))
CLI_SRC    := $(sort $(wildcard cli/*.c))
DAEMONS    := $(filter-out common,$(notdir $(patsubst %/,%,$(sort $(dir $(wildcard daemons/*/*.c))))))
# Daemon cores: build/libmpavs-<name>.a holds daemons/<name>/*.c except main.c (libmpavs-common.a holds
# daemons/common/*.c); daemons, unit tests, benchmarks and fuzz targets link them (link order: DCORE_LIBS).
DCORE_LIBS := $(DAEMONS:%=$(BUILD)/libmpavs-%.a) $(BUILD)/libmpavs-common.a
# --version of every binary (include/mpavs/version.h): the build id is git describe at build time.
BUILD_ID  := $(shell git describe --always --dirty 2>/dev/null || echo unknown)
$(BUILD)/cli/main.o $(DAEMONS:%=$(BUILD)/daemons/%/main.o): CFLAGS_ALL += -DMPAVS_BUILD_ID='"$(BUILD_ID)"'
TEST_SRC   := $(sort $(wildcard tests/unit/test_*.c))
ITEST_SRC  := $(sort $(wildcard tests/integration/test_*.c))
BENCH_SRC  := $(sort $(wildcard bench/bench_*.c))
FUZZ_SRC   := $(sort $(wildcard tests/fuzz/fuzz_*.c))
HARNESS    := $(sort $(wildcard tests/support/*.c))

LIB_OBJ    := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ    := $(CLI_SRC:%.c=$(BUILD)/%.o)
HARNESS_OBJ:= $(HARNESS:%.c=$(BUILD)/%.o)
STATIC_LIB := $(BUILD)/libmpavs.a
DEVNET_LIB := $(BUILD)/libmpavs-devnet.a
SHARED_LIB := $(BUILD)/libmpavs.so
CLI_BIN    := $(BUILD)/mpavs
DAEMON_BIN := $(DAEMONS:%=$(BUILD)/mpavs-%)
TEST_BIN   := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
ITEST_BIN  := $(ITEST_SRC:tests/integration/%.c=$(BUILD)/itests/%)
BENCH_BIN  := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

.PHONY: layers all lib cores test itest check bench portable portable-build sanitize sanitize-build tsan tsan-build fuzz fuzz-build ctime ctime-build install format clean setup contracts symbols
all: lib $(CLI_BIN) $(DAEMON_BIN)
lib: $(STATIC_LIB) $(SHARED_LIB) $(BUILD)/libmpavs.pc $(DEVNET_LIB)
cores: $(DCORE_LIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

$(STATIC_LIB): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(DEVNET_LIB): $(DEVNET_SRC:%.c=$(BUILD)/%.o)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(SHARED_LIB): $(LIB_OBJ)
	$(CC) -shared -Wl,-soname,libmpavs.so.0 -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/libmpavs.pc: libmpavs.pc.in Makefile
	@mkdir -p $(dir $@)
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' $< > $@

$(CLI_BIN): $(CLI_OBJ) $(DEVNET_LIB) $(STATIC_LIB)
	$(CC) -o $@ $(CLI_OBJ) $(DEVNET_LIB) $(STATIC_LIB) $(LDLIBS_ALL)

# keep object files of test and bench binaries (they are intermediates otherwise)
.SECONDARY:
.SECONDEXPANSION:
PCT := %
$(BUILD)/libmpavs-%.a: $$(patsubst $$(PCT).c,$(BUILD)/$$(PCT).o,$$(filter-out daemons/$$*/main.c,$$(wildcard daemons/$$*/*.c)))
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/mpavs-%: $(BUILD)/daemons/%/main.o $(BUILD)/libmpavs-%.a $(BUILD)/libmpavs-common.a $(STATIC_LIB)
	$(CC) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(HARNESS_OBJ) $(DCORE_LIBS) $(DEVNET_LIB) $(STATIC_LIB)
	@mkdir -p $(dir $@)
	$(CC) -o $@ $< $(HARNESS_OBJ) $(DCORE_LIBS) $(DEVNET_LIB) $(STATIC_LIB) $(LDLIBS_ALL)

$(BUILD)/itests/%: $(BUILD)/tests/integration/%.o $(HARNESS_OBJ) $(DEVNET_LIB) $(STATIC_LIB)
	@mkdir -p $(dir $@)
	$(CC) -o $@ $< $(HARNESS_OBJ) $(DEVNET_LIB) $(STATIC_LIB) $(LDLIBS_ALL)

$(BUILD)/bench/%: $(BUILD)/bench/%.o $(DCORE_LIBS) $(DEVNET_LIB) $(STATIC_LIB)
	@mkdir -p $(dir $@)
	$(CC) -o $@ $< $(DCORE_LIBS) $(DEVNET_LIB) $(STATIC_LIB) $(LDLIBS_ALL)

setup:
	@bash scripts/setup

contracts: setup
	cd contracts && forge build

# The whole system on local chains (README's first command): setup, build (C and contracts),
# then `mpavs devnet up` (state in .devnet/; DEVNET_ARGS="--operators 6" etc. are passed on).
.PHONY: devnet
devnet: setup
	@$(MAKE) -s all
	@cd contracts && forge build --offline
	$(CLI_BIN) devnet up $(DEVNET_ARGS)

# Integration tests only (real anvil and daemons).
itest: all $(ITEST_BIN)
	@bash tests/run integration

# Unit tests only: fast, no chain.
check: all $(TEST_BIN)
	@bash tests/run unit

# Everything CI runs: README's test command.
test: setup
	@$(MAKE) -s all $(TEST_BIN) $(ITEST_BIN)
	@bash tests/run all

bench: all $(BENCH_BIN)
	@for b in $(BENCH_BIN); do echo "== $$b"; $$b || true; done

ASAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
sanitize-build:
	$(MAKE) BUILD=build/asan CC=clang OPT=-O1 EXTRA_CFLAGS="$(ASAN_FLAGS)" EXTRA_LDFLAGS="$(ASAN_FLAGS)" \
	  all $(TEST_SRC:tests/unit/%.c=build/asan/tests/%) $(ITEST_SRC:tests/integration/%.c=build/asan/itests/%)
sanitize: sanitize-build
	@bash tests/run sanitize

# ThreadSanitizer (clang): the daemons, their unit tests (tests/unit/test_daemon_*, test_agg_*) and the daemon
# integration tests, which start the TSan daemons (MPAVS_DAEMON_BUILD=build/tsan); a report fails the run.
# Built with the portable field arithmetic: TSan's instrumentation leaves too few registers for the MULX/ADX
# inline assembly in some call sites, and the threads under test do not depend on it (the x86 path is tested
# by the plain and ASan+UBSan builds).
TSAN_FLAGS  := -fsanitize=thread -fno-omit-frame-pointer
TSAN_UNIT   := $(patsubst tests/unit/%.c,build/tsan/tests/%,$(filter tests/unit/test_daemon_% tests/unit/test_agg_%,$(TEST_SRC)))
TSAN_ITESTS := test_prover test_operator test_aggregator test_aggregator_l1 test_aggregator_reorg test_e2e test_metrics
tsan-build:
	$(MAKE) BUILD=build/tsan CC=clang OPT=-O1 MPAVS_PORTABLE=1 ARCH_CFLAGS=-DMPAVS_PORTABLE \
	  EXTRA_CFLAGS="$(TSAN_FLAGS)" EXTRA_LDFLAGS="$(TSAN_FLAGS)" \
	  $(DAEMONS:%=build/tsan/mpavs-%) $(TSAN_UNIT) $(TSAN_ITESTS:%=build/tsan/itests/%)
tsan: tsan-build
	@bash tests/run tsan

# The BN254/BLS tests once more with the portable C field arithmetic (MPAVS_PORTABLE=1):
# `make test` runs them too, so both paths of src/bn254/field.h stay tested.
PORTABLE_TESTS := test_bn254 test_bn254_field test_bls
portable-build:
	$(MAKE) BUILD=build/portable MPAVS_PORTABLE=1 ARCH_CFLAGS=-DMPAVS_PORTABLE $(PORTABLE_TESTS:%=build/portable/tests/%)
portable: portable-build
	@bash tests/run portable

FUZZ_SECONDS ?= 20
fuzz-build:
	$(MAKE) BUILD=build/fuzz CC=clang OPT=-O1 \
	  EXTRA_CFLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer" lib cores
	@mkdir -p build/fuzz/bin
	@set -e; for f in $(FUZZ_SRC); do n=$$(basename $$f .c); \
	  clang -std=c11 -D_DEFAULT_SOURCE -O1 -g -Iinclude -Isrc -Idaemons $(ARCH_CFLAGS) $(PKG_CFLAGS) \
	    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined $$f \
	    $(patsubst $(BUILD)/%,build/fuzz/%,$(DCORE_LIBS)) build/fuzz/libmpavs.a \
	    $(LDLIBS_ALL) -o build/fuzz/bin/$$n; done
fuzz: fuzz-build
	@FUZZ_SECONDS=$(FUZZ_SECONDS) bash tests/run fuzz

CTIME_SRC := $(sort $(wildcard tests/ctime/*.c))
ctime-build: lib
	@mkdir -p $(BUILD)/ctime
	@set -e; for f in $(CTIME_SRC); do n=$$(basename $$f .c); \
	  $(CC) $(CFLAGS_ALL) $$f $(STATIC_LIB) $(LDLIBS_ALL) -o $(BUILD)/ctime/$$n; done
ctime: ctime-build
	@bash tests/run ctime

symbols: $(SHARED_LIB)
	@bad=$$(nm -D --defined-only $(SHARED_LIB) | awk '{print $$3}' | grep -v '^mpavs_' | grep -v '^_' || true); \
	 if [ -n "$$bad" ]; then echo "libmpavs.so exports non-mpavs_ symbols:"; echo "$$bad"; exit 1; fi; \
	 echo "libmpavs.so exports $$(nm -D --defined-only $(SHARED_LIB) | grep -c ' mpavs_') mpavs_ symbols only"

# Layering: no daemon object or binary references a mpavs_devnet_ symbol (devnet tooling stays in
# libmpavs-devnet.a, which only the CLI and the tests link), and libmpavs.a holds none.
layers: $(DAEMON_BIN) $(STATIC_LIB)
	@bad=$$(for f in $(DAEMON_BIN) $(patsubst %.c,$(BUILD)/%.o,$(wildcard daemons/*/*.c)) $(STATIC_LIB); do \
	   nm -A "$$f" 2>/dev/null | grep -E ' [A-Za-z] mpavs_devnet_' ; done); \
	 if [ -n "$$bad" ]; then echo "layers: daemons or libmpavs reference devnet symbols:"; echo "$$bad"; exit 1; fi; \
	 echo "layers: $(words $(DAEMON_BIN)) daemons and libmpavs.a reference no mpavs_devnet_ symbol"

# Artifacts (contracts/out/<file>.sol/<name>.json) that the deployment commands create.
DEPLOY_ARTIFACTS := Proxy.sol/Proxy.json Proxy.sol/EmptyContract.json PauserRegistry.sol/PauserRegistry.json \
  DelegationManager.sol/DelegationManager.json StrategyManager.sol/StrategyManager.json \
  AVSDirectory.sol/AVSDirectory.json TestToken.sol/TestToken.json StrategyBase.sol/StrategyBase.json \
  IndexRegistry.sol/IndexRegistry.json BLSApkRegistry.sol/BLSApkRegistry.json StakeRegistry.sol/StakeRegistry.json \
  RegistryCoordinator.sol/RegistryCoordinator.json MultiProverServiceManager.sol/MultiProverServiceManager.json \
  OperatorStateRetriever.sol/OperatorStateRetriever.json SgxQuoteVerifier.sol/SgxQuoteVerifier.json \
  AttestationVerifier.sol/AttestationVerifier.json TEELivenessVerifier.sol/TEELivenessVerifier.json

install: all
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include/mpavs $(DESTDIR)$(PREFIX)/bin
	install -m 644 $(STATIC_LIB) $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(SHARED_LIB) $(DESTDIR)$(PREFIX)/lib/libmpavs.so.$(VERSION)
	ln -sf libmpavs.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libmpavs.so.0
	ln -sf libmpavs.so.0 $(DESTDIR)$(PREFIX)/lib/libmpavs.so
	install -m 644 $(filter-out include/mpavs/devnet.h,$(wildcard include/mpavs/*.h)) $(DESTDIR)$(PREFIX)/include/mpavs/
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' libmpavs.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/libmpavs.pc
	install -m 755 $(CLI_BIN) $(DAEMON_BIN) $(DESTDIR)$(PREFIX)/bin/
	@# the contract artifacts `mpavs avs deploy` and `mpavs devnet deploy` read (forge build first)
	@test -d contracts/out || { echo "make install: contracts/out missing: run make contracts first"; exit 1; }
	for a in $(DEPLOY_ARTIFACTS); do \
	  install -d $(DESTDIR)$(PREFIX)/share/mpavs/contracts/$$(dirname $$a) && \
	  install -m 644 contracts/out/$$a $(DESTDIR)$(PREFIX)/share/mpavs/contracts/$$a || exit 1; done

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build contracts/out contracts/cache

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
