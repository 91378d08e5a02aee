package io.jasyncio.bench;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.IdleStrategy;
import io.jasyncio.SelectorEventLoop;
import io.jasyncio.Stdio;
import io.jasyncio.Subprocess;
import io.jasyncio.SubprocessOptions;
import io.jasyncio.SubprocessProtocol;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * bench/subprocess.sh's Java rows: spawn+wait of /bin/true per second, and BYTES through a
 * child's stdout, with jasyncio (streams, and the protocol API) on a given loop, or with
 * java.lang.ProcessBuilder.
 *
 * <pre>
 *   SubprocessBench spawn N epoll|nio|processbuilder
 *   SubprocessBench pipe BYTES epoll|nio|epoll-protocol|processbuilder
 *   (a loop kind ending in "-spin", say epoll-protocol-spin, runs its loop with IdleStrategy.spin(10))
 * </pre>
 */
public final class SubprocessBench {
    /** The zero-timeout polls of {@code IdleStrategy.spin} in the "-spin" rows. */
    private static final int SPIN_POLLS = 10;
    /** Measured rounds of the pipe rows (the median is printed). */
    private static final int PIPE_ROUNDS = 5;

    private SubprocessBench() {
    }

    public static void main(String[] args) throws Exception {
        String what = args[0];
        long n = Long.parseLong(args[1]);
        String how = args[2];
        // Untimed warm-up rounds of the same size for at least two seconds, then the measured
        // one: the warm-up lets the JIT finish compiling the path (a single 100 MiB round is over
        // in 40 ms, before C2 is done) and the heap grow to its working size, so the measured
        // round pays for neither (a streams read allocates its bytes; ProcessBuilder's loop
        // reuses one array). Every implementation gets the same warm-up.
        long warmUntil = System.nanoTime() + 2_000_000_000L;
        do {
            run(what, n, how);
        } while (System.nanoTime() < warmUntil);
        if (what.equals("spawn")) {
            double dt = run(what, n, how);
            System.out.printf("java %s spawn+wait: %.0f spawns/s (%d in %.3f s)%n", how, n / dt, n, dt);
        } else {
            // A pipe round is tens of milliseconds: the median of five, so one hiccup of the
            // machine does not make the figure.
            double[] dts = new double[PIPE_ROUNDS];
            for (int i = 0; i < dts.length; i++) {
                dts[i] = run(what, n, how);
            }
            java.util.Arrays.sort(dts);
            double dt = dts[dts.length / 2];
            System.out.printf("java %s pipe: %.2f GB/s (%d bytes in %.3f s, median of %d)%n", how, n / dt / 1e9, n,
                    dt, dts.length);
        }
    }

    /** One round; returns its seconds. */
    private static double run(String what, long n, String how) throws Exception {
        long t0 = System.nanoTime();
        long bytes = 0;
        if (how.equals("processbuilder")) {
            if (what.equals("spawn")) {
                for (long i = 0; i < n; i++) {
                    processBuilderSpawnAndWait();
                }
            } else {
                Process p = new ProcessBuilder("head", "-c", String.valueOf(n), "/dev/zero").start();
                byte[] buf = new byte[256 * 1024];
                try (InputStream in = p.getInputStream()) {
                    int r;
                    while ((r = in.read(buf)) > 0) {
                        bytes += r;
                    }
                }
                p.waitFor();
            }
        } else {
            SelectorEventLoop.Backend backend = how.startsWith("nio") ? SelectorEventLoop.Backend.NIO
                    : SelectorEventLoop.Backend.EPOLL;
            try (SelectorEventLoop loop = new SelectorEventLoop(backend)) {
                if (how.endsWith("-spin")) {
                    loop.setIdleStrategy(IdleStrategy.spin(SPIN_POLLS));
                }
                bytes = loop.runUntilComplete(() -> what.equals("spawn") ? spawn(n) : how.contains("protocol")
                        ? pipeProtocol(loop, n) : pipeStreams(n));
            }
        }
        if (!what.equals("spawn") && bytes != n) {
            throw new AssertionError("read " + bytes + " bytes, expected " + n);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static long spawn(long n) throws Exception {
        for (long i = 0; i < n; i++) {
            spawnAndWait();
        }
        return 0;
    }

    // The per-spawn and per-read bodies are methods of their own, so the JIT compiles them after
    // a few hundred calls; a loop body inlined here would stay interpreted for the whole run (a
    // few thousand iterations never reach on-stack replacement), which measures the interpreter.
    private static void spawnAndWait() throws Exception {
        Asyncio.createSubprocessExec("/bin/true").await().waitFor().await();
    }

    private static void processBuilderSpawnAndWait() throws Exception {
        new ProcessBuilder("/bin/true").start().waitFor();
    }

    private static int readChunk(Subprocess p) throws Exception {
        return p.stdout().read(256 * 1024).await().length;
    }

    private static long pipeStreams(long n) throws Exception {
        Subprocess p = Asyncio.createSubprocessExec(List.of("head", "-c", String.valueOf(n), "/dev/zero"),
                new SubprocessOptions().stdout(Stdio.PIPE)).await();
        long total = 0;
        for (int got; (got = readChunk(p)) > 0; ) {
            total += got;
        }
        p.waitFor().await();
        return total;
    }

    private static long pipeProtocol(EventLoop loop, long n) throws Exception {
        long[] total = {0};
        Future<Void> done = loop.createFuture();
        loop.subprocessExec(() -> new SubprocessProtocol() {
            @Override
            public void pipeDataReceived(int fd, ByteBuffer data) {
                total[0] += data.remaining();
            }

            @Override
            public void connectionLost(Throwable exc) {
                done.setResult(null);
            }
        }, List.of("head", "-c", String.valueOf(n), "/dev/zero"),
                new SubprocessOptions().stdout(Stdio.PIPE)).await();
        done.await();
        return total[0];
    }

}
