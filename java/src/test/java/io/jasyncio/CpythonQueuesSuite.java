package io.jasyncio;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CPython's {@code test_queues.py} (3.13, with {@code shutdown}), translated to jasyncio (SPEC 8).
 * The join and shutdown tests, mixins run on Queue, LifoQueue and PriorityQueue in CPython, run
 * here on each of the three kinds in turn.
 *
 * <p>Java forms: {@code QueueEmpty}, {@code QueueFull}, {@code QueueShutDown} are
 * {@link QueueEmptyException}, {@link QueueFullException}, {@link QueueShutDownException};
 * {@code task_done()} once too often raises {@link IllegalStateException} (SPEC 13: ValueError
 * from an object's state); {@code len(q._getters)} and {@code len(q._putters)} are read from
 * {@code toString()} ({@code getters=N}, {@code putters=N}).
 *
 * <p>Not translated:
 * <ul>
 * <li>{@code test_repr} / {@code test_str}'s exact formats ({@code <Queue at 0x... maxsize=0
 * _getters[1]>}, {@code _queue=[1]}): Java's {@code toString()} is {@code Queue[maxsize=0, qsize=0,
 * getters=1]} and does not list the items; the waiter counts are checked.</li>
 * <li>{@code test_generic_alias}: {@code Queue[int]} is Java's generics, checked by the
 * compiler.</li>
 * <li>{@code test_float_maxsize}: {@code maxsize} is an {@code int} in Java.</li>
 * <li>{@code test_format}'s {@code q._unfinished_tasks = 2}: the count is private; two unfinished
 * items produce it instead.</li>
 * <li>{@code test_get_with_putters} appends a bare future to {@code q._putters}: translated with a
 * real task blocked in {@code put()} instead.</li>
 * </ul>
 */
@Tag("tasks")
abstract class CpythonQueuesSuite extends CpythonTestBase {

    /** The three kinds CPython's mixins run on. */
    private static <T> List<Queue<T>> allKinds(int maxsize) {
        return List.of(new Queue<>(maxsize), new LifoQueue<>(maxsize), new PriorityQueue<>(maxsize));
    }

    private static int getters(Queue<?> q) {
        return waiters(q, "getters");
    }

    private static int putters(Queue<?> q) {
        return waiters(q, "putters");
    }

    // ================================================================ QueueBasicTests

    @Test
    void basicReprOrStrShowsTheWaiters() {
        run(() -> {
            Queue<Integer> q = new Queue<>();
            assertTrue(q.toString().startsWith("Queue"), q.toString());

            List<Task<Integer>> getter = new ArrayList<>();
            TaskGroup.run(tg -> {
                getter.add(tg.createTask(q::get));
                sleep0();
                assertEquals(1, getters(q), q.toString());
                q.putNowait(0);
                return null;
            });
            assertEquals(0, getter.get(0).await());

            Queue<Integer> bounded = new Queue<>(1);
            List<Task<Void>> putter = new ArrayList<>();
            TaskGroup.run(tg -> {
                bounded.putNowait(1);
                putter.add(tg.createTask(() -> {
                    bounded.put(2);
                    return null;
                }));
                sleep0();
                assertEquals(1, putters(bounded), bounded.toString());
                bounded.getNowait();
                return null;
            });
            assertTrue(putter.get(0).done());
            return null;
        });
    }

    @Test
    void basicEmpty() {
        run(() -> {
            Queue<Integer> q = new Queue<>();
            assertTrue(q.empty());
            q.put(1);
            assertFalse(q.empty());
            assertEquals(1, q.get());
            assertTrue(q.empty());
            return null;
        });
    }

    @Test
    void basicFull() {
        run(() -> {
            Queue<Integer> q = new Queue<>();
            assertFalse(q.full());
            Queue<Integer> bounded = new Queue<>(1);
            bounded.put(1);
            assertTrue(bounded.full());
            return null;
        });
    }

    @Test
    void basicOrder() {
        run(() -> {
            Queue<Integer> q = new Queue<>();
            for (int i : new int[] {1, 3, 2}) {
                q.put(i);
            }
            assertEquals(List.of(1, 3, 2), List.of(q.get(), q.get(), q.get()));
            return null;
        });
    }

