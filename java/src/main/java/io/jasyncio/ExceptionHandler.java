package io.jasyncio;

import java.util.Map;

/**
 * Receives errors the loop cannot hand to anyone else: an exception escaping a callback, a future
 * whose exception was never retrieved, and so on (asyncio's exception handler). The context map
 * holds {@code "message"} always and, where they apply, {@code "exception"}, {@code "future"},
 * {@code "task"}, {@code "handle"}, {@code "protocol"}, {@code "transport"}, {@code "socket"}.
 */
@FunctionalInterface
public interface ExceptionHandler {
    /**
     * Handles one error reported to {@code loop}, on the loop's thread. An exception it throws is
     * logged by the loop's default handler and goes no further.
     *
     * @param loop the loop the error happened on
     * @param context what happened (see above)
     */
    void handle(EventLoop loop, Map<String, Object> context);
}
