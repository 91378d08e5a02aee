package io.jasyncio;

import io.jasyncio.internal.signal.SignalDispatcher;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Run in a fresh JVM by {@link SignalsProcessTest}: sets {@link Signals} handlers for the signals
 * that test sends by PID and prints what happened, one line per step. A watchdog ends it (status
 * 99) after 30 s.
 *
 * <p>Modes: {@code ctrlc} (an INT handler of Signals and one of a loop, both removed: then Ctrl-C
 * runs the shutdown hooks), {@code default-int} ({@link Signals#DEFAULT_INT_HANDLER}: an interrupt
 * out of the main thread's loop, then without a loop the JVM's handling), {@code ignored} (started
 * with INT ignored), {@code xrs} (run with {@code -Xrs}: the native fallback).
 */
public final class SignalsProbe {
    private SignalsProbe() {
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
        Runtime.getRuntime().addShutdownHook(new Thread(() -> say("shutdown hook ran")));
        switch (args[0]) {
            case "ctrlc" -> ctrlC();
            case "default-int" -> defaultInt();
            case "ignored" -> ignored();
            case "xrs" -> xrs();
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void ctrlC() throws Exception {
        say("before: " + Signals.getsignal(Signal.SIGINT));
        BlockingQueue<String> seen = new ArrayBlockingQueue<>(10);
        Signals.Handler handler = s -> seen.add(s.name() + " on " + Thread.currentThread().getName());
        Signals.signal(Signal.SIGINT, handler);
        SelectorEventLoop loop = new SelectorEventLoop();
        loop.addSignalHandler("INT", loop::stop);
        say("ready");
        loop.runForever();
        say("loop got it");
        say(seen.poll(10, TimeUnit.SECONDS));
        say("loop handler removed: " + loop.removeSignalHandler("INT"));
        loop.close();
        say("previous: " + (Signals.signal(Signal.SIGINT, Signals.SIG_DFL) == handler));
        say("after: " + Signals.getsignal(Signal.SIGINT) + " " + SignalDispatcher.mechanism(Signal.SIGINT.number()));
        say("waiting");
        Thread.sleep(60_000);
    }

    private static void defaultInt() throws Exception {
        say("previous: " + Signals.signal(Signal.SIGINT, Signals.DEFAULT_INT_HANDLER));
        SelectorEventLoop loop = new SelectorEventLoop();
        loop.callSoon(() -> say("ready"));
        try {
            loop.runForever();
            say("loop stopped without an interrupt");
        } catch (KeyboardInterruptError e) {
            say("KeyboardInterruptError out of the main thread's loop");
        }
        loop.close();
        say("waiting");
        Thread.sleep(60_000);
    }

    private static void ignored() throws Exception {
        say("getsignal: " + Signals.getsignal(Signal.SIGINT));
        try {
            Signals.signal(Signal.SIGINT, s -> say("handler ran"));
            say("accepted");
        } catch (IllegalStateException e) {
            say("refused: " + e.getMessage());
        }
        say("SIG_IGN again: " + Signals.signal(Signal.SIGINT, Signals.SIG_IGN));
        say("ready");
        say("read " + new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine());
        say("survived");
    }

    private static void xrs() throws Exception {
        say("before: " + Signals.getsignal(Signal.SIGINT));
        BlockingQueue<String> seen = new ArrayBlockingQueue<>(10);
        Signals.signal(Signal.SIGINT, s -> seen.add(s.name() + " on " + Thread.currentThread().getName()));
        say("mechanism " + SignalDispatcher.mechanism(Signal.SIGINT.number()));
        say("ready");
        say(seen.poll(20, TimeUnit.SECONDS));
        Signals.signal(Signal.SIGINT, Signals.SIG_DFL);
        say("after: " + Signals.getsignal(Signal.SIGINT));
        say("waiting");
        Thread.sleep(60_000);
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
