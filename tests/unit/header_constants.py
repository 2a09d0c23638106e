#!/usr/bin/env python3
"""Compares every constant of Keel's public headers with the system GnuTLS headers.

For each header (gnutls.h, x509.h, abstract.h, crypto.h) it collects the constants both
sides define -- enumerators (from a preprocessor pass, `cc -E`) and object-like macros
(from `cc -E -dM`) named GNUTLS_* / LIBGNUTLS_* -- then generates one C program that prints
"NAME value size signedness" (or "NAME "string"") for each, compiles it once against
Keel's include/ and once against /usr/include, and requires identical output. It also
requires that every constant the system header itself defines exists in Keel's.

Types get the same treatment in C++: for every typedef of Keel's header a function taking
a pointer to it (and to a template tagged with its size) is compiled against both headers;
the symbol names the C++ compiler derives encode the full type (struct tags, function
signatures, constness), so equal symbol lists mean equal types.

Usage: header_constants.py KEEL_INCLUDE_DIR [CC [CXX]]
Prints "ok - ..." / "not ok - ..." per check and ends with "N passed, N failed".
"""
import os
import re
import subprocess
import sys
import tempfile

HEADERS = ["gnutls.h", "x509.h", "abstract.h", "crypto.h"]
# Constants that are not values one can print, with the reason.
SKIP = {
    # GnuTLS defines it as "GNUTLS_CRL_REASON_SUPERSEDED," (stray comma), so no expression
    # can use it; Keel defines it without the comma.
    "GNUTLS_CRL_REASON_SUPERSEEDED",
    # Expands to a function definition, not a value.
    "GNUTLS_SKIP_GLOBAL_INIT",
}
NAME_RE = re.compile(r"^(LIB)?GNUTLS_[A-Z0-9_]+$")
SYS_DIR = "/usr/include/gnutls"


def run(cmd, stdin=None):
    p = subprocess.run(cmd, input=stdin, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError("%s failed:\n%s" % (" ".join(cmd), p.stderr[-4000:]))
    return p.stdout


def cc_args(cc, include_dir):
    return [cc] + (["-I", include_dir] if include_dir else [])


def macro_names(cc, include_dir, header):
    """Object-like macros with a non-empty body that look like constants."""
    out = run(cc_args(cc, include_dir) + ["-E", "-dM", "-xc", "-"],
              "#include <gnutls/%s>\n" % header)
    names = set()
    for line in out.splitlines():
        m = re.match(r"#define ([A-Za-z_][A-Za-z0-9_]*)(\(?)\s*(.*)$", line)
        if not m or m.group(2) == "(" or not m.group(3).strip():
            continue
        name, body = m.group(1), m.group(3).strip()
        if not NAME_RE.match(name) or name in SKIP:
            continue
        if ";" in body or "{" in body or body.endswith(","):
            continue
        names.add(name)
    return names


def split_top_level(body):
    parts, depth, cur = [], 0, []
    for ch in body:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return parts


def enumerator_names(cc, include_dir, header):
    out = run(cc_args(cc, include_dir) + ["-E", "-P", "-xc", "-"],
              "#include <gnutls/%s>\n" % header)
    names = set()
    for m in re.finditer(r"\benum\b\s*[A-Za-z0-9_]*\s*\{([^{}]*)\}", out):
        for part in split_top_level(m.group(1)):
            name = part.split("=")[0].strip()
            if NAME_RE.match(name) and name not in SKIP:
                names.add(name)
    return names


def own_text_identifiers(path):
    """Identifiers written in a header file itself (not in the headers it includes)."""
    text = open(path).read()
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    return set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text))


PROGRAM_HEAD = r"""
#include <stdio.h>
#include <gnutls/%s>
#define SVAL(x) _Generic((x), char *: (x), const char *: (x), default: (const char *)0)
#define IVAL(x) _Generic((x), char *: 0LL, const char *: 0LL, default: (x))
#define P(x) emit(#x, SVAL(x), (long long)IVAL(x), sizeof(IVAL(x)), \
                  (__typeof__(IVAL(x)))-1 < 0)
static void emit(const char *name, const char *s, long long v, size_t size, int is_signed)
{
    if (s)
        printf("%%s \"%%s\"\n", name, s);
    else
        printf("%%s %%lld size=%%zu %%s\n", name, v, size, is_signed ? "signed" : "unsigned");
}
int main(void)
{
"""


