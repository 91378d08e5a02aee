#!/usr/bin/env bash
# The echo benchmark: each server KIND in turn under bench/c/pingpong, server pinned to core 0
# and client to core 1, R interleaved rounds (each round starts every server afresh, in the
# reverse order of the round before), medians.
#
#   bench/echo-load.sh                         # c and netty-epoll: 20k and 60k req/s, saturated
#                                              # at 50 connections and at 1
#   bench/echo-load.sh -k "c netty-epoll" -n 5 -d 10 --append
#   bench/echo-load.sh -d 2 -n 1 -P 1 --append --label "smoke check"
#
# Options (defaults in brackets):
#   -k KINDS      servers, as bench/servers.sh echo names them; the first is the reference
#                 the ratios are taken to ["c netty-epoll"]
#   -r LOADS      the runs of each server start, in order ["20000 60000 sat sat1"]: a number is a
#                 fixed offered rate in req/s in total over CONNS connections, "sat" a saturated
#                 run over CONNS connections, "satN" a saturated run over N connections
#   -c CONNS      connections [50]       -s SIZE    message bytes [1024]
#   -d SECONDS    measured window [10]   -w SECONDS warm-up of each run, not measured [2]
#   -P SECONDS    saturated pre-warm of each fresh server before its runs, > 0 [5]
#   -n ROUNDS     interleaved rounds [5] -p PORT    first port (one per server start) [19500]
#   --append      add the table to bench/RESULTS.md (above the echo section's end marker),
#                 with the command, date, commit and load
#   --label TEXT  a note for the table's heading (e.g. "smoke check")
#
# The figure that separates servers on two cores is the server's CPU time per request at a fixed
# offered rate: pingpong reads utime+stime from /proc/PID/stat at the edges of the measured
# window (PID: the server's own; servers.sh execs it) and divides by the requests completed in
# it. Latency at a fixed rate is from each request's due time. Per-run lines go to
# bench/results/echo-<UTC time>/runs.txt (git-ignored); the table to stdout.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cmdline="bench/echo-load.sh"
for arg in "$@"; do
  case "$arg" in
    *[!A-Za-z0-9_./=:,+-]*|'') cmdline="$cmdline \"$arg\"" ;;  # for display only
    *) cmdline="$cmdline $arg" ;;
  esac
done

kinds="c netty-epoll"
rates="20000 60000 sat sat1"
conns=50
size=1024
duration=10
warmup=2
prewarm=5
rounds=5
port=19500
append=0
label=""
while [ $# -gt 0 ]; do
  case "$1" in
    -k) kinds="$2"; shift 2 ;;
    -r) rates="$2"; shift 2 ;;
    -c) conns="$2"; shift 2 ;;
    -s) size="$2"; shift 2 ;;
    -d) duration="$2"; shift 2 ;;
    -w) warmup="$2"; shift 2 ;;
    -P) prewarm="$2"; shift 2 ;;
    -n) rounds="$2"; shift 2 ;;
    -p) port="$2"; shift 2 ;;
    --append) append=1; shift ;;
    --label) label="$2"; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "echo-load.sh: unknown option '$1' (see -h)" >&2; exit 2 ;;
  esac
done
case "$rounds" in ''|*[!0-9]*|0) echo "echo-load.sh: -n wants a positive count" >&2; exit 2 ;; esac
loads=""
for r in $rates; do
  case "$r" in
    sat|sat[1-9]|sat[1-9]*[0-9]|[1-9]|[1-9]*[0-9]) ;;
    *) echo "echo-load.sh: -r: '$r' is neither a rate, sat nor satN" >&2; exit 2 ;;
  esac
  case "$r" in sat*[!0-9]*|[0-9]*[!0-9]*) echo "echo-load.sh: -r: bad load '$r'" >&2; exit 2 ;; esac
  loads="$loads $r"
done
[ -n "$loads" ] || { echo "echo-load.sh: nothing to run" >&2; exit 2; }

# Build everything once, before any server is timed.
"$root/bench/servers.sh" build
client="$root/bench/target/c/pingpong"

echo "$cmdline" >&2
out="$root/bench/results/echo-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
runs="$out/runs.txt"
: > "$runs"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
start_date="$(date -u '+%Y-%m-%d %H:%M UTC')"
commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$root" diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"

server_pid=""
stop_server() {
  [ -n "$server_pid" ] || return 0
  kill -TERM "$server_pid" 2>/dev/null || true
  local i
  for i in $(seq 1 100); do          # up to 10 s, then SIGKILL
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$server_pid" 2>/dev/null; then
    echo "echo-load.sh: server $server_pid ignored SIGTERM for 10 s, killing it" >&2
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}
trap stop_server EXIT
trap 'stop_server; exit 130' INT TERM

# Rounds alternate the order of the servers (ABBA...), so none always runs first after a pause.
reversed_kinds="$(echo $kinds | tr ' ' '\n' | tac | tr '\n' ' ')"
for round in $(seq 1 "$rounds"); do
  order="$kinds"
  [ $((round % 2)) = 0 ] && order="$reversed_kinds"
  for kind in $order; do
    port=$((port + 1))
    taskset -c 0 "$root/bench/servers.sh" echo "$kind" "$port" &
    server_pid=$!
    # Pre-warm (pingpong waits up to 5 s for the listener); its figures are discarded.
    if ! taskset -c 1 "$client" -p "$port" -c "$conns" -s "$size" -w 0 -d "$prewarm" > "$out/prewarm.txt" ||
       ! kill -0 "$server_pid" 2>/dev/null; then
      echo "echo-load.sh: server $kind did not serve its pre-warm (see $out/prewarm.txt)" >&2
      exit 1
    fi
    for load in $loads; do
      case "$load" in
        sat) load_args=(-c "$conns") ;;
        sat*) load_args=(-c "${load#sat}") ;;
        *) load_args=(-c "$conns" -r "$load") ;;
      esac
      line="$(taskset -c 1 "$client" -p "$port" "${load_args[@]}" -s "$size" -w "$warmup" -d "$duration" \
               -P "$server_pid" || true)"
      echo "round=$round kind=$kind load=$load $line" | tee -a "$runs" >&2
    done
    stop_server
  done
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

