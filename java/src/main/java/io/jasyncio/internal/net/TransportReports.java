package io.jasyncio.internal.net;

import io.jasyncio.EventLoop;

import java.util.HashMap;
import java.util.Map;

/** How every transport hands a failure to its loop's exception handler. */
final class TransportReports {
    private TransportReports() {
    }

    /**
     * Calls {@code loop}'s exception handler with asyncio's context keys.
     *
     * @param protocol left out of the context when null
     */
    static void report(EventLoop loop, String message, Throwable exc, Object transport, Object protocol) {
        Map<String, Object> context = new HashMap<>();
        context.put("message", message);
        context.put("exception", exc);
        context.put("transport", transport);
        if (protocol != null) {
            context.put("protocol", protocol);
        }
        loop.callExceptionHandler(context);
    }
}
