package io.jasyncio;

import io.jasyncio.internal.signal.SignalDispatcher;
import io.jasyncio.internal.signal.SignalDispatcher.Mechanism;
import io.jasyncio.internal.signal.SignalNumbers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Signal handlers on a loop (SPEC 1, 10), with real signals sent to this JVM: only signals a
 * handler was just installed for (WINCH and URG are ignored by default, so even a mistake cannot
 * end the JVM; the real-time one only after its handler is in), removed again by each test.
 * INT, the {@code -Xrs} fallback and an inherited SIG_IGN are tested in child JVMs
 * ({@link SignalProcessTest}).
 */
abstract class SignalSuite extends LoopTestBase {
    private static final int WINCH = new Signal("WINCH").getNumber();
    private static final int URG = new Signal("URG").getNumber();

    /** Loops made by a test besides {@link #loop}, closed after it. */
    private final List<SelectorEventLoop> others = new ArrayList<>();

    @AfterEach
    void everyHandlerIsGone() throws InterruptedException {
        for (SelectorEventLoop other : others) {
            other.close();
        }
        if (loop != null) {
            loop.close();
        }
        assertNull(SignalDispatcher.mechanism(WINCH), "a test left a WINCH handler");
        assertNull(SignalDispatcher.mechanism(URG), "a test left a URG handler");
    }

    /** Sends {@code signum} to this process; only once a handler for it is installed. */
    private static void raise(int signum) {
        assertTrue(SignalDispatcher.mechanism(signum) != null, "no handler for " + signum + ": not sending it");
        assertEquals(0, LibC.INSTANCE.kill((int) ProcessHandle.current().pid(), signum), "kill failed");
    }

    /** The handler the JVM has for {@code name} now, looked at without changing it. */
    private static SignalHandler currentHandler(String name) {
        Signal signal = new Signal(name);
        SignalHandler current = Signal.handle(signal, s -> { });
        Signal.handle(signal, current);
        return current;
    }

    /** Runs the loop until a callback stops it; a 10 s watchdog stops it otherwise, and fails. */
    private void runUntilStopped() {
        boolean[] timedOut = {false};
        TimerHandle watchdog = loop.callLater(10, () -> {
            timedOut[0] = true;
            loop.stop();
        });
        loop.runForever();
        watchdog.cancel();
        assertFalse(timedOut[0], "the signal never came (the watchdog stopped the loop)");
    }

    @Test
    void shouldRunTheCallbackOnTheLoopThread() {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        loop.addSignalHandler(WINCH, () -> {
            ranOn.set(Thread.currentThread());
            loop.stop();
        });
        assertEquals(Mechanism.JDK, SignalDispatcher.mechanism(WINCH));
        loop.callSoon(() -> raise(WINCH));
        runUntilStopped();
        assertSame(Thread.currentThread(), ranOn.get());
        assertTrue(loop.removeSignalHandler(WINCH));
    }

    @Test
    void shouldReplaceTheCallbackWhenAddedAgain() {
        List<String> ran = new ArrayList<>();
        loop.addSignalHandler(WINCH, () -> ran.add("first"));
        loop.addSignalHandler(WINCH, () -> {
            ran.add("second");
            loop.stop();
        });
        loop.callSoon(() -> raise(WINCH));
        runUntilStopped();
        assertEquals(List.of("second"), ran);
        assertTrue(loop.removeSignalHandler(WINCH));
    }

    @Test
    void shouldSayWhetherACallbackWasRemovedAndPutThePreviousHandlerBack() {
        SignalHandler before = currentHandler("WINCH");
        assertFalse(loop.removeSignalHandler(WINCH));
        loop.addSignalHandler(WINCH, () -> { });
        assertNotSame(before, currentHandler("WINCH"));
        assertTrue(loop.removeSignalHandler(WINCH));
        assertFalse(loop.removeSignalHandler(WINCH));
        assertSame(before, currentHandler("WINCH"));
        assertNull(SignalDispatcher.mechanism(WINCH));
    }

