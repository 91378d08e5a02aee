package io.jasyncio;

/**
 * Decides which loop {@link Asyncio#getEventLoop()} returns and how new loops are made (asyncio's
 * event loop policy). Install one with {@link Asyncio#setEventLoopPolicy}.
 */
public interface EventLoopPolicy {
    /**
     * The current thread's loop.
     *
     * @return the loop
     * @throws IllegalStateException when the thread has no loop and the policy makes none for it
     */
    EventLoop getEventLoop();

    /**
     * Sets the current thread's loop (null: none).
     *
     * @param loop the thread's loop from now on, or null
     */
    void setEventLoop(EventLoop loop);

    /**
     * A new loop, as this policy makes them.
     *
     * @return a new loop
     */
    EventLoop newEventLoop();
}
