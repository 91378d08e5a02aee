#!/usr/bin/env python3
"""The child-process table of bench/RESULTS.md from bench/subprocess.sh's output.

    bench/subprocess-table.py OUTPUT

Each row's ratio in a round is its figure over the mean of the reference runs just before and
just after it (C's loop for spawns, ProcessBuilder for the pipe); a row's ratio is the median of
its rounds, as is its figure.
"""
import re
import statistics
import sys
from collections import defaultdict

LINE = re.compile(r"^(?P<who>.+?) (?P<kind>spawn\+wait|pipe): (?P<value>[\d.]+) (?:spawns/s|GB/s)")
REFERENCE = {"spawn": "c", "pipe": "java processbuilder"}


def main(path):
    blocks = []  # (kind, [(who, value), ...]) in order
    for line in open(path):
        if line.startswith("== round"):
            blocks.append(("spawn" if "spawn+wait" in line else "pipe", []))
            continue
        m = LINE.match(line)
        if m and blocks:
            blocks[-1][1].append((m["who"], float(m["value"])))
    figures, ratios = defaultdict(list), defaultdict(list)
    for kind, runs in blocks:
        ref = REFERENCE[kind]
        for i, (who, value) in enumerate(runs):
            figures[(kind, who)].append(value)
            if who == ref:
                continue
            around = [v for w, v in runs[max(0, i - 1):i] + runs[i + 1:i + 2] if w == ref]
            if around:
                ratios[(kind, who)].append(value / statistics.mean(around))
    for kind, unit in (("spawn", "spawns/s"), ("pipe", "GB/s")):
        print(f"| {kind} | {unit} (median) | × {REFERENCE[kind]} (median of rounds) | rounds |")
        print("|---|---|---|---|")
        for (k, who), values in figures.items():
            if k != kind:
                continue
            r = ratios.get((k, who))
            ratio = f"{statistics.median(r):.2f} ({min(r):.2f}–{max(r):.2f})" if r else "1.00"
            print(f"| {who} | {statistics.median(values):.2f} | {ratio} | {len(values)} |")
        print()


if __name__ == "__main__":
    main(sys.argv[1])
