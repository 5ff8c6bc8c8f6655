#!/usr/bin/env bash
# Side-by-side HTTP benchmark (issue #10): nginx + Lua (Debian's lua-nginx-module), resty4j (`./resty4j serve`
# with the Lua locations, and a second one with the JS location when the server has the JS engine) and a plain
# Vert.x hello, on loopback, in one run, with the same Lua for both sides (bench/conf/locations.conf). Lua and
# JS get a server each, as a deployment of one engine has it: once GraalJS's optimizing runtime is loaded, it
# hooks every virtual-thread mount in the JVM, which costs the Lua workloads up to a fifth (bench/NOTES.md §11). Each server gets 2 workers (nginx worker_processes 2,
# resty4j --workers 2, Vert.x 2 verticles). wrk at -t1 -c50 and -t2 -c100, repetitions alternating between
# the servers, then one table (requests/s, p50, p99, ratio resty4j / nginx + Lua) and the lines
#   ratio WORKLOAD VALUE        (hello shdict-limit redis-limit header-filter jwt http-call proxy js-hello)
#   ratio vertx-overhead VALUE  (resty4j hello / plain Vert.x hello)
# A ratio line is the geometric mean of the two wrk settings' ratios of median requests/s.
#
# usage: bench/run.sh [--quick]        --quick: 1 repetition of 4 s, short warm-ups (under 5 minutes)
# env:   DURATION, REPS, WARMUP (per workload), JIT_WARMUP (seconds per resty4j/Vert.x endpoint, once, before
#        measuring; then more windows of JIT_WINDOW seconds until two in a row agree within 5 %, at most
#        JIT_WARMUP_MAX seconds in all: GraalJS's compiler is itself Java that C2 compiles first, so the JS
#        endpoint needs about 20 s where the Lua ones are steady after a few),
#        WORKLOADS (subset, space-separated), WRK_CONFIGS ("1:50 2:100"), RESTY4J_JAVA_OPTS (e.g. JFR flags),
#        OUT (results dir, default a fresh /tmp/resty4j-bench.XXXXXX), SKIP_BUILD=1
# ports: nginx+Lua 18080, resty4j 18082 (Lua) and 18083 (JS), Vert.x 18090, backend nginx 18091; Redis 127.0.0.1:6379 (started if
# nothing answers there). Everything started here is stopped on exit (by pid).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
QUICK=0
for a in "$@"; do
  case "$a" in
    --quick) QUICK=1 ;;
    *) echo "usage: bench/run.sh [--quick]" >&2; exit 2 ;;
  esac
done
if ((QUICK)); then
  DURATION="${DURATION:-4s}"; REPS="${REPS:-1}"; WARMUP="${WARMUP:-1s}"
  JIT_WARMUP="${JIT_WARMUP:-2}"; JIT_WINDOW="${JIT_WINDOW:-2}"; JIT_WARMUP_MAX="${JIT_WARMUP_MAX:-20}"
else
  DURATION="${DURATION:-10s}"; REPS="${REPS:-3}"; WARMUP="${WARMUP:-3s}"
  JIT_WARMUP="${JIT_WARMUP:-6}"; JIT_WINDOW="${JIT_WINDOW:-3}"; JIT_WARMUP_MAX="${JIT_WARMUP_MAX:-45}"
fi
WRK_CONFIGS="${WRK_CONFIGS:-1:50 2:100}"
WORKLOADS="${WORKLOADS:-static hello shdict-limit redis-limit header-filter jwt http-call proxy js-hello}"
WORKERS=2
NGINX_PORT=18080; RESTY_PORT=18082; RESTY_JS_PORT=18083; VERTX_PORT=18090; BACKEND_PORT=18091; REDIS_PORT=6379
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
OUT="${OUT:-$(mktemp -d /tmp/resty4j-bench.XXXXXX)}"
RAW="$OUT/raw"
mkdir -p "$RAW" "$OUT/tmp"

log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

# ------------------------------------------------------------------ cleanup: exactly what we started
PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do
    kill -TERM "$p" 2>/dev/null || true
  done
  for p in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() { ! ss -ltnH "sport = :$1" | grep -q .; }
