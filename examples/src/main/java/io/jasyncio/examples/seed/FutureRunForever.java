package io.jasyncio.examples.seed;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;

/** The seed's "Future with runForever()": a done callback prints the result and stops the loop. */
public final class FutureRunForever {
    private FutureRunForever() {
    }

    static Void slowOperation(Future<String> future) throws Exception {
        Asyncio.sleep(1).await();
        future.setResult("Future is done!");
        return null;
    }

    static void gotResult(Future<String> future, EventLoop loop) {
        System.out.println(future.result());
        loop.stop();
    }

    public static void main(String[] args) {
        EventLoop loop = Asyncio.newEventLoop();
        try {
            Future<String> future = loop.createFuture();
            Asyncio.ensureFuture(() -> slowOperation(future), loop);
            future.addDoneCallback(f -> gotResult(f, loop));
            loop.runForever();
        } finally {
            loop.close();
        }
    }
}
