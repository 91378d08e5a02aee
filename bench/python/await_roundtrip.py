"""CPython's asyncio reference for AwaitBench / AwaitHandoffBench: one task's await round trip.

The same round trip as bench/src/main/java/io/jasyncio/bench/PingPong.java: the task creates a
future and schedules its completion with call_soon; the loop runs that callback, which sets the
result (done callbacks, here the task's wake-up, are scheduled with call_soon); on the next
iteration the task resumes and reads the result. Prints the best and median of the rounds, in µs
per round trip.

    python3 bench/python/await_roundtrip.py [round trips per round] [rounds]
"""
import asyncio
import statistics
import sys
import time


def ping(loop):
    f = loop.create_future()

    def complete():
        if not f.done():
            f.set_result("pong")

    loop.call_soon(complete)
    return f


async def waiter(n):
    loop = asyncio.get_running_loop()
    for _ in range(n):
        await ping(loop)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(waiter(n))  # warm-up
        per_trip = []
        for _ in range(rounds):
            start = time.perf_counter()
            loop.run_until_complete(waiter(n))
            per_trip.append((time.perf_counter() - start) / n * 1e6)
    finally:
        loop.close()
    print(f"{sys.version.split()[0]} {type(loop).__name__}: await round trip "
          f"best {min(per_trip):.2f} µs, median {statistics.median(per_trip):.2f} µs "
          f"({rounds} rounds of {n})")


if __name__ == "__main__":
    main()
