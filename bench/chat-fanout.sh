#!/usr/bin/env bash
# The chat room's broadcast fan-out: one line to CLIENTS clients, per second.
#
#   bench/chat-fanout.sh                          # epoll and nio, 1000 clients, 500 lines x 5 rounds
#   bench/chat-fanout.sh -l epoll -c 1000 -m 200 -n 1  # a smoke run
#
# Options (defaults in brackets):
#   -l LOOPS    the server's loops, in turn ["epoll nio"]
#   -c CLIENTS  clients in the lobby, the sender included [1000]
#   -m LINES    lines the sender sends per round [500]
#   -n ROUNDS   rounds per loop; the median is reported [5]
#   -p PORT     the server's port [19700]
#
# For each loop it starts `examples/chat server --port PORT --loop LOOP` (which builds what it
# needs first), runs bench/chat/ChatFanoutLoad.java (plain JDK NIO, one thread, as a source file)
# against it, and stops the server with SIGTERM, checking that it exits with status 0. A round
# ends when every client but the sender has received every line. On two cores the load generator
# shares the CPU with the server: compare figures of one run and machine only. Nothing is written
# to bench/RESULTS.md: paste the output there with the command, date, commit and load.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
loops="epoll nio"
clients=1000
lines=500
rounds=5
port=19700
while [ $# -gt 0 ]; do
  case "$1" in
    -l) loops="$2"; shift 2 ;;
    -c) clients="$2"; shift 2 ;;
    -m) lines="$2"; shift 2 ;;
    -n) rounds="$2"; shift 2 ;;
    -p) port="$2"; shift 2 ;;
    *) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
done

java=""
for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25*; do
  if [ -n "$candidate" ] && [ -x "$candidate/bin/java" ]; then java="$candidate/bin/java"; break; fi
done
[ -n "$java" ] || { echo "chat-fanout.sh: no JDK 25 found (set JAVA_HOME)" >&2; exit 1; }
[ "$(ulimit -n)" -ge $((clients * 2 + 100)) ] || ulimit -n $((clients * 2 + 100))

echo "# chat fan-out: $clients clients, $lines lines x $rounds rounds; commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo ?), load $(cut -d' ' -f1-3 /proc/loadavg)"
for loop in $loops; do
  log="$(mktemp)"
  "$root/examples/chat" server --port "$port" --loop "$loop" >"$log" 2>&1 &
  server=$!
  for _ in $(seq 600); do
    grep -q 'listening' "$log" && break
    kill -0 "$server" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.2
  done
  grep -q 'listening' "$log" || { cat "$log" >&2; kill -TERM "$server"; exit 1; }
  echo "## $(grep -m1 listening "$log")"
  status=0
  "$java" "$root/bench/chat/ChatFanoutLoad.java" 127.0.0.1 "$port" "$clients" "$lines" "$rounds" || status=$?
  kill -TERM "$server"
  wait "$server" || { echo "chat-fanout.sh: the server exited with status $?" >&2; status=1; }
  rm -f "$log"
  [ "$status" = 0 ] || exit "$status"
done
