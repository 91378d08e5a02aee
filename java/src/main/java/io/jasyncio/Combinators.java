package io.jasyncio;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/** The implementations behind {@link Asyncio}'s combinators, written with futures and callbacks. */
final class Combinators {
    private Combinators() {
    }

    /**
     * What {@code sleep(0)} returns: done on the next iteration, or, when a task awaits it, at
     * once with the task giving up exactly one turn (asyncio's bare {@code yield}).
     */
    static final class Yield<T> extends Future<T> {
        private final T value;
        private Handle pending;

        Yield(BaseEventLoop loop, T value) {
            super(loop);
            this.value = value;
            this.pending = loop.callSoon(() -> {
                if (!done()) {
                    completeResult(value);
                }
            });
        }

        /** Called by an awaiting task: completes now instead of on the next iteration. */
        void completeForAwait() {
            pending.cancel();
            completeResult(value);
        }
    }

    static <T> Future<T> sleep(BaseEventLoop loop, long delayNanos, T result) {
        if (delayNanos <= 0) {
            return new Yield<>(loop, result);
        }
        Future<T> f = loop.createFuture();
        Runnable fire = () -> {
            if (!f.done()) {
                f.setResult(result);
            }
        };
        TimerHandle h = loop.callAtNanos(loop.timeNanos() + delayNanos, fire);
        f.addDoneCallback(done -> {
            if (done.cancelled()) {
                h.cancel();
            }
        });
        return f;
    }

    // ---- gather ----

    /** The outer future of {@code gather}: cancelling it cancels the children. */
    private static final class GatheringFuture extends Future<List<Object>> {
        private final List<Future<?>> children;
        private boolean cancelRequested;

        GatheringFuture(BaseEventLoop loop, List<Future<?>> children) {
            super(loop);
            this.children = children;
        }

        @Override
        public boolean cancel(String message) {
            if (done()) {
                return false;
            }
            boolean any = false;
            for (Future<?> child : children) {
                if (child.cancel(message)) {
                    any = true;
                }
            }
            if (any) {
                cancelRequested = true;
            }
            return any;
        }
    }

    static Future<List<Object>> gather(List<? extends Future<?>> futures, boolean returnExceptions) {
        if (futures.isEmpty()) {
            Future<List<Object>> empty = ((BaseEventLoop) Asyncio.getEventLoop()).createFuture();
            empty.setResult(new ArrayList<>());
            return empty;
        }
        BaseEventLoop loop = futures.get(0).loop;
        Map<Future<?>, Boolean> distinct = new IdentityHashMap<>();
        List<Future<?>> children = new ArrayList<>(futures.size());
        for (Future<?> f : futures) {
            if (f.loop != loop) {
                throw new IllegalArgumentException("futures are tied to different event loops");
            }
            children.add(f);
            distinct.put(f, Boolean.TRUE);
        }
        GatheringFuture outer = new GatheringFuture(loop, children);
        int total = distinct.size();
        int[] finished = new int[1];
        Consumer<Future<?>> onChildDone = child -> {
            finished[0]++;
            if (outer.done()) {
                if (!child.cancelled()) {
                    child.markRetrieved();
                }
                return;
            }
            if (!returnExceptions) {
                if (child.cancelled()) {
                    outer.completeException(child.makeCancelledException());
                    return;
                }
                Throwable e = child.exception();
                if (e != null) {
                    outer.completeException(e);
                    return;
                }
            }
            if (finished[0] == total) {
                List<Object> results = new ArrayList<>(children.size());
                for (Future<?> f : children) {
                    if (f.cancelled()) {
                        results.add(f.makeCancelledException());
                    } else if (f.exception() != null) {
                        results.add(f.exception());
                    } else {
                        results.add(f.result());
                    }
                }
                if (outer.cancelRequested) {
                    // Cancelling gather propagates, whatever returnExceptions says.
                    outer.completeException(child.makeCancelledException());
                } else {
                    outer.completeResult(results);
                }
            }
        };
        for (Future<?> f : distinct.keySet()) {
            f.addDoneCallback(onChildDone);
        }
        return outer;
    }

