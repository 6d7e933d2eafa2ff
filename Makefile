# lpsim: one Makefile for everything.
#
#   make            build ./lpsim
#   make demo       install what is missing, build, run the default scenario
#   make test       install what is missing, build, run every test (plain and ASan+UBSan)
#   make bench      kernel and model benchmarks; figures printed and written to $(BENCH_OUT)
#   make mpi        build ./lpsim-mpi (Open MPI: mpirun -n K lpsim-mpi run|sweep ...)
#   make fuzz       libFuzzer targets for FUZZ_SECONDS each (clang)
#   make gallery    redraw the README's charts (plots/gallery/*.png)
#   make format     clang-format the sources
#   make install    PREFIX=/usr/local DESTDIR= (make uninstall removes it)
#
# Sources are found by wildcard: every .c in sim/ models/ scenarios/ plots/
# goes into the library; sim/main.c is the program; tests/test_*.c are one
# cmocka binary each.

PKGS      := gsl yaml-0.1 cairo libpng fontconfig jansson libcurl libxml-2.0
TEST_PKGS := $(PKGS) cmocka
# Debian packages `deps` makes sure of (pkg-config name -> package below).
DEB_PKGS  := pkg-config libgsl-dev libyaml-dev libcairo2-dev libpng-dev libcmocka-dev libcsv-dev \
             fonts-dejavu-core libfontconfig-dev libjansson-dev poppler-utils python3-simpy python3-yaml \
             openmpi-bin libopenmpi-dev chromium mandoc
FUZZ_DEB_PKGS := clang libclang-rt-14-dev
# lpsim import vcenter (libcurl, libxml2) and its test's simulator (Go, govmomi, openssl).
DEB_PKGS  += libcurl4-openssl-dev libxml2-dev golang-go golang-github-vmware-govmomi-dev openssl

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
OPT     ?= -O2 -g
# Link-time optimisation of lpsim itself: the simulation's hot path crosses
# files (the hardware's operations, the kernel, the state tables), and
# inlining across them saves 8% of a replication's instructions
# (sim/PERFORMANCE.md). The objects are fat, so that the tests link them
# as plain code, without LTO's whole-program warnings about test code.
LTO     ?= -flto=auto -ffat-lto-objects
BENCH_OUT ?= build/bench.txt
FUZZ_SECONDS ?= 60
VERSION := 0.1.0

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
        -Wmissing-prototypes -Wpointer-arith -Wvla -Wformat=2 -Wundef \
        -Wcast-qual -Wnull-dereference -Wdouble-promotion -Wimplicit-fallthrough
# -fno-math-errno: nothing reads errno after a math function, and without
# it GCC calls llrint (sim_ns, on every event's path) instead of inlining it.
BASE_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -DLPSIM_VERSION='"$(VERSION)"' \
              -I. $(WARN) -pthread -fno-math-errno
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -DLPSIM_CHECKS

# `make V=1` shows every command.
Q := $(if $(V),,@)

# pkg-config is only asked when a build actually needs it (deps may not be in yet).
pc_cflags = $(shell pkg-config --cflags $(1) 2>/dev/null)
pc_libs   = $(shell pkg-config --libs $(1) 2>/dev/null)
# Libraries without a pkg-config file: libcsv (lpsim import's CSV reader; Debian's
# libcsv-dev ships none), and libm. Every program that links the library takes them.
LIBS      := -lcsv -lm

