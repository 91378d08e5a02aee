"""CPython's mmap on the file of MmapBench: the same three rows, for bench/mmap-compare.sh.

    /usr/bin/python3 bench/python/mmap_bench.py FILE [REPEATS] [WINDOW]

Prints one line per row, "name value unit": seq_read (m.read(65536) to the end, GB/s), find
(m.find of the needle at the end, GB/s), random_get (m[o:o + 8] at 2**20 random offsets, ns per
get). Measured as JMH measures MmapBench (its "avgt" mode): one warm-up window, then REPEATS
windows (default 5) of at least WINDOW seconds (default 2) each; a window's figure is its time
over the passes it made, and the row reports the mean of the windows' figures.
"""
import mmap
import random
import statistics
import sys
import time

NEEDLE = b"jasyncio-needle!"  # keep in sync with MmapBench.NEEDLE
CHUNK = 64 * 1024
GETS = 1 << 20


def main():
    path = sys.argv[1]
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
        size = len(m)
        rng = random.Random(7)
        offsets = [rng.randrange(size - 8) for _ in range(GETS)]
        # Fault everything in first, as MmapBench does.
        for i in range(0, size, 4096):
            m[i]

        def seq_read():
            m.seek(0)
            read = m.read
            while read(CHUNK):
                pass

        def find():
            at = m.find(NEEDLE, 0, size)
            assert at == size - len(NEEDLE), at

        def random_get():
            for o in offsets:
                m[o:o + 8]

        window = float(sys.argv[3]) if len(sys.argv) > 3 else 2.0

        def seconds_per_pass(run):
            passes, t0 = 0, time.perf_counter()
            while True:
                run()
                passes += 1
                elapsed = time.perf_counter() - t0
                if elapsed >= window:
                    return elapsed / passes

        for name, run, unit in (("seq_read", seq_read, "GB/s"), ("find", find, "GB/s"),
                                ("random_get", random_get, "ns")):
            seconds_per_pass(run)  # warm-up window
            t = statistics.mean(seconds_per_pass(run) for _ in range(repeats))
            value = t * 1e9 / GETS if unit == "ns" else size / t / 1e9
            print(f"{name} {value:.3f} {unit}", flush=True)


if __name__ == "__main__":
    main()
