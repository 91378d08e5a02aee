#!/usr/bin/env bash
# The HTTP plaintext benchmark (TechEmpower's "plaintext" test): each server KIND in turn under
# Debian's wrk with pipelined requests, server pinned to core 0 and wrk (one thread) to core 1,
# R interleaved rounds (each round starts every server afresh, in the reverse order of the
# round before), medians.
#
#   bench/plaintext-load.sh                    # c, netty-codec, protocol-epoll, protocol-nio:
#                                              # 256 connections, 16-deep pipelining, 5 rounds
#   bench/plaintext-load.sh -k "c protocol-epoll" -c "16 256" -n 5 -d 10 --append
#   bench/plaintext-load.sh -n 1 -d 2 -w 1 -P 2 --label "smoke check"
#
# Options (defaults in brackets):
#   -k KINDS      servers, as bench/servers.sh plaintext names them; the first is the reference
#                 the ratios are taken to ["c netty-codec protocol-epoll protocol-nio"]
#   -c CONNS      the runs of each server start, in order: one wrk run per connection count [256]
#   -D DEPTH      requests pipelined per write on each connection [16]
#   -d SECONDS    measured window (wrk's -d) [10]   -w SECONDS  warm-up wrk run before each, 0: none [2]
#   -P SECONDS    pre-warm wrk run of each fresh server before its runs, > 0 [5]
#   -n ROUNDS     interleaved rounds [5]            -p PORT     first port (one per server start) [19700]
#   --no-latency  no per-batch latency samples: wrk then parses no headers into Lua (its
#                 cheapest path; the latency columns read n/a)
#   --append      add the table to bench/RESULTS.md (above the plaintext section's end marker),
#                 with the command, date, commit and load
#   --label TEXT  a note for the table's heading (e.g. "smoke check")
#
# wrk caps near 1.4M req/s on one core here, so req/s hardly separates fast servers; the figure
# that does is the server's CPU time per request: utime+stime from /proc/PID/stat (PID: the
# server's own; servers.sh execs it), read just before wrk starts and just after it exits,
# divided by the requests wrk completed. wrk's own latency figures read 0 with pipelining, so
# latency is per batch of DEPTH requests, sampled by bench/wrk/pipeline.lua (see there how a
# batch is matched to its send). Per-run lines go to bench/results/plaintext-<UTC time>/runs.txt
# (git-ignored); the table to stdout.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cmdline="bench/plaintext-load.sh"
for arg in "$@"; do
  case "$arg" in
    *[!A-Za-z0-9_./=:,+-]*|'') cmdline="$cmdline \"$arg\"" ;;  # for display only
    *) cmdline="$cmdline $arg" ;;
  esac
done

kinds="c netty-codec protocol-epoll protocol-nio"
conns_list="256"
depth=16
duration=10
warmup=2
prewarm=5
rounds=5
port=19700
latency=1
append=0
label=""
while [ $# -gt 0 ]; do
  case "$1" in
    -k) kinds="$2"; shift 2 ;;
    -c) conns_list="$2"; shift 2 ;;
    -D) depth="$2"; shift 2 ;;
    -d) duration="$2"; shift 2 ;;
    -w) warmup="$2"; shift 2 ;;
    -P) prewarm="$2"; shift 2 ;;
    -n) rounds="$2"; shift 2 ;;
    -p) port="$2"; shift 2 ;;
    --no-latency) latency=0; shift ;;
    --append) append=1; shift ;;
    --label) label="$2"; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "plaintext-load.sh: unknown option '$1' (see -h)" >&2; exit 2 ;;
  esac
done
positive() {
  case "$2" in ''|*[!0-9]*|0) echo "plaintext-load.sh: $1 wants a positive number, not '$2'" >&2; exit 2 ;; esac
}
positive -n "$rounds"
positive -D "$depth"
positive -d "$duration"
positive -P "$prewarm"
positive -p "$port"
case "$warmup" in ''|*[!0-9]*) echo "plaintext-load.sh: -w wants a number of seconds" >&2; exit 2 ;; esac
for c in $conns_list; do positive -c "$c"; done
[ -n "$conns_list" ] && [ -n "$kinds" ] || { echo "plaintext-load.sh: nothing to run" >&2; exit 2; }
command -v wrk > /dev/null || { echo "plaintext-load.sh: wrk is not installed (Debian: apt-get install wrk)" >&2; exit 2; }
command -v ss > /dev/null || { echo "plaintext-load.sh: ss (iproute2) is not installed" >&2; exit 2; }

