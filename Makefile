# procscope build.  `make` builds build/procscope; `make test` runs every test.
CC        ?= cc
CLANG     ?= clang
BPFTOOL   ?= bpftool
BUILD     ?= build
VMLINUX_BTF ?= /sys/kernel/btf/vmlinux
VERSION   := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

WARN      := -Wall -Wextra -Werror
CFLAGS    ?= -O2 -g
CFLAGS    += $(WARN) -std=gnu11 -D_GNU_SOURCE -Iinclude -I$(BUILD) -Isrc \
	     -DPS_VERSION='"$(VERSION)"' $(EXTRA_CFLAGS)
LDLIBS    += $(shell pkg-config --libs libbpf) -lelf -lz -lcap -lcrypto -ljansson -lyaml
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_x86 $(WARN) -Wno-unused-function -Wno-unused-parameter \
	      -Iinclude -I$(BUILD) -Ibpf

BPF_SRC   := bpf/procscope.bpf.c
BPF_HDRS  := $(wildcard bpf/*.bpf.h) include/records.h
SRC       := $(wildcard src/*/*.c)
OBJ       := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(SRC))
LIB_OBJ   := $(filter-out $(BUILD)/obj/cmd/main.o,$(OBJ))

UNIT_SRC  := $(wildcard tests/unit/*/test_*.c)
UNIT_BIN  := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
FIXT_SRC  := $(wildcard tests/fixtures/*.c)
FIXT_BIN  := $(patsubst tests/fixtures/%.c,$(BUILD)/fixtures/%,$(FIXT_SRC))

# Everything a fresh Debian machine needs to build and test procscope.
DEB_PACKAGES := make gcc clang llvm libclang-rt-14-dev bpftool libbpf-dev libelf-dev zlib1g-dev pkg-config \
	libcap-dev libcap2-bin libcmocka-dev libssl-dev libjansson-dev libyaml-dev \
	python3 python3-pytest python3-jsonschema strace procps util-linux iproute2 chromium bc \
	prometheus golang-github-containers-common python3-yaml podman runc uidmap mmdebstrap \
	man-db zsh bash-completion debhelper dpkg-dev lintian
PYTHON    ?= /usr/bin/python3

.PHONY: all clean test unit integration fixtures bench deps asan-unit demo check schema image seccomp \
	install uninstall man-check deb
all: $(BUILD)/procscope $(BUILD)/procscope.1

# Where `make install` puts things (Debian's package passes PREFIX=/usr and its zsh directory).
PREFIX      ?= /usr/local
BINDIR      ?= $(PREFIX)/bin
MANDIR      ?= $(PREFIX)/share/man
DOCDIR      ?= $(PREFIX)/share/doc/procscope
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions
# The manual's date is the last commit's, so that a rebuild gives the same page.
MAN_DATE    := $(shell git log -1 --format=%cs 2>/dev/null || date -u +%F)

# The README's two commands: build and trace a real command; run every test.
demo: deps
	$(MAKE) all
	$(BUILD)/procscope -- ls -l /

check: deps
	$(MAKE) all
	$(MAKE) test

# Install the build and test dependencies (root).
deps:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(DEB_PACKAGES)

$(BUILD)/vmlinux.h:
	@mkdir -p $(BUILD)
	$(BPFTOOL) btf dump file $(VMLINUX_BTF) format c > $@.tmp && mv $@.tmp $@

# The system's syscall numbers, as { nr, "name" } rows (IA-32 and x86-64).
$(BUILD)/ia32_syscalls.h $(BUILD)/x64_syscalls.h: $(BUILD)/%_syscalls.h:
	@mkdir -p $(BUILD)
	echo '#include <asm/unistd_$(if $(filter ia32,$*),32,64).h>' | $(CC) -E -dM -x c - | \
		awk '$$1 == "#define" && $$2 ~ /^__NR_/ && $$3 ~ /^[0-9]+$$/ { sub(/^__NR_/, "", $$2); \
		print "\t{ " $$3 ", \"" $$2 "\" }," }' | sort -n -k2 > $@.tmp && mv $@.tmp $@

GEN_HDRS  := $(BUILD)/procscope.skel.h $(BUILD)/ia32_syscalls.h $(BUILD)/x64_syscalls.h

$(BUILD)/procscope.bpf.o: $(BPF_SRC) $(BPF_HDRS) $(BUILD)/vmlinux.h
	$(CLANG) $(BPF_CFLAGS) -c $(BPF_SRC) -o $@

$(BUILD)/procscope.skel.h: $(BUILD)/procscope.bpf.o
	$(BPFTOOL) gen skeleton $< name procscope_bpf > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/%.o: src/%.c $(wildcard src/*/*.h) include/records.h $(GEN_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

# The default policy is compiled in (.incbin in src/rules/rules_default.c).
$(BUILD)/obj/rules/rules_default.o: rules/default.yaml

$(BUILD)/procscope: $(OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS)

# The manual page: one source, the version and date filled in.
$(BUILD)/procscope.1: man/procscope.1.in
	@mkdir -p $(BUILD)
	sed -e 's/@VERSION@/$(VERSION)/g' -e 's/@DATE@/$(MAN_DATE)/g' $< > $@.tmp && mv $@.tmp $@

# The page renders without a single groff or man warning.
man-check: $(BUILD)/procscope.1
	@out=$$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l $< 2>&1 >/dev/null); \
	if [ -n "$$out" ]; then echo "$$out"; exit 1; fi; echo "man page: no warnings"

