package io.jasyncio;

/**
 * Which loop (and which task) the current thread runs for. The loop's own thread holds its loop
 * while {@code runForever} runs; a task's thread (a virtual thread scheduled by the loop, or the
 * hand-off thread) holds its task for the task's whole life.
 */
final class Running {
    private static final ThreadLocal<Object> CURRENT = new ThreadLocal<>();
    /**
     * The loop running on the JVM's main thread, or null: where {@link Signals#DEFAULT_INT_HANDLER}
     * raises its interrupt, as Python's raises KeyboardInterrupt in the main thread.
     */
    private static volatile BaseEventLoop mainThreadLoop;

    private Running() {
    }

    /** The loop running on this thread (or whose task this thread runs), or null. */
    static BaseEventLoop loop() {
        Object o = CURRENT.get();
        if (o instanceof Task<?> t) {
            return t.loop;
        }
        return (BaseEventLoop) o;
    }

    /** The running loop; IllegalStateException if this thread runs none. */
    static BaseEventLoop loopOrThrow() {
        BaseEventLoop loop = loop();
        if (loop == null) {
            throw new IllegalStateException("no running event loop");
        }
        return loop;
    }

    /** The task this thread runs, or null on a loop's own thread and on other threads. */
    static Task<?> task() {
        return CURRENT.get() instanceof Task<?> t ? t : null;
    }

    static Object enterLoop(BaseEventLoop loop) {
        Object previous = CURRENT.get();
        CURRENT.set(loop);
        if (isMainThread()) {
            mainThreadLoop = loop;
        }
        return previous;
    }

    static void leaveLoop(Object previous) {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
        if (isMainThread()) {
            mainThreadLoop = previous instanceof BaseEventLoop l ? l : null;
        }
    }

    /** The loop running on the JVM's main thread, or null. */
    static BaseEventLoop mainThreadLoop() {
        return mainThreadLoop;
    }

    /**
     * Whether this is the thread the launcher ran {@code main} on, known by the name the JVM gives
     * it ("main"; its thread id differs between launch modes, and it is not the process's first
     * kernel thread): a platform thread of that name in the "main" group.
     */
    private static boolean isMainThread() {
        Thread current = Thread.currentThread();
        if (current.isVirtual() || !"main".equals(current.getName())) {
            return false;
        }
        ThreadGroup group = current.getThreadGroup();
        return group != null && "main".equals(group.getName());
    }

    static void enterTask(Task<?> task) {
        CURRENT.set(task);
    }
}
