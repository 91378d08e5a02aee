package io.jasyncio.examples.seed;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;

/** The seed's "Parallel execution of tasks": three factorials computed side by side. */
public final class ParallelTasks {
    private ParallelTasks() {
    }

    static Void factorial(String name, int number) throws Exception {
        long f = 1;
        for (int i = 2; i <= number; i++) {
            System.out.println("Task " + name + ": Compute factorial(" + i + ")...");
            Asyncio.sleep(1).await();
            f *= i;
        }
        System.out.println("Task " + name + ": factorial(" + number + ") = " + f);
        return null;
    }

    public static void main(String[] args) {
        EventLoop loop = Asyncio.newEventLoop();
        try {
            loop.runUntilComplete(Asyncio.gather(
                    loop.createTask(() -> factorial("A", 2)),
                    loop.createTask(() -> factorial("B", 3)),
                    loop.createTask(() -> factorial("C", 4))));
        } finally {
            loop.close();
        }
    }
}
