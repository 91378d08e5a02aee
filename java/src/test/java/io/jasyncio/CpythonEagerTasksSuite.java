package io.jasyncio;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CPython's {@code test_eager_task_factory.py} (3.13/3.14) translated to jasyncio (SPEC 3, the
 * 3.11+ part): {@code EagerTaskFactoryLoopTests} (with {@link Asyncio#eagerTaskFactory()} set on
 * the loop) and the task-counting tests ({@code BaseTaskCountingTests}, with and without eager
 * tasks).
 *
 * <p>Java forms: {@code loop.create_task(coro, eager_start=False, name=n)} is
 * {@code new Task<>(loop, coro, n, false)}; CPython's {@code CountingTask}, which counts the tasks
 * created with {@code eager_start=False}, is a {@link TaskFactory} that creates tasks with a fixed
 * {@code eagerStart} and counts the lazy ones; {@code asyncio.gather(*coros)} wraps each coroutine
 * with {@link Asyncio#ensureFuture(Coroutine)}, as asyncio's {@code gather} does.
 *
 * <p>Not translated: {@code test_staggered_race_with_eager_tasks(_no_delay)} (jasyncio has no
 * {@code staggered_race}); the C-task-only {@code test_issue105987} (a private C function) and
 * {@code test_issue122332} ({@code get_coro()} is None once an eager C task is done: a jasyncio
 * task keeps its body, there being no coroutine object to release); the duplicate Py/C classes
 * (jasyncio has one Task).
 */
@Tag("tasks")
abstract class CpythonEagerTasksSuite extends CpythonTestBase {

    /** {@code run_coro}: runs {@code body} as the loop's main task, with the eager factory set. */
    private <T> T runEager(Coroutine<T> body) {
        loop.setTaskFactory(Asyncio.eagerTaskFactory());
        return run(body);
    }

    // ================================================================ EagerTaskFactoryLoopTests

    @Test
    void eagerTaskFactorySet() {
        TaskFactory factory = Asyncio.eagerTaskFactory();
        loop.setTaskFactory(factory);
        assertSame(factory, loop.getTaskFactory());
        run(() -> {
            Task<Void> t = loop.createTask(() -> null);
            assertInstanceOf(Task.class, t);
            t.await();
            return null;
        });
    }

    @Test
    void awaitFutureDuringEagerStep() {
        String result = runEager(() -> {
            Future<String> fut = loop.createFuture();
            Task<Void> t = loop.createTask(() -> {
                fut.setResult("my message");
                return null;
            });
            // the eager step completed the task
            assertTrue(t.done());
            return fut.await();
        });
        assertEquals("my message", result);
    }

    @Test
    void eagerCompletion() {
        String result = runEager(() -> {
            Task<String> t = loop.createTask(() -> "hello");
            // the eager step completed the task
            assertTrue(t.done());
            return t.await();
        });
        assertEquals("hello", result);
    }

    @Test
    void blockAfterEagerStep() {
        String result = runEager(() -> {
            Task<String> t = loop.createTask(() -> {
                sleep(0.1);
                return "finished after blocking";
            });
            assertFalse(t.done());
            String r = t.await();
            assertTrue(t.done());
            return r;
        });
        assertEquals("finished after blocking", result);
    }

    @Test
    void cancellationAfterEagerCompletion() {
        String result = runEager(() -> {
            Task<String> t = loop.createTask(() -> "finished without blocking");
            t.cancel();
            String r = t.await();
            // a finished task cannot be cancelled
            assertFalse(t.cancelled());
            return r;
        });
        assertEquals("finished without blocking", result);
    }

    @Test
    void cancellationAfterEagerStepBlocks() {
        CancelledError cm = assertThrows(CancelledError.class, () -> runEager(() -> {
            Task<String> t = loop.createTask(() -> {
                sleep(0.1);
                return "finished after blocking";
            });
            t.cancel("cancellation message");
            assertTrue(t.cancelling() > 0);
            return t.await();
        }));
        assertEquals("cancellation message", cm.getMessage());
    }

    @Test
    void currentTask() {
        List<Task<?>> captured = new ArrayList<>();
        runEager(() -> {
            Task<Void> t = loop.createTask(() -> {
                captured.add(Asyncio.currentTask());
                // the task is the same before and after blocking
                sleep(0.1);
                assertSame(captured.get(0), Asyncio.currentTask());
                return null;
            });
            assertSame(t, captured.get(0));
            t.await();
            return null;
        });
    }

    @Test
    void allTasksWithEagerCompletion() {
        List<Set<Task<?>>> captured = new ArrayList<>();
        runEager(() -> {
            Task<Void> t = loop.createTask(() -> {
                captured.add(Asyncio.allTasks());
                return null;
            });
            assertTrue(captured.get(0).contains(t));
            assertFalse(Asyncio.allTasks().contains(t));
            return null;
        });
    }

    @Test
    void allTasksWithBlocking() {
        List<Set<Task<?>>> capturedEager = new ArrayList<>();
        runEager(() -> {
            Future<Void> fut1 = loop.createFuture();
            Future<Void> fut2 = loop.createFuture();
            Task<Void> t = loop.createTask(() -> {
                capturedEager.add(Asyncio.allTasks());
                fut1.await();
                fut2.setResult(null);
                return null;
            });
            assertTrue(capturedEager.get(0).contains(t));
            assertTrue(Asyncio.allTasks().contains(t));
            fut1.setResult(null);
            fut2.await();
            assertFalse(Asyncio.allTasks().contains(t));
            return null;
        });
    }

    @Test
    void contextVars() {
        ContextVar<Integer> cv = new ContextVar<>("cv", 0);
        boolean[] firstStepRan = {false};
        boolean[] secondStepRan = {false};
        runEager(() -> {
            cv.set(1);
            Task<Void> t = loop.createTask(() -> {
                assertEquals(1, cv.get());
                cv.set(2);
                assertEquals(2, cv.get());
                firstStepRan[0] = true;
                sleep(0.1);
                assertEquals(2, cv.get());
                cv.set(3);
                assertEquals(3, cv.get());
                secondStepRan[0] = true;
                return null;
            });
            assertTrue(firstStepRan[0]);
            assertFalse(secondStepRan[0]);
            assertEquals(1, cv.get());
            t.await();
            assertTrue(secondStepRan[0]);
            assertEquals(1, cv.get());
            return null;
        });
    }

    @Test
    void eagerStartFalse() {
        String[] name = {null};
        runEager(() -> {
            Task<Void> t = new Task<>(loop, () -> {
                name[0] = Asyncio.currentTask().getName();
                return null;
            }, "example", false);
            assertFalse(t.done());
            assertNull(name[0]);
            t.await();
            assertEquals("example", name[0]);
            return null;
        });
    }

    @Test
    void name() {
        // CEagerTaskFactoryLoopTests.test_name: the eager step already sees the task's name.
        String[] name = {null};
        runEager(() -> {
            Task<Void> task = loop.createTask(() -> {
                name[0] = Asyncio.currentTask().getName();
                return null;
            }, "test name");
            assertEquals("test name", name[0]);
            task.await();
            return null;
        });
    }

    // ================================================================ BaseTaskCountingTests

    /** CPython's {@code AsyncTaskCounter}: counts the tasks created without an eager start. */
    private int[] countTasks(boolean eager) {
        int[] count = {0};
        loop.setTaskFactory((l, coroutine, name) -> {
            if (!eager) {
                count[0]++;
            }
            return new Task<>(l, coroutine, name, eager);
        });
        return count;
    }

    private static int awaitableChain(int depth) {
        if (depth == 0) {
            return 0;
        }
        return 1 + awaitableChain(depth - 1);
    }

    private static Void recursiveTaskgroups(int width, int depth) throws Exception {
        if (depth == 0) {
            return null;
        }
        return TaskGroup.run(tg -> {
            for (int i = 0; i < width; i++) {
                tg.createTask(() -> recursiveTaskgroups(width, depth - 1));
            }
            return null;
        });
    }

    private static Void recursiveGather(int width, int depth) throws Exception {
        if (depth == 0) {
            return null;
        }
        List<Future<Void>> children = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            children.add(Asyncio.ensureFuture(() -> recursiveGather(width, depth - 1)));
        }
        Asyncio.gatherAll(children).await();
        return null;
    }

    @Test
    void nonEagerAwaitablesChain() {
        int[] count = countTasks(false);
        assertEquals(100, run(() -> awaitableChain(100)));
        assertEquals(1, count[0]);
    }

    @Test
    void eagerAwaitablesChain() {
        int[] count = countTasks(true);
        assertEquals(100, run(() -> awaitableChain(100)));
        assertEquals(0, count[0]);
    }

    @Test
    void nonEagerRecursiveTaskgroups() {
        int[] count = countTasks(false);
        run(() -> recursiveTaskgroups(5, 4));
        assertEquals(781, count[0]); // 1 + 5 + 5^2 + 5^3 + 5^4
    }

    @Test
    void eagerRecursiveTaskgroups() {
        int[] count = countTasks(true);
        run(() -> recursiveTaskgroups(5, 4));
        assertEquals(0, count[0]);
    }

    @Test
    void nonEagerRecursiveGather() {
        int[] count = countTasks(false);
        run(() -> recursiveGather(5, 4));
        assertEquals(781, count[0]);
    }

    @Test
    void eagerRecursiveGather() {
        int[] count = countTasks(true);
        run(() -> recursiveGather(5, 4));
        assertEquals(0, count[0]);
    }
}
