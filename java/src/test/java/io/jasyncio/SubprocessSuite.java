package io.jasyncio;

import io.jasyncio.internal.natives.FileOpen;
import io.jasyncio.internal.natives.NativeLibrary;
import io.jasyncio.internal.natives.Pipes;
import io.jasyncio.internal.natives.Processes;
import io.jasyncio.internal.natives.Sockets;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Child processes and pipes (SPEC 1 pipes, 4, 6) on every loop, with real processes: streams
 * ({@link Asyncio#createSubprocessExec}), protocols ({@link EventLoop#subprocessExec}) and pipe
 * transports. On the NIO loop the child's pipes and pidfd go through the poller's descriptor
 * bridge. Waits are bounded by the class's timeout, or by {@link Asyncio#waitFor} where a wait is
 * expected not to end.
 */
abstract class SubprocessSuite extends LoopTestBase {
    private static final int MIB = 1024 * 1024;

    @BeforeEach
    void needNative() {
        assumeTrue(NativeLibrary.isAvailable(), "child processes need the native library");
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static Subprocess.Output communicate(List<String> args, SubprocessOptions o, byte[] input)
            throws Exception {
        Subprocess p = Asyncio.createSubprocessExec(args, o).await();
        return p.communicate(input).await();
    }

    // ---- streams ----

    @Test
    void shouldCommunicate50MiBOnStdoutAnd50MiBOnStderrAtOnce() {
        Subprocess.Output out = run(() -> communicate(List.of("/bin/sh", "-c",
                "head -c 52428800 /dev/zero & head -c 52428800 /dev/zero >&2; wait"), SubprocessOptions.pipes(), null));
        assertEquals(50 * MIB, out.stdout().length);
        assertEquals(50 * MIB, out.stderr().length);
    }

    @Test
    void shouldWrite1MiBToStdinWithDrainWhileTheChildReadsSlowly() {
        int lines = 16384;
        byte[] line = ("x".repeat(63) + "\n").getBytes(StandardCharsets.US_ASCII);
        String counted = run(() -> {
            // dash's read builtin reads one byte per system call: a slow reader
            Subprocess p = Asyncio.createSubprocessExec(List.of("/bin/sh", "-c",
                    "n=0; while IFS= read -r l; do n=$((n+1)); done; echo $n"), SubprocessOptions.pipes()).await();
            boolean sawPause = false;
            for (int i = 0; i < lines; i++) {
                p.stdin().write(line);
                if (p.stdin().transport().getWriteBufferSize() > p.stdin().transport().getWriteBufferHighLimit()) {
                    sawPause = true;
                }
                p.stdin().drain().await();
            }
            p.stdin().close();
            String n = s(p.stdout().read().await()).trim();
            assertEquals(0, p.waitFor().await());
            return n + (sawPause ? "" : " (never paused)");
        });
        assertEquals(String.valueOf(lines), counted);
    }

    @Test
    void shouldNeitherAbortNorHangWritingToAChildWhoseStdinIsFullThenClosed() {
        // uvloop #317: the child reads a little, leaves, and its stdin's read end closes under a full pipe
        Object result = run(() -> {
            Subprocess p = Asyncio.createSubprocessExec(List.of("/bin/sh", "-c", "head -c 1 >/dev/null"),
                    SubprocessOptions.pipes()).await();
            byte[] chunk = new byte[256 * 1024];
            Throwable drained = null;
            for (int i = 0; i < 8 && drained == null; i++) {
                p.stdin().write(chunk);
                try {
                    p.stdin().drain().await();
                } catch (SocketException e) {
                    drained = e;
                }
            }
            p.stdin().write(chunk); // dropped quietly once the pipe is lost
            assertEquals(0, p.waitFor().await());
            return drained;
        });
        assertInstanceOf(SocketException.class, result);
        assertTrue(reported.isEmpty(), () -> "reported: " + reported);
    }

    @Test
    void shouldReturnTheExitCodeAndMinusNForASignal() {
        assertEquals(3, run(() -> Asyncio.createSubprocessShell("exit 3").await().waitFor().await()));
        assertEquals(-9, run(() -> Asyncio.createSubprocessShell("kill -9 $$").await().waitFor().await()));
    }

    @Test
    void shouldTerminateAndKillARunningChild() {
        assertEquals(-Processes.SIGTERM, run(() -> {
            Subprocess p = Asyncio.createSubprocessExec("sleep", "30").await();
            assertNull(p.returncode());
            p.terminate();
            return p.waitFor().await();
        }));
        assertEquals(-Processes.SIGKILL, run(() -> {
            Subprocess p = Asyncio.createSubprocessExec("sleep", "30").await();
            p.kill();
            int code = p.waitFor().await();
            assertEquals(code, p.returncode());
            return code;
        }));
    }

    @Test
    void shouldReportAChildThatExitedBeforeAnyoneAwaitedIt() {
        int code = run(() -> {
            Future<Void> exited = loop.createFuture();
            var c = loop.subprocessExec(() -> new SubprocessProtocol() {
                @Override
                public void processExited() {
                    exited.setResult(null);
                }
            }, List.of("/bin/sh", "-c", "exit 7"), new SubprocessOptions()).await();
            exited.await();
            assertEquals(7, c.transport().getReturncode());
            return ((ChildProcessTransport) c.transport()).waitExit().await();
        });
        assertEquals(7, code);
    }

    @Test
    void shouldReapWithoutPidfdAsOnKernelsBefore53() {
        System.setProperty(SubprocessCalls.PIDFD_PROPERTY, "false");
        try {
            run(() -> {
                assertEquals(5, Asyncio.createSubprocessShell("exit 5").await().waitFor().await());
                Subprocess p = Asyncio.createSubprocessExec("sleep", "30").await();
                p.kill();
                assertEquals(-Processes.SIGKILL, p.waitFor().await());
                assertThrows(ProcessLookupException.class, p::kill);
                Subprocess.Output out = Asyncio.createSubprocessExec(List.of("echo", "no pidfd"),
                        new SubprocessOptions().stdout(Stdio.PIPE)).await().communicate().await();
                assertEquals("no pidfd\n", s(out.stdout()));
                return null;
            });
        } finally {
            System.clearProperty(SubprocessCalls.PIDFD_PROPERTY);
        }
    }

    @Test
    void shouldRaiseProcessLookupExceptionForASignalAfterExit() {
        run(() -> {
            Subprocess p = Asyncio.createSubprocessExec("true").await();
            assertEquals(0, p.waitFor().await());
            assertThrows(ProcessLookupException.class, p::terminate);
            assertThrows(ProcessLookupException.class, () -> p.sendSignal(Processes.SIGUSR1));
            return null;
        });
    }

    @Test
    void shouldReap200ChildrenFromTwoLoopsOnTwoThreadsLeavingNoZombieAndNoFd() throws Exception {
        Map<Integer, String> before = OpenFds.snapshot();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Long> pids = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int t = 0; t < 2; t++) {
            Thread thread = new Thread(() -> {
                try (SelectorEventLoop own = new SelectorEventLoop(backend())) {
                    own.runUntilComplete(() -> {
                        List<Future<Integer>> waits = new ArrayList<>();
                        for (int i = 0; i < 100; i++) {
                            Subprocess p = Asyncio.createSubprocessExec(List.of("/bin/sh", "-c", "echo $$"),
                                    new SubprocessOptions().stdout(Stdio.PIPE)).await();
                            pids.add(p.pid());
                            waits.add(loop(own).createTask(() -> {
                                String out = s(p.stdout().read().await()).trim();
                                assertEquals(String.valueOf(p.pid()), out);
                                return p.waitFor().await();
                            }));
                        }
                        for (Future<Integer> w : waits) {
                            assertEquals(0, w.await());
                        }
                        return null;
                    });
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(25_000);
        }
        assertTrue(failures.isEmpty(), () -> "failures: " + failures);
        assertEquals(200, pids.size());
        assertEquals(List.of(), childrenOfThisProcess(), "children left (zombies)");
        assertEquals(Map.of(), OpenFds.openedSince(before), "descriptors left open");
    }

    private static EventLoop loop(EventLoop l) {
        return l;
    }

    /** Our children still in the process table, from /proc/[pid]/stat: "pid state" strings. */
    private static List<String> childrenOfThisProcess() throws IOException {
        long self = ProcessHandle.current().pid();
        List<String> found = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                String stat;
                try {
                    stat = Files.readString(p.resolve("stat"));
                } catch (IOException e) {
                    continue;
                }
                String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                if (Long.parseLong(rest[1]) == self) {
                    found.add(p.getFileName() + " " + rest[0]);
                }
            }
        }
        // the JVM's own children (none in these tests) would show here too
        return found;
    }

    // ---- a loop closed under a running child ----

    @Test
    void shouldReleaseTheChildsPidfdAndPipesWhenTheLoopClosesUnderIt() throws Exception {
        closeTheLoopUnderACatReadingItsStdinPipe(true);
    }

    @Test
    void shouldReleaseTheChildsPipesWhenTheLoopClosesUnderItWithoutPidfd() throws Exception {
        System.setProperty(SubprocessCalls.PIDFD_PROPERTY, "false");
        try {
            closeTheLoopUnderACatReadingItsStdinPipe(false);
        } finally {
            System.clearProperty(SubprocessCalls.PIDFD_PROPERTY);
        }
    }

    /**
     * A running child's pidfd (or fallback timer) and pipes are the loop's to release: after
     * close the descriptor count is back where it was. The child is not killed; closing its stdin
     * pipe makes cat exit, and the orphan registry reaps it (at once if cat was quick enough to
     * exit before the close's own sweep, else at the next sweep).
     */
    private void closeTheLoopUnderACatReadingItsStdinPipe(boolean pidfd) throws Exception {
        Map<Integer, String> before = OpenFds.snapshot();
        Subprocess p = run(() -> Asyncio.createSubprocessExec(List.of("cat"),
                new SubprocessOptions().stdin(Stdio.PIPE).stdout(Stdio.PIPE)).await());
        int pid = (int) p.pid();
        Map<Integer, String> opened = OpenFds.openedSince(before);
        assertEquals(pidfd && Processes.hasPidfd(), opened.containsValue("anon_inode:[pidfd]"), opened::toString);
        assertEquals(2, opened.values().stream().filter(t -> t.startsWith("pipe:")).count(), opened::toString);
        assertNull(p.returncode());

        loop.close();
        assertEquals(Map.of(), OpenFds.openedSince(before), "descriptors the closed loop kept");

        // cat sees end of file on its stdin and exits by itself (a cat still blocked would time the
        // test out); wait for that without reaping it, unless the close's own sweep already did
        java.util.Optional<ProcessHandle> child = ProcessHandle.of(pid);
        if (child.isPresent()) {
            child.get().onExit().get();
        }
        OrphanChildren.reapExited();
        assertFalse(OrphanChildren.holds(pid));
        assertEquals(List.of(), childrenOfThisProcess(), "children left (zombies)");
        assertThrows(ProcessLookupException.class, p::kill, "reaped: never a signal to a reused pid");
    }

    @Test
    void shouldLeaveAChildRunningWhenTheLoopClosesAndReapItAtTheNextSpawnOnceKilled() throws Exception {
        long pair = Pipes.create(0);
        int r = Pipes.readEnd(pair);
        int w = Pipes.writeEnd(pair);
        try {
            Map<Integer, String> before = OpenFds.snapshot();
            // stdin is a pipe of the test's, which the loop does not own: cat blocks reading it
            Subprocess p = run(() -> Asyncio.createSubprocessExec(List.of("cat"),
                    new SubprocessOptions().stdin(Stdio.fd(r)).stdout(Stdio.DEVNULL)).await());
            int pid = (int) p.pid();
            loop.close();
            assertEquals(Map.of(), OpenFds.openedSince(before), "descriptors the closed loop kept");
            ProcessHandle child = ProcessHandle.of(pid).orElseThrow();
            assertTrue(child.isAlive(), "the loop's close does not kill its children");
            List<String> running = childrenOfThisProcess();
            assertTrue(running.size() == 1 && running.get(0).startsWith(pid + " ") && !running.get(0).endsWith(" Z"),
                    () -> "the one child, not a zombie: " + running);

            p.kill(); // by pid, through the orphan registry that holds it
            child.onExit().get();
            try (SelectorEventLoop other = new SelectorEventLoop(backend())) {
                assertEquals(0, other.runUntilComplete(() -> {
                    Subprocess t = Asyncio.createSubprocessExec("true").await(); // reaps the orphan first
                    assertFalse(OrphanChildren.holds(pid));
                    return t.waitFor().await();
                }));
            }
            assertEquals(List.of(), childrenOfThisProcess(), "children left (zombies)");
        } finally {
            Sockets.close(r);
            Sockets.close(w);
        }
    }

    @Test
    void shouldLeaveTheFdCountUnchangedAfter10000FailedSpawns() {
        Map<Integer, String> before = OpenFds.snapshot();
        int failed = run(() -> {
            int n = 0;
            SubprocessOptions pipes = SubprocessOptions.pipes();
            for (int i = 0; i < 10_000; i++) {
                try {
                    loop.subprocessExec(() -> new SubprocessProtocol() {
                    }, List.of("/nonexistent/program-" + (i % 10)), pipes).await();
                } catch (NoSuchFileException e) {
                    n++;
                }
            }
            return n;
        });
        assertEquals(10_000, failed);
        assertEquals(Map.of(), OpenFds.openedSince(before));
    }

    @Test
    void shouldGiveTheChildPipesAsStdinAndStdout() {
        Subprocess.Output out = run(() -> communicate(List.of("stat", "-L", "-c", "%F", "/dev/stdin", "/dev/stdout"),
                SubprocessOptions.pipes(), null));
        assertEquals("fifo\nfifo\n", s(out.stdout()));
    }

    @Test
    void shouldRunShellPipelines() {
        Subprocess.Output out = run(() -> Asyncio.createSubprocessShell("echo hello world | tr a-z A-Z | wc -c",
                new SubprocessOptions().stdout(Stdio.PIPE)).await().communicate().await());
        assertEquals("12", s(out.stdout()).trim());
        assertNull(out.stderr());
    }

    @Test
    void shouldHonourCwdAndEnv() throws IOException {
        Path dir = Files.createTempDirectory("jasyncio-cwd").toRealPath();
        try {
            Subprocess.Output out = run(() -> communicate(List.of("/bin/sh", "-c", "pwd; echo \"$FOO\"; echo \"$HOME\""),
                    new SubprocessOptions().stdout(Stdio.PIPE).cwd(dir).env(Map.of("FOO", "bar baz")), null));
            assertEquals(dir + "\nbar baz\n\n", s(out.stdout()));
        } finally {
            Files.delete(dir);
        }
    }

    @Test
    void shouldRaiseNoSuchFileExceptionNamingAMissingProgramOrCwd() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class,
                () -> run(() -> Asyncio.createSubprocessExec("/no/such/program").await()));
        assertTrue(e.getMessage().contains("/no/such/program") && e.getMessage().contains("ENOENT"), e.getMessage());
        NoSuchFileException onPath = assertThrows(NoSuchFileException.class,
                () -> run(() -> Asyncio.createSubprocessExec("no-such-program-jasyncio").await()));
        assertTrue(onPath.getMessage().contains("no-such-program-jasyncio"), onPath.getMessage());
        NoSuchFileException cwd = assertThrows(NoSuchFileException.class, () -> run(() -> Asyncio
                .createSubprocessExec(List.of("/bin/true"), new SubprocessOptions().cwd(Path.of("/no/such/dir")))
                .await()));
        assertTrue(cwd.getMessage().contains("/no/such/dir"), cwd.getMessage());
    }

    @Test
    void shouldRaiseAccessDeniedForAProgramThatIsNotExecutable() throws IOException {
        Path file = Files.createTempFile("jasyncio-noexec", ".sh");
        try {
            AccessDeniedException e = assertThrows(AccessDeniedException.class,
                    () -> run(() -> Asyncio.createSubprocessExec(file.toString()).await()));
            assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("EACCES"), e.getMessage());
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void shouldDeadlockInWaitWithAnUnreadPipeAsAsyncioDoesButNotInCommunicate() {
        int size = 5 * MIB;
        byte[] out = run(() -> {
            Subprocess p = Asyncio.createSubprocessExec(List.of("head", "-c", String.valueOf(size), "/dev/zero"),
                    new SubprocessOptions().stdout(Stdio.PIPE)).await();
            // documented: the child blocks on a full pipe and never exits while nobody reads
            assertThrows(TimeoutException.class, () -> Asyncio.waitFor(p.waitFor(), 0.3).await());
            assertNull(p.returncode());
            return p.communicate().await().stdout();
        });
        assertEquals(size, out.length);
    }

    @Test
    void shouldPassStdoutIntoStderrAndDevnull() {
        Subprocess.Output out = run(() -> communicate(List.of("/bin/sh", "-c", "echo out; echo err >&2; cat"),
                new SubprocessOptions().stdin(Stdio.DEVNULL).stdout(Stdio.PIPE).stderr(Stdio.STDOUT), null));
        assertEquals("out\nerr\n", s(out.stdout()));
        assertNull(out.stderr());
    }

    @Test
    void shouldGiveAnFdToTheChild() throws Exception {
        long pair = Pipes.create(0);
        int r = Pipes.readEnd(pair);
        int w = Pipes.writeEnd(pair);
        try {
            run(() -> Asyncio.createSubprocessExec(List.of("/bin/sh", "-c", "printf fd-ok"),
                    new SubprocessOptions().stdout(Stdio.fd(w))).await().waitFor().await());
            Sockets.close(w);
            ByteBuffer buf = ByteBuffer.allocateDirect(16);
            int n = Pipes.read(r, java.lang.foreign.MemorySegment.ofBuffer(buf).address(), 16);
            byte[] got = new byte[n];
            buf.get(got);
            assertEquals("fd-ok", s(got));
        } finally {
            Sockets.close(r);
        }
    }

    // ---- protocols ----

    @Test
    void shouldCallTheSubprocessProtocolInOrder() {
        List<String> events = new ArrayList<>();
        run(() -> {
            Future<Void> lost = loop.createFuture();
            var c = loop.subprocessExec(() -> new SubprocessProtocol() {
                @Override
                public void connectionMade(SubprocessTransport transport) {
                    events.add("made");
                }

                @Override
                public void pipeDataReceived(int fd, ByteBuffer data) {
                    byte[] b = new byte[data.remaining()];
                    data.get(b);
                    events.add(fd + ":" + s(b).trim());
                }

                @Override
                public void pipeConnectionLost(int fd, Throwable exc) {
                    events.add("lost" + fd);
                }

                @Override
                public void processExited() {
                    events.add("exited");
                }

                @Override
                public void connectionLost(Throwable exc) {
                    events.add("connectionLost");
                    lost.setResult(null);
                }
            }, List.of("/bin/sh", "-c", "read x; echo $x; echo E >&2"), SubprocessOptions.pipes()).await();
            assertTrue(c.transport().getPid() > 0);
            c.transport().getPipeTransport(0).write("hi\n".getBytes(StandardCharsets.US_ASCII));
            c.transport().getPipeTransport(0).close();
            lost.await();
            assertEquals(0, c.transport().getReturncode());
            return null;
        });
        assertEquals("made", events.get(0));
        assertTrue(events.contains("1:hi") && events.contains("2:E"), events::toString);
        assertTrue(events.containsAll(List.of("lost0", "lost1", "lost2", "exited")), events::toString);
        assertEquals("connectionLost", events.get(events.size() - 1));
    }

    @Test
    void shouldKillTheChildWhenTheTransportIsClosed() {
        int code = run(() -> {
            var c = loop.subprocessExec(() -> new SubprocessProtocol() {
            }, List.of("sleep", "30"), SubprocessOptions.pipes()).await();
            c.transport().close();
            return ((ChildProcessTransport) c.transport()).waitExit().await();
        });
        assertEquals(-Processes.SIGKILL, code);
    }

    // ---- pipe transports ----

    /** A protocol collecting what a read pipe gets. */
    @Test
    void shouldConnectReadAndWritePipesOverAPipe() throws IOException {
        long pair = Pipes.create(0);
        CollectingProtocol c = new CollectingProtocol(loop);
        run(() -> {
            Connection<CollectingProtocol> in = loop.connectReadPipe(() -> c, Pipes.readEnd(pair)).await();
            var out = loop.connectWritePipe(() -> new Protocol() {
            }, Pipes.writeEnd(pair)).await();
            assertEquals(Pipes.readEnd(pair), in.transport().getExtraInfo("pipe"));
            byte[] big = new byte[3 * MIB];
            java.util.Arrays.fill(big, (byte) 'p');
            out.transport().write(big);
            out.transport().close();
            c.lost.await();
            return null;
        });
        assertTrue(c.eof);
        assertEquals(3 * MIB, c.data.size());
    }

    @Test
    void shouldConnectAReadPipeOverACharacterDevice() throws IOException {
        // /dev/random can be polled; /dev/zero and /dev/urandom cannot (PipeKindsSuite reads those)
        int fd = FileOpen.open(Path.of("/dev/random"));
        CollectingProtocol c = new CollectingProtocol(loop) {
            @Override
            public void dataReceived(ByteBuffer b) {
                super.dataReceived(b);
                if (data.size() >= MIB) {
                    transport.close();
                }
            }
        };
        run(() -> {
            loop.connectReadPipe(() -> c, fd).await();
            c.lost.await();
            return null;
        });
        assertTrue(c.data.size() >= MIB);
    }

    @Test
    void shouldRefuseARegularFileAsAPipe() throws IOException {
        Path file = Files.createTempFile("jasyncio-pipe", ".txt");
        int fd = FileOpen.open(file);
        try {
            ExecutionException e = assertThrows(ExecutionException.class, () -> {
                throw new ExecutionException(assertThrows(IllegalArgumentException.class,
                        () -> run(loop.connectReadPipe(() -> new Protocol() {
                        }, fd))));
            });
            assertNotNull(e.getCause());
        } finally {
            Sockets.close(fd);
            Files.delete(file);
        }
    }

    @Test
    void shouldConnectJdkPipeChannelsOnTheNioLoop() throws IOException {
        assumeTrue(backend() == SelectorEventLoop.Backend.NIO, "JDK channels are watched by the NIO loop");
        Pipe pipe = Pipe.open();
        CollectingProtocol c = new CollectingProtocol(loop);
        run(() -> {
            loop.connectReadPipe(() -> c, pipe.source()).await();
            var out = loop.connectWritePipe(() -> new Protocol() {
            }, pipe.sink()).await();
            out.transport().write(new byte[MIB]);
            out.transport().close();
            c.lost.await();
            return null;
        });
        assertEquals(MIB, c.data.size());
        assertTrue(!pipe.source().isOpen() && !pipe.sink().isOpen());
    }

    @Test
    void shouldCloseTheWriteTransportWhenTheReaderGoes() throws IOException {
        long pair = Pipes.create(0);
        Throwable[] lostWith = {new AssertionError("not lost")};
        run(() -> {
            Future<Void> lost = loop.createFuture();
            var out = loop.connectWritePipe(() -> new Protocol() {
                @Override
                public void connectionLost(Throwable exc) {
                    lostWith[0] = exc;
                    lost.setResult(null);
                }
            }, Pipes.writeEnd(pair)).await();
            out.transport().write(new byte[MIB]); // fills the pipe, the rest queued
            Sockets.close(Pipes.readEnd(pair));
            lost.await();
            return null;
        });
        assertInstanceOf(SocketException.class, lostWith[0]);
        assertTrue(reported.isEmpty(), () -> "reported: " + reported);
    }
}