wait_http() {  # wait_http URL
  for _ in $(seq 300); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done
  echo "timeout waiting for $1" >&2; return 1
}

# ------------------------------------------------------------------ 1. nginx + Lua and wrk from Debian
PKGS=(nginx libnginx-mod-http-lua libnginx-mod-http-ndk lua-resty-core lua-resty-lrucache lua-nginx-redis
      lua-nginx-string lua-cjson wrk)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" > "$OUT/apt.log"
fi

# ------------------------------------------------------------------ 2. resty4j and the Vert.x hello built
jar="$root/server/target/resty4j-server-0.1.0-SNAPSHOT.jar"
bench_jar="$root/bench/target/resty4j-bench-0.1.0-SNAPSHOT.jar"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  if [[ ! -f "$jar" || ! -f "$bench_jar" ]] \
     || [[ -n "$(find "$root" -path '*/src/main/*' -newer "$bench_jar" -type f -print -quit)" ]]; then
    log "building (./resty4j build)"
    # offline first (fast); online when the local repository still lacks something (a fresh machine)
    (cd "$root" && { ./resty4j build -o || ./resty4j build; }) > "$OUT/build.log" 2>&1 \
      || { tail -30 "$OUT/build.log" >&2; exit 1; }
  fi
fi

for port in $NGINX_PORT $RESTY_PORT $RESTY_JS_PORT $VERTX_PORT $BACKEND_PORT; do
  port_free "$port" || { echo "port $port is in use; not touching it" >&2; exit 1; }
done

# ------------------------------------------------------------------ 3. configs and a JWT
sed -e "s#@RUN_DIR@#$OUT#g" "$here/conf/backend.conf.in" > "$OUT/backend.conf"
sed -e "s#@RUN_DIR@#$OUT#g" -e "s#@BENCH_DIR@#$here#g" "$here/conf/nginx.conf.in" > "$OUT/nginx.conf"
# the JS server only when this build's server has the JS engine (`check` fails on content_by_js_block otherwise)
printf 'http { server { listen 127.0.0.1:%s; include %s/conf/js-location.conf; } }\n' "$RESTY_JS_PORT" "$here" > "$OUT/resty4j-js.conf"
JS=0
if (cd "$root" && ./resty4j check -c "$OUT/resty4j-js.conf") > "$OUT/js-check.log" 2>&1; then JS=1; fi
sed -e "s#@BENCH_DIR@#$here#g" "$here/conf/resty4j.conf.in" > "$OUT/resty4j.conf"
TOKEN="$(python3 - <<'EOF'
import base64, hashlib, hmac, json, time
b = lambda d: base64.urlsafe_b64encode(d).rstrip(b"=").decode()
h = b(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
p = b(json.dumps({"sub": "alice", "role": "admin", "exp": int(time.time()) + 86400}).encode())
s = b(hmac.new(b"resty4j-bench-secret-0123456789abcdef", (h + "." + p).encode(), hashlib.sha256).digest())
print(h + "." + p + "." + s)
EOF
)"
HDRS=(-H "X-Client-Id: bench" -H "Authorization: Bearer $TOKEN")

# ------------------------------------------------------------------ 4. start everything
if redis-cli -h 127.0.0.1 -p $REDIS_PORT ping 2>/dev/null | grep -q PONG; then
  log "using the Redis on 127.0.0.1:$REDIS_PORT"
else
  port_free $REDIS_PORT || { echo "port $REDIS_PORT is taken by something that is not Redis" >&2; exit 1; }
  mkdir -p "$OUT/redis"
  redis-server --bind 127.0.0.1 --port $REDIS_PORT --save '' --appendonly no --dir "$OUT/redis" \
    --logfile "$OUT/redis/redis.log" & PIDS+=($!)
  for _ in $(seq 50); do redis-cli -h 127.0.0.1 -p $REDIS_PORT ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
