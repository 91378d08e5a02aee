package io.jasyncio.examples;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.SelectorEventLoop;
import io.jasyncio.Task;

import java.time.LocalTime;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * The main program until the chat server exists: one loop running timers, tasks that await each
 * other, a cancelled task, a timeout and a callback posted from another thread.
 */
public final class Demo {
    private Demo() {
    }

    public static void main(String[] args) {
        String summary = Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            say("loop: " + ((SelectorEventLoop) loop).backend() + "; hello from the first task");

            long scheduled = loop.timeNanos();
            loop.callLater(0.05, () -> say(String.format(Locale.ROOT,
                    "a timer asked for 50 ms fired %.1f ms after it was scheduled", millisSince(loop, scheduled))));

            Task<String> slow = Asyncio.createTask(() -> count("slow", 3, 0.04), "slow");
            Task<String> fast = Asyncio.createTask(() -> count("fast", 3, 0.02), "fast");
            List<Object> both = Asyncio.gather(slow, fast).await();
            say("gather returned " + both);

            Task<Void> forever = Asyncio.createTask(() -> Asyncio.sleep(3600).await(), "forever");
            long waitStart = loop.timeNanos();
            try {
                Asyncio.waitFor(forever, 0.05).await();
            } catch (TimeoutException e) {
                say(String.format(Locale.ROOT,
                        "waitFor with a 50 ms limit gave up after %.1f ms; the task is cancelled: %b",
                        millisSince(loop, waitStart), forever.cancelled()));
            }

            Future<String> fromThread = loop.createFuture();
            Thread.ofPlatform().name("helper-thread").start(() -> {
                String poster = Thread.currentThread().getName();
                loop.callSoonThreadsafe(() -> fromThread.setResult("posted by " + poster));
            });
            say("a callback from another thread: " + fromThread.await());
            return "demo done";
        });
        say(summary);
    }

    private static String count(String name, int times, double pause) throws Exception {
        for (int i = 1; i <= times; i++) {
            say(name + " " + i + "/" + times);
            Asyncio.sleep(pause).await();
        }
        return name + " finished";
    }

    private static double millisSince(EventLoop loop, long startNanos) {
        return (loop.timeNanos() - startNanos) / 1e6;
    }

    private static void say(String line) {
        System.out.println(LocalTime.now() + "  " + line);
    }
}
