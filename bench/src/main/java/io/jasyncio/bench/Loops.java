package io.jasyncio.bench;

import io.jasyncio.SelectorEventLoop;
import io.jasyncio.SelectorEventLoop.Backend;

/**
 * Loop helpers shared by the benchmarks. Not thread safe.
 */
final class Loops {
    /** Callbacks scheduled per benchmark invocation in the batched benchmarks. */
    static final int BATCH = 1000;

    private Loops() {
    }

    /**
     * A new loop on {@code backend}, or an exception that says why not (the epoll backend needs
     * the native library), which JMH prints before it goes on with the next benchmark.
     */
    static SelectorEventLoop open(Backend backend) {
        if (!backend.isAvailable()) {
            throw new IllegalStateException("the " + backend + " backend is not available in this JVM"
                    + " (the epoll loop needs jasyncio's native library and --enable-native-access)");
        }
        SelectorEventLoop loop = new SelectorEventLoop(backend);
        if (loop.getDebug()) {
            throw new IllegalStateException("debug mode is on (jasyncio.debug / JASYNCIO_DEBUG):"
                    + " benchmarks measure the loop without its checks");
        }
        return loop;
    }

    /**
     * Runs exactly one iteration of a loop that is not running: asyncio's stop() before
     * run_forever() polls without waiting, runs what is ready, and returns.
     */
    static void runOnce(SelectorEventLoop loop) {
        loop.stop();
        loop.runForever();
    }

    /** Fails the trial if a benchmark's callbacks did not all run. */
    static void check(String what, long expected, long actual) {
        if (expected != actual) {
            throw new IllegalStateException(what + ": expected " + expected + " callbacks to run, saw " + actual);
        }
    }
}
