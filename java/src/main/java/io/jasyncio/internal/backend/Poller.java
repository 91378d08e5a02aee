package io.jasyncio.internal.backend;

import java.io.IOException;

/**
 * The I/O multiplexer under a readiness loop: the loop tells it which {@link Watch}es want
 * which events, and it waits for readiness. It knows no callbacks; it hands each ready watch and
 * its ready operations to a {@link ReadySink}.
 *
 * <p>Not thread safe, except {@link #wakeup()}, which any thread may call.
 */
public interface Poller extends AutoCloseable {

    /** Interest and readiness bit: readable (or hung up, or in error). */
    int READ = 1;
    /** Interest and readiness bit: writable (or in error). */
    int WRITE = 2;

    /** Receives one ready watch during {@link #poll}. */
    @FunctionalInterface
    interface ReadySink {
        void ready(Watch watch, int readyOps);
    }

    /** A short name for logs and tests: {@code "epoll"}, {@code "nio"}. */
    String name();

    /**
     * Sets the events {@code watch} is interested in: a combination of {@link #READ} and
     * {@link #WRITE}; {@code 0} stops watching it (and forgets it). Called on the loop thread.
     *
     * @throws IOException if the OS refuses (a closed or invalid descriptor, for example)
     */
    void update(Watch watch, int ops) throws IOException;

    /**
     * Waits until at least one watch is ready, {@link #wakeup()} is called, or the timeout
     * passes, then hands every ready watch to {@code sink}.
     *
     * @param timeoutNanos {@code < 0}: wait without limit; {@code 0}: do not wait
     * @return the number of watches handed to {@code sink}
     */
    int poll(long timeoutNanos, ReadySink sink) throws IOException;

    /** Makes a current or the next {@link #poll} return promptly. Thread safe. */
    void wakeup();

    /** Releases the OS resources. Watches still registered are forgotten. */
    @Override
    void close();
}