# Build everything once, before any server is timed.
"$root/bench/servers.sh" build
script="$root/bench/wrk/pipeline.lua"
script_args=("$depth" /plaintext)
[ "$latency" = 1 ] || script_args+=(nolat)
# TechEmpower's plaintext request headers (wrk adds Host).
wrk_headers=(-H 'Accept: text/plain,text/html;q=0.9,application/xhtml+xml;q=0.9,application/xml;q=0.8,*/*;q=0.7'
             -H 'Connection: keep-alive')

echo "$cmdline" >&2
out="$root/bench/results/plaintext-$(date -u +%Y%m%dT%H%M%SZ)"
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
    echo "plaintext-load.sh: server $server_pid ignored SIGTERM for 10 s, killing it" >&2
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}
trap stop_server EXIT
trap 'stop_server; exit 130' INT TERM

# Waits up to 60 s for the server to listen (a JVM takes a second or two), without connecting.
wait_listening() {
  local i
  for i in $(seq 1 600); do
    kill -0 "$server_pid" 2>/dev/null || return 1
    [ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ] && return 0
    sleep 0.1
  done
  return 1
}

# One wrk run on core 1; prints one key=value line: wrk_result's figures plus the server's and
# the client's CPU over the run, and the machine's busy time less both (other_cpu_ms).
measure() {
  local pid="$1"
  shift
  python3 - "$pid" taskset -c 1 "$@" <<'PY'
import os, subprocess, sys
pid, cmd = int(sys.argv[1]), sys.argv[2:]
hz = os.sysconf("SC_CLK_TCK")

def server_ticks():
    with open("/proc/%d/stat" % pid) as f:
        s = f.read()
    fields = s[s.rindex(")") + 2:].split()
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))

def busy_ticks():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return sum(v[:8]) - v[3] - v[4]  # all but idle and iowait; guest time is inside user

s0, b0 = server_ticks(), busy_ticks()
p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
text = p.stdout.read()
_, status, ru = os.wait4(p.pid, 0)
s1, b1 = server_ticks(), busy_ticks()
line = next((l for l in text.splitlines() if l.startswith("wrk_result ")), None)
if line is None or os.waitstatus_to_exitcode(status) != 0:
    sys.stderr.write("wrk failed:\n" + text)
    print("failed=1")
    sys.exit(0)
d = dict(kv.split("=", 1) for kv in line.split()[1:])
server_ms = (s1 - s0) * 1000.0 / hz
client_ms = (ru.ru_utime + ru.ru_stime) * 1000.0
requests = int(d["requests"])
d["server_cpu_ms"] = "%.0f" % server_ms
d["server_cpu_us_per_req"] = "%.4f" % (server_ms * 1000.0 / requests) if requests else "n/a"
d["client_cpu_ms"] = "%.0f" % client_ms
d["other_cpu_ms"] = "%.0f" % max(0.0, (b1 - b0) * 1000.0 / hz - server_ms - client_ms)
print(" ".join("%s=%s" % kv for kv in d.items()))
PY
}

wrk_cmd() {  # CONNS SECONDS PORT: sets cmd to the wrk command line
  cmd=(wrk -t1 -c "$1" -d "${2}s" --timeout 8s "${wrk_headers[@]}" -s "$script"
       "http://127.0.0.1:$3/plaintext" -- "${script_args[@]}")
}

# Rounds alternate the order of the servers (ABBA...), so none always runs first after a pause.
reversed_kinds="$(echo $kinds | tr ' ' '\n' | tac | tr '\n' ' ')"
first_conns="${conns_list%% *}"
for round in $(seq 1 "$rounds"); do
  order="$kinds"
  [ $((round % 2)) = 0 ] && order="$reversed_kinds"
  for kind in $order; do
    port=$((port + 1))
    taskset -c 0 "$root/bench/servers.sh" plaintext "$kind" "$port" 2> "$out/server-$kind-$round.log" &
    server_pid=$!
    if ! wait_listening "$port"; then
      echo "plaintext-load.sh: server $kind did not listen on $port (see $out/server-$kind-$round.log)" >&2
      exit 1
    fi
    # Pre-warm (the JIT of the JVM servers); its figures are discarded.
    if ! taskset -c 1 wrk -t1 -c "$first_conns" -d "${prewarm}s" "${wrk_headers[@]}" -s "$script" \
           "http://127.0.0.1:$port/plaintext" -- "$depth" /plaintext nolat > "$out/prewarm.txt" 2>&1 ||
       ! kill -0 "$server_pid" 2>/dev/null; then
      echo "plaintext-load.sh: server $kind did not serve its pre-warm (see $out/prewarm.txt)" >&2
      exit 1
    fi
    for conns in $conns_list; do
      if [ "$warmup" -gt 0 ]; then
        wrk_cmd "$conns" "$warmup" "$port"
        taskset -c 1 "${cmd[@]}" > "$out/warmup.txt" 2>&1 || true
      fi
      wrk_cmd "$conns" "$duration" "$port"
      line="$(measure "$server_pid" "${cmd[@]}" || true)"
      kill -0 "$server_pid" 2>/dev/null || line="$line server_died=1"
      echo "round=$round kind=$kind conns=$conns $line" | tee -a "$runs" >&2
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
    rows.append(dict(kv.split("=", 1) for kv in line.split() if "=" in kv))

