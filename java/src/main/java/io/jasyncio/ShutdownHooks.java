package io.jasyncio;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A loop's shutdown hooks ({@link EventLoop#addShutdownHook}, asyncio's async-generator
 * finalization for any open asynchronous resource). Loop thread only.
 */
final class ShutdownHooks {
    private final BaseEventLoop loop;
    private final Set<Coroutine<?>> hooks = new LinkedHashSet<>();
    private boolean ran;

    ShutdownHooks(BaseEventLoop loop) {
        this.loop = loop;
    }

    AutoCloseable add(Coroutine<?> hook) {
        if (hook == null) {
            throw new NullPointerException("hook");
        }
        if (ran) {
            throw new IllegalStateException("shutdownAsyncgens() has been called: no more shutdown hooks");
        }
        hooks.add(hook);
        return () -> hooks.remove(hook);
    }

    /** Runs every hook in its own task, concurrently; failures go to the exception handler. */
    Future<Void> runAll() {
        ran = true;
        Future<Void> done = loop.createFuture();
        if (hooks.isEmpty()) {
            done.setResult(null);
            return done;
        }
        List<Coroutine<?>> toRun = new ArrayList<>(hooks);
        hooks.clear();
        List<Future<?>> running = new ArrayList<>();
        for (Coroutine<?> hook : toRun) {
            running.add(loop.createTask(hook));
        }
        Combinators.gather(running, true).addDoneCallback(all -> {
            List<Object> results = all.result();
            for (int i = 0; i < results.size(); i++) {
                if (results.get(i) instanceof Throwable t) {
                    loop.callExceptionHandler(Contexts.of(
                            "message", "an error occurred during a shutdown hook " + toRun.get(i),
                            "exception", t));
                }
            }
            done.setResult(null);
        });
        return done;
    }
}