# The event queue's implementation (sim/pq/*.c, one header sim/pq.h): ladder,
# heap or radix (sim/pq.h compares them).
PQ ?= ladder
LIB_SRC  := $(sort $(filter-out sim/main.c,$(wildcard sim/*.c models/*.c scenarios/*.c plots/*.c)) sim/pq/$(PQ).c)
TEST_SRC := $(sort $(wildcard tests/test_*.c))
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
HDRS     := $(wildcard sim/*.h models/*.h scenarios/*.h plots/*.h)

REL_OBJ  := $(LIB_SRC:%.c=build/rel/%.o)
SAN_OBJ  := $(LIB_SRC:%.c=build/san/%.o)
PQ_TESTS := test_pq_heap test_pq_radix test_pq_ladder
REL_TEST := $(TEST_SRC:tests/%.c=build/rel/bin/%) $(PQ_TESTS:%=build/rel/bin/%)
SAN_TEST := $(TEST_SRC:tests/%.c=build/san/bin/%) $(PQ_TESTS:%=build/san/bin/%)

.PHONY: mpi gallery all deps test test-rel test-san soak demo bench fuzz fuzz-deps format clean install uninstall
.DELETE_ON_ERROR:
.SECONDARY:

all: lpsim

# ---- set-up -----------------------------------------------------------------
# Installs only what is missing; does nothing (and needs no network) otherwise.
deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "deps: installing$$missing"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get -o DPkg::Lock::Timeout=300 update -qq && \
	  apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends $$missing; \
	fi

fuzz-deps:
	@missing=""; for p in $(FUZZ_DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get -o DPkg::Lock::Timeout=300 update -qq && \
	  apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends $$missing; \
	fi

# ---- build ------------------------------------------------------------------
build/rel/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(BASE_CFLAGS) $(OPT) $(LTO) $(call pc_cflags,$(TEST_PKGS)) -MMD -MP -c $< -o $@

build/san/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC/SAN  $<")
	$(Q)$(CC) $(BASE_CFLAGS) -O1 -g $(SAN) $(call pc_cflags,$(TEST_PKGS)) -MMD -MP -c $< -o $@

build/rel/liblpsim.a: $(REL_OBJ)
	@mkdir -p $(@D)
	$(Q)rm -f $@ && ar rcs $@ $^

build/san/liblpsim.a: $(SAN_OBJ)
	@mkdir -p $(@D)
	$(Q)rm -f $@ && ar rcs $@ $^

lpsim: build/rel/sim/main.o build/rel/liblpsim.a
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(BASE_CFLAGS) $(OPT) $(LTO) $^ -o $@ $(call pc_libs,$(PKGS)) $(LIBS)

build/san/lpsim: build/san/sim/main.o build/san/liblpsim.a
	@$(if $(Q),echo "  LD/SAN  $@")
	$(Q)$(CC) $(BASE_CFLAGS) -O1 -g $(SAN) $^ -o $@ $(call pc_libs,$(PKGS)) $(LIBS)

build/rel/bin/%: build/rel/tests/%.o build/rel/liblpsim.a
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(BASE_CFLAGS) $(OPT) -fno-lto $^ -o $@ $(call pc_libs,$(TEST_PKGS)) $(LIBS)

build/san/bin/%: build/san/tests/%.o build/san/liblpsim.a
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD/SAN  $@")
	$(Q)$(CC) $(BASE_CFLAGS) -O1 -g $(SAN) $^ -o $@ $(call pc_libs,$(TEST_PKGS)) $(LIBS)

# test_pq again, against each queue by name (test_pq_heap, test_pq_radix,
# test_pq_ladder), so that all of them stay correct whichever is the default.
build/rel/bin/test_pq_%: build/rel/tests/test_pq.o build/rel/sim/pq/%.o
	@mkdir -p $(@D)
	$(Q)$(CC) $(BASE_CFLAGS) $(OPT) -fno-lto $^ -o $@ $(call pc_libs,cmocka) -lm

build/san/bin/test_pq_%: build/san/tests/test_pq.o build/san/sim/pq/%.o
	@mkdir -p $(@D)
	$(Q)$(CC) $(BASE_CFLAGS) -O1 -g $(SAN) $^ -o $@ $(call pc_libs,cmocka) -lm

# ---- test -------------------------------------------------------------------
# Every cmocka binary, then the command-line tests, first plain, then with
# ASan+UBSan (any sanitizer report aborts the binary and fails the run).
test: deps
	$(MAKE) --no-print-directory test-rel
	$(MAKE) --no-print-directory test-san

test-rel: lpsim lpsim-mpi $(REL_TEST)
	@sh tests/run_tests.sh build/rel/bin ./lpsim

test-san: build/san/lpsim lpsim-mpi $(SAN_TEST)
	@ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  sh tests/run_tests.sh build/san/bin build/san/lpsim

# The property tests (tests/test_props.c) over 20000 random scenarios, not
# the 500 of `make test`.
# Many more random scenarios than `make test` runs, in both builds (the
# sanitizer build checks the simulation's invariants after every event).
soak: build/rel/bin/test_props build/san/bin/test_props
	LPSIM_PROP_SEEDS=20000 build/rel/bin/test_props
	LPSIM_PROP_SEEDS=20000 build/san/bin/test_props

# ---- demo and benchmarks ----------------------------------------------------
demo: deps
	$(MAKE) --no-print-directory lpsim
	@sh tests/demo.sh ./lpsim

# The same program with each event queue (the d-ary heap at arities 4, 2
# and 8, the radix heap, the ladder queue that lpsim uses), so that
# `make bench` shows the measurement behind the choice.
build/bench/pq-heap%.o: sim/pq/heap.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(BASE_CFLAGS) $(OPT) $(LTO) -DPQ_ARITY=$* -c $< -o $@

build/bench/pq-radix.o: sim/pq/radix.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(BASE_CFLAGS) $(OPT) $(LTO) -c $< -o $@

build/bench/pq-ladder.o: sim/pq/ladder.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(BASE_CFLAGS) $(OPT) $(LTO) -c $< -o $@

build/bench/lpsim-%: build/rel/sim/main.o build/bench/pq-%.o build/rel/liblpsim.a
	$(Q)$(CC) $(BASE_CFLAGS) $(OPT) $(LTO) $^ -o $@ $(call pc_libs,$(PKGS)) $(LIBS)

BENCH_VARIANTS := build/bench/lpsim-heap4 build/bench/lpsim-heap2 build/bench/lpsim-heap8 \
                  build/bench/lpsim-radix build/bench/lpsim-ladder

bench: lpsim $(BENCH_VARIANTS) build/rel/bin/test_stats
	@mkdir -p $(dir $(BENCH_OUT))
	@QUEUE_BINS="$(BENCH_VARIANTS)" sh tests/bench.sh ./lpsim $(BENCH_OUT)

# ---- the README's charts ----------------------------------------------------
# plots/gallery/*.png: the charts of the default scenario (every replication
# written, for the compliance chart's percentile band).
gallery: lpsim
	@mkdir -p plots/gallery build/gallery
	./lpsim run scenarios/default.yaml -o build/gallery/default --all-replications --no-plots --quiet
	@for c in timeline compliance downtime; do \
	  ./lpsim plot build/gallery/default --chart $$c -o plots/gallery/$$c.png || exit 1; \
	  echo "gallery: plots/gallery/$$c.png"; \
	done
	./lpsim report build/gallery/default -o build/gallery/report.html --window 2h
	@if command -v chromium >/dev/null; then \
	  timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir=build/gallery/chromium \
	    --host-resolver-rules='MAP * ~NOTFOUND' --proxy-server=127.0.0.1:9 --hide-scrollbars --window-size=1200,1500 \
	    --screenshot=plots/gallery/report-html.png "file://$(CURDIR)/build/gallery/report.html#host=prod-01/esx-03" 2>/dev/null && \
	  echo "gallery: plots/gallery/report-html.png"; \
	else echo "gallery: no chromium: plots/gallery/report-html.png not redrawn"; fi

# ---- MPI ---------------------------------------------------------------------
# ./lpsim-mpi: the same sources compiled with mpicc and -DLPSIM_MPI, with
# sim/mpi_main.c as the program (ranks share the work as shards do; rank 0
# writes the files). The tests need it: a machine that cannot build it fails
# `make test`.
MPI_OBJ := $(filter-out build/mpi/sim/mpi_main.o,$(LIB_SRC:%.c=build/mpi/%.o))

build/mpi/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  MPICC   $<")
	$(Q)mpicc $(BASE_CFLAGS) -DLPSIM_MPI $(OPT) $(LTO) $(call pc_cflags,$(PKGS)) -MMD -MP -c $< -o $@

build/mpi/liblpsim.a: $(MPI_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^

lpsim-mpi: build/mpi/sim/mpi_main.o build/mpi/liblpsim.a
	@$(if $(Q),echo "  LD/MPI  $@")
	$(Q)mpicc $(BASE_CFLAGS) $(OPT) $(LTO) $^ -o $@ $(call pc_libs,$(PKGS)) $(LIBS)

mpi: lpsim-mpi

# ---- fuzzing ----------------------------------------------------------------
FUZZ_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -DLPSIM_VERSION='"$(VERSION)"' -I. -g -O1 \
              -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
build/fuzz/%: tests/fuzz/%.c $(LIB_SRC) $(HDRS)
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) $(call pc_cflags,$(PKGS)) $< $(LIB_SRC) -o $@ $(call pc_libs,$(PKGS)) $(LIBS)

fuzz: deps fuzz-deps $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
	@for f in $(FUZZ_SRC:tests/fuzz/%.c=%); do \
	  mkdir -p build/fuzz/corpus-$$f; \
	  echo "fuzz: $$f for $(FUZZ_SECONDS)s"; \
	  build/fuzz/$$f -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
	    -artifact_prefix=build/fuzz/$$f- build/fuzz/corpus-$$f tests/fuzz/seeds-$$f || exit 1; \
	done

# ---- housekeeping -----------------------------------------------------------
format:
	clang-format -i $(LIB_SRC) sim/main.c $(HDRS) $(TEST_SRC) $(FUZZ_SRC)

clean:
	rm -rf build lpsim lpsim-mpi

# The binary, lpsim(1), bash and zsh completion, the docs, the shipped
# scenarios and the JSON Schemas; uninstall removes exactly those.
SHARE := $(DESTDIR)$(PREFIX)/share
INSTALL_DOCS := README.md scenarios/FORMAT.md models/SEMANTICS.md
install: lpsim
	install -d $(DESTDIR)$(PREFIX)/bin $(SHARE)/lpsim/scenarios $(SHARE)/lpsim/schemas \
	  $(SHARE)/man/man1 $(SHARE)/bash-completion/completions $(SHARE)/zsh/site-functions \
	  $(SHARE)/doc/lpsim
	install -m 755 lpsim $(DESTDIR)$(PREFIX)/bin/lpsim
	install -m 644 scenarios/*.yaml $(SHARE)/lpsim/scenarios/
	install -m 644 plots/schemas/*.schema.json $(SHARE)/lpsim/schemas/
	install -m 644 sim/lpsim.1 $(SHARE)/man/man1/lpsim.1
	install -m 644 sim/completion/lpsim.bash $(SHARE)/bash-completion/completions/lpsim
	install -m 644 sim/completion/_lpsim $(SHARE)/zsh/site-functions/_lpsim
	install -m 644 $(INSTALL_DOCS) $(SHARE)/doc/lpsim/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/lpsim $(SHARE)/man/man1/lpsim.1 \
	  $(SHARE)/bash-completion/completions/lpsim $(SHARE)/zsh/site-functions/_lpsim
	rm -rf $(SHARE)/lpsim $(SHARE)/doc/lpsim

-include $(MPI_OBJ:.o=.d) build/mpi/sim/mpi_main.d $(REL_OBJ:.o=.d) $(SAN_OBJ:.o=.d) build/rel/sim/main.d build/san/sim/main.d \
         $(TEST_SRC:tests/%.c=build/rel/tests/%.d) $(TEST_SRC:tests/%.c=build/san/tests/%.d)
