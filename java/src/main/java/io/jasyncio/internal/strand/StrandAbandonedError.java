package io.jasyncio.internal.strand;

/**
 * Raised at a task's suspension point when its loop closed with the task still pending, so the
 * task's thread unwinds (running its {@code finally} blocks) instead of staying parked forever:
 * the counterpart of Python's {@code GeneratorExit}. Do not catch it.
 */
public final class StrandAbandonedError extends Error {
    private static final long serialVersionUID = 1L;

    public StrandAbandonedError() {
        super("the task's event loop was closed while the task was pending", null, false, false);
    }
}