    @Test
    void basicMaxsize() {
        run(() -> {
            Queue<Integer> q = new Queue<>(2);
            assertEquals(2, q.maxsize());
            List<Integer> haveBeenPut = new ArrayList<>();
            Task<Boolean> t = spawn(() -> {
                for (int i = 0; i < 3; i++) {
                    q.put(i);
                    haveBeenPut.add(i);
                }
                return true;
            });
            sleep0();
            sleep0();
            // the putter is blocked after putting two items
            assertEquals(List.of(0, 1), haveBeenPut);
            assertEquals(0, q.get());

            // let it put the last one
            sleep0();
            assertEquals(List.of(0, 1, 2), haveBeenPut);
            assertEquals(1, q.get());
            assertEquals(2, q.get());
            assertTrue(t.done());
            assertTrue(t.result());
            return null;
        });
    }

    // ================================================================ QueueGetTests

    @Test
    void getBlockingGet() {
        run(() -> {
            Queue<Integer> q = new Queue<>();
            q.putNowait(1);
            assertEquals(1, q.get());
            return null;
        });
    }

    @Test
    void getWithPutters() {
        run(() -> {
            Queue<Integer> q = new Queue<>(1);
            q.put(1);
            Task<Void> putter = spawn(() -> {
                q.put(2);
                return null;
            });
            sleep0();
            assertEquals(1, putters(q));
            assertEquals(1, q.get());
            // get() woke the putter
            sleep0();
            assertTrue(putter.done());
            assertEquals(0, putters(q));
            assertEquals(2, q.getNowait());
            return null;
        });
    }

    @Test
    void getBlockingGetWait() {
        run(() -> {
            Queue<Integer> q = new Queue<>();
            Event started = new Event();
            boolean[] finished = {false};
            Task<Integer> queueGet = spawn(() -> {
                started.set();
                int res = q.get();
                finished[0] = true;
                return res;
            });
            started.await();
            assertFalse(finished[0]);
            loop.callLater(0.01, () -> q.putNowait(1));
            int res = queueGet.await();
            assertTrue(finished[0]);
            assertEquals(1, res);
            return null;
        });
    }

    @Test
    void getNonblockingGet() {
        Queue<Integer> q = new Queue<>();
        q.putNowait(1);
        assertEquals(1, q.getNowait());
    }

    @Test
    void getNonblockingGetException() {
        Queue<Integer> q = new Queue<>();
        assertThrows(QueueEmptyException.class, q::getNowait);
    }

    @Test
    void getCancelledRace() {
        run(() -> {
            Queue<String> q = new Queue<>();
            Task<String> t1 = spawn(q::get);
            Task<String> t2 = spawn(q::get);
            sleep0();
            t1.cancel();
            sleep0();
            assertTrue(t1.done());
            q.put("a");
            sleep0();
            assertEquals("a", t2.await());
            return null;
        });
    }

    @Test
    void getWithWaitingPutters() {
        run(() -> {
            Queue<String> q = new Queue<>(1);
            spawn(() -> {
                q.put("a");
                return null;
            });
            spawn(() -> {
                q.put("b");
                return null;
            });
            assertEquals("a", q.get());
            assertEquals("b", q.get());
            return null;
        });
    }

    @Test
    void getWhyAreGettersWaiting() {
        run(() -> {
            int producerNumItems = 5;
            Queue<Integer> q = new Queue<>(1);
            TaskGroup.run(tg -> {
                tg.createTask(() -> {
                    for (int i = 0; i < producerNumItems; i++) {
                        q.put(i);
                    }
                    return null;
                });
                tg.createTask(() -> {
                    for (int i = 0; i < producerNumItems; i++) {
                        q.get();
                    }
                    return null;
                });
                return null;
            });
            return null;
        });
    }

    @Test
    void getCancelledGettersNotBeingHeldInSelfGetters() {
        run(() -> {
            Queue<Integer> queue = new Queue<>(5);
            assertThrows(TimeoutException.class, () -> Asyncio.waitFor(queue::get, 0.1).await());
            assertEquals(0, getters(queue));
            return null;
        });
    }

    // ================================================================ QueuePutTests

    @Test
    void putBlockingPut() {
        run(() -> {
            Queue<Integer> q = new Queue<>();
            // no maxsize: does not block
            q.put(1);
            assertEquals(1, q.get());
            return null;
        });
    }

