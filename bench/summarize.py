#!/usr/bin/env python3
"""bench/run.sh's table and ratio lines from the raw wrk outputs: usage summarize.py RAW_DIR JS(0|1).

Each cell is the median over the repetitions; a ratio is resty4j / nginx + Lua of the median requests/s,
and a `ratio` line is the geometric mean of the ratios of the wrk settings measured. "CPU us/req" is the
server's CPU time (user + system, nginx's workers included) per request answered: on a shared machine it
varies far less than requests/s, so it is the column to compare changes with."""
import math
import re
import statistics
import sys
from collections import defaultdict
from pathlib import Path

UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}
RATIO_WORKLOADS = ["hello", "shdict-limit", "redis-limit", "header-filter", "jwt", "http-call", "proxy", "js-hello"]


def to_ms(tok):
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", tok)
    return float(m.group(1)) * UNIT_MS[m.group(2)] if m else None


def parse(path):
    txt = path.read_text()
    m = re.search(r"Requests/sec:\s+([\d.]+)", txt)
    out = {"rps": float(m.group(1)) if m else None, "errors": 0}
    for pct in ("50%", "99%"):
        m = re.search(r"^\s+" + re.escape(pct) + r"\s+(\S+)", txt, re.M)
        out[pct] = to_ms(m.group(1)) if m else None
    m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", txt)
    out["errors"] += int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", txt)
    out["errors"] += sum(map(int, m.groups())) if m else 0
    m = re.search(r"server_cpu_s=([\d.]+)", txt)
    cpu = float(m.group(1)) if m else None
    m = re.search(r"(\d+) requests in", txt)
    # the server's CPU time per request: far steadier than requests/s on a shared machine
    out["cpu"] = cpu * 1e6 / int(m.group(1)) if cpu is not None and m and int(m.group(1)) > 0 else None
    return out


def median(runs, key):
    xs = [r[key] for r in runs if r[key] is not None]
    return statistics.median(xs) if xs else None


def fmt_ms(v):
    if v is None:
        return "-"
    return f"{v * 1000:.0f}us" if v < 1 else f"{v:.2f}ms"


def fmt_us(v):
    return "-" if v is None else f"{v:.1f}"


def fmt_rps(v):
    return "-" if v is None else f"{v:,.0f}"


def main():
    raw, js = Path(sys.argv[1]), sys.argv[2] == "1"
    runs = defaultdict(list)  # (server, workload, wrk) -> [run]
    order = []
    for f in sorted(Path(raw).glob("*.txt"), key=lambda p: p.stat().st_mtime):
        m = re.fullmatch(r"(nginx|resty4j|vertx)-(.+)-t(\d+)c(\d+)-r(\d+)\.txt", f.name)
        if not m:
            continue
        server, workload, wrk = m.group(1), m.group(2), f"-t{m.group(3)} -c{m.group(4)}"
        runs[(server, workload, wrk)].append(parse(f))
        if (workload, wrk) not in order:
            order.append((workload, wrk))

    def cell(server, workload, wrk):
        rs = runs.get((server, workload, wrk), [])
        return median(rs, "rps"), median(rs, "50%"), median(rs, "99%"), sum(r["errors"] for r in rs), median(rs, "cpu")

    print("| workload | wrk | nginx+Lua req/s | p50 | p99 | CPU us/req | resty4j req/s | p50 | p99 | CPU us/req | ratio | errors |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    ratios = defaultdict(list)
    for workload, wrk in order:
        base = "hello" if workload == "js-hello" else workload
        n = cell("nginx", base, wrk)
        r = cell("resty4j", workload, wrk)
        ratio = r[0] / n[0] if r[0] and n[0] else None
        if ratio:
            ratios[workload].append(ratio)
        label = workload + (" (vs nginx hello)" if workload == "js-hello" else "")
        print(f"| {label} | {wrk} | {fmt_rps(n[0])} | {fmt_ms(n[1])} | {fmt_ms(n[2])} | {fmt_us(n[4])} | {fmt_rps(r[0])} | "
              f"{fmt_ms(r[1])} | {fmt_ms(r[2])} | {fmt_us(r[4])} | {'-' if ratio is None else f'{ratio:.2f}'} | "
              f"{n[3] + r[3]} |")
        if workload == "hello":
            v = cell("vertx", "hello", wrk)
            vr = r[0] / v[0] if r[0] and v[0] else None
            if vr:
                ratios["vertx-overhead"].append(vr)
            print(f"| vertx hello (resty4j hello / vertx) | {wrk} | | | | | {fmt_rps(v[0])} | {fmt_ms(v[1])} | "
                  f"{fmt_ms(v[2])} | {fmt_us(v[4])} | {'-' if vr is None else f'{vr:.2f}'} | {v[3]} |")
    print()
    for w in RATIO_WORKLOADS + ["vertx-overhead"]:
        xs = ratios.get(w)
        if xs:
            print(f"ratio {w} {math.exp(sum(map(math.log, xs)) / len(xs)):.2f}")
        else:
            print(f"ratio {w} n/a")


if __name__ == "__main__":
    main()
