# SPDX-License-Identifier: GPL-2.0
#
# kipc: the one entry point. `make help` lists the targets.
#
# This Makefile is also the Kbuild hook: the module is built with
# `make -C $(KDIR) M=$(CURDIR)`, which reads ./Kbuild (obj-m += kmod/).

VERSION := $(shell cat VERSION)
ifeq ($(shell echo '$(VERSION)' | grep -xE '[0-9]+\.[0-9]+\.[0-9]+'),)
$(error VERSION must be MAJOR.MINOR.PATCH, not '$(VERSION)')
endif
SOMAJOR := $(word 1,$(subst ., ,$(VERSION)))

# The kernel: stock (Debian's packaged kernel, default), debug, a version of
# the matrix (6.12, 7.2 or newest: Debian's newer linux-source), or a tree.
KERNEL ?= stock
KENV := $(shell tools/vm/kernel env $(KERNEL) 2>/dev/null)
KDIR ?= $(patsubst KIPC_KDIR=%,%,$(filter KIPC_KDIR=%,$(KENV)))

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
DESTDIR ?=

CC ?= cc
AR ?= ar
CFLAGS ?= -O2 -g
# CI builds user space with warnings as errors; so can you (WERROR=1).
WERROR ?= $(if $(CI),1,0)
KIPC_CFLAGS := -std=gnu11 -Wall -Wextra -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -D_GNU_SOURCE -Ikmod/uapi -Ilib \
	-DKIPC_VERSION_STR='"$(VERSION)"' \
	$(if $(filter 1,$(WERROR)),-Werror)
ALL_CFLAGS = $(KIPC_CFLAGS) $(CFLAGS)

