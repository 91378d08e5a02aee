package io.jasyncio;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Run in a fresh JVM by {@link SigintTest}: prints "ready" once its main task waits, then reacts
 * to the SIGINTs the test sends. Exit status 3: KeyboardInterruptError came out of Asyncio.run.
 */
public final class SigintProbe {
    private SigintProbe() {
    }

    public static void main(String[] args) {
        String mode = args[0];
        Thread.ofPlatform().daemon().start(() -> {
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException e) {
                return;
            }
            say("watchdog: gave up after 30 s");
            Runtime.getRuntime().halt(99);
        });
        try {
            String result = Asyncio.run(() -> {
                try {
                    say("ready");
                    Asyncio.sleep(3600).await();
                    return "slept";
                } catch (CancelledError e) {
                    say("main task cancelled");
                    if (mode.equals("survive")) {
                        return "survived";
                    }
                    if (mode.equals("twice")) {
                        Asyncio.getRunningLoop().createFuture().await();
                    }
                    throw e;
                } finally {
                    say("main task unwound");
                }
            });
            say("returned " + result);
        } catch (KeyboardInterruptError e) {
            say("KeyboardInterruptError");
            say("handler restored: " + jvmHandlerIsBack());
            System.exit(3);
        }
        say("handler restored: " + jvmHandlerIsBack());
    }

    private static boolean jvmHandlerIsBack() {
        SignalHandler probe = s -> { };
        SignalHandler current = Signal.handle(new Signal("INT"), probe);
        Signal.handle(new Signal("INT"), current);
        return String.valueOf(current).startsWith("java.lang.Terminator");
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
