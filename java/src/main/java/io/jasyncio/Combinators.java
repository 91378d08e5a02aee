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
        TimerHandle h = loop.callAtNanos(Delays.deadline(loop.timeNanos(), delayNanos), fire);
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
        List<Future<?>> pending = new ArrayList<>();
        List<Future<?>> alreadyDone = new ArrayList<>();
        for (Future<?> f : futures) {
            if (f.loop != loop) {
                throw new IllegalArgumentException("futures are tied to different event loops");
            }
            children.add(f);
            if (distinct.put(f, Boolean.TRUE) == null) {
                (f.done() ? alreadyDone : pending).add(f);
            }
        }
        GatheringFuture outer = new GatheringFuture(loop, children);
        int total = distinct.size();
        int[] finished = new int[1];
        Consumer<Future<?>> onChildDone = child -> {
            finished[0]++;
            if (outer.done()) {
                if (!child.cancelled()) {
                    child.retrieved();
                }
                return;
            }
            if (!returnExceptions) {
                if (child.cancelled()) {
                    outer.completeException(child.makeCancelledError());
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
                        results.add(f.makeCancelledError());
                    } else if (f.exception() != null) {
                        results.add(f.exception());
                    } else {
                        results.add(f.result());
                    }
                }
                if (outer.cancelRequested) {
                    // Cancelling gather propagates, whatever returnExceptions says.
                    outer.completeException(child.makeCancelledError());
                } else {
                    outer.completeResult(results);
                }
            }
        };
        for (Future<?> f : pending) {
            f.addDoneCallback(onChildDone);
        }
        // Children done already count at once, as asyncio does: a gather of finished (for
        // instance eager) tasks is itself finished when it is returned.
        for (Future<?> f : alreadyDone) {
            onChildDone.accept(f);
        }
        return outer;
    }

    // ---- wait ----

    private static void release(Future<Void> waiter) {
        if (!waiter.done()) {
            waiter.completeResult(null);
        }
    }

    /**
     * asyncio's {@code wait}: a waiter is released when {@code returnWhen} holds or the timeout
     * passes, and the done and pending sets are made when the waiter's callback runs, one turn
     * later, which is when asyncio's waiting coroutine resumes and looks. A future that finished
     * meanwhile is in the done set. A timeout of {@link Delays#NEVER} sets no timer.
     */
    static <T> Future<WaitResult<T>> wait(Collection<? extends Future<T>> futures, long timeoutNanos,
            ReturnWhen returnWhen) {
        if (futures == null || futures.isEmpty()) {
            throw new IllegalArgumentException("Set of awaitables is empty.");
        }
        if (returnWhen == null) {
            throw new IllegalArgumentException("Invalid returnWhen value: null");
        }
        Set<Future<T>> fs = new LinkedHashSet<>(futures);
        BaseEventLoop loop = fs.iterator().next().loop;
        Future<WaitResult<T>> outer = loop.createFuture();
        Future<Void> waiter = loop.createFuture();
        TimerHandle timer = timeoutNanos == Delays.NEVER ? null
                : loop.callAtNanos(Delays.deadline(loop.timeNanos(), timeoutNanos), () -> release(waiter));
        int[] counter = {fs.size()};
        Consumer<Future<T>> onCompletion = f -> {
            counter[0]--;
            if (counter[0] <= 0 || returnWhen == ReturnWhen.FIRST_COMPLETED
                    || returnWhen == ReturnWhen.FIRST_EXCEPTION && !f.cancelled() && f.exception() != null) {
                if (timer != null) {
                    timer.cancel();
                }
                release(waiter);
            }
        };
        for (Future<T> f : fs) {
            f.addDoneCallback(onCompletion);
        }
        waiter.addDoneCallback(w -> {
            if (timer != null) {
                timer.cancel();
            }
            for (Future<T> f : fs) {
                f.removeDoneCallback(onCompletion);
            }
            if (outer.done()) {
                return;
            }
            Set<Future<T>> done = new LinkedHashSet<>();
            Set<Future<T>> pending = new LinkedHashSet<>();
            for (Future<T> f : fs) {
                (f.done() ? done : pending).add(f);
            }
            outer.completeResult(new WaitResult<>(done, pending));
        });
        outer.addDoneCallback(o -> {
            if (o.cancelled()) {
                waiter.cancel();
            }
        });
        return outer;
    }

    // ---- waitFor ----

    /**
     * What {@code waitFor} returns. asyncio's {@code wait_for} runs inside the task that awaits
     * it, so cancelling that task cancels the inner future and then waits for it to finish:
     * cancelling this future does the same, and it ends as the inner ends (cancelled, or with the
     * result of an inner that caught the cancellation).
     */
    private static final class WaitForFuture<T> extends Future<T> {
        private final Future<T> inner;
        /** Whether someone cancelled this future (as opposed to the timeout). */
        boolean cancelRequested;

        WaitForFuture(BaseEventLoop loop, Future<T> inner) {
            super(loop);
            this.inner = inner;
        }

        @Override
        public boolean cancel(String message) {
            if (done()) {
                return false;
            }
            cancelRequested = true;
            if (!inner.done() && inner.cancel(message)) {
                return true;
            }
            return super.cancel(message);
        }
    }

    /** {@code timeoutNanos}: {@link Delays#NEVER} for none; zero or less cancels at once. */
    static <T> Future<T> waitFor(Future<T> inner, long timeoutNanos) {
        BaseEventLoop loop = inner.loop;
        WaitForFuture<T> outer = new WaitForFuture<>(loop, inner);
        boolean[] timedOut = new boolean[1];
        TimerHandle[] timer = new TimerHandle[1];
        Consumer<Future<T>> onInner = f -> {
            if (timer[0] != null) {
                timer[0].cancel();
            }
            if (outer.done()) {
                if (!f.cancelled()) {
                    f.retrieved();
                }
                return;
            }
            if (f.cancelled()) {
                CancelledError c = f.makeCancelledError();
                if (timedOut[0] && !outer.cancelRequested) {
                    TimeoutException te = new TimeoutException();
                    te.initCause(c);
                    outer.completeException(te);
                } else {
                    outer.cancelFrom(c);
                }
            } else if (f.exception() != null) {
                outer.completeException(f.exception());
            } else {
                outer.completeResult(f.result());
            }
        };
        if (timeoutNanos <= 0 && !inner.done()) {
            timedOut[0] = true;
            inner.cancel();
        } else if (timeoutNanos != Delays.NEVER && !inner.done()) {
            timer[0] = loop.callAtNanos(Delays.deadline(loop.timeNanos(), timeoutNanos), () -> {
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

    /**
     * Reports the exception of a shielded future whose shield was cancelled, since nobody is left
     * to retrieve it (one instance, so several cancelled shields report it once).
     */
    private static final Consumer<Future<?>> LOG_ON_EXCEPTION = fut -> {
        if (fut.cancelled()) {
            return;
        }
        Throwable exc = fut.exception();
        if (exc == null) {
            return;
        }
        fut.loop.callExceptionHandler(Contexts.of(
                "message", exc.getClass().getSimpleName() + " exception in shielded future",
                "exception", exc,
                "future", fut));
    };

    static <T> Future<T> shield(Future<T> inner) {
        if (inner.done()) {
            return inner;
        }
        Future<T> outer = inner.loop.createFuture();
        Consumer<Future<T>> onInner = f -> {
            if (outer.cancelled()) {
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
                inner.removeDoneCallback(LOG_ON_EXCEPTION);
                inner.addDoneCallback(LOG_ON_EXCEPTION);
            }
        });
        return outer;
    }

    // ---- asCompleted ----

    static <T> Iterator<Future<T>> asCompleted(Collection<? extends Future<T>> futures, long timeoutNanos) {
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
        if (timeoutNanos != Delays.NEVER) {
            timer[0] = loop.callAtNanos(Delays.deadline(loop.timeNanos(), timeoutNanos), () -> {
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
        /*
         * asyncio's plain iterator yields coroutines that take the next completion when they are
         * awaited, so the first one awaited gets the first result whatever order they were made
         * in. These futures do the same: each takes its completion when first watched (awaited,
         * given a done callback, waited for).
         */
        BaseEventLoop owner = loop;
        final class Next extends Future<T> {
            private boolean bound;

            Next() {
                super(owner);
            }

            @Override
            public void addDoneCallback(Consumer<? super Future<T>> callback, Context context) {
                if (!bound) {
                    bound = true;
                    Future<T> done = completed.poll();
                    if (done != null) {
                        copyState(done, this);
                    } else if (expired[0]) {
                        completeException(new TimeoutException());
                    } else {
                        waiters.add(this);
                    }
                }
                super.addDoneCallback(callback, context);
            }
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
                return new Next();
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
