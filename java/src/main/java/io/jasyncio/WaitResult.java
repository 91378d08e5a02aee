package io.jasyncio;

import java.util.Set;

/**
 * What {@link Asyncio#wait} returns: the futures that are done and those still pending (asyncio's
 * {@code (done, pending)} pair). Both sets keep the order of the futures given.
 *
 * @param <T> the type of the futures' results
 * @param done the futures that are done
 * @param pending the futures still pending
 */
public record WaitResult<T>(Set<Future<T>> done, Set<Future<T>> pending) {
}
