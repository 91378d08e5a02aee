"""CPython asyncio reference for bench/subprocess.sh: spawn+wait of /bin/true, and BYTES through
a child's stdout (create_subprocess_exec, stdout=PIPE, read to EOF).
   python3 subprocess_bench.py spawn N | pipe BYTES
"""
import asyncio
import sys
import time


async def spawn(n):
    t0 = time.monotonic()
    for _ in range(n):
        p = await asyncio.create_subprocess_exec("/bin/true")
        await p.wait()
    dt = time.monotonic() - t0
    print(f"python asyncio spawn+wait: {n / dt:.0f} spawns/s ({n} in {dt:.3f} s)")


async def pipe(nbytes):
    t0 = time.monotonic()
    p = await asyncio.create_subprocess_exec("head", "-c", str(nbytes), "/dev/zero",
                                             stdout=asyncio.subprocess.PIPE)
    total = 0
    while True:
        chunk = await p.stdout.read(256 * 1024)
        if not chunk:
            break
        total += len(chunk)
    await p.wait()
    dt = time.monotonic() - t0
    print(f"python asyncio pipe: {total / dt / 1e9:.2f} GB/s ({total} bytes in {dt:.3f} s)")
    assert total == nbytes


if __name__ == "__main__":
    what, n = sys.argv[1], int(sys.argv[2])
    asyncio.run(spawn(n) if what == "spawn" else pipe(n))
