#!/usr/bin/env python3
"""Runs the bench programs interleaved (Keel, GnuTLS, OpenSSL, the order rotating every
repetition), takes the median of the repetitions, and prints one table: each row's figure
per library, Keel/GnuTLS, Keel/OpenSSL, the libcrypto ceiling and Keel as a fraction of it.

  python3 bench/run.py --bindir build/bench [--reps 5] [--time 0.5] [--rows a,b] [--markdown]

Each program prints lines  row=<id> lib=<lib> value=<v> unit=<u>  or  status=skipped|failed."""
import argparse
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import time

LIBS = ["keel", "gnutls", "openssl"]
PROGS = {"keel": "bench_keel", "gnutls": "bench_gnutls", "openssl": "bench_openssl"}
ROWS = ["tls13_ecdsa_hs", "tls13_rsa_hs", "tls12_ecdsa_hs", "tls12_reneg", "tls13_keyupdate",
        "bulk_aes128gcm", "bulk_aes256gcm", "bulk_chacha20", "small_records", "mem_idle",
        "scaling"]
# rows of the table, in order: (row id, label, higher is better)
TABLE = [
    ("tls13_ecdsa_hs", "TLS 1.3 X25519+ECDSA-P256 handshakes", True),
    ("tls13_rsa_hs", "TLS 1.3 X25519+RSA-2048-PSS handshakes", True),
    ("tls12_ecdsa_hs", "TLS 1.2 ECDHE-ECDSA-AES128-GCM handshakes", True),
    ("tls12_reneg", "TLS 1.2 renegotiations", True),
    ("tls13_keyupdate", "TLS 1.3 key updates (+1-byte record)", True),
    ("bulk_aes128gcm", "16 KiB records AES-128-GCM (enc+dec)", True),
    ("bulk_aes256gcm", "16 KiB records AES-256-GCM (enc+dec)", True),
    ("bulk_chacha20", "16 KiB records CHACHA20-POLY1305", True),
    ("small_records", "64-byte records (enc+dec)", True),
    ("mem_idle", "heap per idle client+server pair", False),
    ("hs_allocs", "allocations per handshake pair", False),
    ("scale_1t", "handshakes, 1 thread (wall)", True),
    ("scale_2t", "handshakes, 2 threads sharing creds (wall)", True),
    ("scaling", "scaling 2 threads / 1 thread", True),
]
# which ceiling row bounds each TLS row
CEILING_OF = {"tls12_reneg": "tls12_ecdsa_hs", "scale_1t": "tls13_ecdsa_hs"}
LINE = re.compile(r'^row=(\S+) lib=(\S+) (?:value=(\S+) unit=(\S+)|status=(\S+) reason="(.*)")$')


def run(cmd, env=None, timeout=120):
    try:
        p = subprocess.run(cmd, env=env, timeout=timeout, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        return -1, "", "timeout after %ss" % timeout


def parse(out):
    for line in out.splitlines():
        m = LINE.match(line.strip())
        if m:
            yield m.groups()


def machine():
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    flags = set()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    flags = set(line.split(":", 1)[1].split())
                    break
    except OSError:
        pass
    feats = [x for x in ("aes", "vaes", "sha_ni", "avx2", "avx512f") if x in flags]

    def out(cmd):
        try:
            return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                  text=True).stdout.strip()
        except OSError:
            return "?"
    return {
        "cpu": "%s, nproc=%d, %s" % (model, os.cpu_count() or 0, " ".join(feats)),
        "gnutls": out(["pkg-config", "--modversion", "gnutls"]),
        "openssl": " ".join(out(["openssl", "version"]).split()[:2]),
        "kernel": platform.release(),
    }


