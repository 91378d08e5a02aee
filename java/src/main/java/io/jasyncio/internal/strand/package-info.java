/**
 * Strands, the threads of control task bodies run on: virtual threads whose scheduler is the
 * loop (with {@code java.lang} opened to jasyncio), else virtual threads in strict hand-off with
 * the loop's thread. {@link io.jasyncio.internal.strand.Strands} chooses once per JVM. Internal:
 * not exported by the module.
 */
package io.jasyncio.internal.strand;
