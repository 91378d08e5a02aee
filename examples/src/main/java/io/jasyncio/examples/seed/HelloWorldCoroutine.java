package io.jasyncio.examples.seed;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;

/** The seed's "Hello World coroutine". */
public final class HelloWorldCoroutine {
    private HelloWorldCoroutine() {
    }

    static Void helloWorld() {
        System.out.println("Hello World!");
        return null;
    }

    public static void main(String[] args) {
        EventLoop loop = Asyncio.newEventLoop();
        // Blocking call which returns when the helloWorld() coroutine is done
        try {
            loop.runUntilComplete(HelloWorldCoroutine::helloWorld);
        } finally {
            loop.close();
        }
    }
}