    @Test
    void shouldAcceptSignalNames() {
        loop.addSignalHandler("SIGWINCH", () -> { });
        assertEquals(Mechanism.JDK, SignalDispatcher.mechanism(WINCH));
        assertTrue(loop.removeSignalHandler("winch"));
        loop.addSignalHandler("URG", () -> { });
        assertTrue(loop.removeSignalHandler(URG));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> loop.addSignalHandler("SIGNOPE", () -> { }));
        assertTrue(e.getMessage().contains("unknown signal name 'SIGNOPE'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> loop.removeSignalHandler("NOPE"));
    }

    @Test
    void shouldDeliverToEveryLoopThatHandlesTheSignal() throws Exception {
        SelectorEventLoop other = new SelectorEventLoop(backend());
        others.add(other);
        AtomicReference<Thread> otherRanOn = new AtomicReference<>();
        CountDownLatch otherReady = new CountDownLatch(1);
        Thread otherThread = Thread.ofPlatform().name("other loop").start(() -> {
            other.addSignalHandler(WINCH, () -> {
                otherRanOn.set(Thread.currentThread());
                other.stop();
            });
            other.callSoon(otherReady::countDown);
            other.callLater(10, other::stop);
            other.runForever();
            assertTrue(other.removeSignalHandler(WINCH));
        });
        assertTrue(otherReady.await(10, TimeUnit.SECONDS));

        AtomicReference<Thread> ranOn = new AtomicReference<>();
        loop.addSignalHandler(WINCH, () -> {
            ranOn.set(Thread.currentThread());
            loop.stop();
        });
        loop.callSoon(() -> raise(WINCH));
        runUntilStopped();
        otherThread.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(otherThread.isAlive());
        assertSame(Thread.currentThread(), ranOn.get());
        assertSame(otherThread, otherRanOn.get());
        // The other loop's removal left this loop's handler in place.
        assertEquals(Mechanism.JDK, SignalDispatcher.mechanism(WINCH));
        assertTrue(loop.removeSignalHandler(WINCH));
    }

    @Test
    void shouldReportAnExceptionFromTheCallbackToTheExceptionHandler() {
        RuntimeException boom = new RuntimeException("boom");
        loop.addSignalHandler(WINCH, () -> {
            loop.stop();
            throw boom;
        });
        loop.callSoon(() -> raise(WINCH));
        runUntilStopped();
        assertEquals(1, reported.size(), reported.toString());
        Map<String, Object> context = reported.get(0);
        assertSame(boom, context.get("exception"));
        assertTrue(String.valueOf(context.get("message")).contains("SIGWINCH"), context.toString());
        // The loop carries on, and the handler stays.
        assertTrue(loop.removeSignalHandler(WINCH));
    }

    @Test
    void shouldRunTheCallbackInACopyOfTheContextCurrentWhenAdded() {
        ContextVar<String> var = new ContextVar<>("var", "unset");
        AtomicReference<String> seen = new AtomicReference<>();
        ContextVar.Token<String> token = var.set("when added");
        try {
            loop.addSignalHandler(WINCH, () -> {
                seen.set(var.get());
                loop.stop();
            });
            var.set("later");
            loop.callSoon(() -> raise(WINCH));
            runUntilStopped();
        } finally {
            var.reset(token);
        }
        assertEquals("when added", seen.get());
        assertTrue(loop.removeSignalHandler(WINCH));
    }

    @Test
    void shouldRefuseInvalidNumbersAndNames() {
        for (int signum : new int[] {0, -1, 65, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> loop.addSignalHandler(signum, () -> { }));
            assertTrue(e.getMessage().startsWith("invalid signal number " + signum), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> loop.removeSignalHandler(signum));
        }
        for (String name : new String[] {"", "SIG", "FOO", "SIGFOO", "RTMIN-1", "RTMAX+1", "RTMIN+x"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> loop.addSignalHandler(name, () -> { }));
            assertTrue(e.getMessage().contains("unknown signal name"), e.getMessage());
        }
    }

    @Test
    void shouldRefuseTheSignalsThatCannotBeCaught() {
        for (String name : new String[] {"KILL", "STOP"}) {
            int signum = new Signal(name).getNumber();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> loop.addSignalHandler(signum, () -> { }));
            assertEquals("SIG" + name + " (" + signum + ") cannot be caught: the kernel never lets a process "
                    + "handle SIGKILL or SIGSTOP", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> loop.addSignalHandler(name, () -> { }));
            assertFalse(loop.removeSignalHandler(signum));
        }
    }

