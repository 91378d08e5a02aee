package io.jasyncio;

/**
 * The body of a task: plain sequential Java that runs on its loop's thread and suspends at
 * {@link Future#await()} until the awaited future is done (asyncio's coroutine function).
 *
 * @param <T> the result type; use {@code Void} and return {@code null} for none
 */
@FunctionalInterface
public interface Coroutine<T> {
    /**
     * Runs the body (inside its task, on the loop's thread).
     *
     * @return the task's result
     * @throws Exception anything; it becomes the task's exception
     */
    T call() throws Exception;
}