LIB_SO := lib/libkipc.so.$(VERSION)
LIB_SONAME := libkipc.so.$(SOMAJOR)
LIB_OBJS := lib/kipc.o lib/mq.o lib/buf.o lib/sem.o lib/ring.o
CLI_OBJS := $(patsubst %.c,%.o,$(wildcard tools/kipc/*.c))
HEADERS := kmod/uapi/linux/kipc.h kmod/uapi/linux/kipc_netlink.h lib/kipc.h \
	lib/internal.h
# libnl-genl-3: the netlink side of the CLI and of the tests, not libkipc
NL_CFLAGS := $(shell pkg-config --cflags libnl-genl-3.0 2>/dev/null)
NL_LIBS := $(shell pkg-config --libs libnl-genl-3.0 2>/dev/null)

# kselftest_harness.h comes from Debian's linux-source, extracted on demand.
SELFTESTS_C := $(wildcard selftests/*_test.c)
SELFTESTS := $(SELFTESTS_C:.c=)
HARNESS_DIR = $(shell tools/vm/kernel source)/tools/testing/selftests

VM_RUN := tools/vm/run --kernel $(KERNEL)
CHECK_TIMEOUT ?= $(if $(filter stock,$(KERNEL)),2400,4800)

all: module lib tools selftests

help:
	@echo 'make [KERNEL=stock|debug|6.12|7.N|newest|DIR] [KDIR=DIR] TARGET'
	@echo '  KERNEL: stock is Debian'"'"'s packaged kernel, debug its source with'
	@echo '  KASAN, lockdep, kmemleak, UBSAN; 6.12 (trixie), 7.N or newest (sid)'
	@echo '  built from Debian'"'"'s linux-source (docs/testing.md, Kernel matrix)'
	@echo '  all        module, library, tools and selftests (default)'
	@echo '  deps       install what is missing (Debian/Ubuntu, sudo if not root)'
	@echo '  run        build, boot a throwaway VM with kipc, show a demo'
	@echo '             (VM=0: on this machine, kipc loaded by you)'
	@echo '  vm-shell   an interactive shell in a VM with kipc loaded'
	@echo '  check      lint and the whole selftest suite in a VM'
	@echo '  fuzz       kipc_fuzz in a debug-kernel VM for FUZZ_DURATION s (300),'
	@echo '             FUZZ_ARGS= for its options'
	@echo '  soak       kipc_soak_test in a debug-kernel VM for SOAK_DURATION s (600)'
	@echo '             and SOAK_CYCLES rmmod/insmod cycles (100), SOAK_ARGS= for more'
	@echo '  bench      build, run kipc-bench in a VM: table, CSV, JSON, charts in BENCH_OUT'
	@echo '  lint       checkpatch.pl, sparse and a W=1 build of the module,'
	@echo '             the netlink header against its spec, user space with'
	@echo '             -Werror, clang-tidy and cppcheck'
	@echo '  netlink-header'
	@echo '             kipc_netlink.h and docs/netlink/kipc.rst from the spec,'
	@echo '             docs/netlink/kipc.yaml, by the kernel'"'"'s YNL generator'
	@echo '  install    module, library, header, pkg-config, man pages, CLI'
	@echo '             (PREFIX=$(PREFIX), DESTDIR=)'
	@echo '  clean      remove what the build made'

# ---- dependencies ----
deps:
	@tools/deps install
	@tools/vm/kernel prepare $(KERNEL)

# run and check install what is missing first: the README's two commands
# are the whole set-up.
deps-if-missing:
	@tools/deps check >/dev/null 2>&1 || tools/deps install
	@tools/vm/kernel prepare $(KERNEL)

# ---- the module ----
# $(call kbuild,M,STAMP): build the modules of M against KDIR. STAMP
# remembers which tree they were built for; another one means a clean
# rebuild, never a stale .ko.
define kbuild
	@test -n "$(KDIR)" -a -d "$(KDIR)" || { echo "no kernel build directory" \
		"for KERNEL=$(KERNEL) (run 'make deps' or set KDIR=)" >&2; exit 1; }
	@if [ "$$(cat $(2) 2>/dev/null)" != "$(KDIR)" ]; then \
		$(MAKE) -C $(KDIR) M=$(1) clean >/dev/null; \
		echo "$(KDIR)" >$(2); fi
	$(MAKE) -C $(KDIR) M=$(1) modules
endef

module:
	$(call kbuild,$(CURDIR),kmod/.kdir)

# ---- libkipc ----
lib: $(LIB_SO) lib/libkipc.so lib/$(LIB_SONAME) lib/libkipc.a lib/kipc.pc

lib/%.o: lib/%.c $(HEADERS) VERSION
	$(CC) $(ALL_CFLAGS) -fPIC -c -o $@ $<

$(LIB_SO): $(LIB_OBJS) lib/libkipc.map
	$(CC) $(ALL_CFLAGS) -shared -Wl,-soname,$(LIB_SONAME) \
		-Wl,--version-script=lib/libkipc.map -Wl,-z,defs \
		-o $@ $(LIB_OBJS) $(LDFLAGS)

lib/$(LIB_SONAME) lib/libkipc.so: $(LIB_SO)
	ln -sf $(notdir $<) $@

lib/libkipc.a: $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

# install writes it again: PREFIX may differ from the build's
gen_pc = sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	lib/kipc.pc.in >$(1)

lib/kipc.pc: lib/kipc.pc.in VERSION
	$(call gen_pc,$@)

# ---- tools: the CLI links libkipc statically, as bpftool does libbpf ----
tools: tools/kipc/kipc

# what the CLI and kipc-bench share
TOOLS_COMMON_OBJS := $(patsubst %.c,%.o,$(wildcard tools/common/*.c))

tools/common/%.o: tools/common/%.c tools/common/%.h
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# and libnl-genl-3 (NL_LIBS) for its netlink commands: ls, stat, monitor
tools/kipc/%.o: tools/kipc/%.c tools/kipc/cli.h tools/kipc/nl.h \
		tools/common/json_escape.h $(HEADERS) VERSION
	$(CC) $(ALL_CFLAGS) -Itools/common $(NL_CFLAGS) -c -o $@ $<

tools/kipc/kipc: $(CLI_OBJS) $(TOOLS_COMMON_OBJS) lib/libkipc.a
	$(CC) $(ALL_CFLAGS) -o $@ $(CLI_OBJS) $(TOOLS_COMMON_OBJS) lib/libkipc.a \
		$(NL_LIBS) $(LDFLAGS)

# ---- selftests ----
# kipc_dev_test again as a static 32-bit program: the compat ioctl path.
CAN_M32 := $(shell echo 'int main(void){return 0;}' | \
	$(CC) -m32 -static -x c -o /dev/null - 2>/dev/null && echo y)
COMPAT_TEST := $(if $(CAN_M32),selftests/kipc_compat_test)

selftests: $(SELFTESTS) $(COMPAT_TEST) canary

# A module that warns or leaks on request: proof that the runner notices.
canary:
	$(call kbuild,$(CURDIR)/selftests/canary,selftests/canary/.kdir)

selftests/%_test: selftests/%_test.c selftests/kipc_test.h $(HEADERS) \
		lib/$(LIB_SONAME) VERSION
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -isystem $(HARNESS_DIR) \
		-o $@ $< -Llib -lkipc -pthread $(LDFLAGS)

selftests/kipc_nl_test selftests/kipc_limits_test selftests/kipc_soak_test: ALL_CFLAGS += $(NL_CFLAGS)
selftests/kipc_nl_test selftests/kipc_limits_test selftests/kipc_soak_test: LDFLAGS += $(NL_LIBS)

selftests/kipc_compat_test: selftests/kipc_dev_test.c selftests/kipc_test.h $(HEADERS)
	$(CC) $(ALL_CFLAGS) -m32 -static -Wno-missing-prototypes \
		-isystem $(HARNESS_DIR) -o $@ $< $(LDFLAGS)

# The fuzzer: plain C on raw ioctls and a raw netlink socket, no harness;
# selftests/kipc_fuzz_test.sh runs a bounded pass of it in make check.
FUZZ := selftests/kipc_fuzz
selftests: $(FUZZ)

$(FUZZ): selftests/kipc_fuzz.c selftests/kipc_test.h $(HEADERS) VERSION
	$(CC) $(ALL_CFLAGS) -o $@ $< -pthread $(LDFLAGS)

# ---- in the VM ----
# VM=0 runs the demo on this machine, where you loaded kipc yourself.
VM ?= 1
ifeq ($(VM),0)
run: module tools
	@test -c /dev/kipc || { echo "kipc is not loaded here; see the README" \
		"('Loading the module on a real machine'), or drop VM=0" >&2; exit 1; }
	@PATH="$(CURDIR)/tools/kipc:$$PATH" tools/demo
else
run: deps-if-missing
	@$(MAKE) --no-print-directory all
	@$(VM_RUN) -- tools/demo
endif

vm-shell: deps-if-missing
	@$(MAKE) --no-print-directory all
	@$(VM_RUN) --timeout 86400 --shell

# make fuzz: kipc_fuzz for FUZZ_DURATION seconds in a VM of the debug
# kernel (KASAN, lockdep, kmemleak, UBSAN), then rmmod; FUZZ_ARGS adds
# options (--seed N, --iterations N, --procs N, --threads N, --slack S).
# KERNEL= given on the command line picks another kernel.
FUZZ_KERNEL := $(if $(filter command line,$(origin KERNEL)),$(KERNEL),debug)
FUZZ_DURATION ?= 300
FUZZ_ARGS ?=

fuzz:
	@$(MAKE) --no-print-directory KERNEL=$(FUZZ_KERNEL) deps-if-missing all
	@tools/vm/run --kernel $(FUZZ_KERNEL) \
		--timeout $$(( $(FUZZ_DURATION) + 900 )) -- \
		selftests/kipc_fuzz_test.sh --duration $(FUZZ_DURATION) $(FUZZ_ARGS)

# make soak: kipc_soak_test for SOAK_DURATION seconds and SOAK_CYCLES
# rmmod/insmod cycles under load in a VM of the debug kernel (KERNEL=
# on the command line picks another); SOAK_ARGS adds options (--workers
# N, --kill-ms MS, --cycle-ms MS, --seed N).
SOAK_KERNEL := $(if $(filter command line,$(origin KERNEL)),$(KERNEL),debug)
SOAK_DURATION ?= 600
SOAK_CYCLES ?= 100
SOAK_ARGS ?=

soak:
	@$(MAKE) --no-print-directory KERNEL=$(SOAK_KERNEL) deps-if-missing all
	@tools/vm/run --kernel $(SOAK_KERNEL) \
		--timeout $$(( $(SOAK_DURATION) + 60 * $(SOAK_CYCLES) + 900 )) -- \
		selftests/kipc_soak_test --duration $(SOAK_DURATION) \
		--cycles $(SOAK_CYCLES) $(SOAK_ARGS)

check: deps-if-missing
	@$(MAKE) --no-print-directory all
	@selftests/check --kernel $(KERNEL) --timeout $(CHECK_TIMEOUT)

lint:
	@selftests/lint --kernel $(KERNEL)

print-kdir:
	@echo $(KDIR)

# The spec is the source: the netlink uapi header and its page are what
# the kernel's YNL generator makes of it (fetched on first use; lint
# checks that they are current).
netlink-header:
	@tools/netlink-gen

# ---- kipc-bench: a file per mechanism in tools/bench/, no list here ----
BENCH_OBJS := $(patsubst %.c,%.o,$(wildcard tools/bench/*.c))
# make bench's default: the whole suite, sizes 8 B to 1 MiB, about half a
# second per run after 50 operations of warm-up
BENCH_ARGS ?= --size 8,64,512,4K,64K,256K,1M --duration 0.5 --warmup 50
BENCH_OUT ?= results
BENCH_TIMEOUT ?= 3600

tools: tools/bench/kipc-bench

tools/bench/%.o: tools/bench/%.c $(wildcard tools/bench/*.h) \
		tools/common/json_escape.h $(HEADERS) VERSION
	$(CC) $(ALL_CFLAGS) -Itools/common -c -o $@ $<

# libkipc statically, as the CLI does; -lrt for mq_* on older C libraries
tools/bench/kipc-bench: $(BENCH_OBJS) $(TOOLS_COMMON_OBJS) lib/libkipc.a
	$(CC) $(ALL_CFLAGS) -o $@ $(BENCH_OBJS) $(TOOLS_COMMON_OBJS) lib/libkipc.a \
		-lrt $(LDFLAGS)

# Each run leaves BENCH_OUT/KERNEL-TIME/: table.txt, results.csv,
# results.json, the charts' data and plot.gp (kipc-bench --plot), and the
# PNG charts, which gnuplot draws here (the guest has no gnuplot). The
# guest writes through a share of its own. VM=0: on this machine (kipc's
# own mechanisms only where you loaded it).
bench_dir = $(abspath $(BENCH_OUT))/$(if $(filter 0,$(VM)),host,$(notdir $(KERNEL)))-$$(date +%Y%m%d-%H%M%S)
ifeq ($(VM),0)
bench: tools
	@mkdir -p $(BENCH_OUT)
	@dir=$(bench_dir); tools/bench/kipc-bench --plot $$dir $(BENCH_ARGS); \
		status=$$?; echo "results and charts in $$dir"; exit $$status
else
bench: deps-if-missing
	@$(MAKE) --no-print-directory all
	@mkdir -p $(BENCH_OUT)
	@dir=$(bench_dir); mkdir -p $$dir; $(VM_RUN) --timeout $(BENCH_TIMEOUT) \
		--share $(abspath $(BENCH_OUT)) -- \
		sh -c 'tools/bench/kipc-bench --plot "$$0" "$$@" >/dev/null' \
		$$dir $(BENCH_ARGS); \
		status=$$?; cat $$dir/table.txt 2>/dev/null; \
		if [ -f $$dir/plot.gp ]; then \
			(cd $$dir && gnuplot plot.gp) || status=1; fi; \
		echo "results and charts in $$dir"; exit $$status
endif

install: install-bench
install-bench: tools/bench/kipc-bench
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 tools/bench/kipc-bench $(DESTDIR)$(BINDIR)/kipc-bench
	install -m 644 tools/bench/kipc-bench.1 $(DESTDIR)$(MANDIR)/man1/

clean: clean-bench
clean-bench:
	rm -f tools/bench/*.o tools/bench/kipc-bench

.PHONY: bench install-bench clean-bench

# ---- install ----
install: all
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(DESTDIR) \
		INSTALL_MOD_DIR=extra CONFIG_MODULE_SIG_ALL= modules_install
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) \
		$(DESTDIR)$(INCLUDEDIR)/linux $(DESTDIR)$(PKGCONFIGDIR) \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man3
	install -m 755 tools/kipc/kipc $(DESTDIR)$(BINDIR)/kipc
	install -m 755 $(LIB_SO) $(DESTDIR)$(LIBDIR)/
	ln -sf $(notdir $(LIB_SO)) $(DESTDIR)$(LIBDIR)/$(LIB_SONAME)
	ln -sf $(LIB_SONAME) $(DESTDIR)$(LIBDIR)/libkipc.so
	install -m 644 lib/libkipc.a $(DESTDIR)$(LIBDIR)/
	install -m 644 lib/kipc.h $(DESTDIR)$(INCLUDEDIR)/kipc.h
	install -m 644 kmod/uapi/linux/kipc.h kmod/uapi/linux/kipc_netlink.h \
		$(DESTDIR)$(INCLUDEDIR)/linux/
	install -d $(DESTDIR)$(DATADIR)/kipc
	install -m 644 docs/netlink/kipc.yaml $(DESTDIR)$(DATADIR)/kipc/
	$(call gen_pc,$(DESTDIR)$(PKGCONFIGDIR)/kipc.pc)
	install -m 644 lib/man/*.3 $(DESTDIR)$(MANDIR)/man3/
	install -m 644 tools/kipc/kipc.1 $(DESTDIR)$(MANDIR)/man1/
	@if [ -z "$(DESTDIR)" ]; then \
		depmod -a $$(cat $(KDIR)/include/config/kernel.release) || true; \
		ldconfig || true; fi

clean:
	-@test -d "$(KDIR)" && $(MAKE) -C $(KDIR) M=$(CURDIR) clean >/dev/null
	-@test -d "$(KDIR)" && $(MAKE) -C $(KDIR) M=$(CURDIR)/selftests/canary \
		clean >/dev/null
	rm -f kmod/.kdir selftests/canary/.kdir lib/*.o lib/*.so* lib/*.a lib/kipc.pc
	rm -f tools/kipc/*.o tools/kipc/kipc tools/common/*.o $(SELFTESTS) selftests/kipc_compat_test \
		$(FUZZ)

.PHONY: all help deps deps-if-missing module lib tools selftests canary run \
	vm-shell check fuzz soak lint print-kdir netlink-header install clean