def fmt(v, unit):
    if v is None:
        return "-"
    if unit == "x":
        return "%.2f" % v
    if v >= 100000:
        return "%.0fk" % (v / 1000)
    if v >= 100:
        return "%.0f" % v
    return "%.3g" % v


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bindir", default="build/bench")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--time", type=float, default=0.5, help="seconds per row and repetition")
    ap.add_argument("--rows", default=",".join(ROWS))
    ap.add_argument("--libs", default=",".join(LIBS))
    ap.add_argument("--datadir", default="tests/data")
    ap.add_argument("--raw", help="append every sample line to this file")
    ap.add_argument("--markdown", action="store_true", help="print the table as markdown")
    ap.add_argument("--keel-version", default="")
    a = ap.parse_args()
    rows = [r for r in a.rows.split(",") if r]
    libs = [l for l in a.libs.split(",") if l]
    samples, status = {}, {}
    shim = os.path.join(a.bindir, "malloc_count.so")
    raw = open(a.raw, "a") if a.raw else None
    info = machine()
    load0 = os.getloadavg()
    t_start = time.time()

    def record(out):
        for row, lib, value, unit, st, reason in parse(out):
            if raw:
                raw.write("rep=%d %s\n" % (rep, " ".join(
                    x for x in ("row=" + row, "lib=" + lib,
                                "value=" + value if value else "",
                                "unit=" + unit if unit else "",
                                "status=" + st if st else "",
                                'reason="%s"' % reason if reason else "") if x)))
            if value is not None:
                samples.setdefault((row, lib), []).append(float(value))
                status.setdefault((row, lib, "unit"), unit)
            else:
                status[(row, lib)] = (st, reason)

    for rep in range(a.reps):
        order = libs[rep % len(libs):] + libs[:rep % len(libs)]
        for row in rows:
            for lib in order:
                if (row, lib) in status:      # skipped or failed once: not again
                    continue
                prog = os.path.join(a.bindir, PROGS[lib])
                cmd = [prog, "--row", row, "--time", str(a.time), "--datadir", a.datadir]
                env = dict(os.environ)
                if row == "mem_idle":
                    env["LD_PRELOAD"] = os.path.abspath(shim)
                rc, out, err = run(cmd, env)
                record(out)
                if rc != 0 and not any(True for _ in parse(out)):
                    status[(row, lib)] = ("failed", "exit %d: %s" % (rc, err.strip()[-200:]))
                sys.stderr.write(".")
                sys.stderr.flush()
        rc, out, err = run([os.path.join(a.bindir, "bench_ceiling"), "--time",
                            str(max(0.1, a.time / 2)), "--datadir", a.datadir])
        record(out)
        sys.stderr.write(" rep %d/%d done (%.0fs)\n" % (rep + 1, a.reps, time.time() - t_start))
    load1 = os.getloadavg()

    def med(row, lib):
        v = samples.get((row, lib))
        return statistics.median(v) if v else None

    def spread(row, lib):
        v = samples.get((row, lib))
        if not v or len(v) < 2:
            return 0
        m = statistics.median(v)
        return (max(v) - min(v)) / m if m else 0

    head = ["row", "unit", "Keel", "GnuTLS", "OpenSSL", "K/GnuTLS", "K/OpenSSL", "ceiling",
            "K/ceiling", "spread"]
    table = []
    for row, label, _higher in TABLE:
        base = {"hs_allocs": "mem_idle", "scale_1t": "scaling", "scale_2t": "scaling"}.get(row, row)
        if base not in rows:
            continue
        unit = next((status.get((row, l, "unit")) for l in libs if (row, l, "unit") in status), "")
        cells = {}
        for lib in libs:
            v = med(row, lib)
            if v is not None:
                cells[lib] = fmt(v, unit)
            else:
                st = status.get((row, lib)) or status.get((base, lib))
                cells[lib] = ("skipped" if st and st[0] == "skipped" else
                              "FAILED" if st else "-")
        k, g, o = med(row, "keel"), med(row, "gnutls"), med(row, "openssl")
        crow = CEILING_OF.get(row, row)
        c = med(crow, "ceiling")
        if row == "scaling":
            c = float(min(2, os.cpu_count() or 1))
        ratio = lambda x, y: "%.2f" % (x / y) if x is not None and y else "-"
        sp = max([spread(row, l) for l in libs] + [0])
        table.append([label, unit, cells.get("keel", "-"), cells.get("gnutls", "-"),
                      cells.get("openssl", "-"), ratio(k, g), ratio(k, o),
                      fmt(c, unit) if c is not None else "-", ratio(k, c) if c else "-",
                      "%.0f%%" % (100 * sp)])

    print("Keel %s vs GnuTLS %s vs %s; verify: on (CA + host name); no resumption; "
          "medians of %d repetitions, %.2fs each (CPU time of the benchmarking thread; "
          "scaling rows: wall time)"
          % (a.keel_version, info["gnutls"], info["openssl"], a.reps, a.time))
    print("machine: %s; kernel %s; load average %.1f at start, %.1f at end; run took %.0fs"
          % (info["cpu"], info["kernel"], load0[0], load1[0], time.time() - t_start))
    print("ratios > 1 mean Keel is faster, except for the memory and allocation rows "
          "(lower is better there); spread = (max-min)/median, worst of the three libraries")
    if a.markdown:
        print()
        print("| " + " | ".join(head) + " |")
        print("|" + "|".join("---" for _ in head) + "|")
        for r in table:
            print("| " + " | ".join(r) + " |")
    else:
        w = [max(len(str(r[i])) for r in table + [head]) for i in range(len(head))]
        print()
        print("  ".join(h.ljust(w[i]) if i < 2 else h.rjust(w[i]) for i, h in enumerate(head)))
        for r in table:
            print("  ".join(str(c).ljust(w[i]) if i < 2 else str(c).rjust(w[i])
                            for i, c in enumerate(r)))
    notes = sorted((k[0], k[1], v[0], v[1]) for k, v in status.items() if len(k) == 2)
    if notes:
        print()
        for row, lib, st, reason in notes:
            print("%s %s: %s (%s)" % (lib, row, st, reason))
    ce = sorted((row, med(row, "ceiling")) for (row, lib) in samples if lib == "ceiling"
                and row.startswith("op_"))
    hsp = [(row, med(row, "ceiling"), med(row, "ceiling_parse")) for row in
           ("tls13_ecdsa_hs", "tls13_rsa_hs", "tls12_ecdsa_hs") if med(row, "ceiling")]
    if ce or hsp:
        print()
        print("libcrypto ceiling, single operations (us): " +
              ", ".join("%s %.1f" % (r[3:], v) for r, v in ce))
        print("handshake ceilings with the CA's signature on the server certificate checked, "
              "certificate cached / parsed every time (hs/s): " +
              ", ".join("%s %.0f / %.0f" % (r, c, p or 0) for r, c, p in hsp))
    tr = [(row, med(row, "ceiling_transport"), med(row, "keel")) for row in
          ("bulk_aes128gcm", "bulk_aes256gcm", "bulk_chacha20", "small_records")
          if med(row, "ceiling_transport")]
    if tr:
        print("ceilings including the bench transport's two copies per record (Keel as a "
              "fraction): " + ", ".join("%s %s (%s)" % (r, fmt(c, ""),
                                                         "%.2f" % (k / c) if k else "-")
                                       for r, c, k in tr))
    failed_peer = [n for n in notes if n[1] != "keel" and n[2] == "failed"]
    return 1 if failed_peer else 0


if __name__ == "__main__":
    sys.exit(main())
