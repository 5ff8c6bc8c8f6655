#!/usr/bin/env bash
# Runs the JMH benchmarks and keeps the results in bench/results/ with the machine and date.
# Usage: bench/run-jmh.sh [JMH args, e.g. a benchmark regex or -f 1 -wi 2 -i 3]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
(cd "$here/.." && mvn -B -q -DskipTests package -pl bench -am)
mkdir -p "$here/results"
out="$here/results/jmh-$(date -u +%Y%m%dT%H%M%SZ).txt"
{ echo "# $(date -u) $(nproc) cores, $(uname -m), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"; } > "$out"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$here/target/resty4j-bench-0.1.0-SNAPSHOT.jar:$(cat "$here/target/classpath.txt")" \
  org.openjdk.jmh.Main "$@" | tee -a "$out"
