package io.jasyncio.examples.seed;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;

import java.time.LocalDateTime;

/** The seed's "Coroutine displaying the current date": once a second for five seconds. */
public final class DisplayDateCoroutine {
    private DisplayDateCoroutine() {
    }

    static Void displayDate(EventLoop loop) throws Exception {
        double endTime = loop.time() + 5.0;
        while (true) {
            System.out.println(LocalDateTime.now());
            if (loop.time() + 1.0 >= endTime) {
                break;
            }
            Asyncio.sleep(1).await();
        }
        return null;
    }

    public static void main(String[] args) {
        EventLoop loop = Asyncio.newEventLoop();
        // Blocking call which returns when the displayDate() coroutine is done
        try {
            loop.runUntilComplete(() -> displayDate(loop));
        } finally {
            loop.close();
        }
    }
}
