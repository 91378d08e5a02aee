package io.jasyncio;

import java.util.ArrayDeque;
import java.util.Objects;

/**
 * A first-in first-out queue between tasks (asyncio's {@code Queue}). {@link #get()} suspends the
 * calling task while the queue is empty; {@link #put(Object)} suspends it while the queue holds
 * {@link #maxsize()} items (never, when {@code maxsize <= 0}). {@link #getNowait()} and
 * {@link #putNowait(Object)} never suspend and throw instead.
 *
 * <pre>{@code
 * Queue<Job> jobs = new Queue<>(100);
 * // producer task:  jobs.put(job);
 * // consumer task:  Job job = jobs.get(); try { run(job); } finally { jobs.taskDone(); }
 * // then:           jobs.join();   // every job put so far has been taken and finished
 * }</pre>
 *
 * <p>Waiting getters and putters are woken one per item or free slot, longest waiting first. A
 * woken getter that is cancelled before it runs passes its turn to the next getter (the same for
 * putters), so an item is never left in the queue with a getter asleep. An operation that does not
 * have to wait returns without letting other tasks run.
 *
 * <p>{@link #shutdown(boolean)} (asyncio 3.13) stops the queue: puts fail with
 * {@link QueueShutDownException}, gets fail once the queue is empty, and waiting tasks are woken to
 * see it.
 *
 * <p>Items must not be null ({@link NullPointerException}), as in {@code java.util.concurrent}'s
 * queues; {@link #shutdown(boolean)} is the way to tell consumers to stop. The queue belongs to the
 * loop of the first task that waits on it. Not thread safe: use it on that loop's thread only.
 *
 * @param <T> the item type
 */
public class Queue<T> extends LoopBound {
    private final int maxsize;
    private final java.util.Queue<T> items;
    /** Futures of the tasks waiting in get(), oldest first. */
    private final ArrayDeque<Future<Void>> getters = new ArrayDeque<>();
    /** Futures of the tasks waiting in put(), oldest first. */
    private final ArrayDeque<Future<Void>> putters = new ArrayDeque<>();
    private int unfinishedTasks;
    /** Set while every item put has been marked done; join() waits for it. */
    private final Event finished = new Event();
    private boolean shutdown;

    /** An unbounded queue. */
    public Queue() {
        this(0);
    }

    /**
     * A queue that holds at most {@code maxsize} items.
     *
     * @param maxsize the most items the queue holds; {@code <= 0}: unbounded
     */
    public Queue(int maxsize) {
        this(maxsize, new ArrayDeque<>());
    }

    /** A queue whose items are kept, and ordered, by {@code items}. */
    Queue(int maxsize, java.util.Queue<T> items) {
        this.maxsize = maxsize;
        this.items = items;
        finished.set();
    }

    /**
     * The number of items in the queue.
     *
     * @return the number of items
     */
    public int qsize() {
        return items.size();
    }

    /**
     * The most items the queue holds; {@code <= 0} means unbounded.
     *
     * @return the capacity given at creation
     */
    public int maxsize() {
        return maxsize;
    }

    /**
     * Whether the queue holds no item.
     *
     * @return true if empty
     */
    public boolean empty() {
        return items.isEmpty();
    }

    /**
     * Whether the queue holds {@link #maxsize()} items; never true for an unbounded queue.
     *
     * @return true if full
     */
    public boolean full() {
        return maxsize > 0 && items.size() >= maxsize;
    }

    /**
     * Adds {@code item}, first suspending the calling task while the queue is full. Returns at
     * once, without letting other tasks run, when there is room.
     *
     * @param item the item to add
     * @throws NullPointerException    if {@code item} is null
     * @throws QueueShutDownException  if the queue is shut down, before or while waiting
     * @throws CancelledError      if the calling task is cancelled while waiting; the item is
     *                                 then not added
     * @throws IllegalStateException   if it has to wait outside a task, or the queue is bound to
     *                                 another loop
     */
    public void put(T item) {
        Objects.requireNonNull(item, "item");
        while (full()) {
            if (shutdown) {
                throw new QueueShutDownException();
            }
            Task<?> task = waitingTask();
            Future<Void> putter = new Future<>(task.loop);
            putters.add(putter);
            try {
                suspend(task, putter);
            } catch (Throwable e) {
                giveUp(putter, putters, !full());
                throw e;
            }
        }
        putNowait(item);
    }

    /**
     * Adds {@code item} if there is room, without waiting, and wakes the getter that has waited
     * longest.
     *
     * @param item the item to add
     * @throws NullPointerException   if {@code item} is null
     * @throws QueueShutDownException if the queue is shut down
     * @throws QueueFullException     if the queue is full
     */
    public void putNowait(T item) {
        Objects.requireNonNull(item, "item");
        if (shutdown) {
            throw new QueueShutDownException();
        }
        if (full()) {
            throw new QueueFullException();
        }
        items.add(item);
        unfinishedTasks++;
        finished.clear();
        wakeUpNext(getters);
    }

