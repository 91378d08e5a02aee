package io.jasyncio;

import io.jasyncio.internal.natives.NativeLibrary;
import io.jasyncio.internal.signal.SignalDispatcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link Signals}, Python's signal module (SPEC 10, issue 14 part 2), with real signals sent to
 * this JVM: kill(2) through JNA or the library itself, and only signals a handler was just set
 * for (USR1, ALRM, a real-time one) or that are ignored by default (WINCH, URG). Every test puts
 * each handler back to SIG_DFL. INT, {@code -Xrs} and an inherited SIG_IGN are tested in child
 * JVMs ({@link SignalsProcessTest}).
 */
abstract class SignalsSuite extends LoopTestBase {
    private static final Signal[] TOUCHED = {Signal.SIGUSR1, Signal.SIGALRM, Signal.SIGWINCH, Signal.SIGURG,
        Signal.of("RTMIN+4")};
    private static final long WAIT_S = 10;

    @BeforeEach
    void needsTheNativeLibrary() {
        assumeTrue(NativeLibrary.isAvailable(), "Signals needs the native library");
    }

    @AfterEach
    void everyHandlerIsBack() throws Exception {
        Signals.alarm(0);
        Signals.setitimer(Signals.ITIMER_REAL, Duration.ZERO, Duration.ZERO);
        Signals.setWakeupFd(-1);
        Signals.setWakeupLoop(null);
        for (Signal s : TOUCHED) {
            Signals.signal(s, Signals.SIG_DFL);
            assertNull(SignalDispatcher.mechanism(s.number()), "a test left a handler for " + s);
        }
    }

    private static void kill(Signal signal) {
        assertEquals(0, LibC.INSTANCE.kill((int) ProcessHandle.current().pid(), signal.number()), "kill failed");
    }

    @Test
    void shouldNameThePlatformsSignals() {
        Set<Signal> valid = Signals.validSignals();
        assertTrue(valid.contains(Signal.SIGINT));
        assertTrue(valid.contains(Signal.of("RTMIN")));
        assertTrue(valid.contains(Signal.of("RTMAX")));
        assertFalse(valid.contains(Signal.of(32)), "glibc keeps 32 and 33 for its threads");
        assertFalse(valid.contains(Signal.of(33)));
        assertEquals(2, Signal.SIGINT.number());
        assertEquals("SIGINT", Signal.SIGINT.name());
        assertEquals("SIGINT (2)", Signal.SIGINT.toString());
        assertSame(Signal.SIGINT, Signal.of("sigint"));
        assertSame(Signal.SIGINT, Signal.of(2));
        assertEquals("Interrupt", Signals.strsignal(Signal.SIGINT));
        assertEquals("Alarm clock", Signals.strsignal(Signal.SIGALRM));
        assertThrows(IllegalArgumentException.class, () -> Signal.of(0));
        assertThrows(IllegalArgumentException.class, () -> Signal.of(65));
        assertThrows(IllegalArgumentException.class, () -> Signal.of("NOPE"));
    }

