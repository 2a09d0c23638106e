# Keel: one non-recursive Makefile. Sources are found by wildcard, so a new file in
# src/<part>/ is built without touching this file.

VERSION     := 0.1.0
SOVERSION   := 0
PREFIX      ?= /usr/local
LIBDIR      ?= $(PREFIX)/lib
INCLUDEDIR  ?= $(PREFIX)/include/keel
BINDIR      ?= $(PREFIX)/bin
MANDIR      ?= $(PREFIX)/share/man
DESTDIR     ?=

B           ?= build
CC          ?= cc
CFLAGS      ?= -O2 -g
WARN        := -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow -Wpointer-arith -Wstrict-prototypes
# override: a CPPFLAGS given on the command line (e.g. -D_FORTIFY_SOURCE=2) adds to these.
override CPPFLAGS += -Iinclude -Isrc -D_GNU_SOURCE -DKEEL_VERSION='"$(VERSION)"'
# Recursive (=) on purpose: evaluated only when a recipe runs, i.e. after `deps` installed pkg-config.
OSSL_CFLAGS  = $(shell pkg-config --cflags libcrypto)
OSSL_LIBS    = $(shell pkg-config --libs libcrypto)
# No -fvisibility=hidden: a gnutls_* function declared in a public header without a
# visibility pragma (gnutls/crypto.h, gnutls/x509.h, ...) would silently stop being
# exported. src/keel.map exports gnutls_* and makes everything else local.
ALL_CFLAGS   = $(CPPFLAGS) $(WARN) -std=gnu11 -fPIC $(CFLAGS) $(OSSL_CFLAGS)
LDLIBS_KEEL  = $(OSSL_LIBS) -lpthread

