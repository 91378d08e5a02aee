package io.jasyncio.examples.seed;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;

import java.time.LocalDateTime;

/** The seed's "Display the current date with callLater()": once a second for five seconds. */
public final class DisplayDateCallLater {
    private DisplayDateCallLater() {
    }

    static void displayDate(double endTime, EventLoop loop) {
        System.out.println(LocalDateTime.now());
        if (loop.time() + 1.0 < endTime) {
            loop.callLater(1, () -> displayDate(endTime, loop));
        } else {
            loop.stop();
        }
    }

    public static void main(String[] args) {
        EventLoop loop = Asyncio.newEventLoop();
        // Schedule the first call to displayDate()
        double endTime = loop.time() + 5.0;
        loop.callSoon(() -> displayDate(endTime, loop));
        // Blocking call interrupted by loop.stop()
        try {
            loop.runForever();
        } finally {
            loop.close();
        }
    }
}
