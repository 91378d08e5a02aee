#!/usr/bin/env bash
# A/B of two builds in one script: runs the same JMH selection from two benchmark jars,
# interleaved (A, B, A, B ...), so both see the same machine. Figures only compare within a run.
#
#   bench/ab-jmh.sh A.jar B.jar 'CallSoonBench.loopCallSoon$|AwaitBench' [rounds]
#
# Build the older jar from a worktree of the older commit: git worktree add /tmp/a REV &&
# (cd /tmp/a && mvn -B -q package -DskipTests).
set -euo pipefail
a="$1"; b="$2"; pattern="$3"; rounds="${4:-2}"
java=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
[ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && java="$JAVA_HOME/bin/java"
flags="--enable-native-access=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED"
for round in $(seq "$rounds"); do
  for jar in "$a" "$b"; do
    echo "== $jar round $round, load $(cut -d' ' -f1-3 /proc/loadavg)"
    # shellcheck disable=SC2086
    "$java" $flags -jar "$jar" "$pattern" -f 1 -wi 3 -w 1s -i 5 -r 1s -jvmArgsAppend "$flags" 2>&1 \
      | grep -E '^(Benchmark|[A-Z][A-Za-z]*Bench\.)'
  done
done
