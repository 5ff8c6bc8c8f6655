#!/usr/bin/env bash
# Issue #9's acceptance by hand: serve a config, load it with wrk for SECONDS (default 20), send 20 reloads
# (./resty4j reload, i.e. SIGHUP) meanwhile, and check that wrk saw no non-2xx response and no socket error.
# Needs ./resty4j build first, and wrk (apt-get install wrk). The CI runs the same as ReloadUnderWrkTest.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
seconds="${1:-20}"
reloads=20
work="$(mktemp -d)"
trap 'kill "$(cat "$work/pid" 2>/dev/null)" 2>/dev/null || true; rm -rf "$work"' EXIT

conf() { # conf VERSION
  cat > "$work/nginx.conf" <<CONF
worker_processes 2;
http {
    lua_shared_dict counters 1m;
    init_worker_by_lua_block { version = "v$1" }
    server {
        listen 127.0.0.1:0;
        location / {
            content_by_lua_block {
                local n = ngx.shared.counters:incr("hits", 1, 0)
                ngx.say(version, " ", n)
            }
        }
    }
}
CONF
}

conf 1
"$here/resty4j" serve -c "$work/nginx.conf" --listen 127.0.0.1:0 --pid "$work/pid" > "$work/serve.log" 2>&1 &
for _ in $(seq 1 120); do grep -q "on port" "$work/serve.log" && break; sleep 0.5; done
port="$(sed -n 's/.* on port \([0-9]*\)$/\1/p' "$work/serve.log" | head -1)"
[[ -n "$port" ]] || { cat "$work/serve.log"; echo "serve did not start" >&2; exit 1; }

wrk -t2 -c16 -d"${seconds}s" --timeout 10s "http://127.0.0.1:$port/" > "$work/wrk.txt" &
wrk_pid=$!
sleep 1.5
gap="$(awk -v s="$seconds" -v n="$reloads" 'BEGIN { printf "%.2f", (s - 4) / n }')"
for v in $(seq 2 $((reloads + 1))); do
  conf "$v"
  "$here/resty4j" reload --pid "$work/pid" > /dev/null
  sleep "$gap"
done
wait "$wrk_pid"
cat "$work/wrk.txt"

reconfigured="$(grep -c '\[notice\] reconfigured' "$work/serve.log" || true)"
non2xx="$(sed -n 's/.*Non-2xx or 3xx responses: \([0-9]*\).*/\1/p' "$work/wrk.txt")"
socket="$(sed -n 's/.*Socket errors: \(.*\)/\1/p' "$work/wrk.txt")"
echo "reloads: $reloads sent, $reconfigured done; non-2xx: ${non2xx:-0}; socket errors: ${socket:-none}"
[[ "$reconfigured" == "$reloads" && -z "$non2xx" && -z "$socket" ]] || { echo "FAILED" >&2; exit 1; }
echo "OK"
