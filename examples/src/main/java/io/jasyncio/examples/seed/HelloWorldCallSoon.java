package io.jasyncio.examples.seed;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;

/** The seed's "Hello World with callSoon()": one callback prints, then stops the loop. */
public final class HelloWorldCallSoon {
    private HelloWorldCallSoon() {
    }

    static void helloWorld(EventLoop loop) {
        System.out.println("Hello World");
        loop.stop();
    }

    public static void main(String[] args) {
        EventLoop loop = Asyncio.newEventLoop();
        // Schedule a call to helloWorld()
        loop.callSoon(() -> helloWorld(loop));
        // Blocking call interrupted by loop.stop()
        try {
            loop.runForever();
        } finally {
            loop.close();
        }
    }
}
