/**
 * jasyncio: Python's asyncio in Java form, one event loop per thread running callbacks, timers,
 * I/O callbacks and tasks, on a small C core reached through JNI (epoll, eventfd) or on
 * {@code java.nio} where the native library cannot load.
 *
 * <p>Where asyncio's names are, in their Java form:
 * <ul>
 *   <li>{@link io.jasyncio.Asyncio}: the module-level functions ({@code run}, {@code sleep},
 *       {@code gather}, {@code wait}, {@code waitFor}, {@code shield}, {@code createTask},
 *       {@code getRunningLoop}...) and {@link io.jasyncio.Asyncio.Runner};</li>
 *   <li>{@link io.jasyncio.EventLoop} and its implementation
 *       {@link io.jasyncio.SelectorEventLoop}, {@link io.jasyncio.Handle},
 *       {@link io.jasyncio.TimerHandle}, the policies ({@link io.jasyncio.EventLoopPolicy},
 *       {@link io.jasyncio.DefaultEventLoopPolicy});</li>
 *   <li>{@link io.jasyncio.Future}, {@link io.jasyncio.Task} and a task's body,
 *       {@link io.jasyncio.Coroutine}; {@link io.jasyncio.TaskGroup},
 *       {@link io.jasyncio.Timeout}, {@link io.jasyncio.ExceptionGroup};</li>
 *   <li>the synchronization primitives ({@link io.jasyncio.Lock}, {@link io.jasyncio.Event},
 *       {@link io.jasyncio.Condition}, {@link io.jasyncio.Semaphore},
 *       {@link io.jasyncio.BoundedSemaphore}, {@link io.jasyncio.Barrier}) and the queues
 *       ({@link io.jasyncio.Queue}, {@link io.jasyncio.PriorityQueue},
 *       {@link io.jasyncio.LifoQueue});</li>
 *   <li>{@code contextvars}: {@link io.jasyncio.ContextVar} and {@link io.jasyncio.Context}.</li>
 * </ul>
 *
 * <p>A task body is ordinary sequential Java that suspends at {@link io.jasyncio.Future#await()};
 * only one task or callback runs at a time, on the loop's thread, so loop-bound objects need no
 * locks and are not thread safe. The exceptions carry asyncio's names (SPEC section 13):
 * {@link io.jasyncio.CancelledError} and {@link io.jasyncio.KeyboardInterruptError} are
 * {@link java.lang.Error}s, so {@code catch (Exception e)} does not swallow them.
 */
package io.jasyncio;
