package io.jasyncio;

import io.jasyncio.internal.signal.SignalDispatcher;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Run in a fresh JVM by {@link SignalProcessTest}: handles the signals that test sends by PID and
 * prints what happened, one line per step. A watchdog ends it (status 99) after 30 s.
 *
 * <p>Modes: {@code int BACKEND} (a loop's INT handler, then the JVM's own handler is back),
 * {@code xrs BACKEND} (run with {@code -Xrs}: INT and TERM through the native fallback),
 * {@code xrs-usr1-rt BACKEND} (run with {@code -Xrs}: USR1, which the JDK then accepts and never
 * delivers, and SIGRTMIN+2, both through the native fallback), {@code ignored} (started with INT
 * ignored: the handler is refused and INT stays ignored), and
 * {@code nonative} (run with {@code -Xrs} and without the native library: every signal needs
 * the fallback then, so each is refused with the reason).
 */
public final class SignalProbe {
    private static final int SIGINT = new Signal("INT").getNumber();
    private static final int SIGTERM = new Signal("TERM").getNumber();

    private SignalProbe() {
    }

    public static void main(String[] args) throws Exception {
        Thread.ofPlatform().daemon().start(() -> {
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException e) {
                return;
            }
            say("watchdog: gave up after 30 s");
            Runtime.getRuntime().halt(99);
        });
        switch (args[0]) {
            case "int" -> intHandler(SelectorEventLoop.Backend.valueOf(args[1]));
            case "xrs" -> xrs(SelectorEventLoop.Backend.valueOf(args[1]));
            case "xrs-usr1-rt" -> xrsUsr1AndRealTime(SelectorEventLoop.Backend.valueOf(args[1]));
            case "ignored" -> ignored();
            case "nonative" -> noNative();
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void intHandler(SelectorEventLoop.Backend backend) throws InterruptedException {
        // A handler added during Asyncio.run sets the runner's Ctrl-C guard aside; when the run
        // is over and the loop closed, the JVM's handler is back, not the guard.
        Asyncio.run(() -> {
            Asyncio.getRunningLoop().addSignalHandler("INT", () -> { });
            return null;
        });
        say("after Asyncio.run, JVM handler back: " + jvmHandlerIsBack());

        SelectorEventLoop loop = new SelectorEventLoop(backend);
        Thread main = Thread.currentThread();
        loop.addSignalHandler("INT", () -> {
            say("SIGINT on the loop thread: " + (Thread.currentThread() == main));
            loop.stop();
        });
        say("mechanism " + SignalDispatcher.mechanism(SIGINT));
        say("ready");
        loop.runForever();
        say("removed: " + loop.removeSignalHandler("SIGINT"));
        say("JVM handler back: " + jvmHandlerIsBack());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> say("shutdown hook ran")));
        loop.close();
        say("waiting");
        Thread.sleep(60_000);
    }

    private static void xrs(SelectorEventLoop.Backend backend) throws InterruptedException {
        SelectorEventLoop loop = new SelectorEventLoop(backend);
        Thread main = Thread.currentThread();
        loop.addSignalHandler("INT", () -> say("SIGINT on the loop thread: " + (Thread.currentThread() == main)));
        loop.addSignalHandler("TERM", () -> {
            say("SIGTERM on the loop thread: " + (Thread.currentThread() == main));
            loop.stop();
        });
        say("mechanism " + SignalDispatcher.mechanism(SIGINT) + " " + SignalDispatcher.mechanism(SIGTERM));
        say("ready");
        loop.runForever();
        say("removed: " + loop.removeSignalHandler(SIGINT) + " " + loop.removeSignalHandler(SIGTERM));
        say("watcher stopped: " + watcherStops());
        loop.close();
        say("waiting");
        Thread.sleep(60_000);
    }

    private static void xrsUsr1AndRealTime(SelectorEventLoop.Backend backend) throws InterruptedException {
        SelectorEventLoop loop = new SelectorEventLoop(backend);
        Thread main = Thread.currentThread();
        int usr1 = new Signal("USR1").getNumber();
        int rt = io.jasyncio.internal.signal.SignalNumbers.number("RTMIN+2");
        loop.addSignalHandler("USR1", () -> say("SIGUSR1 on the loop thread: " + (Thread.currentThread() == main)));
        loop.addSignalHandler(rt, () -> {
            say("SIGRTMIN+2 on the loop thread: " + (Thread.currentThread() == main));
            loop.stop();
        });
        say("mechanism " + SignalDispatcher.mechanism(usr1) + " " + SignalDispatcher.mechanism(rt));
        say("ready");
        loop.runForever();
        say("removed: " + loop.removeSignalHandler(usr1) + " " + loop.removeSignalHandler(rt));
        say("watcher stopped: " + watcherStops());
        loop.close();
        say("waiting");
        Thread.sleep(60_000);
    }

    private static void ignored() throws Exception {
        SelectorEventLoop loop = new SelectorEventLoop();
        try {
            loop.addSignalHandler("INT", () -> say("handler ran"));
            say("added");
        } catch (IllegalStateException e) {
            say("refused: " + e.getMessage());
        }
        say("mechanism " + SignalDispatcher.mechanism(SIGINT));
        say("still ignored: " + (currentHandler("INT") == SignalHandler.SIG_IGN));
        say("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        say("read " + in.readLine());
        loop.close();
        say("survived");
    }

    private static void noNative() {
        SelectorEventLoop loop = new SelectorEventLoop();
        say("probe: backend " + loop.backend());
        for (String name : new String[] {"WINCH", "INT", "RTMIN"}) {
            try {
                loop.addSignalHandler(name, () -> { });
                say("probe: added " + name);
            } catch (IllegalArgumentException e) {
                say("probe: refused " + e.getMessage());
            }
        }
        try {
            loop.addSignalHandler(40, () -> { });
            say("probe: added 40");
        } catch (IllegalArgumentException e) {
            say("probe: refused " + e.getMessage());
        }
        loop.close();
    }

    private static SignalHandler currentHandler(String name) {
        SignalHandler current = Signal.handle(new Signal(name), s -> { });
        Signal.handle(new Signal(name), current);
        return current;
    }

    private static boolean jvmHandlerIsBack() {
        return String.valueOf(currentHandler("INT")).startsWith("java.lang.Terminator");
    }

    private static boolean watcherStops() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            boolean alive = Thread.getAllStackTraces().keySet().stream()
                    .anyMatch(t -> t.getName().equals(SignalDispatcher.WATCHER_NAME));
            if (!alive) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