fi
nginx -p "$OUT" -c "$OUT/backend.conf" -e "$OUT/backend-error.log" & PIDS+=($!)
nginx -p "$OUT" -c "$OUT/nginx.conf" -e "$OUT/nginx-error.log" -g "worker_processes $WORKERS;" & NGINX_PID=$!; PIDS+=($!)
(cd "$root" && exec ./resty4j serve -c "$OUT/resty4j.conf" --workers $WORKERS --pid "$OUT/resty4j.pid") \
  > "$OUT/resty4j.log" 2>&1 & RESTY_PID=$!; PIDS+=($!)
if ((JS)); then
  (cd "$root" && exec ./resty4j serve -c "$OUT/resty4j-js.conf" --workers $WORKERS --pid "$OUT/resty4j-js.pid") \
    > "$OUT/resty4j-js.log" 2>&1 & RESTY_JS_PID=$!; PIDS+=($!)
fi
"$JAVA_HOME/bin/java" -cp "$bench_jar:$(cat "$root/bench/target/classpath.txt")" dev.resty4j.bench.VertxHello \
  $VERTX_PORT $WORKERS > "$OUT/vertx.log" 2>&1 & VERTX_PID=$!; PIDS+=($!)
for port in $BACKEND_PORT $NGINX_PORT $RESTY_PORT $VERTX_PORT $( ((JS)) && echo $RESTY_JS_PORT); do
  wait_http "http://127.0.0.1:$port/" || { tail -n 20 "$OUT"/*.log >&2; exit 1; }
done

# ------------------------------------------------------------------ 5. both sides answer the same
url() {  # url SERVER WORKLOAD
  case "$1" in
    nginx) echo "http://127.0.0.1:$NGINX_PORT/$2" ;;
    resty4j) [[ "$2" == js-* ]] && echo "http://127.0.0.1:$RESTY_JS_PORT/$2" || echo "http://127.0.0.1:$RESTY_PORT/$2" ;;
    vertx) echo "http://127.0.0.1:$VERTX_PORT/$2" ;;
  esac
}
servers_of() {  # the servers measured for a workload
  case "$1" in
    hello) echo "nginx resty4j vertx" ;;
    js-hello) ((JS)) && echo "resty4j" || true ;;
    *) echo "nginx resty4j" ;;
  esac
}
for w in $WORKLOADS; do
  for s in $(servers_of "$w"); do
    [[ "$s" == vertx ]] && continue
    body="$(curl -s -D "$OUT/check-$s-$w.headers" -w '\n%{http_code}' "${HDRS[@]}" "$(url "$s" "$w")")"
    if [[ "$(tail -1 <<<"$body")" != 200 || "$body" != hello* ]]; then
      echo "$s /$w answered: $body" >&2; tail -n 20 "$OUT/nginx-error.log" "$OUT/resty4j.log" >&2; exit 1
    fi
  done
done
if [[ " $WORKLOADS " == *" header-filter "* ]]; then
  for s in nginx resty4j; do
    h="$OUT/check-$s-header-filter.headers"
    if grep -qi '^Server:' "$h" || ! grep -qi '^X-Bench: lua' "$h"; then
      echo "$s: the header filter did not run:" >&2; cat "$h" >&2; exit 1
    fi
  done
fi
((JS)) || log "no JS engine in this build (content_by_js_block refused, see $OUT/js-check.log): js-hello is n/a"

{
  echo "date: $(date -u '+%F %T UTC')"
  echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/{print $2}') GiB"
  echo "loadavg at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "nginx: $(nginx -v 2>&1 | sed 's/.*: //') + lua-nginx-module $(dpkg-query -W -f='${Version}' libnginx-mod-http-lua)," \
       "worker_processes $WORKERS; resty4j --workers $WORKERS; Vert.x $WORKERS verticles"
  echo "java: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1); resty4j JVM options: ${RESTY4J_JAVA_OPTS:-(defaults)}"
  echo "runs: wrk $WRK_CONFIGS, $REPS x $DURATION, warm-up $WARMUP per workload, JIT warm-up per JVM endpoint $JIT_WARMUP s + ${JIT_WINDOW} s windows until steady (at most $JIT_WARMUP_MAX s)"
  echo "resty4j commit: $(cd "$root" && git rev-parse --short HEAD)$(cd "$root" && git diff --quiet HEAD -- . ':!bench/results' || echo ' (+ uncommitted changes)')"
} > "$OUT/machine.txt"
cat "$OUT/machine.txt" >&2

# ------------------------------------------------------------------ 6. warm up, then measure, alternating
wrk_quiet() { timeout 120 wrk "$@" > /dev/null 2>&1 || true; }
jit_warm_up() {  # jit_warm_up LABEL URL: until two windows in a row agree within 5 % (JIT_WARMUP..JIT_WARMUP_MAX s)
  local start=$SECONDS prev=0 cur
  wrk_quiet -t2 -c100 -d"${JIT_WARMUP}s" "${HDRS[@]}" "$2"
  while (( SECONDS - start < JIT_WARMUP_MAX )); do
    cur="$(timeout 60 wrk -t2 -c100 -d"${JIT_WINDOW}s" "${HDRS[@]}" "$2" 2>/dev/null | awk '/Requests\/sec/{printf "%d", $2}')"
    [[ -n "$cur" ]] || break
    (( prev > 0 && cur * 100 >= prev * 95 && cur * 100 <= prev * 105 )) && break
    prev=$cur
  done
  log "JIT warm-up $1: $(( SECONDS - start )) s, last window ${cur:-?} req/s"
}
log "JIT warm-up of the JVM servers"
for w in $WORKLOADS; do
  for s in $(servers_of "$w"); do
    [[ "$s" == nginx ]] || jit_warm_up "$s /$w" "$(url "$s" "$w")"
  done
done
cpu_ticks() {  # utime+stime of a pid and its children (nginx workers)
  local t=0 q
  for q in "$1" $(ps -o pid= --ppid "$1" 2>/dev/null); do
    [[ -r /proc/$q/stat ]] && t=$(( t + $(awk '{sub(/^.*\) /,""); print $12+$13}' "/proc/$q/stat" 2>/dev/null || echo 0) ))
  done
  echo "$t"
}
server_pid() {  # server_pid SERVER WORKLOAD
  local p
  case "$1" in
    nginx) echo "$NGINX_PID" ;;
    resty4j) [[ "$2" == js-* ]] && p=$RESTY_JS_PID || p=$RESTY_PID; pgrep -P "$p" java || echo "$p" ;;
    vertx) echo "$VERTX_PID" ;;
  esac
}
for w in $WORKLOADS; do
  servers="$(servers_of "$w")"
  [[ -n "$servers" ]] || continue
  for s in $servers; do wrk_quiet -t2 -c100 -d"$WARMUP" "${HDRS[@]}" "$(url "$s" "$w")"; done
  for cfg in $WRK_CONFIGS; do
    t="${cfg%%:*}"; c="${cfg##*:}"
    for r in $(seq "$REPS"); do
      for s in $servers; do
        f="$RAW/$s-$w-t${t}c$c-r$r.txt"
        pid="$(server_pid "$s" "$w")"; c0="$(cpu_ticks "$pid")"
        timeout 120 wrk -t"$t" -c"$c" -d"$DURATION" --latency "${HDRS[@]}" "$(url "$s" "$w")" > "$f" 2>&1 || true
        echo "# server_cpu_s=$(awk -v a="$c0" -v b="$(cpu_ticks "$pid")" 'BEGIN{printf "%.1f", (b-a)/100}')" >> "$f"
        log "$s /$w -t$t -c$c #$r: $(awk '/Requests\/sec/{print $2}' "$f") req/s $(grep -hE 'Non-2xx|Socket errors' "$f" | tr '\n' ' ')"
      done
    done
  done
done
echo "loadavg at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"

# ------------------------------------------------------------------ 7. the table and the ratio lines
echo
cat "$OUT/machine.txt"
echo
python3 "$here/summarize.py" "$RAW" "$JS" | tee "$OUT/summary.txt"
log "raw wrk outputs and logs in $OUT"