    // ---- wait ----

    static <T> Future<WaitResult<T>> wait(Collection<? extends Future<T>> futures, Double timeout,
            ReturnWhen returnWhen) {
        if (futures == null || futures.isEmpty()) {
            throw new IllegalArgumentException("Set of awaitables is empty.");
        }
        if (returnWhen == null) {
            throw new IllegalArgumentException("Invalid returnWhen value: null");
        }
        Set<Future<T>> fs = new LinkedHashSet<>(futures);
        BaseEventLoop loop = fs.iterator().next().loop;
        Future<WaitResult<T>> waiter = loop.createFuture();
        Runnable finish = () -> {
            if (waiter.done()) {
                return;
            }
            Set<Future<T>> done = new LinkedHashSet<>();
            Set<Future<T>> pending = new LinkedHashSet<>();
            for (Future<T> f : fs) {
                (f.done() ? done : pending).add(f);
            }
            waiter.completeResult(new WaitResult<>(done, pending));
        };
        int[] counter = {fs.size()};
        boolean satisfied = false;
        for (Future<T> f : fs) {
            if (f.done() && (returnWhen == ReturnWhen.FIRST_COMPLETED
                    || returnWhen == ReturnWhen.FIRST_EXCEPTION && !f.cancelled() && f.exception() != null)) {
                satisfied = true;
            }
        }
        boolean allDone = fs.stream().allMatch(Future::done);
        if (satisfied || allDone) {
            finish.run();
            return waiter;
        }
        TimerHandle timer = timeout == null ? null : loop.callLater(timeout, finish);
        Consumer<Future<T>> onDone = f -> {
            counter[0]--;
            if (counter[0] <= 0 || returnWhen == ReturnWhen.FIRST_COMPLETED
                    || returnWhen == ReturnWhen.FIRST_EXCEPTION && !f.cancelled() && f.exception() != null) {
                finish.run();
            }
        };
        for (Future<T> f : fs) {
            if (f.done()) {
                counter[0]--;
            } else {
                f.addDoneCallback(onDone);
            }
        }
        waiter.addDoneCallback(w -> {
            if (timer != null) {
                timer.cancel();
            }
            for (Future<T> f : fs) {
                f.removeDoneCallback(onDone);
            }
        });
        return waiter;
    }

    // ---- waitFor ----

    static <T> Future<T> waitFor(Future<T> inner, Double timeout) {
        BaseEventLoop loop = inner.loop;
        Future<T> outer = loop.createFuture();
        boolean[] timedOut = new boolean[1];
        TimerHandle[] timer = new TimerHandle[1];
        Consumer<Future<T>> onInner = f -> {
            if (timer[0] != null) {
                timer[0].cancel();
            }
            if (outer.done()) {
                if (!f.cancelled()) {
                    f.markRetrieved();
                }
                return;
            }
            if (f.cancelled()) {
                CancelledException c = f.makeCancelledException();
                if (timedOut[0]) {
                    TimeoutException te = new TimeoutException();
                    te.initCause(c);
                    outer.completeException(te);
                } else {
                    outer.cancel(c.getMessage());
                }
            } else if (f.exception() != null) {
                outer.completeException(f.exception());
            } else {
                outer.completeResult(f.result());
            }
        };
        if (timeout != null && timeout <= 0 && !inner.done()) {
            timedOut[0] = true;
            inner.cancel();
        } else if (timeout != null && !inner.done()) {
            timer[0] = loop.callLater(timeout, () -> {
                timedOut[0] = true;
                inner.cancel();
            });
        }
        inner.addDoneCallback(onInner);
        outer.addDoneCallback(o -> {
            if (o.cancelled()) {
                if (timer[0] != null) {
                    timer[0].cancel();
                }
                inner.cancel();
            }
        });
        return outer;
    }

    // ---- shield ----

