#!/usr/bin/env bash
# Memory footprint (issue #10): resty4j serve with -Xmx512m holding N idle keep-alive connections plus N requests
# suspended in a cosocket (sock:receive() on a connection to a server that does not answer yet), then all of
# them answered. Heap is measured after a full GC (jcmd GC.run, GC.heap_info) at each stage; the per-connection
# and per-request costs are the differences divided by N. The per-worker cost is the idle heap of --workers 8
# minus --workers 1, divided by 7.
#
# usage: bench/memory.sh [N]   (default 6000: this machine's hard limit of 20000 open files per process allows
#        10000 idle + 10000 suspended requests + their 10000 cosockets in neither resty4j nor the load process,
#        so the 10,000 + 10,000 figure is extrapolated from N, linearly: these costs are per object)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
N="${1:-6000}"
PORT=18085; HOLD=18086
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
OUT="$(mktemp -d /tmp/resty4j-memory.XXXXXX)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

cat > "$OUT/memory.conf" <<EOF
http {
    server {
        listen 127.0.0.1:$PORT;
        location = /hello { content_by_lua_block { ngx.say("hello") } }
        location = /wait {
            content_by_lua_block {
                local sock = ngx.socket.tcp()
                sock:settimeout(300000)
                assert(sock:connect("127.0.0.1", $HOLD))
                local line, err = sock:receive()
                sock:close()
                ngx.say(line or err)
            }
        }
    }
}
EOF
[[ -f "$root/server/target/resty4j-server-0.1.0-SNAPSHOT.jar" ]] || (cd "$root" && ./resty4j build -o > "$OUT/build.log")

start() {  # start WORKERS -> SERVER_PID
  (cd "$root" && RESTY4J_JAVA_OPTS="-Xmx512m -XX:+UseG1GC" exec ./resty4j serve -c "$OUT/memory.conf" --workers "$1" \
     --pid "$OUT/resty4j.pid") > "$OUT/serve-$1.log" 2>&1 &
  SERVER_PID=$!; PIDS+=($SERVER_PID)
  for _ in $(seq 300); do curl -s -o /dev/null "http://127.0.0.1:$PORT/hello" && break; sleep 0.1; done
  for _ in $(seq 200); do curl -s -o /dev/null "http://127.0.0.1:$PORT/hello"; done
}
heap_kb() {  # used heap after a full GC, in KB
  "$JAVA_HOME/bin/jcmd" "$SERVER_PID" GC.run > /dev/null
  sleep 1
  "$JAVA_HOME/bin/jcmd" "$SERVER_PID" GC.heap_info | sed -n "s/.*heap.* used \([0-9]*\)K.*/\1/p" | head -1
}
rss_kb() { awk '/VmRSS/{print $2}' "/proc/$SERVER_PID/status"; }

start 1; w1=$(heap_kb); kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
start 8; w8=$(heap_kb); kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
per_worker=$(( (w8 - w1) / 7 ))

start 2
base=$(heap_kb)
echo start > "$OUT/state"
python3 "$here/memory_load.py" $PORT $HOLD "$N" "$OUT/state" > "$OUT/load.log" 2>&1 & PIDS+=($!)
LOAD_PID=$!
wait_state() { for _ in $(seq 1500); do [[ "$(cat "$OUT/state")" == "$1" ]] && return 0; kill -0 $LOAD_PID 2>/dev/null || break; sleep 0.2; done
               echo "load did not reach '$1':" >&2; cat "$OUT/load.log" "$OUT/serve-2.log" >&2; exit 1; }
wait_state idle
idle=$(heap_kb); idle_rss=$(rss_kb)
echo measured-idle > "$OUT/state"
wait_state suspended
susp=$(heap_kb); susp_rss=$(rss_kb)
"$JAVA_HOME/bin/jcmd" "$SERVER_PID" GC.class_histogram | head -25 > "$OUT/histogram-suspended.txt"
echo release > "$OUT/state"
wait "$LOAD_PID" || true
cat "$OUT/load.log"
alive=yes; kill -0 "$SERVER_PID" 2>/dev/null || alive=no
oom=$(grep -c OutOfMemoryError "$OUT/serve-2.log" || true)

per_conn=$(( (idle - base) * 1024 / N ))
per_req=$(( (susp - idle) * 1024 / N ))
proj=$(( (base * 1024 + 10000 * per_conn + 10000 * per_req) / 1048576 ))
cat <<EOF | tee "$OUT/summary.txt"
memory: $(date -u '+%F %T UTC'), N=$N, resty4j serve --workers 2, -Xmx512m, G1; heap used after a full GC
memory: heap at start ${base} KB; with $N idle keep-alive connections ${idle} KB (RSS $((idle_rss / 1024)) MB);
memory:   plus $N requests suspended in cosockets ${susp} KB (RSS $((susp_rss / 1024)) MB); OutOfMemoryError lines: $oom; server alive: $alive
memory: per idle keep-alive connection ${per_conn} B; per request suspended in a cosocket ${per_req} B (its cosocket included)
memory: per worker (Lua VM, globals, loaded modules) $((per_worker)) KB (heap of --workers 8 minus --workers 1, over 7)
memory: 10,000 idle + 10,000 suspended (linear from N) -> about ${proj} MB of heap in use, of the 512 MB allowed
EOF
mkdir -p "$here/results"
cat "$OUT/summary.txt" <(echo "--- largest classes with the requests suspended (jcmd GC.class_histogram)") \
  "$OUT/histogram-suspended.txt" > "$here/results/memory-$(date -u +%Y%m%dT%H%M%SZ).txt"
[[ "$(cat "$OUT/state")" == done && "$oom" == 0 && "$alive" == yes ]]
