/**
 * The socket layer under the loops and transports: one set of non-blocking socket operations
 * ({@link io.jasyncio.internal.net.SocketOps}) over a native descriptor or a JDK channel, and the
 * readiness transports written once over it.
 */
package io.jasyncio.internal.net;
