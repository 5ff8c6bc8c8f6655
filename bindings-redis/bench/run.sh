#!/usr/bin/env bash
# wrk benchmark of the seed "Redis-Backed Rate Limiting" (examples/conf/seed/02-redis-rate-limit.conf) on
# nginx + lua-nginx-module (Debian's packages, as ../shared/bench; resty.redis is their lua-nginx-redis
# plus set_timeouts, see lua/resty/redis.lua) vs resty4j, both talking to the same Redis (127.0.0.1:6379,
# which the seed names) and proxying to the same nginx backend. Two servers per side, the seed's server
# block each:
#   verbatim  the seed as written: from one client address, after 60 requests every answer is 429
#             (Redis INCR, then ngx.exit(429), no proxying)
#   passing   the seed with its limit raised so that every request passes: INCR + proxy_pass
# Needs wrk, redis-cli, nginx, libnginx-mod-http-lua, libnginx-mod-http-ndk, lua-nginx-redis and a built
# resty4j (./resty4j build). Prints req/s per run and the resty4j/nginx ratio of the medians.
# usage: bindings-redis/bench/run.sh [WORKERS=2] [DURATION=10s] [RUNS=3]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
workers="${1:-2}"; duration="${2:-10s}"; runs="${3:-3}"
seed="$root/examples/conf/seed/02-redis-rate-limit.conf"
run="$(mktemp -d /tmp/bredis-bench.XXXXXX)"
mkdir -p "$run/tmp"
# the key the seed uses for 127.0.0.1 ("rl:" .. binary_remote_addr), reset before and after
clear_key() { printf 'DEL "rl:\\x7f\\x00\\x00\\x01"\n' | redis-cli -h 127.0.0.1 -p 6379 > /dev/null; }

# the seed's server block (its enclosing http { } dropped: the configs below have theirs) on port $1,
# with its limit raised when $2 = passing
server_block() {
  sed -e '1,/^http {$/d' -e '$d' "$seed" | sed -e "s#^listen 80;#listen 127.0.0.1:$1;#" \
    -e "$( [[ "$2" == passing ]] && echo 's#^local limit = 60$#local limit = 1000000000000#' || echo 's#^$##' )"
}
# what a deployment adds: the upstream (with keep-alive, as one would in production)
common='upstream backend { server 127.0.0.1:18190; keepalive 32; }
proxy_http_version 1.1;
proxy_set_header Connection "";'
sed -e "s#@RUN_DIR@#$run#g" -e 's#18090#18190#' "$root/bindings-http/bench/backend.conf.in" > "$run/backend.conf"
sed "s#@RUN_DIR@#$run#g" "$root/bindings-http/bench/nginx.conf.in" > "$run/nginx.conf"
{ echo "lua_package_path \"$here/lua/?.lua;;\";"; echo "$common"
  server_block 18191 verbatim; server_block 18193 passing; } > "$run/proxy-nginx.conf"
{ echo "http {"; echo "$common"; server_block 18192 verbatim; server_block 18194 passing; echo "}"; } > "$run/resty4j.conf"
grep -q 'local limit = 1000000000000' "$run/resty4j.conf"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; clear_key || true; }
trap cleanup EXIT
clear_key

nginx -p "$run" -c "$run/backend.conf" & pids+=($!)
nginx -p "$run" -c "$run/nginx.conf" -g "worker_processes $workers;" & pids+=($!)
"$root/resty4j" serve -c "$run/resty4j.conf" --workers "$workers" > "$run/resty4j.log" 2>&1 & pids+=($!)
for port in 18190 18193 18194; do
  for _ in $(seq 150); do curl -fs -o /dev/null "http://127.0.0.1:$port/api/x" && break; sleep 0.2; done
done
curl -fsS "http://127.0.0.1:18193/api/x" | grep -q hello
curl -fsS "http://127.0.0.1:18194/api/x" | grep -q hello

results=()
bench() { # name port warmup
  wrk -t2 -c100 -d"$3" "http://127.0.0.1:$2/api/x" > /dev/null
  local all=()
  for i in $(seq "$runs"); do
    out="$(wrk -t1 -c50 -d"$duration" --latency "http://127.0.0.1:$2/api/x")"
    rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
    p50="$(awk '$1=="50%" {print $2}' <<<"$out")"; p99="$(awk '$1=="99%" {print $2}' <<<"$out")"
    errs="$(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr '\n' ' ' || true)"
    echo "$1 run $i: $rps req/s  p50 $p50  p99 $p99 $errs"
    all+=("$rps")
  done
  results+=("$(printf '%s\n' "${all[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')")
}
bench "passing  nginx+lua" 18193 3s
bench "passing  resty4j  " 18194 20s
bench "verbatim nginx+lua" 18191 3s
bench "verbatim resty4j  " 18192 5s
awk -v n="${results[0]}" -v r="${results[1]}" 'BEGIN {printf "passing  (INCR + proxy_pass): median nginx+lua %.0f, resty4j %.0f req/s, ratio resty4j/nginx %.2f\n", n, r, r/n}'
awk -v n="${results[2]}" -v r="${results[3]}" 'BEGIN {printf "verbatim (INCR + 429):        median nginx+lua %.0f, resty4j %.0f req/s, ratio resty4j/nginx %.2f\n", n, r, r/n}'
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end (shared with other work)"
