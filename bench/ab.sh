#!/usr/bin/env bash
# Side-by-side A/B of two resty4j builds (or two JVM option sets) on one bench location, for changes
# smaller than this machine's run-to-run spread (bench/NOTES.md §16): both servers run at once, wrk
# alternates between them, and each 10 s run reports req/s and CPU µs per request (from /proc).
#
#   bench/ab.sh [-a DIR_A] [-b DIR_B] [--opts-a OPTS] [--opts-b OPTS] [-n PAIRS] [PATH]
#
# DIR_A/DIR_B: checkouts built with `./resty4j build` (default: this one for both); OPTS: RESTY4J_JAVA_OPTS
# of each server; PATH: a location of bench/conf/locations.conf (default /redis-limit; the Redis and HTTP
# locations need what bench/run.sh starts: Redis on 6379, the backend on 18091). Needs wrk.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
dir_a="$root"; dir_b="$root"; opts_a=""; opts_b=""; pairs=6; path=/redis-limit
while [[ $# -gt 0 ]]; do
  case "$1" in
    -a) dir_a="$2"; shift 2 ;;
    -b) dir_b="$2"; shift 2 ;;
    --opts-a) opts_a="$2"; shift 2 ;;
    --opts-b) opts_b="$2"; shift 2 ;;
    -n) pairs="$2"; shift 2 ;;
    -*) echo "usage: bench/ab.sh [-a DIR_A] [-b DIR_B] [--opts-a OPTS] [--opts-b OPTS] [-n PAIRS] [PATH]" >&2; exit 2 ;;
    *) path="$1"; shift ;;
  esac
done
out="$(mktemp -d /tmp/resty4j-ab.XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

start() { # start DIR OPTS PORT -> pid of the server's JVM
  sed -e "s#@BENCH_DIR@#$here#g" -e "s#127.0.0.1:18082#127.0.0.1:$3#" "$here/conf/resty4j.conf.in" > "$out/$3.conf"
  (cd "$1" && RESTY4J_JAVA_OPTS="$2" exec ./resty4j serve -c "$out/$3.conf" --workers 2) > "$out/$3.log" 2>&1 &
  pids+=($!)
}
start "$dir_a" "$opts_a" 18101
start "$dir_b" "$opts_b" 18102
for port in 18101 18102; do
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port$path" && break; sleep 0.2; done
done
# JIT warm-up: C2 needs tens of seconds of load on the Redis and HTTP client paths
for port in 18101 18102 18101 18102; do wrk -t2 -c100 -d20s "http://127.0.0.1:$port$path" > /dev/null; done

run() { # run PORT PID -> "req/s cpu-µs/req"
  local u1 s1 u2 s2 r
  read -r u1 s1 < <(awk '{print $14, $15}' "/proc/$2/stat")
  r=$(wrk -t2 -c100 -d10s "http://127.0.0.1:$1$path" | awk '/Requests\/sec/{print $2}')
  read -r u2 s2 < <(awk '{print $14, $15}' "/proc/$2/stat")
  python3 -c "print(f'{$r:9.0f} {($u2-$u1+$s2-$s1)*1e6/$(getconf CLK_TCK)/($r*10):6.1f}')"
}
echo "pair  A req/s  A µs/req   B req/s  B µs/req   ($path; A: $dir_a $opts_a; B: $dir_b $opts_b)"
for i in $(seq "$pairs"); do
  echo "$i   $(run 18101 "${pids[0]}")   $(run 18102 "${pids[1]}")"
done
