/**
 * The I/O multiplexers under the readiness loop: a narrow {@link io.jasyncio.internal.backend.Poller}
 * (watch and unwatch, poll with a nanosecond timeout, wake up) with an epoll implementation on the
 * C core and a {@code java.nio} {@code Selector} one. Internal: not exported by the module.
 */
package io.jasyncio.internal.backend;
