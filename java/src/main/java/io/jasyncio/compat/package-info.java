/**
 * Python's {@code asyncore} and {@code asynchat}, driven by a jasyncio event loop: old-style
 * dispatchers ({@link io.jasyncio.compat.Dispatcher}, {@link io.jasyncio.compat.AsyncChat}) in a
 * socket map that {@link io.jasyncio.compat.Asyncore#loop} serves, asking each dispatcher's
 * {@code readable()}/{@code writable()} every iteration as asyncore did, while the same loop runs
 * tasks and transports.
 *
 * <p>Java-form differences from Python, all deliberate: methods are camelCase
 * ({@code handle_read} is {@link io.jasyncio.compat.Dispatcher#handleRead()}); a socket map is a
 * {@code Map<Integer, Dispatcher>}; {@code handleError} receives the exception (Python reads
 * {@code sys.exc_info()}); {@code accept()} returns the socket alone (its
 * {@code remoteAddress()} is the address); {@code handleExpt} only fires through
 * {@code handleExptEvent()} called by the program, because jasyncio's loops watch readability and
 * writability, not urgent data; {@code use_poll} does not exist (the loop's own multiplexer is
 * always used). Not thread safe: a map and its dispatchers belong to one loop's thread.
 */
package io.jasyncio.compat;