    static <T> Future<T> shield(Future<T> inner) {
        if (inner.done()) {
            return inner;
        }
        Future<T> outer = inner.loop.createFuture();
        Consumer<Future<T>> onInner = f -> {
            if (outer.cancelled()) {
                if (!f.cancelled()) {
                    f.markRetrieved();
                }
                return;
            }
            if (f.cancelled()) {
                outer.cancel();
            } else if (f.exception() != null) {
                outer.completeException(f.exception());
            } else {
                outer.completeResult(f.result());
            }
        };
        inner.addDoneCallback(onInner);
        outer.addDoneCallback(o -> {
            if (!inner.done()) {
                inner.removeDoneCallback(onInner);
            }
        });
        return outer;
    }

    // ---- asCompleted ----

    static <T> Iterator<Future<T>> asCompleted(Collection<? extends Future<T>> futures, Double timeout) {
        Set<Future<T>> todo = new LinkedHashSet<>(futures);
        int total = todo.size();
        if (total == 0) {
            return java.util.Collections.emptyIterator();
        }
        BaseEventLoop loop = todo.iterator().next().loop;
        ArrayDeque<Future<T>> completed = new ArrayDeque<>();
        ArrayDeque<Future<T>> waiters = new ArrayDeque<>();
        boolean[] expired = new boolean[1];
        TimerHandle[] timer = new TimerHandle[1];
        Consumer<Future<T>> onDone = f -> {
            if (!todo.remove(f) || expired[0]) {
                return;
            }
            Future<T> w = waiters.poll();
            if (w != null) {
                copyState(f, w);
            } else {
                completed.add(f);
            }
            if (todo.isEmpty() && timer[0] != null) {
                timer[0].cancel();
            }
        };
        for (Future<T> f : new ArrayList<>(todo)) {
            f.addDoneCallback(onDone);
        }
        if (timeout != null) {
            timer[0] = loop.callLater(timeout, () -> {
                expired[0] = true;
                for (Future<T> f : todo) {
                    f.removeDoneCallback(onDone);
                }
                todo.clear();
                for (Future<T> w; (w = waiters.poll()) != null; ) {
                    if (!w.done()) {
                        w.completeException(new TimeoutException());
                    }
                }
            });
        }
        return new Iterator<>() {
            private int yielded;

            @Override
            public boolean hasNext() {
                return yielded < total;
            }

            @Override
            public Future<T> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                yielded++;
                Future<T> done = completed.poll();
                if (done != null) {
                    return done;
                }
                Future<T> w = loop.createFuture();
                if (expired[0]) {
                    w.completeException(new TimeoutException());
                } else {
                    waiters.add(w);
                }
                return w;
            }
        };
    }

    private static <T> void copyState(Future<T> from, Future<T> to) {
        if (to.done()) {
            return;
        }
        if (from.cancelled()) {
            to.cancel();
        } else if (from.exception() != null) {
            to.completeException(from.exception());
        } else {
            to.completeResult(from.result());
        }
    }

    // ---- bridges ----

    static <T> Future<T> wrap(CompletionStage<T> stage, BaseEventLoop loop) {
        Future<T> f = loop.createFuture();
        stage.whenComplete((value, error) -> {
            Runnable complete = () -> {
                if (f.done()) {
                    return;
                }
                if (error == null) {
                    f.completeResult(value);
                } else {
                    Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    if (cause instanceof java.util.concurrent.CancellationException) {
                        f.cancel();
                    } else {
                        f.completeException(cause);
                    }
                }
            };
            if (loop.isInLoopThread()) {
                complete.run();
            } else if (!loop.isClosed()) {
                try {
                    loop.callSoonThreadsafe(complete);
                } catch (IllegalStateException closed) {
                    // the loop closed meanwhile: nobody waits for the result any more
                }
            }
        });
        f.addDoneCallback(done -> {
            if (done.cancelled() && stage instanceof java.util.concurrent.Future<?> jf) {
                jf.cancel(true);
            }
        });
        return f;
    }
}
