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
CPPFLAGS    += -Iinclude -Isrc -D_GNU_SOURCE
# Recursive (=) on purpose: evaluated only when a recipe runs, i.e. after `deps` installed pkg-config.
OSSL_CFLAGS  = $(shell pkg-config --cflags libcrypto)
OSSL_LIBS    = $(shell pkg-config --libs libcrypto)
ALL_CFLAGS   = $(CPPFLAGS) $(WARN) -std=gnu11 -fPIC -fvisibility=hidden $(CFLAGS) $(OSSL_CFLAGS)
LDLIBS_KEEL  = $(OSSL_LIBS) -lpthread

LIB_SRCS    := $(sort $(wildcard src/*/*.c))
LIB_OBJS    := $(LIB_SRCS:%.c=$(B)/obj/%.o)
TOOL_SRCS   := $(sort $(wildcard tools/*.c))
TOOLS       := $(TOOL_SRCS:tools/%.c=$(B)/%)
TOOL_LIB_SRCS := $(sort $(wildcard tools/common/*.c))
TEST_SRCS   := $(sort $(wildcard tests/unit/*.c tests/session/*.c))
TESTS       := $(TEST_SRCS:tests/%.c=$(B)/tests/%)
TEST_LIB_SRCS := $(sort $(wildcard tests/lib/*.c))

.PHONY: all deps lib tools tests check check-sanitize demo install uninstall clean fuzz bench

all: lib tools

deps:
	@scripts/install-deps.sh --check-build

lib: deps $(B)/libkeel.a $(B)/libkeel.so.$(SOVERSION) keel.pc

$(B)/obj/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(B)/libkeel.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(B)/libkeel.so.$(SOVERSION): $(LIB_OBJS) src/keel.map
	$(CC) -shared -Wl,-soname,libkeel.so.$(SOVERSION) -Wl,--version-script=src/keel.map \
	  -Wl,-z,defs $(CFLAGS) -o $@ $(LIB_OBJS) $(LDLIBS_KEEL)
	ln -sf libkeel.so.$(SOVERSION) $(B)/libkeel.so

keel.pc: Makefile
	@printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$(LIBDIR)' 'includedir=$(INCLUDEDIR)' '' \
	  'Name: keel' 'Description: TLS 1.2/1.3 library with the GnuTLS API' 'Version: $(VERSION)' \
	  'Requires.private: libcrypto' 'Libs: -L$${libdir} -lkeel' 'Cflags: -I$${includedir}' > $@

# Tools and tests link the static library: tests may reach internal (keel_*) test hooks,
# which the shared library hides.
$(B)/%: tools/%.c $(TOOL_LIB_SRCS) $(B)/libkeel.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itools $(WARN) -std=gnu11 $(CFLAGS) -o $@ $< $(TOOL_LIB_SRCS) $(B)/libkeel.a $(LDLIBS_KEEL)

tools: lib $(TOOLS)

$(B)/tests/%: tests/%.c tests/harness.h $(TEST_LIB_SRCS) $(B)/libkeel.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests $(WARN) -std=gnu11 $(CFLAGS) $(OSSL_CFLAGS) -o $@ $< $(TEST_LIB_SRCS) $(B)/libkeel.a $(LDLIBS_KEEL)

tests: lib tools $(TESTS)

# The test command: every unit/session test binary, then the shell tests (interop, tools,
# header constants). Ends with "N passed, N failed".
check: tests
	@B=$(B) tests/run.sh

check-sanitize:
	$(MAKE) B=build-san CC=$(CC) \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
	  check

demo: tools
	@if [ -x scripts/demo.sh ]; then B=$(B) scripts/demo.sh; else \
	  $(B)/keel-selftest 2>/dev/null || echo "keel $(VERSION): demo not written yet"; fi

install: lib
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR)/gnutls $(DESTDIR)$(LIBDIR)/pkgconfig
	install -m 644 $(B)/libkeel.a $(DESTDIR)$(LIBDIR)/
	install -m 755 $(B)/libkeel.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/
	ln -sf libkeel.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/libkeel.so
	install -m 644 include/gnutls/*.h $(DESTDIR)$(INCLUDEDIR)/gnutls/
	install -m 644 keel.pc $(DESTDIR)$(LIBDIR)/pkgconfig/
	@if ls $(B)/keel-cli $(B)/keel-serv >/dev/null 2>&1; then \
	  install -d $(DESTDIR)$(BINDIR) && install -m 755 $(B)/keel-cli $(B)/keel-serv $(DESTDIR)$(BINDIR)/; fi
	@if ls doc/man/*.3 >/dev/null 2>&1; then install -d $(DESTDIR)$(MANDIR)/man3 && \
	  install -m 644 doc/man/*.3 $(DESTDIR)$(MANDIR)/man3/; fi

clean:
	rm -rf build build-san build-fuzz keel.pc

-include $(LIB_OBJS:.o=.d)
