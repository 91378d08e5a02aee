package io.jasyncio;

/**
 * Decides which loop {@link Asyncio#getEventLoop()} returns and how new loops are made (asyncio's
 * event loop policy). Install one with {@link Asyncio#setEventLoopPolicy}.
 */
public interface EventLoopPolicy {
    /** The current thread's loop. */
    EventLoop getEventLoop();

    /** Sets the current thread's loop (null: none). */
    void setEventLoop(EventLoop loop);

    /** A new loop, as this policy makes them. */
    EventLoop newEventLoop();
}
