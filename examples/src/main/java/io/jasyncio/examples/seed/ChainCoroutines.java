package io.jasyncio.examples.seed;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;

/** The seed's "Chain coroutines": one coroutine awaits another's result. */
public final class ChainCoroutines {
    private ChainCoroutines() {
    }

    static int compute(int x, int y) throws Exception {
        System.out.println("Compute " + x + " + " + y + " ...");
        Asyncio.sleep(1.0).await();
        return x + y;
    }

    static Void printSum(int x, int y) throws Exception {
        int result = compute(x, y);
        System.out.println(x + " + " + y + " = " + result);
        return null;
    }

    public static void main(String[] args) {
        EventLoop loop = Asyncio.newEventLoop();
        try {
            loop.runUntilComplete(() -> printSum(1, 2));
        } finally {
            loop.close();
        }
    }
}