def typedef_names(path):
    """(name, fields) for the typedefs written in one of Keel's headers; fields lists the
    members when the typedef defines a struct."""
    text = open(path).read()
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    text = re.sub(r"^[ \t]*#(?:[^\n]*\\\n)*[^\n]*", " ", text, flags=re.M)
    found = []
    for m in re.finditer(r"\btypedef\b", text):
        depth, j = 0, m.end()
        while j < len(text) and not (text[j] == ";" and depth == 0):
            if text[j] in "({":
                depth += 1
            elif text[j] in ")}":
                depth -= 1
            j += 1
        decl = text[m.end():j]
        fp = re.search(r"\(\s*\*\s*(\w+)\s*\)", decl)           # typedef R (*name)(...)
        if fp:
            found.append((fp.group(1), []))
            continue
        flat = re.sub(r"\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}", " ", decl)  # drop struct bodies
        fn = re.search(r"(\w+)\s*\(", flat)                    # typedef R name(...)
        name = fn.group(1) if fn else re.findall(r"\w+", flat)[-1]
        fields = []
        body = re.match(r"\s*struct\b[^{]*\{(.*)\}", decl, re.S)
        if body and not fn:
            members = re.sub(r"\{[^{}]*\}", " ", body.group(1))  # nested unions: keep name
            fields = [re.findall(r"\w+", f)[-1] for f in members.split(";") if f.strip()]
        found.append((name, fields))
    return found


TYPES_HEAD = """
#include <gnutls/%s>
#include <type_traits>
#include <cstddef>
template <unsigned long N> struct keel_size {};
template <typename T, bool F = std::is_function<T>::value> struct keel_sizeof { enum : unsigned long { v = sizeof(T) }; };
template <typename T> struct keel_sizeof<T, true> { enum : unsigned long { v = 0 }; };
"""


def type_signatures(cxx, include_dir, header, names, tmp, tag):
    src = os.path.join(tmp, "%s_%s_types.cc" % (header.replace(".", "_"), tag))
    obj = src[:-3] + ".o"
    with open(src, "w") as f:
        f.write(TYPES_HEAD % header)
        for n, fields in sorted(names):
            # member pointers carry each field's type, keel_size its offset
            extra = "".join(", decltype(&%s::%s), keel_size<offsetof(%s, %s)> *" % (n, m, n, m)
                            for m in fields)
            f.write("void keel_type_%s(%s *, keel_size<keel_sizeof<%s>::v> *%s) {}\n"
                    % (n, n, n, extra))
    run(cc_args(cxx, include_dir) + ["-std=c++11", "-w", "-c", "-o", obj, src])
    out = run(["nm", "-C", "--defined-only", obj])
    return sorted(l.split(" ", 2)[2] for l in out.splitlines() if "keel_type_" in l)


def print_values(cc, include_dir, header, names, tmp, tag):
    src = os.path.join(tmp, "%s_%s.c" % (header.replace(".", "_"), tag))
    exe = src[:-2]
    with open(src, "w") as f:
        f.write(PROGRAM_HEAD % header)
        for n in sorted(names):
            f.write("    P(%s);\n" % n)
        f.write("    return 0;\n}\n")
    run(cc_args(cc, include_dir) + ["-std=gnu11", "-w", "-o", exe, src])
    return run([exe]).splitlines()


