#!/usr/bin/env bash
# Where an echo server's user-space time goes: runs one jasyncio server KIND under JFR's method
# sampling (1 ms) while bench/c/pingpong drives it at a fixed rate, then prints the hottest
# frames (self time) and the hottest frames counting callees (the call chains they sit in).
#
#   bench/profile-echo.sh [KIND] [RATE] [SECONDS]   # defaults: protocol-epoll 60000 10
#
# Server on core 0, client on core 1, 50 connections of 1 KiB, as bench/echo-load.sh. JFR samples
# Java frames only: the kernel's share (most of the time, see DESIGN.md) shows in the server's
# CPU per request that pingpong prints, not here.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
kind="${1:-protocol-epoll}"
rate="${2:-60000}"
seconds="${3:-10}"
port=19700
out="$root/bench/results/profile-$kind-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
bash "$root/bench/servers.sh" build >/dev/null
JAVA_OPTS="-XX:StartFlightRecording=filename=$out/server.jfr,settings=profile,jdk.ExecutionSample#period=1ms" \
  taskset -c 0 bash "$root/bench/servers.sh" echo "$kind" "$port" 2>"$out/server.err" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
# Warm up saturated, then the measured, sampled window at the fixed rate.
taskset -c 1 "$root/bench/target/c/pingpong" -p "$port" -c 50 -s 1024 -d 3 -w 2 >/dev/null
taskset -c 1 "$root/bench/target/c/pingpong" -p "$port" -c 50 -s 1024 -d "$seconds" -w 1 -r "$rate" -P "$pid" \
  | tee "$out/pingpong.txt"
kill -TERM "$pid"
wait "$pid" 2>/dev/null || true
trap - EXIT
java_home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64; do
  [ -n "$candidate" ] && [ -x "$candidate/bin/jfr" ] && java_home="$candidate" && break
done
"$java_home/bin/jfr" print --events jdk.ExecutionSample "$out/server.jfr" > "$out/samples.txt"
python3 - "$out/samples.txt" <<'PY'
import re, sys, collections
text = open(sys.argv[1]).read()
events = text.split("jdk.ExecutionSample")
self_counts = collections.Counter()
total_counts = collections.Counter()
n = 0
for ev in events:
    frames = re.findall(r"^\s+([\w$.<>/]+\.[\w$<>]+)\([^)]*\)\s+line:", ev, re.M)
    if not frames:
        continue
    n += 1
    self_counts[frames[0]] += 1
    for f in set(frames):
        total_counts[f] += 1
print(f"\n{n} samples of Java code")
print("\nself time (top 20):")
for f, c in self_counts.most_common(20):
    print(f"  {100.0 * c / n:5.1f}%  {f}")
print("\nwith callees (top 25):")
for f, c in total_counts.most_common(25):
    print(f"  {100.0 * c / n:5.1f}%  {f}")
PY
echo "files: $out"