    @Test
    void putBlockingPutWait() {
        run(() -> {
            Queue<Integer> q = new Queue<>(1);
            Event started = new Event();
            boolean[] finished = {false};
            loop.callLater(0.01, q::getNowait);
            Task<Void> queuePut = spawn(() -> {
                started.set();
                q.put(1);
                q.put(2);
                finished[0] = true;
                return null;
            });
            started.await();
            assertFalse(finished[0]);
            queuePut.await();
            assertTrue(finished[0]);
            return null;
        });
    }

    @Test
    void putNonblockingPut() {
        Queue<Integer> q = new Queue<>();
        q.putNowait(1);
        assertEquals(1, q.getNowait());
    }

    @Test
    void putGetCancelDropOnePendingReader() {
        run(() -> {
            Queue<Integer> q = new Queue<>();
            Task<Integer> reader = spawn(q::get);
            sleep0();
            q.putNowait(1);
            q.putNowait(2);
            reader.cancel();
            try {
                reader.await();
            } catch (CancelledError e) {
                // try again
                reader = spawn(q::get);
                reader.await();
            }
            // 2 would mean that 1 was dropped
            assertEquals(1, reader.result());
            return null;
        });
    }

    @Test
    void putGetCancelDropManyPendingReaders() {
        run(() -> {
            Queue<Integer> q = new Queue<>();
            List<Task<Integer>> readers = new ArrayList<>();
            TaskGroup.run(tg -> {
                for (int i = 0; i < 3; i++) {
                    readers.add(tg.createTask(q::get));
                }
                sleep0();
                q.putNowait(1);
                q.putNowait(2);
                readers.get(0).cancel();
                assertThrows(CancelledError.class, readers.get(0)::await);
                readers.get(2).await();
                return null;
            });
            // in which order concurrent readers get the items is not defined
            assertEquals(Set.of(1, 2), Set.of(readers.get(1).result(), readers.get(2).result()));
            return null;
        });
    }

    @Test
    void putCancelDrop() {
        run(() -> {
            Queue<Integer> q = new Queue<>(1);
            q.putNowait(1);
            // a second put has to wait (maxsize 1)
            Task<Void> writer = spawn(() -> {
                q.put(2);
                return null;
            });
            sleep0();
            assertEquals(1, q.getNowait());
            writer.cancel();
            try {
                writer.await();
            } catch (CancelledError e) {
                // try again
                writer = spawn(() -> {
                    q.put(2);
                    return null;
                });
                writer.await();
            }
            assertEquals(2, q.getNowait());
            assertEquals(0, q.qsize());
            return null;
        });
    }

    @Test
    void putNonblockingPutException() {
        Queue<Integer> q = new Queue<>(1);
        q.putNowait(1);
        assertThrows(QueueFullException.class, () -> q.putNowait(2));
    }

    @Test
    void putCancelled() {
        run(() -> {
            Queue<Integer> q = new Queue<>();
            Task<Boolean> t = spawn(() -> {
                q.put(1);
                return true;
            });
            assertEquals(1, q.get());
            assertTrue(t.done());
            assertTrue(t.result());
            return null;
        });
    }

    @Test
    void putCancelledRace() {
        run(() -> {
            Queue<String> q = new Queue<>(1);
            Task<Void> putA = spawn(() -> {
                q.put("a");
                return null;
            });
            Task<Void> putB = spawn(() -> {
                q.put("b");
                return null;
            });
            Task<Void> putC = spawn(() -> {
                q.put("X");
                return null;
            });
            sleep0();
            assertTrue(putA.done());
            assertFalse(putB.done());

            putC.cancel();
            sleep0();
            assertTrue(putC.done());
            assertEquals("a", q.getNowait());
            sleep0();
            assertEquals("b", q.getNowait());
            putB.await();
            return null;
        });
    }

    @Test
    void putWithWaitingGetters() {
        run(() -> {
            Queue<String> q = new Queue<>();
            Task<String> t = spawn(q::get);
            sleep0();
            q.put("a");
            assertEquals("a", t.await());
            return null;
        });
    }