table="$(python3 - "$runs" "$kinds" <<'PY'
import statistics, sys
runs_file, kinds = sys.argv[1], sys.argv[2].split()
ref = kinds[0]
rows = []
for line in open(runs_file):
    d = dict(kv.split("=", 1) for kv in line.split() if "=" in kv)
    rows.append(d)

def num(d, k):
    try:
        return float(d[k])
    except (KeyError, ValueError):
        return None

def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None

def label(load):
    if load == "sat":
        return "saturated"
    if load.startswith("sat"):
        n = int(load[3:])
        return "saturated, %d connection%s" % (n, "" if n == 1 else "s")
    return load

def fmt(x, spec):
    return "n/a" if x is None else format(x, spec)

loads = []
for d in rows:
    if d["load"] not in loads:
        loads.append(d["load"])
by = {}
for d in rows:
    by.setdefault((d["kind"], d["load"]), {})[d["round"]] = d

print("| server | load | server CPU µs/req | × %s (spread) | req/s | × %s | p50 µs | p99 µs | p99.9 µs | other CPU ms | errors | runs |" % (ref, ref))
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for load in loads:
    for kind in kinds:
        mine = by.get((kind, load), {})
        theirs = by.get((ref, load), {})
        cpu_ratios, rps_ratios = [], []
        for rnd, d in mine.items():
            o = theirs.get(rnd)
            if o is None:
                continue
            a, b = num(d, "server_cpu_us_per_req"), num(o, "server_cpu_us_per_req")
            if a is not None and b:
                cpu_ratios.append(a / b)
            a, b = num(d, "req_s"), num(o, "req_s")
            if a is not None and b:
                rps_ratios.append(a / b)
        ds = list(mine.values())
        spread = "" if len(cpu_ratios) < 2 else " (%.2f–%.2f)" % (min(cpu_ratios), max(cpu_ratios))
        print("| %s | %s | %s | %s%s | %s | %s | %s | %s | %s | %s | %d | %d |" % (
            kind, label(load),
            fmt(med(num(d, "server_cpu_us_per_req") for d in ds), ".2f"),
            fmt(med(cpu_ratios), ".2f"), spread,
            fmt(med(num(d, "req_s") for d in ds), ".0f"),
            fmt(med(rps_ratios), ".2f"),
            fmt(med(num(d, "p50_us") for d in ds), ".0f"),
            fmt(med(num(d, "p99_us") for d in ds), ".0f"),
            fmt(med(num(d, "p999_us") for d in ds), ".0f"),
            fmt(max((x for x in (num(d, "other_cpu_ms") for d in ds) if x is not None), default=None), ".0f"),
            int(sum(num(d, "errors") or 0 for d in ds)) + sum(1 for d in ds if "errors" not in d),
            len(ds)))
PY
)"
{
  echo "date: $start_date, commit $commit, load before $load_before, after $load_after"
  echo "settings: $conns connections, $size B, ${duration} s windows after ${warmup} s warm-up, ${prewarm} s saturated pre-warm per server start, $rounds round(s)"
  echo
  echo "$table"
} | tee "$out/table.md"
echo "runs: $runs" >&2

if [ "$append" = 1 ]; then
  section="$out/section.md"
  {
    echo
    echo "### Echo servers, $start_date${label:+ — $label}"
    echo
    echo "> \`$cmdline\`, $start_date, commit \`$commit\`; $(nproc) x $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(uname -sr)."
    echo "> Server on core 0, pingpong on core 1; 1-minute load average $load_before before, $load_after after."
    echo "> $conns connections, $size-byte messages, ${duration} s measured windows after ${warmup} s warm-up,"
    echo "> each server started afresh every round and pre-warmed ${prewarm} s saturated; medians of $rounds round(s)."
    echo "> Server CPU µs/req: utime+stime of the server's process over the window per completed request;"
    echo "> ratios are per round to \`${kinds%% *}\` of the same round, then the median (spread: min–max)."
    echo "> Latency at a fixed rate is from each request's due time. Other CPU: the largest, over the rounds,"
    echo "> of the machine's busy time in the window less server and client (interrupt and steal time included)."
    echo
    echo "$table"
    echo
  } > "$section"
  # Above the marker line of RESULTS.md's echo section, or at the end when there is none.
  python3 - "$root/bench/RESULTS.md" "$section" <<'PY'
import sys
results, section = sys.argv[1], sys.argv[2]
marker = "<!-- bench/echo-load.sh --append inserts its tables above this line -->"
text, new = open(results).read(), open(section).read()
if marker in text:
    text = text.replace(marker, new.strip("\n") + "\n\n" + marker, 1)
else:
    text = text.rstrip("\n") + "\n" + new
open(results, "w").write(text)
PY
  echo "added the table to bench/RESULTS.md" >&2
fi