LIB_SRCS    := $(sort $(wildcard src/*/*.c))
LIB_OBJS    := $(LIB_SRCS:%.c=$(B)/obj/%.o)
TOOL_SRCS   := $(sort $(wildcard tools/*.c))
TOOLS       := $(TOOL_SRCS:tools/%.c=$(B)/%)
TOOL_LIB_SRCS := $(sort $(wildcard tools/common/*.c))
TEST_SRCS   := $(sort $(wildcard tests/unit/*.c tests/session/*.c))
TESTS       := $(TEST_SRCS:tests/%.c=$(B)/tests/%)
TEST_LIB_SRCS := $(sort $(wildcard tests/lib/*.c))

.PHONY: all deps deps-tests lib tools tests check check-sanitize demo install uninstall clean fuzz bench FORCE

all: lib tools

deps:
	@sh scripts/install-deps.sh --check-build

# The tests also need the peers (openssl, gnutls-bin), valgrind, the GnuTLS header, clang.
# After `deps`, so two apt-get never run at once under -j.
deps-tests: deps
	@sh scripts/install-deps.sh --check-tests

lib: deps $(B)/libkeel.a $(B)/libkeel.so.$(SOVERSION) $(B)/keel.pc

$(B)/obj/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(B)/libkeel.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(B)/libkeel.so.$(SOVERSION): $(LIB_OBJS) src/keel.map
	$(CC) -shared -Wl,-soname,libkeel.so.$(SOVERSION) -Wl,--version-script=src/keel.map \
	  -Wl,-z,defs -Wl,-z,relro -Wl,-z,now $(CFLAGS) $(LDFLAGS) -o $@ $(LIB_OBJS) $(LDLIBS_KEEL)
	ln -sf libkeel.so.$(SOVERSION) $(B)/libkeel.so

# Rewritten on every run (PREFIX may differ between `make` and `make install`), but only
# replaced when its content changes.
$(B)/keel.pc: FORCE
	@mkdir -p $(B)
	@printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$(LIBDIR)' 'includedir=$(INCLUDEDIR)' '' \
	  'Name: keel' 'Description: TLS 1.2/1.3 library with the GnuTLS API' 'Version: $(VERSION)' \
	  'Requires.private: libcrypto' 'Libs: -L$${libdir} -lkeel' 'Libs.private: -lpthread' \
	  'Cflags: -I$${includedir}' > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv -f $@.tmp $@; fi

# Tools and tests link the static library: tests may reach internal (keel_*) test hooks,
# which the shared library hides.
$(B)/%: tools/%.c $(TOOL_LIB_SRCS) $(B)/libkeel.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itools $(WARN) -std=gnu11 $(CFLAGS) $(LDFLAGS) -MMD -MP -o $@ $< $(TOOL_LIB_SRCS) $(B)/libkeel.a $(LDLIBS_KEEL)

tools: lib $(TOOLS)

$(B)/tests/%: tests/%.c tests/harness.h $(TEST_LIB_SRCS) $(B)/libkeel.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests $(WARN) -std=gnu11 $(CFLAGS) $(OSSL_CFLAGS) $(LDFLAGS) -MMD -MP -o $@ $< $(TEST_LIB_SRCS) $(B)/libkeel.a $(LDLIBS_KEEL)

tests: lib tools $(TESTS)

# Interop peers: each tests/interop/*.c is a small program for the interop scripts, built like
# an application (public headers only, no -Isrc) into $(B)/interop/<name>.
INTEROP_SRCS  := $(sort $(wildcard tests/interop/*.c))
INTEROP_PROGS := $(INTEROP_SRCS:tests/interop/%.c=$(B)/interop/%)

$(B)/interop/%: tests/interop/%.c $(B)/libkeel.a
	@mkdir -p $(dir $@)
	$(CC) $(filter-out -Isrc,$(CPPFLAGS)) $(WARN) -std=gnu11 $(CFLAGS) $(LDFLAGS) -MMD -MP \
	  -o $@ $< $(B)/libkeel.a $(LDLIBS_KEEL)

tests: $(INTEROP_PROGS)

-include $(INTEROP_PROGS:=.d)

# The test command: every unit/session test binary, then the shell tests (interop, tools,
# header constants). Ends with "N passed, N failed".
check: deps-tests tests
	@B=$(B) sh tests/run.sh

# In $(B)-san: build-san by default. KEEL_QUICK=1: the tools' scripts (tests/tools) run a
# representative subset there, the full matrix runs in `make check`.
check-sanitize:
	KEEL_QUICK=1 $(MAKE) B=$(B)-san CC=$(CC) \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
	  check

demo: tools
	@B=$(B) CC="$(CC)" CFLAGS="$(CFLAGS)" VERSION=$(VERSION) sh scripts/demo.sh

install: lib
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR)/gnutls $(DESTDIR)$(LIBDIR)/pkgconfig
	install -m 644 $(B)/libkeel.a $(DESTDIR)$(LIBDIR)/
	install -m 755 $(B)/libkeel.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/
	ln -sf libkeel.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/libkeel.so
	install -m 644 include/gnutls/*.h $(DESTDIR)$(INCLUDEDIR)/gnutls/
	install -m 644 $(B)/keel.pc $(DESTDIR)$(LIBDIR)/pkgconfig/keel.pc
	@if ls $(B)/keel-cli $(B)/keel-serv >/dev/null 2>&1; then \
	  install -d $(DESTDIR)$(BINDIR) && install -m 755 $(B)/keel-cli $(B)/keel-serv $(DESTDIR)$(BINDIR)/; fi
	@if ls doc/man/*.3 >/dev/null 2>&1; then install -d $(DESTDIR)$(MANDIR)/man3 && \
	  install -m 644 doc/man/*.3 $(DESTDIR)$(MANDIR)/man3/; fi

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/libkeel.a $(DESTDIR)$(LIBDIR)/libkeel.so.$(SOVERSION) \
	  $(DESTDIR)$(LIBDIR)/libkeel.so $(DESTDIR)$(LIBDIR)/pkgconfig/keel.pc \
	  $(DESTDIR)$(BINDIR)/keel-cli $(DESTDIR)$(BINDIR)/keel-serv
	rm -f $(addprefix $(DESTDIR)$(INCLUDEDIR)/gnutls/,$(notdir $(wildcard include/gnutls/*.h)))
	-@rmdir $(DESTDIR)$(INCLUDEDIR)/gnutls $(DESTDIR)$(INCLUDEDIR) 2>/dev/null || true
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man3/,$(notdir $(wildcard doc/man/*.3)))

# libFuzzer targets, one per tests/fuzz/fuzz_*.c, in $(FUZZ_B)/fuzz/<name>. The library (and
# tests/lib) is compiled once with the same sanitizers plus fuzzer-no-link into $(FUZZ_B)/obj;
# each target links those objects. Run: build-fuzz/fuzz/fuzz_record tests/fuzz/corpus/...;
# tests/fuzz/run-short.sh runs them all briefly (doc/HACKING.md, "Fuzzing").
FUZZ_CC     ?= clang
FUZZ_B      ?= build-fuzz
FUZZ_SAN    := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS := -g -O1 -fno-omit-frame-pointer $(FUZZ_SAN) -std=gnu11 -Wall -Wextra -Wno-unused-parameter
FUZZ_SRCS   := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZERS     := $(FUZZ_SRCS:tests/fuzz/%.c=$(FUZZ_B)/fuzz/%)
FUZZ_OBJS   := $(LIB_SRCS:%.c=$(FUZZ_B)/obj/%.o) $(TEST_LIB_SRCS:%.c=$(FUZZ_B)/obj/%.o)

.PHONY: fuzz-seeds check-valgrind

fuzz: $(FUZZERS)

$(FUZZ_B)/obj/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(CPPFLAGS) -Itests $(OSSL_CFLAGS) \
	  -MMD -MP -c $< -o $@

$(FUZZ_B)/libkeel-fuzz.a: $(FUZZ_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(FUZZ_B)/fuzz/%: tests/fuzz/%.c $(FUZZ_B)/libkeel-fuzz.a | deps
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(CPPFLAGS) -Itests $(OSSL_CFLAGS) -MMD -MP \
	  -o $@ $< $(FUZZ_B)/libkeel-fuzz.a $(OSSL_LIBS) -lpthread

-include $(FUZZ_OBJS:.o=.d) $(FUZZERS:=.d)

# Seed corpora recorded from in-process handshakes (tests/fuzz/make-seeds.c); rewrites the
# generated files under tests/fuzz/corpus/ (commit the result).
fuzz-seeds: $(B)/tests/fuzz-make-seeds
	$(B)/tests/fuzz-make-seeds tests/fuzz/corpus

$(B)/tests/fuzz-make-seeds: tests/fuzz/make-seeds.c $(TEST_LIB_SRCS) $(B)/libkeel.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests $(WARN) -std=gnu11 $(CFLAGS) $(OSSL_CFLAGS) $(LDFLAGS) -MMD -MP \
	  -o $@ $< $(TEST_LIB_SRCS) $(B)/libkeel.a $(LDLIBS_KEEL)

# Every session and unit test program under valgrind (memcheck), VALGRIND_JOBS at a time,
# each bounded in time: a program passes if it exits 0 with no invalid access and no
# definite/indirect leak. Logs in $(B)/valgrind/. Ends with "N passed, N failed".
VALGRIND      ?= valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect \
                 --error-exitcode=1 -q
VALGRIND_JOBS ?= $(shell nproc 2>/dev/null || echo 2)

check-valgrind: deps-tests tests
	@rm -rf $(B)/valgrind && mkdir -p $(B)/valgrind
	@for t in $(B)/tests/session/* $(B)/tests/unit/test_*; do \
	  case "$$t" in *.d|*.o) continue ;; esac; [ -x "$$t" ] && echo "$$t"; \
	done | xargs -P $(VALGRIND_JOBS) -I{} sh -c 'n=$$(basename {}); t=$$(date +%s); \
	  if timeout 1200 $(VALGRIND) --log-file=$(B)/valgrind/$$n.log {} >$(B)/valgrind/$$n.out 2>&1; \
	  then echo "ok   {} ($$(( $$(date +%s) - t ))s)"; \
	  else echo "FAIL {} (exit $$?, $$(( $$(date +%s) - t ))s, $(B)/valgrind/$$n.log)"; \
	    if [ -s $(B)/valgrind/$$n.log ]; then head -40 $(B)/valgrind/$$n.log; \
	    else tail -20 $(B)/valgrind/$$n.out; fi; fi' \
	  | tee $(B)/valgrind/summary
	@p=$$(grep -c '^ok ' $(B)/valgrind/summary); f=$$(grep -c '^FAIL ' $(B)/valgrind/summary); \
	  echo "$$p passed, $$f failed"; [ "$$f" = 0 ]

clean:
	rm -rf build build-san build-fuzz keel.pc

-include $(LIB_OBJS:.o=.d) $(TESTS:=.d) $(TOOLS:=.d)

# ---- benchmarks (bench/README.md): Keel, GnuTLS and OpenSSL side by side, in $(B)/bench ----
# bench_gnutls_api.c is built twice: against Keel (-DKEEL) and against the system GnuTLS;
# bench/features.sh turns the optional functions each gnutls.h declares into BENCH_HAVE_*.
BENCH_DIR    = $(B)/bench
BENCH_CFLAGS = $(WARN) -std=gnu11 -D_GNU_SOURCE $(CFLAGS)
BENCH_DEPS   = bench/bench_common.h bench/features.sh
BENCH_PROGS  = $(BENCH_DIR)/bench_keel $(BENCH_DIR)/bench_gnutls $(BENCH_DIR)/bench_openssl \
               $(BENCH_DIR)/bench_ceiling $(BENCH_DIR)/malloc_count.so
BENCH_REPS  ?= 5
BENCH_TIME  ?= 0.5

.PHONY: bench-progs bench-callgrind

bench-progs: deps-tests lib $(BENCH_PROGS)

# make check builds them; tests/unit/bench_smoke.sh runs one tiny iteration of each row.
check: bench-progs

$(BENCH_DIR)/bench_keel: bench/bench_gnutls_api.c $(BENCH_DEPS) include/gnutls/gnutls.h $(B)/libkeel.a
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) -DKEEL -Iinclude $$(sh bench/features.sh include/gnutls/gnutls.h) \
	  $(LDFLAGS) -o $@ $< $(B)/libkeel.a $(LDLIBS_KEEL)

$(BENCH_DIR)/bench_gnutls: bench/bench_gnutls_api.c $(BENCH_DEPS) | deps-tests
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) $$(pkg-config --cflags gnutls) \
	  $$(sh bench/features.sh $$(pkg-config --variable=includedir gnutls)/gnutls/gnutls.h) \
	  $(LDFLAGS) -o $@ $< $$(pkg-config --libs gnutls) -lpthread

$(BENCH_DIR)/bench_openssl: bench/bench_openssl.c $(BENCH_DEPS) | deps
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) $$(pkg-config --cflags openssl) $(LDFLAGS) -o $@ $< \
	  $$(pkg-config --libs openssl) -lpthread

$(BENCH_DIR)/bench_ceiling: bench/bench_ceiling.c $(BENCH_DEPS) | deps
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) $(OSSL_CFLAGS) $(LDFLAGS) -o $@ $< $(OSSL_LIBS)

# Never with the sanitizer CFLAGS: an LD_PRELOAD shim cannot carry a sanitizer runtime.
$(BENCH_DIR)/malloc_count.so: bench/malloc_count.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -g -Wall -Wextra -Werror -shared -fPIC -o $@ $<

bench: bench-progs
	@python3 bench/run.py --bindir $(BENCH_DIR) --reps $(BENCH_REPS) --time $(BENCH_TIME) \
	  --raw $(BENCH_DIR)/results.txt --keel-version $(VERSION)

bench-callgrind: bench-progs
	@sh bench/callgrind.sh $(BENCH_DIR)