install: all
	install -D -m 0755 $(BUILD)/procscope $(DESTDIR)$(BINDIR)/procscope
	install -D -m 0644 $(BUILD)/procscope.1 $(DESTDIR)$(MANDIR)/man1/procscope.1
	install -D -m 0644 completions/procscope.bash $(DESTDIR)$(BASHCOMPDIR)/procscope
	install -D -m 0644 completions/_procscope $(DESTDIR)$(ZSHCOMPDIR)/_procscope
	install -d $(DESTDIR)$(DOCDIR)
	install -m 0644 README.md docs/*.md docs/procscope.schema.json $(DESTDIR)$(DOCDIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/procscope $(DESTDIR)$(MANDIR)/man1/procscope.1 \
		$(DESTDIR)$(BASHCOMPDIR)/procscope $(DESTDIR)$(ZSHCOMPDIR)/_procscope
	rm -rf $(DESTDIR)$(DOCDIR)

# A Debian package from this tree (debian/): dpkg-buildpackage writes it next to the tree.
deb:
	dpkg-buildpackage -us -uc
	lintian --fail-on error ../procscope_*.changes

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< $(LIB_OBJ) -o $@ $(LDLIBS) -lcmocka

# The IA-32 fixture passes pointers to static data through 32-bit registers.
$(BUILD)/fixtures/ia32: FIXT_LDFLAGS := -no-pie

$(BUILD)/fixtures/%: tests/fixtures/%.c
	@mkdir -p $(dir $@)
	$(CC) -O1 -g -Wall -Wextra -Werror -D_GNU_SOURCE $(FIXT_LDFLAGS) $< -o $@ -lpthread

fixtures: $(FIXT_BIN)

# Every unit test runs, even after a failure; the target fails if any did.
unit: $(UNIT_BIN)
	@failed=0; for t in $(UNIT_BIN); do echo "== $$t"; $$t || failed=$$((failed + 1)); done; \
	echo "unit test programs failed: $$failed"; test $$failed -eq 0

integration: $(BUILD)/procscope $(BUILD)/gen-schema fixtures
	PROCSCOPE=$(abspath $(BUILD)/procscope) FIXTURES=$(abspath $(BUILD)/fixtures) \
		GEN_SCHEMA=$(abspath $(BUILD)/gen-schema) \
		$(PYTHON) -m pytest -q -rs tests/integration $(PYTEST_ARGS)

# Every test: unit tests, then the integration tests that load the real
# BPF programs (root or CAP_BPF+CAP_PERFMON+CAP_SYS_ADMIN needed).
test: unit integration

# The unit tests again under AddressSanitizer and UndefinedBehaviorSanitizer.
asan-unit:
	$(MAKE) BUILD=build-asan EXTRA_CFLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		LDFLAGS="-fsanitize=address,undefined" unit

# The JSON Schema of the records, generated from the field catalog (src/event/catalog.c);
# the integration tests fail when the committed file is not what it prints.
$(BUILD)/gen-schema: tools/gen-schema.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< $(LIB_OBJ) -o $@ $(LDLIBS)

schema: $(BUILD)/gen-schema
	$< > docs/procscope.schema.json.tmp || { rm -f docs/procscope.schema.json.tmp; exit 1; }
	mv docs/procscope.schema.json.tmp docs/procscope.schema.json

# deploy/seccomp.json, from the container runtimes' default profile (golang-github-containers-common).
SECCOMP_DEFAULT ?= /usr/share/containers/seccomp.json
seccomp:
	$(PYTHON) tools/gen-seccomp.py $(SECCOMP_DEFAULT) > deploy/seccomp.json.tmp && mv deploy/seccomp.json.tmp deploy/seccomp.json

# An OCI image from Debian packages only (mmdebstrap + podman import; no registry).
IMAGE ?= localhost/procscope:$(VERSION)
image: $(BUILD)/procscope
	tools/build-image.sh $(BUILD)/procscope $(BUILD)/image/rootfs.tar $(IMAGE)

# The consumer alone, on a recorded stream (bench/replay.c).
$(BUILD)/bench/replay: bench/replay.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< $(LIB_OBJ) -o $@ $(LDLIBS)

bench: $(BUILD)/procscope $(BUILD)/bench/replay
	bench/run.sh
	bench/consumer.sh
	bench/replay.sh
	bench/startup.sh
	bench/rules.sh
	bench/all.sh

clean:
	rm -rf $(BUILD)

# Fuzzing the redaction code (clang libFuzzer); FUZZ_SECONDS bounds the run.
FUZZ_SECONDS ?= 30
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	$(WARN) -std=gnu11 -D_GNU_SOURCE -Isrc

$(BUILD)/fuzz/fuzz_redact: tests/fuzz/fuzz_redact.c src/common/redact.c src/common/redact.h src/common/ere.c src/common/ere.h
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) tests/fuzz/fuzz_redact.c src/common/redact.c src/common/ere.c -o $@

RULES_FUZZ_SRC := $(filter-out src/rules/rules_match.c,$(wildcard src/rules/rules_*.c)) src/event/names.c
$(BUILD)/fuzz/fuzz_rules: tests/fuzz/fuzz_rules.c $(RULES_FUZZ_SRC) $(wildcard src/rules/*.h) rules/default.yaml
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -Iinclude tests/fuzz/fuzz_rules.c $(RULES_FUZZ_SRC) -o $@ -lyaml

# New inputs go to $(BUILD)/fuzz/corpus* (tests/fuzz/corpus* seed them), a
# failing input to $(BUILD)/fuzz/crash-*.  Each target gets FUZZ_SECONDS.
fuzz: $(BUILD)/fuzz/fuzz_redact $(BUILD)/fuzz/fuzz_rules
	@mkdir -p $(BUILD)/fuzz/corpus $(BUILD)/fuzz/corpus_rules
	$(BUILD)/fuzz/fuzz_redact -max_total_time=$(FUZZ_SECONDS) -timeout=10 -print_final_stats=1 \
		-artifact_prefix=$(BUILD)/fuzz/ $(BUILD)/fuzz/corpus tests/fuzz/corpus
	$(BUILD)/fuzz/fuzz_rules -max_total_time=$(FUZZ_SECONDS) -timeout=10 -print_final_stats=1 \
		-artifact_prefix=$(BUILD)/fuzz/ $(BUILD)/fuzz/corpus_rules tests/fuzz/corpus_rules
.PHONY: fuzz
