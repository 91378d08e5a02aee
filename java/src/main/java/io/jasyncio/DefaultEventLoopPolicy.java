package io.jasyncio;

import io.jasyncio.internal.natives.NativeLibrary;

/**
 * The default policy: one loop per thread, set with {@link #setEventLoop}; in the main thread
 * {@link #getEventLoop()} makes one the first time (as asyncio does), other threads must set
 * theirs. New loops follow {@code -Djasyncio.loop=epoll|nio}; without it, epoll where the native
 * library loads and NIO elsewhere; an explicit {@code epoll} that cannot load is refused with the
 * reason ({@link IllegalStateException}) instead of falling back. Subclass it and override
 * {@link #newEventLoop()} to choose loops another way.
 */
public class DefaultEventLoopPolicy implements EventLoopPolicy {
    /** System property naming the loop implementation: {@code epoll} or {@code nio}. */
    public static final String LOOP_PROP_NAME = "jasyncio.loop";

    private static final class Local {
        EventLoop loop;
        boolean setCalled;
    }

    private final ThreadLocal<Local> local = ThreadLocal.withInitial(Local::new);

    /**
     * A policy with no loop set on any thread yet.
     */
    public DefaultEventLoopPolicy() {
    }

    @Override
    public EventLoop getEventLoop() {
        Local l = local.get();
        if (l.loop == null && !l.setCalled && isMainThread()) {
            setEventLoop(newEventLoop());
        }
        if (l.loop == null) {
            throw new IllegalStateException("There is no current event loop in thread '"
                    + Thread.currentThread().getName() + "'.");
        }
        return l.loop;
    }

    @Override
    public void setEventLoop(EventLoop loop) {
        Local l = local.get();
        l.setCalled = true;
        l.loop = loop;
    }

    @Override
    public EventLoop newEventLoop() {
        return new SelectorEventLoop(loopBackend());
    }

    /**
     * The backend new loops use, from {@code -Djasyncio.loop} or what is available.
     *
     * @return the backend for {@link #newEventLoop()}
     * @throws IllegalStateException for {@code -Djasyncio.loop=epoll} when the native library
     *         cannot load (the message says why; the cause is the loader's error)
     */
    protected SelectorEventLoop.Backend loopBackend() {
        String name = System.getProperty(LOOP_PROP_NAME, "").trim().toLowerCase();
        switch (name) {
            case "" -> {
                return NativeLibrary.isAvailable() ? SelectorEventLoop.Backend.EPOLL : SelectorEventLoop.Backend.NIO;
            }
            case "nio" -> {
                return SelectorEventLoop.Backend.NIO;
            }
            case "epoll" -> {
                // Asked for by name: no quiet fallback to NIO.
                try {
                    NativeLibrary.ensureLoaded();
                } catch (UnsatisfiedLinkError e) {
                    throw new IllegalStateException("-D" + LOOP_PROP_NAME + "=epoll: " + e.getMessage(), e);
                }
                return SelectorEventLoop.Backend.EPOLL;
            }
            default -> throw new IllegalArgumentException("-D" + LOOP_PROP_NAME + "=" + name
                    + ": expected epoll or nio");
        }
    }

    /**
     * Whether this is the thread the JVM started {@code main} on. Java has no public way to ask;
     * its id is not fixed (3 on JDK 25), so this goes by the platform thread named "main" in the
     * "main" thread group.
     */
    private static boolean isMainThread() {
        Thread t = Thread.currentThread();
        ThreadGroup group = t.getThreadGroup();
        return !t.isVirtual() && t.getName().equals("main") && group != null && group.getName().equals("main");
    }
}
