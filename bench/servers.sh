#!/usr/bin/env bash
# Starts one benchmark server in the foreground on 127.0.0.1:PORT until SIGTERM.
#
#   bench/servers.sh echo KIND PORT        # KIND: c, netty-epoll (references);
#                                          #       protocol-epoll, protocol-nio, protocol-epoll-spin,
#                                          #       protocol-epoll-busy (jasyncio; the last two
#                                          #       with the spin and busy-spin idle strategies);
#                                          #       streams-epoll, streams-nio (jasyncio streams
#                                          #       and tasks; streams-epoll-pollskip and
#                                          #       streams-epoll-everypoll: the loop's busy-poll
#                                          #       skip at 50 µs and off)
#   bench/servers.sh plaintext KIND PORT   # KIND: c, netty-codec (references); protocol-epoll,
#                                          #       protocol-nio (jasyncio's PlaintextServer example)
#   bench/servers.sh build                 # builds the C tools and the bench jar, then exits
#
# The script `exec`s the server, so its PID is the server's own: tools read the server's CPU time
# from /proc/PID/stat. Other tools (bench/echo-load.sh) drive the servers through this interface;
# keep it stable. Exit status 2 for an unknown or not yet built KIND.
# The plaintext servers answer GET /plaintext on 127.0.0.1:PORT (HTTP/1.1, pipelining) and are
# driven by bench/plaintext-load.sh.
#
# Builds what the server needs first when it is missing or stale:
#   - the C tools (bench/c/*.c) with `cc -O2 -Wall -Wextra -Werror` into bench/target/c/;
#   - bench/target/benchmarks.jar (the shaded bench jar) with the README's build,
#     `mvn -B -q -DskipTests -pl bench -am package` (MVN_ARGS adds options, e.g. MVN_ARGS=-o).
# BENCH_NO_BUILD=1 skips the jar's staleness check (it is still built when missing).
# Java servers run on the JDK 25 from JAVA_HOME or /usr/lib/jvm (as bench/run-jmh.sh finds it),
# with --enable-native-access=ALL-UNNAMED; JAVA_OPTS adds JVM options.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/bench/target/benchmarks.jar"
cdir="$root/bench/target/c"

die() { echo "servers.sh: $1" >&2; exit "${2:-1}"; }

usage() {
  sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# Builds bench/target/c/NAME from bench/c/NAME.c when it is missing or older than its source.
build_c() {
  local name="$1" src="$root/bench/c/$1.c" bin="$cdir/$1"
  if [ ! -x "$bin" ] || [ "$src" -nt "$bin" ]; then
    mkdir -p "$cdir"
    echo "servers.sh: building $bin" >&2
    cc -O2 -Wall -Wextra -Werror -o "$bin.tmp.$$" "$src"
    mv -f "$bin.tmp.$$" "$bin"
  fi
}

build_jar() {
  local stale=""
  if [ ! -f "$jar" ]; then
    stale="missing"
  elif [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
    local inputs=("$root/pom.xml" "$root/java" "$root/examples/pom.xml" "$root/examples/src/main" "$root/bench/pom.xml"
                  "$root/bench/src" "$root/CMakeLists.txt")
    [ -d "$root/native" ] && inputs+=("$root/native")
    if [ -n "$(find "${inputs[@]}" -newer "$jar" -type f ! -path '*/target/*' -print -quit)" ]; then
      stale="out of date"
    fi
  fi
  if [ -n "$stale" ]; then
    echo "servers.sh: benchmarks.jar is $stale, building it" >&2
    (cd "$root" && mvn -B -q -DskipTests ${MVN_ARGS:-} -pl bench -am package) >&2
  fi
}

java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}

find_java() {
  local candidate v
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25*; do
    if [ -n "$candidate" ] && [ -x "$candidate/bin/java" ]; then
      v="$(java_major "$candidate/bin/java")"
      if [ -n "$v" ] && [ "$v" -ge 25 ]; then
        echo "$candidate/bin/java"
        return
      fi
    fi
  done
  die "no JDK 25 found (set JAVA_HOME, or install one under /usr/lib/jvm)"
}

run_java() {
  local main="$1" java
  shift
  build_jar
  java="$(find_java)"
  # shellcheck disable=SC2086  # JAVA_OPTS is a list of options
  exec "$java" --enable-native-access=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED ${JAVA_OPTS:-} \
    -cp "$jar" "$main" "$@"
}

[ $# -ge 1 ] || usage
workload="$1"
if [ "$workload" = build ]; then
  build_c echo_server
  build_c pingpong
  build_c plaintext_server
  build_jar
  exit 0
fi
[ $# -eq 3 ] || usage
kind="$2"
port="$3"
case "$port" in
  ''|*[!0-9]*) die "PORT must be a number, not '$port'" 2 ;;
esac

case "$workload:$kind" in
  echo:c)
    build_c echo_server
    exec "$cdir/echo_server" "$port"
    ;;
  echo:netty-epoll)
    run_java io.jasyncio.bench.servers.NettyEchoServer "$port"
    ;;
  echo:protocol-epoll)
    run_java io.jasyncio.bench.servers.ProtocolEchoServer "$port" epoll
    ;;
  echo:protocol-nio)
    run_java io.jasyncio.bench.servers.ProtocolEchoServer "$port" nio
    ;;
  echo:protocol-epoll-spin)
    run_java io.jasyncio.bench.servers.ProtocolEchoServer "$port" epoll spin
    ;;
  echo:protocol-epoll-busy)
    run_java io.jasyncio.bench.servers.ProtocolEchoServer "$port" epoll busy
    ;;
  echo:streams-epoll)
    run_java io.jasyncio.bench.servers.StreamsEchoServer "$port" epoll
    ;;
  echo:streams-epoll-pollskip)
    # The loop's busy-poll skip (BaseEventLoop.skipBusyPoll) at 50 µs, named (the default since).
    JAVA_OPTS="${JAVA_OPTS:-} -Djasyncio.busyPollSkipMicros=50" run_java io.jasyncio.bench.servers.StreamsEchoServer "$port" epoll
    ;;
  echo:streams-epoll-everypoll)
    # asyncio's way: a zero-timeout poll on every iteration that has callbacks ready.
    JAVA_OPTS="${JAVA_OPTS:-} -Djasyncio.busyPollSkipMicros=0" run_java io.jasyncio.bench.servers.StreamsEchoServer "$port" epoll
    ;;
  echo:streams-nio)
    run_java io.jasyncio.bench.servers.StreamsEchoServer "$port" nio
    ;;
  plaintext:c)
    build_c plaintext_server
    exec "$cdir/plaintext_server" "$port"
    ;;
  plaintext:netty-codec)
    run_java io.jasyncio.bench.servers.NettyPlaintextServer "$port"
    ;;
  plaintext:protocol-epoll)
    run_java io.jasyncio.examples.net.PlaintextServer --port "$port" --loop epoll
    ;;
  plaintext:protocol-nio)
    run_java io.jasyncio.examples.net.PlaintextServer --port "$port" --loop nio
    ;;
  echo:*|plaintext:*)
    die "unknown $workload server '$kind'" 2
    ;;
  *)
    usage
    ;;
esac