def main():
    if len(sys.argv) < 2:
        print("usage: header_constants.py KEEL_INCLUDE_DIR [CC]", file=sys.stderr)
        return 2
    keel_inc = os.path.abspath(sys.argv[1])
    cc = sys.argv[2] if len(sys.argv) > 2 else os.environ.get("CC", "cc")
    cxx = sys.argv[3] if len(sys.argv) > 3 else os.environ.get("CXX", "c++")
    passed = failed = 0

    def result(ok, what, details=()):
        nonlocal passed, failed
        if ok:
            passed += 1
            print("ok - " + what)
        else:
            failed += 1
            print("not ok - " + what)
            for d in list(details)[:60]:
                print("    " + d)
            if len(details) > 60:
                print("    ... and %d more" % (len(details) - 60))

    if not os.path.isfile(os.path.join(SYS_DIR, "gnutls.h")):
        print("not ok - the system GnuTLS header %s/gnutls.h is missing: install "
              "libgnutls28-dev (scripts/install-deps.sh does)" % SYS_DIR)
        print("0 passed, 1 failed")
        return 1

    compared = set()  # a constant is compared once, in the first header that brings it
    with tempfile.TemporaryDirectory() as tmp:
        for h in HEADERS:
            if not os.path.isfile(os.path.join(keel_inc, "gnutls", h)):
                result(False, "%s: Keel has no include/gnutls/%s" % (h, h))
                continue
            try:
                ours = macro_names(cc, keel_inc, h) | enumerator_names(cc, keel_inc, h)
                theirs = macro_names(cc, None, h) | enumerator_names(cc, None, h)
            except RuntimeError as e:
                result(False, "%s: preprocessing failed" % h, str(e).splitlines())
                continue

            # Keel must not invent GnuTLS-looking constants GnuTLS does not have.
            extra = sorted(ours - theirs)
            result(not extra, "%s: every Keel constant exists in GnuTLS" % h,
                   ["only in Keel: " + n for n in extra])

            # Completeness: what the system header itself defines (compat.h counts as
            # part of gnutls.h, which includes it) must be in Keel's header.
            own = own_text_identifiers(os.path.join(SYS_DIR, h))
            if h == "gnutls.h":
                own |= own_text_identifiers(os.path.join(SYS_DIR, "compat.h"))
            missing = sorted((theirs & own) - ours)
            result(not missing, "%s: complete (%d GnuTLS constants)" % (h, len(theirs & own)),
                   ["missing in Keel: " + n for n in missing])

            common = (ours & theirs) - compared
            compared |= common
            try:
                a = print_values(cc, keel_inc, h, common, tmp, "keel")
                b = print_values(cc, None, h, common, tmp, "gnutls")
            except RuntimeError as e:
                result(False, "%s: value program failed to build or run" % h,
                       str(e).splitlines())
                continue
            diffs = ["keel: %s\n    gnutls: %s" % (x, y) for x, y in zip(a, b) if x != y]
            if len(a) != len(b):
                diffs.append("different line counts: %d vs %d" % (len(a), len(b)))
            result(not diffs, "%s: %d constants have identical values" % (h, len(common)), diffs)

            # Types: every typedef Keel writes must exist in GnuTLS with the same type.
            names = typedef_names(os.path.join(keel_inc, "gnutls", h))
            sys_text = run([cxx, "-E", "-xc++", "-"], "#include <gnutls/%s>\n" % h)
            sys_words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", sys_text))
            extra = sorted(n for n, _ in names if n not in sys_words)
            result(not extra, "%s: every Keel typedef exists in GnuTLS" % h,
                   ["only in Keel: " + n for n in extra])
            shared = [(n, f) for n, f in names if n in sys_words]
            try:
                a = type_signatures(cxx, keel_inc, h, shared, tmp, "keel")
                b = type_signatures(cxx, None, h, shared, tmp, "gnutls")
            except RuntimeError as e:
                result(False, "%s: type program failed to build" % h, str(e).splitlines())
                continue
            diffs = ["keel: %s\n    gnutls: %s" % (x, y) for x, y in zip(a, b) if x != y]
            if len(a) != len(b):
                diffs.append("different counts: %d vs %d" % (len(a), len(b)))
            result(not diffs, "%s: %d typedefs have identical types and sizes" % (h, len(a)),
                   diffs)

    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
