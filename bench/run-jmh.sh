#!/usr/bin/env bash
# Runs every jasyncio JMH benchmark (or those matching the JMH arguments given) on JDK 25.
#
#   bench/run-jmh.sh                      # the full suite, settings from the annotations
#   bench/run-jmh.sh CallSoonBench        # one class (any JMH regex / option works)
#   bench/run-jmh.sh -p backend=NIO       # one backend only
#
# Builds bench/target/benchmarks.jar first when it is missing or older than a source or pom
# (MVN_ARGS adds Maven options, e.g. MVN_ARGS=-o; BENCH_NO_BUILD=1 skips the build). Writes
# bench/results/<UTC time>/: jmh.txt (the console output), jmh.json (JMH's JSON) and env.txt
# (machine, JDK, commit, load before and after). bench/results/ is not committed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/bench/target/benchmarks.jar"

java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}

jdk=""
for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25*; do
  if [ -n "$candidate" ] && [ -x "$candidate/bin/java" ]; then
    v="$(java_major "$candidate/bin/java")"
    if [ -n "$v" ] && [ "$v" -ge 25 ]; then
      jdk="$candidate"
      break
    fi
  fi
done
if [ -z "$jdk" ]; then
  echo "run-jmh.sh: no JDK 25 found (set JAVA_HOME, or install one under /usr/lib/jvm)" >&2
  exit 1
fi
java="$jdk/bin/java"

if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
  stale=""
  if [ ! -f "$jar" ]; then
    stale="missing"
  else
    inputs=("$root/pom.xml" "$root/java" "$root/bench/pom.xml" "$root/bench/src" "$root/CMakeLists.txt")
    [ -d "$root/native" ] && inputs+=("$root/native")
    if [ -n "$(find "${inputs[@]}" -newer "$jar" -type f ! -path '*/target/*' -print -quit)" ]; then
      stale="out of date"
    fi
  fi
  if [ -n "$stale" ]; then
    echo "run-jmh.sh: benchmarks.jar is $stale, building it" >&2
    # The same build as the README's (Maven's toolchain picks the JDK 25 for compiling).
    (cd "$root" && mvn -B -q -DskipTests ${MVN_ARGS:-} -pl bench -am package)
  fi
fi

out="$root/bench/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
{
  echo "date:    $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "commit:  $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$root" diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "cpu:     $(nproc) x $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
  echo "kernel:  $(uname -sr)"
  echo "jdk:     $("$java" -version 2>&1 | sed -n 2p)"
  echo "args:    $*"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$out/env.txt"
cat "$out/env.txt"

"$java" -jar "$jar" -rf json -rff "$out/jmh.json" "$@" 2>&1 | tee "$out/jmh.txt"
status=${PIPESTATUS[0]}

echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/env.txt"
echo "results: $out"
exit "$status"
