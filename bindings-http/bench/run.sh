#!/usr/bin/env bash
# wrk benchmark: access_by_lua + proxy_pass on nginx+Lua vs resty4j, both in front of the same nginx backend.
# Needs wrk, nginx-core, libnginx-mod-http-lua, libnginx-mod-http-ndk and a built resty4j (mvn -DskipTests package).
# usage: bindings-http/bench/run.sh [WORKERS=2] [DURATION=10s] [RUNS=3]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
workers="${1:-2}"; duration="${2:-10s}"; runs="${3:-3}"
run="$(mktemp -d /tmp/bhttp-bench.XXXXXX)"
mkdir -p "$run/tmp"
sed "s#@RUN_DIR@#$run#g" "$here/backend.conf.in" > "$run/backend.conf"
sed "s#@RUN_DIR@#$run#g" "$here/nginx.conf.in" > "$run/nginx.conf"
sed "s#@PORT@#18091#" "$here/proxy.conf" > "$run/proxy-nginx.conf"
{ echo "http {"; sed "s#@PORT@#18092#" "$here/proxy.conf"; echo "}"; } > "$run/resty4j.conf"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

nginx -p "$run" -c "$run/backend.conf" & pids+=($!)
nginx -p "$run" -c "$run/nginx.conf" -g "worker_processes $workers;" & pids+=($!)
"$root/resty4j" serve -c "$run/resty4j.conf" --workers "$workers" > "$run/resty4j.log" 2>&1 & pids+=($!)
for port in 18090 18091 18092; do
  for _ in $(seq 100); do curl -fs -o /dev/null "http://127.0.0.1:$port/api/x" && break; sleep 0.2; done
done
curl -fsS "http://127.0.0.1:18091/api/x" | grep -q hello
curl -fsS "http://127.0.0.1:18092/api/x" | grep -q hello

bench() { # name port warmup path
  wrk -t2 -c100 -d"$3" "http://127.0.0.1:$2$4" > /dev/null
  for i in $(seq "$runs"); do
    out="$(wrk -t1 -c50 -d"$duration" --latency "http://127.0.0.1:$2$4")"
    rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
    p50="$(awk '$1=="50%" {print $2}' <<<"$out")"; p99="$(awk '$1=="99%" {print $2}' <<<"$out")"
    errs="$(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr '\n' ' ' || true)"
    echo "$1 $4 run $i: $rps req/s  p50 $p50  p99 $p99 $errs"
  done
}
bench "nginx+lua" 18091 3s /api/x
bench "resty4j  " 18092 20s /api/x
bench "nginx+lua" 18091 3s /hello
bench "resty4j  " 18092 5s /hello