    @Test
    void shouldRefuseWhatTheJvmOwnsSayingWhy() {
        assertRefused(Signal.SIGKILL, "cannot be caught");
        assertRefused(Signal.SIGSTOP, "cannot be caught");
        assertRefused(Signal.SIGSEGV, "reserved by the JVM");
        assertRefused(Signal.SIGQUIT, "thread dump");
        assertRefused(Signal.SIGUSR2, "suspends and resumes");
        assertRefused(Signal.SIGPIPE, "HotSpot ignores it");
        assertRefused(Signal.SIGCHLD, "process reaper");
        assertRefused(Signal.of(32), "C library");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Signals.raiseSignal(Signal.SIGSEGV))
                .getMessage().contains("crash"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Signals.pthreadKill(Thread.currentThread(), Signal.SIGBUS)).getMessage().contains("crash"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Signals.pthreadSigmask(Signals.MaskHow.BLOCK, Set.of(Signal.SIGSEGV))).getMessage()
                .contains("reserved by the JVM"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Signals.setitimer(Signals.ITIMER_PROF, Duration.ofSeconds(1), Duration.ZERO)).getMessage()
                .contains("profilers"));
        assertThrows(IllegalArgumentException.class, () -> Signals.alarm(-1));
        ItimerException unknown = assertThrows(ItimerException.class,
                () -> Signals.setitimer(7, Duration.ofSeconds(1), Duration.ZERO));
        assertTrue(unknown.getMessage().contains("EINVAL"), unknown.getMessage());
        assertThrows(ItimerException.class, () -> Signals.getitimer(7));
        assertThrows(ItimerException.class,
                () -> Signals.setitimer(Signals.ITIMER_REAL, Duration.ofSeconds(-1), Duration.ZERO));
    }

    private static void assertRefused(Signal signal, String why) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Signals.signal(signal, s -> { }));
        assertTrue(e.getMessage().contains(why), e.getMessage());
        assertNull(SignalDispatcher.mechanism(signal.number()));
    }

    @Test
    void shouldRunAHandlerOnTheNamedThreadAndReturnThePreviousOne() throws Exception {
        BlockingQueue<String> seen = new ArrayBlockingQueue<>(10);
        Signals.Handler handler = s -> seen.add(s.name() + " on " + Thread.currentThread().getName());
        assertSame(Signals.SIG_DFL, Signals.getsignal(Signal.SIGUSR1));
        assertSame(Signals.SIG_DFL, Signals.signal(Signal.SIGUSR1, handler));
        assertSame(handler, Signals.getsignal(Signal.SIGUSR1));
        kill(Signal.SIGUSR1);
        assertEquals("SIGUSR1 on " + Signals.HANDLER_THREAD_NAME, seen.poll(WAIT_S, TimeUnit.SECONDS));
        Signals.raiseSignal(Signal.SIGUSR1);
        assertEquals("SIGUSR1 on " + Signals.HANDLER_THREAD_NAME, seen.poll(WAIT_S, TimeUnit.SECONDS));

        Signals.Handler other = s -> seen.add("other");
        assertSame(handler, Signals.signal(Signal.SIGUSR1, other));
        kill(Signal.SIGUSR1);
        assertEquals("other", seen.poll(WAIT_S, TimeUnit.SECONDS));
        assertSame(other, Signals.signal(Signal.SIGUSR1, Signals.SIG_DFL));
        assertSame(Signals.SIG_DFL, Signals.getsignal(Signal.SIGUSR1));
        assertNull(SignalDispatcher.mechanism(Signal.SIGUSR1.number()), "the JVM's disposition is back");
    }

    @Test
    void shouldKeepGoingAfterAHandlerThrows() throws Exception {
        BlockingQueue<String> ran = new ArrayBlockingQueue<>(10);
        Signals.signal(Signal.SIGURG, s -> {
            ran.add("ran");
            throw new IllegalStateException("thrown by the test on purpose");
        });
        // One at a time: two standard signals sent before the first is taken merge into one.
        kill(Signal.SIGURG);
        assertEquals("ran", ran.poll(WAIT_S, TimeUnit.SECONDS));
        kill(Signal.SIGURG);
        assertEquals("ran", ran.poll(WAIT_S, TimeUnit.SECONDS), "the handler ran again after throwing");
    }

    @Test
    void shouldIgnoreWithSigIgnAndTellTheLoopThroughTheWakeupFd() throws Exception {
        assumeTrue(backend() == SelectorEventLoop.Backend.EPOLL, "the NIO loop watches channels, not raw fds");
        int[] sv = new int[2];
        assertEquals(0, LibC.INSTANCE.socketpair(LibC.AF_UNIX,
                LibC.SOCK_STREAM | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, 0, sv));
        try {
            assertEquals(-1, Signals.setWakeupFd(sv[1]));
            assertSame(Signals.SIG_DFL, Signals.signal(Signal.SIGUSR1, Signals.SIG_IGN));
            assertSame(Signals.SIG_IGN, Signals.getsignal(Signal.SIGUSR1));
            List<Integer> bytes = new java.util.ArrayList<>();
            loop.addReader(sv[0], () -> {
                byte[] b = new byte[16];
                long n = LibC.INSTANCE.read(sv[0], b, b.length);
                for (int i = 0; i < n; i++) {
                    bytes.add((int) b[i]);
                }
                if (bytes.size() == 1 && n > 0) {
                    kill(Signal.SIGUSR1);
                } else if (bytes.size() >= 2) {
                    loop.stop();
                }
            });
            TimerHandle watchdog = loop.callLater(WAIT_S, loop::stop);
            // Ignored: the JVM survives both. The second is sent once the first byte came (two
            // standard signals sent at once may merge into one).
            loop.callSoon(() -> Signals.raiseSignal(Signal.SIGUSR1));
            loop.runForever();
            watchdog.cancel();
            loop.removeReader(sv[0]);
            assertEquals(List.of(Signal.SIGUSR1.number(), Signal.SIGUSR1.number()), bytes,
                    "one byte per delivery, the signal's number");
            assertEquals(sv[1], Signals.setWakeupFd(-1));
        } finally {
            LibC.INSTANCE.close(sv[0]);
            LibC.INSTANCE.close(sv[1]);
        }
    }

    @Test
    void shouldRefuseABlockingOrClosedWakeupFd() {
        int[] sv = new int[2];
        assertEquals(0, LibC.INSTANCE.socketpair(LibC.AF_UNIX, LibC.SOCK_STREAM, 0, sv));
        try {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> Signals.setWakeupFd(sv[1])).getMessage()
                    .contains("non-blocking"));
        } finally {
            LibC.INSTANCE.close(sv[0]);
            LibC.INSTANCE.close(sv[1]);
        }
        assertThrows(IllegalArgumentException.class, () -> Signals.setWakeupFd(sv[1]));
    }

    /** Waits for {@code fact}, checking every millisecond for {@link #WAIT_S} at most. */
    private static boolean eventually(java.util.function.BooleanSupplier fact) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (!fact.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        return fact.getAsBoolean();
    }

    @Test
    void shouldWakeABlockedLoopOneBytePerDeliveryThroughSetWakeupLoop() throws Exception {
        Signal realtime = Signal.of("RTMIN+4"); // delivered by the native fallback, not the JDK
        BlockingQueue<Signal> handled = new ArrayBlockingQueue<>(10);
        Signals.signal(Signal.SIGWINCH, handled::add); // runs on the handler thread: it never wakes the loop
        Signals.signal(realtime, handled::add);
        assertNull(Signals.setWakeupLoop(loop));
        LoopWakeup wakeup = LoopWakeups.current();
        assertNotNull(wakeup);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        // No timer, no reader of the test's: the loop blocks in its poll until something wakes it.
        Thread runner = Thread.ofPlatform().name("wakeup-loop-runner").start(() -> {
            try {
                loop.runForever();
            } catch (Throwable t) {
                failed.set(t);
            }
        });
        try {
            assertTrue(eventually(loop::isRunning));
            kill(Signal.SIGWINCH);
            assertSame(Signal.SIGWINCH, handled.poll(WAIT_S, TimeUnit.SECONDS));
            assertTrue(eventually(() -> wakeup.bytesRead() == 1), "the loop woke and read one byte: " + wakeup);
            kill(realtime);
            assertSame(realtime, handled.poll(WAIT_S, TimeUnit.SECONDS));
            assertTrue(eventually(() -> wakeup.bytesRead() == 2), "and one more: " + wakeup);
            // Unset while the loop runs on another thread: the stop is posted to it.
            assertSame(loop, Signals.setWakeupLoop(null));
            assertTrue(eventually(wakeup::isClosed), "the loop stopped watching its pipe and closed it");
            kill(Signal.SIGWINCH);
            assertSame(Signal.SIGWINCH, handled.poll(WAIT_S, TimeUnit.SECONDS));
            assertEquals(2, wakeup.bytesRead(), "no byte once unset");
        } finally {
            loop.callSoonThreadsafe(loop::stop);
            runner.join(TimeUnit.SECONDS.toMillis(WAIT_S));
            Signals.signal(realtime, Signals.SIG_DFL);
        }
        assertFalse(runner.isAlive());
        assertNull(failed.get());
        assertTrue(reported.isEmpty(), reported::toString);
    }

    @Test
    void shouldReplaceAWakeupLoopRefuseAClosedOneAndLetGoWhenItCloses() {
        SelectorEventLoop other = new SelectorEventLoop(backend());
        try {
            assertNull(Signals.setWakeupLoop(loop));
            LoopWakeup first = LoopWakeups.current();
            assertSame(loop, Signals.setWakeupLoop(loop), "the same loop again changes nothing");
            assertSame(first, LoopWakeups.current());
            assertSame(loop, Signals.setWakeupLoop(other), "returns the previous loop");
            assertTrue(first.isClosed(), "the replaced loop (not running) let go of its pipe at once");
            LoopWakeup second = LoopWakeups.current();
            other.close();
            assertTrue(second.isClosed(), "closing the loop closed its pipe");
            assertNull(Signals.setWakeupLoop(null), "and unset it");
            IllegalStateException closed = assertThrows(IllegalStateException.class,
                    () -> Signals.setWakeupLoop(other));
            assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
            assertNull(LoopWakeups.current(), "a refused loop is not set");
            EventLoop foreign = (EventLoop) java.lang.reflect.Proxy.newProxyInstance(EventLoop.class.getClassLoader(),
                    new Class<?>[] {EventLoop.class}, (proxy, method, args) -> null);
            assertTrue(assertThrows(IllegalArgumentException.class, () -> Signals.setWakeupLoop(foreign))
                    .getMessage().contains("not a jasyncio loop"));
        } finally {
            other.close();
        }
    }

    @Test
    void shouldDeliverToALoopHandlerAndAProcessHandlerAlike() throws Exception {
        CountDownLatch process = new CountDownLatch(1);
        Signals.signal(Signal.SIGWINCH, s -> process.countDown());
        boolean[] onLoop = {false};
        loop.addSignalHandler(Signal.SIGWINCH.number(), () -> {
            onLoop[0] = true;
            loop.stop();
        });
        TimerHandle watchdog = loop.callLater(WAIT_S, loop::stop);
        loop.callSoon(() -> kill(Signal.SIGWINCH));
        loop.runForever();
        watchdog.cancel();
        assertTrue(onLoop[0]);
        assertTrue(process.await(WAIT_S, TimeUnit.SECONDS));
        assertTrue(loop.removeSignalHandler(Signal.SIGWINCH.number()));
        assertNotNull(SignalDispatcher.mechanism(Signal.SIGWINCH.number()), "Signals' handler is still in");
    }

    @Test
    void shouldMaskSeePendingAndKillOneThread() throws Exception {
        BlockingQueue<String> seen = new ArrayBlockingQueue<>(10);
        Signals.signal(Signal.SIGUSR1, s -> seen.add("handled " + s.name()));
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch sent = new CountDownLatch(1);
        AtomicReference<Object> result = new AtomicReference<>();
        Thread target = Thread.ofPlatform().name("signals-target-with-a-long-name").start(() -> {
            try {
                Set<Signal> before = Signals.pthreadSigmask(Signals.MaskHow.BLOCK, Set.of(Signal.SIGUSR1));
                blocked.countDown();
                assertTrue(sent.await(WAIT_S, TimeUnit.SECONDS));
                boolean pending = Signals.sigpending().contains(Signal.SIGUSR1);
                Set<Signal> during = Signals.pthreadSigmask(Signals.MaskHow.SETMASK, before);
                result.set(pending + " " + during.contains(Signal.SIGUSR1) + " " + before.contains(Signal.SIGUSR1));
            } catch (Throwable t) {
                result.set(t);
            }
        });
        assertTrue(blocked.await(WAIT_S, TimeUnit.SECONDS));
        assertFalse(Signals.sigpending().contains(Signal.SIGUSR1), "pending on the target thread only");
        Signals.pthreadKill(target, Signal.SIGUSR1);
        sent.countDown();
        target.join(TimeUnit.SECONDS.toMillis(WAIT_S));
        assertEquals("true true false", String.valueOf(result.get()));
        assertEquals("handled SIGUSR1", seen.poll(WAIT_S, TimeUnit.SECONDS), "delivered once unblocked");
        assertTrue(Signals.currentNativeThreadId() > 0);
        assertEquals(Signals.currentNativeThreadId(), Signals.currentNativeThreadId());
    }

    @Test
    void shouldFindAThreadByItsShortNameAndRefuseVirtualAndEndedThreads() throws Exception {
        BlockingQueue<String> seen = new ArrayBlockingQueue<>(10);
        Signals.signal(Signal.SIGUSR1, s -> seen.add("handled"));
        CountDownLatch done = new CountDownLatch(1);
        Thread quiet = Thread.ofPlatform().daemon().name("sig-quiet-1").start(() -> {
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            Signals.pthreadKill(quiet, Signal.SIGUSR1); // never called in: found by its name
            assertEquals("handled", seen.poll(WAIT_S, TimeUnit.SECONDS));
        } finally {
            done.countDown();
        }
        quiet.join();
        assertThrows(IllegalStateException.class, () -> Signals.pthreadKill(quiet, Signal.SIGUSR1));
        Thread virtual = Thread.ofVirtual().unstarted(() -> { });
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Signals.pthreadKill(virtual, Signal.SIGUSR1))
                .getMessage().contains("virtual thread"));
        AtomicReference<Throwable> onVirtual = new AtomicReference<>();
        Thread.ofVirtual().start(() -> {
            try {
                Signals.pthreadSigmask(Signals.MaskHow.BLOCK, Set.of(Signal.SIGUSR1));
            } catch (Throwable t) {
                onVirtual.set(t);
            }
        }).join();
        assertTrue(onVirtual.get() instanceof IllegalStateException, String.valueOf(onVirtual.get()));
    }

    @Test
    void shouldSetAndReadTheIntervalTimers() throws Exception {
        Signals.signal(Signal.SIGALRM, s -> { });
        assertEquals(0, Signals.alarm(100));
        int left = Signals.alarm(0);
        assertTrue(left >= 99 && left <= 100, "left " + left);
        assertEquals(new Signals.Itimer(Duration.ZERO, Duration.ZERO), Signals.getitimer(Signals.ITIMER_REAL));
        Signals.Itimer old = Signals.setitimer(Signals.ITIMER_REAL, Duration.ofSeconds(50), Duration.ofMillis(250));
        assertEquals(Duration.ZERO, old.delay());
        Signals.Itimer now = Signals.getitimer(Signals.ITIMER_REAL);
        assertTrue(now.delay().compareTo(Duration.ofSeconds(49)) > 0 && now.delay().compareTo(Duration.ofSeconds(50)) <= 0,
                now.toString());
        assertEquals(Duration.ofMillis(250), now.interval());
        Signals.Itimer cancelled = Signals.setitimer(Signals.ITIMER_REAL, Duration.ZERO, Duration.ZERO);
        assertEquals(Duration.ofMillis(250), cancelled.interval());
        assertEquals(Duration.ZERO, Signals.getitimer(Signals.ITIMER_REAL).delay());
        assertEquals(Duration.ZERO, Signals.getitimer(Signals.ITIMER_VIRTUAL).delay());
    }

    @Test
    void shouldFireARealTimerRepeatedly() throws Exception {
        CountDownLatch three = new CountDownLatch(3);
        Signals.signal(Signal.SIGALRM, s -> three.countDown());
        Signals.setitimer(Signals.ITIMER_REAL, Duration.ofMillis(20), Duration.ofMillis(20));
        assertTrue(three.await(WAIT_S, TimeUnit.SECONDS), "three SIGALRMs from one interval timer");
        Signals.setitimer(Signals.ITIMER_REAL, Duration.ZERO, Duration.ZERO);
    }

    /** Python's documentation example: an alarm times out a wait that may block forever. */
    @Test
    void shouldTimeOutABlockingWaitWithAnAlarm() throws Exception {
        Thread waiter = Thread.currentThread();
        BlockingQueue<String> seen = new ArrayBlockingQueue<>(10);
        Signals.signal(Signal.SIGALRM, s -> {
            seen.add("Signal handler called with signal " + s);
            waiter.interrupt();
        });
        long t0 = System.nanoTime();
        Signals.alarm(1);
        BlockingQueue<String> device = new ArrayBlockingQueue<>(1); // nothing ever answers
        assertThrows(InterruptedException.class, device::take);
        Signals.alarm(0);
        long waited = System.nanoTime() - t0;
        assertEquals("Signal handler called with signal SIGALRM (14)", seen.poll(WAIT_S, TimeUnit.SECONDS));
        assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(990), "woken after the alarm: " + waited);
        assertFalse(Thread.interrupted());
    }

    @Test
    void shouldSendThroughAPidfd() throws Exception {
        Process child = new ProcessBuilder("sleep", "30").start();
        int pidfd = (int) LibC.INSTANCE.syscall(434, child.pid(), 0); // pidfd_open
        assumeTrue(pidfd >= 0, "pidfd_open: kernel before 5.3");
        try {
            Signals.pidfdSendSignal(pidfd, Signal.SIGTERM);
            assertTrue(child.waitFor(WAIT_S, TimeUnit.SECONDS));
            assertEquals(128 + Signal.SIGTERM.number(), child.exitValue());
            IOException gone = assertThrows(IOException.class, () -> Signals.pidfdSendSignal(pidfd, Signal.SIGTERM));
            assertTrue(gone.getMessage().contains("ESRCH"), gone.getMessage());
        } finally {
            child.destroyForcibly();
            LibC.INSTANCE.close(pidfd);
        }
        assertThrows(IOException.class, () -> Signals.pidfdSendSignal(-1, Signal.SIGTERM));
    }
}