    @Test
    void shouldRefuseTheSignalsTheJvmReserves() {
        for (String name : new String[] {"QUIT", "ILL", "FPE", "SEGV", "BUS", "USR2", "PIPE", "XFSZ"}) {
            int signum = new Signal(name).getNumber();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> loop.addSignalHandler(signum, () -> { }));
            assertTrue(e.getMessage().startsWith("SIG" + name + " (" + signum + ") is reserved by the JVM: "),
                    e.getMessage());
            assertNull(SignalDispatcher.mechanism(signum));
        }
        int chld = new Signal("CHLD").getNumber();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> loop.addSignalHandler("SIGCHLD", () -> { }));
        assertTrue(e.getMessage().startsWith("SIGCHLD (" + chld + ") is reserved: the JDK's process reaper"),
                e.getMessage());
        assertNull(SignalDispatcher.mechanism(chld));
    }

    @Test
    void shouldRefuseTheSignalsTheCLibraryReserves() {
        assumeTrue(io.jasyncio.internal.natives.NativeLibrary.isAvailable(), "needs the native library");
        int rtmin = SignalNumbers.number("RTMIN");
        for (int signum = new Signal("SYS").getNumber() + 1; signum < rtmin; signum++) {
            int s = signum;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> loop.addSignalHandler(s, () -> { }));
            assertTrue(e.getMessage().contains("is reserved by the C library"), e.getMessage());
        }
    }

    @Test
    void shouldHandleARealTimeSignalThroughTheNativeFallback() {
        assumeTrue(io.jasyncio.internal.natives.NativeLibrary.isAvailable(), "needs the native library");
        int rt = SignalNumbers.number("RTMIN+3");
        List<String> ran = new ArrayList<>();
        // The real-time signal goes first; its callback sends WINCH, whose callback stops the loop.
        loop.addSignalHandler(rt, () -> {
            ran.add("rt on " + Thread.currentThread().getName());
            raise(WINCH);
        });
        loop.addSignalHandler(WINCH, () -> {
            ran.add("winch");
            loop.stop();
        });
        assertEquals(Mechanism.NATIVE, SignalDispatcher.mechanism(rt));
        assertTrue(watcherAlive());
        loop.callSoon(() -> raise(rt));
        runUntilStopped();
        assertEquals(List.of("rt on " + Thread.currentThread().getName(), "winch"), ran);
        assertTrue(loop.removeSignalHandler(rt));
        assertNull(SignalDispatcher.mechanism(rt));
        assertTrue(loop.removeSignalHandler(WINCH));
    }

    @Test
    void shouldStopTheWatcherThreadWhenNoSignalIsHandledNatively() throws InterruptedException {
        assumeTrue(io.jasyncio.internal.natives.NativeLibrary.isAvailable(), "needs the native library");
        int rt = SignalNumbers.number("RTMAX-1");
        loop.addSignalHandler(rt, () -> { });
        assertTrue(watcherAlive());
        assertTrue(loop.removeSignalHandler(rt));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (watcherAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertFalse(watcherAlive(), SignalDispatcher.WATCHER_NAME + " is still running");
    }

    private static boolean watcherAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals(SignalDispatcher.WATCHER_NAME) && t.isAlive());
    }

    @Test
    void shouldRefuseAddAndReturnFalseFromRemoveOnAClosedLoop() {
        loop.close();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> loop.addSignalHandler(WINCH, () -> { }));
        assertEquals("Event loop is closed", e.getMessage());
        assertFalse(loop.removeSignalHandler(WINCH));
        assertNull(SignalDispatcher.mechanism(WINCH));
    }

    @Test
    void shouldRemoveTheLoopsHandlersWhenItCloses() {
        SignalHandler before = currentHandler("WINCH");
        loop.addSignalHandler(WINCH, () -> { });
        loop.addSignalHandler(URG, () -> { });
        loop.close();
        assertNull(SignalDispatcher.mechanism(WINCH));
        assertNull(SignalDispatcher.mechanism(URG));
        assertSame(before, currentHandler("WINCH"));
        assertFalse(loop.removeSignalHandler(WINCH));
    }

    @Test
    void shouldRefuseANullCallback() {
        assertThrows(NullPointerException.class, () -> loop.addSignalHandler(WINCH, null));
        assertNull(SignalDispatcher.mechanism(WINCH));
    }
}