    @Test
    void putWhyArePuttersWaiting() {
        run(() -> {
            Queue<Integer> queue = new Queue<>(2);
            TaskGroup.run(tg -> {
                tg.createTask(() -> {
                    sleep0();
                    int num = queue.qsize();
                    for (int i = 0; i < num; i++) {
                        queue.getNowait();
                    }
                    return null;
                });
                for (int item = 0; item < 4; item++) {
                    int me = item;
                    tg.createTask(() -> {
                        queue.put(me);
                        return null;
                    });
                }
                return null;
            });
            return null;
        });
    }

    @Test
    void putCancelledPutsNotBeingHeldInSelfPutters() {
        run(() -> {
            // a full queue
            Queue<Integer> queue = new Queue<>(1);
            queue.putNowait(1);
            // a task waiting for room
            Task<Void> putTask = spawn(() -> {
                queue.put(1);
                return null;
            });
            sleep0();
            // its putter leaves the queue's list when it is cancelled
            assertEquals(1, putters(queue));
            putTask.cancel();
            assertThrows(CancelledError.class, putTask::await);
            assertEquals(0, putters(queue));
            return null;
        });
    }

    @Test
    void putCancelledPutSilenceValueErrorException() {
        run(() -> {
            Queue<Integer> queue = new Queue<>(1);
            queue.putNowait(1);
            Task<Void> putTask = spawn(() -> {
                queue.put(1);
                return null;
            });
            sleep0();
            // getNowait() takes the putter off the list; the cancelled put() must not fail when
            // it finds its putter gone.
            queue.getNowait();
            putTask.cancel();
            assertThrows(CancelledError.class, putTask::await);
            return null;
        });
    }

    // ================================================================ LifoQueueTests, PriorityQueueTests

    @Test
    void lifoOrder() {
        run(() -> {
            LifoQueue<Integer> q = new LifoQueue<>();
            for (int i : new int[] {1, 3, 2}) {
                q.put(i);
            }
            assertEquals(List.of(2, 3, 1), List.of(q.get(), q.get(), q.get()));
            return null;
        });
    }

    @Test
    void priorityOrder() {
        run(() -> {
            PriorityQueue<Integer> q = new PriorityQueue<>();
            for (int i : new int[] {1, 3, 2}) {
                q.put(i);
            }
            assertEquals(List.of(1, 2, 3), List.of(q.get(), q.get(), q.get()));
            return null;
        });
    }

    // ================================================================ _QueueJoinTestMixin

    @Test
    void joinTaskDoneUnderflow() {
        for (Queue<Integer> q : CpythonQueuesSuite.<Integer>allKinds(0)) {
            assertThrows(IllegalStateException.class, q::taskDone, q.toString());
        }
    }

    @Test
    void joinTaskDone() {
        for (Queue<Integer> q : CpythonQueuesSuite.<Integer>allKinds(0)) {
            run(() -> {
                for (int i = 0; i < 100; i++) {
                    q.putNowait(i);
                }
                int[] accumulator = {0};
                boolean[] running = {true};
                // Two workers take items and mark each done; join() returns once all are.
                TaskGroup.run(tg -> {
                    List<Task<Void>> tasks = new ArrayList<>();
                    for (int w = 0; w < 2; w++) {
                        tasks.add(tg.createTask(() -> {
                            while (running[0]) {
                                int item = q.get();
                                accumulator[0] += item;
                                q.taskDone();
                            }
                            return null;
                        }));
                    }
                    q.join();
                    assertEquals(IntStream.range(0, 100).sum(), accumulator[0]);
                    // stop the workers
                    running[0] = false;
                    for (int i = 0; i < tasks.size(); i++) {
                        q.putNowait(0);
                    }
                    return null;
                });
                return null;
            });
        }
    }

    @Test
    void joinEmptyQueue() {
        for (Queue<Integer> q : CpythonQueuesSuite.<Integer>allKinds(0)) {
            run(() -> {
                // join() returns at once, twice
                q.join();
                q.join();
                return null;
            });
        }
    }

    @Test
    void joinFormat() {
        for (Queue<Integer> q : CpythonQueuesSuite.<Integer>allKinds(0)) {
            assertTrue(q.toString().contains("maxsize=0"), q.toString());
            assertFalse(q.toString().contains("tasks="), q.toString());
            q.putNowait(1);
            q.putNowait(2);
            q.getNowait();
            q.getNowait();
            assertTrue(q.toString().contains("tasks=2"), q.toString());
        }
    }

