/**
 * Signal handling for event loops: the process-wide dispatcher that owns at most one handler per
 * signal (the JDK's {@code sun.misc.Signal}, or the C core's {@code sigaction} fallback) and posts
 * each delivery to every loop that handles it, and the table of signal names and numbers.
 * Internal: not exported by the module.
 */
package io.jasyncio.internal.signal;
