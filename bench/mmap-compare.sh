#!/usr/bin/env bash
# The mmap table (issue 14): MappedFile against FileChannel.map + MappedByteBuffer (JMH, one run,
# bench/src/.../MmapBench.java), CPython's mmap (Debian's /usr/bin/python3) and plain C over mmap
# (memcpy, glibc memmem, 8-byte loads: the limit), all on one 1 GiB file, then one table.
#
#   bench/mmap-compare.sh                  # JMH settings from the annotations (2 forks x 5 x 2 s)
#   bench/mmap-compare.sh -f 1 -wi 1 -i 1  # a smoke run; any JMH option passes through
#
# MMAP_FILE sets the file (default /tmp/jasyncio-mmap-bench-1g.bin; created when missing: 1 GiB of
# pseudo-random bytes with the 16-byte needle in its last 16). CPython and C measure as JMH's
# "avgt" does: a warm-up window, then PY_REPEATS / C_REPEATS windows (default 5) of at least
# WINDOW seconds (default 2, JMH's iteration here), each window's time per pass, their mean.
# The machine should be quiet.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
file="${MMAP_FILE:-/tmp/jasyncio-mmap-bench-1g.bin}"
python="${PYTHON:-/usr/bin/python3}"
size=$((1 << 30))

if [ ! -f "$file" ] || [ "$(stat -c %s "$file")" != "$size" ]; then
  echo "mmap-compare.sh: creating $file (1 GiB)" >&2
  "$python" - "$file" <<'PY'
import random, sys
rng = random.Random(1)
needle = b"jasyncio-needle!"
with open(sys.argv[1], "wb") as f:
    for block in range(1024):
        data = rng.randbytes(1 << 20)
        if block == 1023:
            data = data[:-len(needle)] + needle
        f.write(data)
PY
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/mmap_limit" "$root/bench/c/mmap_limit.c"

echo "== JMH: MmapBench" >&2
"$root/bench/run-jmh.sh" MmapBench -p file="$file" "$@" | tee "$work/jmh.out"
results="$(sed -n 's/^results: //p' "$work/jmh.out" | tail -1)"

echo "== CPython $("$python" -c 'import sys; print(sys.version.split()[0])') mmap" >&2
"$python" "$root/bench/python/mmap_bench.py" "$file" "${PY_REPEATS:-5}" "${WINDOW:-2}" | tee "$work/python.txt"
echo "== C over mmap (the limit)" >&2
"$work/mmap_limit" "$file" "${C_REPEATS:-5}" "${WINDOW:-2}" | tee "$work/c.txt"
cp "$work/python.txt" "$work/c.txt" "$results/"

"$python" - "$results/jmh.json" "$work/python.txt" "$work/c.txt" <<'PY' | tee "$results/mmap-table.md"
import json, sys
size = 1 << 30
jmh = {r["benchmark"].rsplit(".", 1)[1]: r["primaryMetric"] for r in json.load(open(sys.argv[1]))}
def other(path):
    return {n: float(v) for n, v, _ in (line.split() for line in open(path) if line.strip())}
py, c = other(sys.argv[2]), other(sys.argv[3])
def gbps(metric):  # ms per pass over the file -> GB/s
    return size / (metric["score"] / 1e3) / 1e9
rows = [
    ("sequential read, GB/s", "seqRead", "seq_read", gbps, True),
    ("find of a needle at the end, GB/s", "find", "find", gbps, True),
    ("random 8-byte get, ns", "randomGet", "random_get", lambda m: m["score"], False),
]
print("| row | MappedFile | MappedByteBuffer | CPython mmap | C (limit) | vs MBB | vs CPython | vs C |")
print("|---|---|---|---|---|---|---|---|")
for label, bench, key, conv, higher in rows:
    ours, mbb = conv(jmh[bench + "MappedFile"]), conv(jmh[bench + "MappedByteBuffer"])
    ratio = (lambda a, b: a / b) if higher else (lambda a, b: b / a)
    print(f"| {label} | {ours:.2f} | {mbb:.2f} | {py[key]:.2f} | {c[key]:.2f} | "
          f"{ratio(ours, mbb):.2f}x | {ratio(ours, py[key]):.2f}x | {ratio(ours, c[key]):.2f}x |")
print()
print("Ratios are MappedFile's speed over the other's (> 1 is faster): throughput over throughput,")
print("or the other's ns per get over MappedFile's.")
PY
echo "table: $results/mmap-table.md"