    // ================================================================ _QueueShutdownTestMixin

    @Test
    void shutdownFormat() {
        for (Queue<Integer> q : CpythonQueuesSuite.<Integer>allKinds(0)) {
            q.shutdown();
            assertTrue(q.toString().contains("maxsize=0"), q.toString());
            assertTrue(q.toString().contains("shutdown"), q.toString());
        }
    }

    @Test
    void shutdownEmpty() {
        for (Queue<String> q : CpythonQueuesSuite.<String>allKinds(0)) {
            run(() -> {
                Task<String> getTask = loop.createTask(q::get);
                sleep0(); // the get is pending before the shutdown

                q.shutdown(false); // unfinished tasks: 0 -> 0
                assertEquals(0, q.qsize());

                // join() returns
                q.join();

                // the get task is done, with QueueShutDownException
                sleep0();
                assertTrue(getTask.done());
                assertThrows(QueueShutDownException.class, getTask::await);

                assertShutDown(q);
                return null;
            });
        }
    }

    /** Puts and gets (waiting or not) all raise QueueShutDownException. */
    private static void assertShutDown(Queue<String> q) {
        assertThrows(QueueShutDownException.class, () -> q.put("data"));
        assertThrows(QueueShutDownException.class, () -> q.putNowait("data"));
        assertThrows(QueueShutDownException.class, q::get);
        assertThrows(QueueShutDownException.class, q::getNowait);
    }

    @Test
    void shutdownNonempty() {
        for (Queue<String> q : CpythonQueuesSuite.<String>allKinds(1)) {
            run(() -> {
                q.putNowait("data");
                Task<Void> joinTask = loop.createTask(() -> {
                    q.join();
                    return null;
                });
                Task<Void> putTask = loop.createTask(() -> {
                    q.put("data2");
                    return null;
                });
                // the put is pending
                sleep0();
                assertFalse(putTask.done());

                q.shutdown(false); // unfinished tasks: 1 -> 1
                assertEquals(1, q.qsize());

                // the put task is done, with QueueShutDownException
                sleep0();
                assertTrue(putTask.done());
                assertThrows(QueueShutDownException.class, putTask::await);

                // the queued item can still be taken
                assertEquals("data", q.get());

                // join() is still waiting
                sleep0();
                assertFalse(joinTask.done());

                assertShutDown(q);

                // one unfinished item: marking it lets join() return
                q.taskDone();
                sleep0();
                assertTrue(joinTask.done());
                joinTask.await();

                assertThrows(IllegalStateException.class, q::taskDone, "Didn't appear to mark all tasks done");
                return null;
            });
        }
    }

    @Test
    void shutdownImmediate() {
        for (Queue<String> q : CpythonQueuesSuite.<String>allKinds(0)) {
            run(() -> {
                q.putNowait("data");
                Task<Void> joinTask = loop.createTask(() -> {
                    q.join();
                    return null;
                });

                q.shutdown(true); // unfinished tasks: 1 -> 0
                assertEquals(0, q.qsize());

                // join() has returned
                sleep0();
                assertTrue(joinTask.done());
                joinTask.await();

                assertShutDown(q);

                // no unfinished item left
                assertThrows(IllegalStateException.class, q::taskDone, "Didn't appear to mark all tasks done");
                return null;
            });
        }
    }

    @Test
    void shutdownImmediateWithUnfinished() {
        for (Queue<String> q : CpythonQueuesSuite.<String>allKinds(0)) {
            run(() -> {
                q.putNowait("data");
                q.putNowait("data");
                Task<Void> joinTask = loop.createTask(() -> {
                    q.join();
                    return null;
                });
                assertEquals("data", q.get());

                q.shutdown(true); // unfinished tasks: 2 -> 1
                assertEquals(0, q.qsize());

                // join() is still waiting
                sleep0();
                assertFalse(joinTask.done());

                assertShutDown(q);

                // exactly one unfinished item
                q.taskDone();
                assertThrows(IllegalStateException.class, q::taskDone, "Didn't appear to mark all tasks done");

                // join() has returned
                sleep0();
                assertTrue(joinTask.done());
                joinTask.await();
                return null;
            });
        }
    }
}
