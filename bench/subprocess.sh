#!/usr/bin/env bash
# Child processes, every row in one script (issue 13): spawn+wait of /bin/true per second, and
# BYTES through a child's stdout, for a plain C posix_spawn+waitpid loop, jasyncio (epoll and NIO
# loops; streams, and the protocol API for the pipe; "-spin": the loop idles with
# IdleStrategy.spin(10) instead of blocking at once), java.lang.ProcessBuilder and CPython's
# asyncio.create_subprocess_exec (Debian's /usr/bin/python3). Rounds are interleaved so every
# implementation sees the same machine; compare ratios within one run. Each Java row warms up for
# two seconds with rounds of the same size first; a Java pipe row is the median of 5 rounds.
#
#   bench/subprocess.sh [SPAWNS] [BYTES] [ROUNDS] | tee out.txt     defaults: 2000 104857600 3
#   bench/subprocess-table.py out.txt                                  the table for RESULTS.md
#
# Needs gcc, Debian's python3 and the benchmark jar (built here if missing: mvn -B -q package
# -DskipTests at the repository root).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
spawns="${1:-2000}"; bytes="${2:-104857600}"; rounds="${3:-3}"
java=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
[ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && java="$JAVA_HOME/bin/java"
python=/usr/bin/python3
jar="$here/target/benchmarks.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$here/src" "$here/../java/src/main" -newer "$jar" -name '*.java' -print -quit)" ]; then
  (cd "$here/.." && mvn -B -q -o package -DskipTests)
fi
cbin="$(mktemp -d)/spawn_wait"
trap 'rm -rf "$(dirname "$cbin")"' EXIT
gcc -O2 -o "$cbin" "$here/c/spawn_wait.c"
jrun() { "$java" --enable-native-access=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED \
  -cp "$jar" io.jasyncio.bench.SubprocessBench "$@"; }

echo "# $(date -u +%FT%TZ) $(uname -r), $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $("$java" -version 2>&1 | head -1); $("$python" --version)"
# Each row runs between two runs of its reference (C for spawns, ProcessBuilder for the pipe), and
# bench/subprocess-table.py divides it by their mean: this machine's speed drifts within seconds.
for round in $(seq "$rounds"); do
  echo "== round $round: spawn+wait of /bin/true x $spawns"
  "$cbin" spawn "$spawns"
  for row in "jrun spawn $spawns epoll" "jrun spawn $spawns nio" "jrun spawn $spawns processbuilder" \
             "$python $here/python/subprocess_bench.py spawn $spawns"; do
    $row
    "$cbin" spawn "$spawns"
  done
  echo "== round $round: $bytes bytes through a child's stdout"
  jrun pipe "$bytes" processbuilder
  for row in "$cbin pipe $bytes" "jrun pipe $bytes epoll" "jrun pipe $bytes epoll-protocol" \
             "jrun pipe $bytes epoll-spin" "jrun pipe $bytes epoll-protocol-spin" "jrun pipe $bytes nio" \
             "$python $here/python/subprocess_bench.py pipe $bytes"; do
    $row
    jrun pipe "$bytes" processbuilder
  done
done
