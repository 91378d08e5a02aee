package io.jasyncio.examples.seed;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;

/** The seed's "Future with runUntilComplete()": a coroutine fills a future in. */
public final class FutureRunUntilComplete {
    private FutureRunUntilComplete() {
    }

    static Void slowOperation(Future<String> future) throws Exception {
        Asyncio.sleep(1).await();
        future.setResult("Future is done!");
        return null;
    }

    public static void main(String[] args) {
        EventLoop loop = Asyncio.newEventLoop();
        try {
            Future<String> future = loop.createFuture();
            Asyncio.ensureFuture(() -> slowOperation(future), loop);
            loop.runUntilComplete(future);
            System.out.println(future.result());
        } finally {
            loop.close();
        }
    }
}