    /**
     * Removes and returns the next item, first suspending the calling task while the queue is
     * empty. Returns at once, without letting other tasks run, when there is an item.
     *
     * @return the next item
     * @throws QueueShutDownException if the queue is shut down and empty, before or while waiting
     *                                (after {@code shutdown(true)} it is always empty)
     * @throws CancelledError     if the calling task is cancelled while waiting; no item is
     *                                taken
     * @throws IllegalStateException  if it has to wait outside a task, or the queue is bound to
     *                                another loop
     */
    public T get() {
        while (items.isEmpty()) {
            if (shutdown) {
                throw new QueueShutDownException();
            }
            Task<?> task = waitingTask();
            Future<Void> getter = new Future<>(task.loop);
            getters.add(getter);
            try {
                suspend(task, getter);
            } catch (Throwable e) {
                giveUp(getter, getters, !items.isEmpty());
                throw e;
            }
        }
        return getNowait();
    }

    /**
     * Removes and returns the next item if there is one, without waiting, and wakes the putter that
     * has waited longest.
     *
     * @return the next item
     * @throws QueueShutDownException if the queue is empty and shut down
     * @throws QueueEmptyException    if the queue is empty
     */
    public T getNowait() {
        T item = items.poll();
        if (item == null) {
            if (shutdown) {
                throw new QueueShutDownException();
            }
            throw new QueueEmptyException();
        }
        wakeUpNext(putters);
        return item;
    }

    /**
     * A waiter leaves put() or get() with an exception (a cancellation, in practice). If it had
     * been woken and what it was woken for is still there, the next waiter in line gets the turn.
     */
    private static void giveUp(Future<Void> waiter, ArrayDeque<Future<Void>> waiters, boolean stillThere) {
        waiter.cancel();
        // A waiter that was woken has already been taken off the deque by wakeUpNext().
        waiters.remove(waiter);
        if (stillThere && !waiter.cancelled()) {
            wakeUpNext(waiters);
        }
    }

    /** Wakes the first waiter that is not done yet, taking it (and the done ones before it) off. */
    private static void wakeUpNext(ArrayDeque<Future<Void>> waiters) {
        Future<Void> w;
        while ((w = waiters.poll()) != null) {
            if (!w.done()) {
                w.completeResult(null);
                return;
            }
        }
    }

    /**
     * Marks one item taken with {@link #get()} as finished. When every item put into the queue has
     * been marked, {@link #join()} returns.
     *
     * @throws IllegalStateException if called more times than items were put
     *                               ("taskDone() called too many times")
     */
    public void taskDone() {
        if (unfinishedTasks <= 0) {
            throw new IllegalStateException("taskDone() called too many times");
        }
        unfinishedTasks--;
        if (unfinishedTasks == 0) {
            finished.set();
        }
    }

    /**
     * Returns once every item put into the queue has been marked finished with
     * {@link #taskDone()}: at once if that is already so, otherwise after suspending the calling
     * task. {@code shutdown(true)} counts the items it discards as finished.
     *
     * @throws CancelledError    if the calling task is cancelled while waiting
     * @throws IllegalStateException if it has to wait outside a task, or the queue is bound to
     *                               another loop
     */
    public void join() {
        if (unfinishedTasks > 0) {
            finished.await();
        }
    }

    /**
     * Shuts the queue down (asyncio 3.13): from now on {@link #put} and {@link #putNowait} throw
     * {@link QueueShutDownException}, and so do {@link #get} and {@link #getNowait} once the queue
     * is empty. Tasks waiting in {@code put()} are woken and throw it; tasks waiting in
     * {@code get()} are woken and throw it, the queue being empty.
     *
     * <p>With {@code immediate}, the items still queued are discarded and each counts as finished
     * for {@link #join()}, which returns if nothing else is unfinished (even though those items
     * were never processed). Without it, consumers can drain what is queued. Calling it again is
     * allowed: {@code shutdown(true)} after {@code shutdown(false)} discards what is left.
     *
     * @param immediate whether to discard the items still queued
     */
    public void shutdown(boolean immediate) {
        shutdown = true;
        if (immediate) {
            while (items.poll() != null) {
                if (unfinishedTasks > 0) {
                    unfinishedTasks--;
                }
            }
            if (unfinishedTasks == 0) {
                finished.set();
            }
        }
        // Getters look at the queue again when they run: they throw if it is empty.
        wakeAll(getters);
        wakeAll(putters);
    }

    /** {@code shutdown(false)}: puts fail from now on, and gets fail once the queue is drained. */
    public void shutdown() {
        shutdown(false);
    }

    private static void wakeAll(ArrayDeque<Future<Void>> waiters) {
        Future<Void> w;
        while ((w = waiters.poll()) != null) {
            if (!w.done()) {
                w.completeResult(null);
            }
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append("[maxsize=").append(maxsize)
                .append(", qsize=").append(items.size());
        if (!getters.isEmpty()) {
            sb.append(", getters=").append(getters.size());
        }
        if (!putters.isEmpty()) {
            sb.append(", putters=").append(putters.size());
        }
        if (unfinishedTasks != 0) {
            sb.append(", tasks=").append(unfinishedTasks);
        }
        if (shutdown) {
            sb.append(", shutdown");
        }
        return sb.append(']').toString();
    }
}