def num(d, k):
    try:
        x = float(d[k])
    except (KeyError, ValueError):
        return None
    return None if x < 0 else x

def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None

def fmt(x, spec):
    return "n/a" if x is None else format(x, spec)

loads = []
for d in rows:
    if d["conns"] not in loads:
        loads.append(d["conns"])
by = {}
for d in rows:
    by.setdefault((d["kind"], d["conns"]), {})[d["round"]] = d

print("| server | connections | server CPU µs/req | × %s (spread) | req/s | × %s | batch p50 µs | p99 µs | p99.9 µs | other CPU ms | errors | runs |" % (ref, ref))
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
        errors = sum(int(num(d, "errors") or 0) for d in ds) + sum(1 for d in ds if "errors" not in d or "server_died" in d)
        print("| %s | %s | %s | %s%s | %s | %s | %s | %s | %s | %s | %d | %d |" % (
            kind, load,
            fmt(med(num(d, "server_cpu_us_per_req") for d in ds), ".3f"),
            fmt(med(cpu_ratios), ".2f"), spread,
            fmt(med(num(d, "req_s") for d in ds), ".0f"),
            fmt(med(rps_ratios), ".2f"),
            fmt(med(num(d, "p50_us") for d in ds), ".0f"),
            fmt(med(num(d, "p99_us") for d in ds), ".0f"),
            fmt(med(num(d, "p999_us") for d in ds), ".0f"),
            fmt(max((x for x in (num(d, "other_cpu_ms") for d in ds) if x is not None), default=None), ".0f"),
            errors, len(ds)))
PY
)"
{
  echo "date: $start_date, commit $commit, load before $load_before, after $load_after"
  echo "settings: wrk -t1, $depth-deep pipelining, ${duration} s windows after ${warmup} s warm-up, ${prewarm} s pre-warm per server start, $rounds round(s)"
  echo
  echo "$table"
} | tee "$out/table.md"
echo "runs: $runs" >&2

if [ "$append" = 1 ]; then
  section="$out/section.md"
  {
    echo
    echo "### Plaintext HTTP servers, $start_date${label:+ — $label}"
    echo
    echo "> \`$cmdline\`, $start_date, commit \`$commit\`; $(nproc) x $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(uname -sr), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)."
    echo "> Server on core 0, wrk (one thread) on core 1; 1-minute load average $load_before before, $load_after after."
    echo "> GET /plaintext, $depth requests pipelined per write, TechEmpower's request headers; ${duration} s measured windows"
    echo "> after ${warmup} s warm-up, each server started afresh every round and pre-warmed ${prewarm} s; medians of $rounds round(s)."
    echo "> Server CPU µs/req: utime+stime of the server's process over the wrk run per completed request;"
    echo "> ratios are per round to \`${kinds%% *}\` of the same round, then the median (spread: min–max)."
    if [ "$latency" = 1 ]; then
      echo "> Latency: per batch of $depth, from its send to its last response (bench/wrk/pipeline.lua). Other CPU: the"
    else
      echo "> Latency: not sampled (--no-latency: wrk without a response() hook). Other CPU: the"
    fi
    echo "> largest, over the rounds, of the machine's busy time in the run less server and wrk (interrupt and steal time included)."
    echo
    echo "$table"
    echo
  } > "$section"
  # Above the marker line of RESULTS.md's plaintext section, or at the end when there is none.
  python3 - "$root/bench/RESULTS.md" "$section" <<'PY'
import sys
results, section = sys.argv[1], sys.argv[2]
marker = "<!-- bench/plaintext-load.sh --append inserts its tables above this line -->"
text, new = open(results).read(), open(section).read()
if marker in text:
    text = text.replace(marker, new.strip("\n") + "\n\n" + marker, 1)
else:
    text = text.rstrip("\n") + "\n" + new
open(results, "w").write(text)
PY
  echo "added the table to bench/RESULTS.md" >&2
fi
