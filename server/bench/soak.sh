#!/usr/bin/env bash
# Issue #11's soak in one command: SECONDS (default 600) of mixed load on ./resty4j serve — every seed
# example, injected script errors, cosocket timeouts, timers, Redis/MySQL pools, a SIGHUP reload every 3 s
# (every fourth one a broken config that must be refused) — then checks for unexpected 5xx and for growth
# of heap after GC, threads and open fds. It is SoakTest (CI runs it for 60 s), run for longer; the
# figures are printed at the end. Needs wrk (apt-get install wrk), Redis and MariaDB (as .ci/run starts them).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
seconds="${1:-600}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cd "$here"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
mvn -B -pl server -am test -Dtest=SoakTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dsoak.seconds="$seconds" > "$log" 2>&1 || status=$?
grep -E "^soak: |^  (before|after):" "$log" || true
if [[ $status -ne 0 ]]; then
  grep -E "FAIL|Expecting|expected|ERROR\]" "$log" | head -40 >&2
  echo "soak FAILED (maven log kept at $log.failed)" >&2
  cp "$log" "$log.failed"
  exit 1
fi
echo "soak OK"
