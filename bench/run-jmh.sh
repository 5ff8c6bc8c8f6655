#!/usr/bin/env bash
# Runs the JMH benchmarks of the hot paths and keeps the results in bench/results/ with the machine and date:
# phase dispatch (AccessPhaseBenchmark), ngx.var / header / shared-dict calls (NgxApiBenchmark), cosocket
# suspend/resume (CosocketBenchmark), ngx.re.match (RegexMatchBenchmark), cjson (CjsonBenchmark), JWT verify
# (JwtVerifyBenchmark).
# Usage: bench/run-jmh.sh [JMH args, e.g. a benchmark regex, or -wi 2 -i 3 for a shorter run]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
(cd "$here/.." && mvn -B -q -o -DskipTests package -pl bench,server -am)
mkdir -p "$here/results"
out="$here/results/jmh-$(date -u +%Y%m%dT%H%M%SZ).txt"
{
  echo "# $(date -u '+%F %T UTC'), commit $(cd "$here/.." && git rev-parse --short HEAD)"
  echo "# machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(uname -m), loadavg $(cut -d' ' -f1-3 /proc/loadavg) (shared machine: compare scores within one file)"
  echo "# $("$JAVA_HOME/bin/java" -version 2>&1 | head -1); args: $*"
} > "$out"
cp="$(cat "$here/target/classpath.txt")"
# The JS benchmarks run with the Graal compiler (as ./resty4j serve does) unless GRAAL_COMPILER=off; the forks
# inherit these JVM flags.
jvmci=()
compiler="$here/../server/target/graal/graal-compiler.jar"
polyglot_jar="$(tr ':' '\n' <<<"$cp" | grep -m1 '/org/graalvm/polyglot/polyglot/' || true)"
if [[ "${GRAAL_COMPILER:-on}" != off && -f "$compiler" && -n "$polyglot_jar" ]]; then
  gv="$(basename "$(dirname "$polyglot_jar")")"; m2="${polyglot_jar%%/org/graalvm/*}"
  upgrade="$compiler"
  for a in sdk/collections sdk/word truffle/truffle-compiler; do
    upgrade="$upgrade:$m2/org/graalvm/$a/$gv/$(basename "$a")-$gv.jar"
  done
  cp="$(tr ':' '\n' <<<"$cp" | grep -v -e '/sdk/collections/' -e '/sdk/word/' -e '/truffle/truffle-compiler/' | paste -sd:)"
  jvmci=(-XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI "--upgrade-module-path=$upgrade")
fi
echo "# graal compiler: ${jvmci[*]:-off}" >> "$out"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED "${jvmci[@]}" -cp "$here/target/resty4j-bench-0.1.0-SNAPSHOT.jar:$cp" \
  org.openjdk.jmh.Main "$@" 2>&1 | tee -a "$out"
