package io.jasyncio;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * CPython's {@code test_taskgroups.py} (3.13/3.14, {@code BaseTestTaskGroup}) translated to
 * jasyncio (SPEC 3, the 3.11+ part). As in CPython, where {@code TestEagerTaskTaskGroup} runs the
 * same tests with {@code eager_task_factory}, the subclasses run it twice per loop: with the
 * default task factory and with {@link Asyncio#eagerTaskFactory()}.
 *
 * <p>Java forms: {@code async with TaskGroup() as g: body} is {@code TaskGroup.run(g -> body)};
 * {@code 1 / 0} is an {@link ArithmeticException}; ValueError is
 * {@link IllegalArgumentException}, RuntimeError {@link IllegalStateException}, TypeError
 * {@link ClassCastException}; {@code MyBaseExc(BaseException)} is an {@link Error} subclass (not
 * caught by {@code catch (Exception e)}, as a BaseException is not by {@code except Exception});
 * KeyboardInterrupt is {@link KeyboardInterruptError}; {@code BaseExceptionGroup} and
 * {@code ExceptionGroup} are both {@link ExceptionGroup}; {@code except* T} is a catch of
 * {@link ExceptionGroup} that {@link ExceptionGroup#split}s out {@code T} and rethrows the rest.
 *
 * <p>Not translated:
 * <ul>
 * <li>{@code test_taskgroup_already_entered}, {@code test_taskgroup_double_enter},
 * {@code test_taskgroup_not_entered}: a group exists only inside {@link TaskGroup#run}, so it
 * cannot be entered twice or used before it is entered.</li>
 * <li>{@code test_exception_refcycles_*}: they count {@code gc.get_referrers}; the JVM has no such
 * thing, and its collector does not mind cycles.</li>
 * <li>{@code _test_taskgroup_21}: disabled in CPython itself.</li>
 * </ul>
 */
@Tag("tasks")
abstract class CpythonTaskGroupSuite extends CpythonTestBase {

    /** Whether the loop uses the eager task factory ({@code TestEagerTaskTaskGroup}). */
    boolean eager() {
        return false;
    }

    @BeforeEach
    void taskFactory() {
        if (eager()) {
            loop.setTaskFactory(Asyncio.eagerTaskFactory());
        }
    }

    static final class MyExc extends Exception {
        MyExc() {
        }
    }

    /** CPython's {@code MyBaseExc(BaseException)}. */
    static final class MyBaseExc extends Error {
        MyBaseExc() {
        }
    }

    private static Set<Class<?>> errorTypes(ExceptionGroup eg) {
        Set<Class<?>> types = new HashSet<>();
        for (Throwable t : eg.exceptions()) {
            types.add(t.getClass());
        }
        return types;
    }

    private static Void divideByZero() {
        throw new ArithmeticException("division by zero");
    }

    /** {@code await asyncio.sleep(delay); return result}. */
    private static <T> Coroutine<T> sleepThen(double delay, T result) {
        return () -> {
            sleep(delay);
            return result;
        };
    }

    /** {@code await asyncio.sleep(delay); 1 / 0}. */
    private static Coroutine<Void> crashAfter(double delay) {
        return () -> {
            sleep(delay);
            return divideByZero();
        };
    }

    /** {@code except* type: pass}: the group's other members go on. */
    private static void exceptStar(ExceptionGroup eg, Class<? extends Throwable> type) {
        ExceptionGroup.Split split = eg.split(type);
        if (split.match() == null) {
            fail(type.getSimpleName() + " not raised: " + eg);
        }
        if (split.rest() != null) {
            throw split.rest();
        }
    }

    // ================================================================ the numbered tests

    @Test
    void taskgroup01() {
        run(() -> {
            List<Task<Integer>> t = new ArrayList<>();
            TaskGroup.run(g -> {
                t.add(g.createTask(sleepThen(0.1, 42)));
                t.add(g.createTask(sleepThen(0.2, 11)));
                return null;
            });
            assertEquals(42, t.get(0).result());
            assertEquals(11, t.get(1).result());
            return null;
        });
    }

    @Test
    void taskgroup02() {
        run(() -> {
            List<Task<Integer>> t = new ArrayList<>();
            TaskGroup.run(g -> {
                t.add(g.createTask(sleepThen(0.1, 42)));
                sleep(0.15);
                t.add(g.createTask(sleepThen(0.2, 11)));
                return null;
            });
            assertEquals(42, t.get(0).result());
            assertEquals(11, t.get(1).result());
            return null;
        });
    }

    @Test
    void taskgroup03() {
        run(() -> {
            List<Task<Integer>> t = new ArrayList<>();
            TaskGroup.run(g -> {
                t.add(g.createTask(sleepThen(1, 42)));
                sleep(0.15);
                // cancelling a child explicitly: everything else goes on as usual
                t.get(0).cancel();
                t.add(g.createTask(sleepThen(0.2, 11)));
                return null;
            });
            assertTrue(t.get(0).cancelled());
            assertEquals(11, t.get(1).result());
            return null;
        });
    }

    @Test
    void taskgroup04() {
        run(() -> {
            int[] num = {0};
            boolean[] t2Cancel = {false};
            List<Task<Void>> t2 = new ArrayList<>();
            Coroutine<Void> runner = () -> {
                TaskGroup.run(g -> {
                    g.createTask(crashAfter(0.1));
                    t2.add(g.createTask(() -> {
                        try {
                            sleep(1);
                        } catch (CancelledError e) {
                            t2Cancel[0] = true;
                            throw e;
                        }
                        num[0] += 1;
                        return null;
                    }));
                    return null;
                });
                num[0] += 10;
                return null;
            };
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, () -> spawn(runner).await());
            assertEquals(Set.of(ArithmeticException.class), errorTypes(eg));
            assertEquals(0, num[0]);
            assertTrue(t2Cancel[0]);
            assertTrue(t2.get(0).cancelled());
            return null;
        });
    }

    @Test
    void cancelChildrenOnChildError() {
        // A failing child cancels the other children, and the errors travel in a group.
        run(() -> {
            int[] num = {0};
            boolean[] t2Cancel = {false};
            boolean[] runnerCancel = {false};
            Coroutine<Void> runner = () -> {
                TaskGroup.run(g -> {
                    g.createTask(crashAfter(0.1));
                    g.createTask(crashAfter(0.1));
                    g.createTask(crashAfter(0.1));
                    g.createTask(() -> {
                        try {
                            sleep(5);
                        } catch (CancelledError e) {
                            t2Cancel[0] = true;
                            throw e;
                        }
                        num[0] += 1;
                        return null;
                    });
                    try {
                        sleep(10);
                    } catch (CancelledError e) {
                        runnerCancel[0] = true;
                        throw e;
                    }
                    return null;
                });
                num[0] += 10;
                return null;
            };
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, () -> spawn(runner).await());
            assertEquals(Set.of(ArithmeticException.class), errorTypes(eg));
            assertEquals(0, num[0]);
            assertTrue(t2Cancel[0]);
            assertTrue(runnerCancel[0]);
            return null;
        });
    }

    /** A child that counts its cancellation in {@code num} and lets it through. */
    private static Coroutine<Void> countCancellation(int[] num) {
        return () -> {
            try {
                sleep(5);
            } catch (CancelledError e) {
                num[0] += 1;
                throw e;
            }
            return null;
        };
    }

    @Test
    void cancellation() {
        run(() -> {
            int[] num = {0};
            Task<Void> r = spawn(() -> TaskGroup.run(g -> {
                for (int i = 0; i < 5; i++) {
                    g.createTask(countCancellation(num));
                }
                return null;
            }));
            sleep(0.1);
            assertFalse(r.done());
            r.cancel();
            assertThrows(CancelledError.class, r::await);
            assertEquals(5, num[0]);
            return null;
        });
    }

    @Test
    void taskgroup07() {
        run(() -> {
            int[] num = {0};
            Task<Void> r = spawn(() -> TaskGroup.run(g -> {
                for (int i = 0; i < 5; i++) {
                    g.createTask(countCancellation(num));
                }
                try {
                    sleep(10);
                } catch (CancelledError e) {
                    num[0] += 10;
                    throw e;
                }
                return null;
            }));
            sleep(0.1);
            assertFalse(r.done());
            r.cancel();
            assertThrows(CancelledError.class, r::await);
            assertEquals(15, num[0]);
            return null;
        });
    }

    /** {@code try: await asyncio.sleep(10) finally: 1 / 0}. */
    private static Void sleepThenDivideByZeroInFinally() throws Exception {
        try {
            sleep(10);
        } finally {
            divideByZero();
        }
        return null;
    }

    @Test
    void taskgroup08() {
        // Cancelled from outside while children fail as they are cancelled: the failures win.
        run(() -> {
            Task<Void> r = spawn(() -> TaskGroup.run(g -> {
                for (int i = 0; i < 5; i++) {
                    g.createTask(CpythonTaskGroupSuite::sleepThenDivideByZeroInFinally);
                }
                sleep(10);
                return null;
            }));
            sleep(0.1);
            assertFalse(r.done());
            r.cancel();
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, r::await);
            assertEquals(Set.of(ArithmeticException.class), errorTypes(eg));
            return null;
        });
    }

    @Test
    void taskgroup09() {
        run(() -> {
            List<Task<Integer>> t = new ArrayList<>();
            try {
                TaskGroup.run(g -> {
                    t.add(g.createTask(sleepThen(1, 42)));
                    t.add(g.createTask(sleepThen(2, 11)));
                    sleep(0.1);
                    return divideByZero();
                });
                fail("ExceptionGroup was not raised");
            } catch (ExceptionGroup eg) {
                assertEquals(Set.of(ArithmeticException.class), errorTypes(eg));
            }
            assertTrue(t.get(0).cancelled());
            assertTrue(t.get(1).cancelled());
            return null;
        });
    }

    @Test
    void taskgroup10() {
        run(() -> {
            List<Task<Integer>> t = new ArrayList<>();
            try {
                TaskGroup.run(g -> {
                    t.add(g.createTask(sleepThen(1, 42)));
                    t.add(g.createTask(sleepThen(2, 11)));
                    return divideByZero();
                });
                fail("ExceptionGroup was not raised");
            } catch (ExceptionGroup eg) {
                assertEquals(Set.of(ArithmeticException.class), errorTypes(eg));
            }
            assertTrue(t.get(0).cancelled());
            assertTrue(t.get(1).cancelled());
            return null;
        });
    }

    @Test
    void taskgroup11() {
        run(() -> {
            Task<Void> r = spawn(() -> TaskGroup.run(g1 -> TaskGroup.run(g2 -> {
                for (int i = 0; i < 5; i++) {
                    g2.createTask(CpythonTaskGroupSuite::sleepThenDivideByZeroInFinally);
                }
                sleep(10);
                return null;
            })));
            sleep(0.1);
            assertFalse(r.done());
            r.cancel();
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, r::await);
            assertEquals(Set.of(ExceptionGroup.class), errorTypes(eg));
            assertEquals(Set.of(ArithmeticException.class), errorTypes((ExceptionGroup) eg.exceptions().get(0)));
            return null;
        });
    }

    @Test
    void taskgroup12() {
        run(() -> {
            Task<Void> r = spawn(() -> TaskGroup.run(g1 -> {
                g1.createTask(sleepThen(10, null));
                return TaskGroup.run(g2 -> {
                    for (int i = 0; i < 5; i++) {
                        g2.createTask(CpythonTaskGroupSuite::sleepThenDivideByZeroInFinally);
                    }
                    sleep(10);
                    return null;
                });
            }));
            sleep(0.1);
            assertFalse(r.done());
            r.cancel();
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, r::await);
            assertEquals(Set.of(ExceptionGroup.class), errorTypes(eg));
            assertEquals(Set.of(ArithmeticException.class), errorTypes((ExceptionGroup) eg.exceptions().get(0)));
            return null;
        });
    }

    /** {@code await asyncio.sleep(t); raise ValueError(t)}. */
    private static Coroutine<Void> valueErrorAfter(double t) {
        return () -> {
            sleep(t);
            throw new IllegalArgumentException(String.valueOf(t));
        };
    }

    @Test
    void taskgroup13() {
        run(() -> {
            Task<Void> r = spawn(() -> TaskGroup.run(g1 -> {
                g1.createTask(valueErrorAfter(0.1));
                return TaskGroup.run(g2 -> {
                    g2.createTask(valueErrorAfter(10));
                    return null;
                });
            }));
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, r::await);
            assertEquals(Set.of(IllegalArgumentException.class), errorTypes(eg));
            return null;
        });
    }

    @Test
    void taskgroup14() {
        run(() -> {
            Task<Void> r = spawn(() -> TaskGroup.run(g1 -> {
                g1.createTask(valueErrorAfter(10));
                return TaskGroup.run(g2 -> {
                    g2.createTask(valueErrorAfter(0.1));
                    return null;
                });
            }));
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, r::await);
            assertEquals(Set.of(ExceptionGroup.class), errorTypes(eg));
            assertEquals(Set.of(IllegalArgumentException.class), errorTypes((ExceptionGroup) eg.exceptions().get(0)));
            return null;
        });
    }

    /** A group whose child crashes at 0.3 while its body, cancelled, sleeps 0.5 more. */
    private static Void crashWhileTheBodyHandlesACancellation() throws Exception {
        return TaskGroup.run(g1 -> {
            g1.createTask(crashAfter(0.3));
            try {
                sleep(10);
            } catch (CancelledError e) {
                sleep(0.5);
                throw e;
            }
            return null;
        });
    }

    @Test
    void taskgroup15() {
        run(() -> {
            Task<Void> r = spawn(CpythonTaskGroupSuite::crashWhileTheBodyHandlesACancellation);
            sleep(0.1);
            assertFalse(r.done());
            r.cancel();
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, r::await);
            assertEquals(Set.of(ArithmeticException.class), errorTypes(eg));
            return null;
        });
    }

    @Test
    void taskgroup16() {
        run(() -> {
            Task<Void> r = spawn(() -> {
                Task<Void> t = spawn(CpythonTaskGroupSuite::crashWhileTheBodyHandlesACancellation);
                return t.await();
            });
            sleep(0.1);
            assertFalse(r.done());
            r.cancel();
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, r::await);
            assertEquals(Set.of(ArithmeticException.class), errorTypes(eg));
            return null;
        });
    }

    @Test
    void taskgroup17() {
        run(() -> {
            int[] num = {0};
            Task<Void> r = spawn(() -> TaskGroup.run(g -> {
                try {
                    sleep(10);
                } catch (CancelledError e) {
                    num[0] += 10;
                    throw e;
                }
                return null;
            }));
            sleep(0.1);
            assertFalse(r.done());
            r.cancel();
            assertThrows(CancelledError.class, r::await);
            assertEquals(10, num[0]);
            return null;
        });
    }

    @Test
    void taskgroup18() {
        run(() -> {
            int[] num = {0};
            Task<Void> r = spawn(() -> TaskGroup.run(g -> {
                try {
                    sleep(10);
                } catch (CancelledError e) {
                    num[0] += 10;
                    // not a good idea, but supported
                    throw new MyExc();
                }
                return null;
            }));
            sleep(0.1);
            assertFalse(r.done());
            r.cancel();
            try {
                r.await();
                fail("ExceptionGroup was not raised");
            } catch (ExceptionGroup eg) {
                assertEquals(Set.of(MyExc.class), errorTypes(eg));
            }
            assertEquals(10, num[0]);
            return null;
        });
    }

    /** {@code try: await asyncio.sleep(10) finally: raise error}. */
    private static Void sleepThenRaiseInFinally(Throwable error) throws Exception {
        try {
            sleep(10);
        } finally {
            throwIt(error);
        }
        return null;
    }

    private static void throwIt(Throwable error) {
        throw Throwables.sneaky(error);
    }

    @Test
    void taskgroup19() {
        run(() -> {
            Task<Void> r = spawn(() -> TaskGroup.run(g -> {
                g.createTask(crashAfter(0.1));
                return sleepThenRaiseInFinally(new MyExc());
            }));
            try {
                r.await();
                fail("ExceptionGroup was not raised");
            } catch (ExceptionGroup eg) {
                assertEquals(Set.of(MyExc.class, ArithmeticException.class), errorTypes(eg));
            }
            return null;
        });
    }

    @Test
    void taskgroup20() {
        run(() -> {
            assertThrows(KeyboardInterruptError.class, () -> TaskGroup.run(g -> {
                g.createTask(crashAfter(0.1));
                return sleepThenRaiseInFinally(new KeyboardInterruptError());
            }));
            return null;
        });
    }

    @Test
    void taskgroup20a() {
        run(() -> {
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, () -> TaskGroup.run(g -> {
                g.createTask(crashAfter(0.1));
                return sleepThenRaiseInFinally(new MyBaseExc());
            }));
            assertEquals(Set.of(MyBaseExc.class, ArithmeticException.class), errorTypes(eg));
            return null;
        });
    }

    @Test
    void taskgroup21a() {
        run(() -> {
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, () -> TaskGroup.run(g -> {
                g.createTask(() -> {
                    sleep(0.1);
                    throw new MyBaseExc();
                });
                return sleepThenRaiseInFinally(new ClassCastException("TypeError"));
            }));
            assertEquals(Set.of(MyBaseExc.class, ClassCastException.class), errorTypes(eg));
            return null;
        });
    }

    @Test
    void taskgroup22() {
        run(() -> {
            Task<Void> r = spawn(() -> TaskGroup.run(g -> {
                g.createTask(sleepThen(1, 42));
                g.createTask(sleepThen(2, 11));
                return null;
            }));
            sleep(0.05);
            r.cancel();
            assertThrows(CancelledError.class, r::await);
            return null;
        });
    }

    @Test
    void taskgroup23() {
        run(() -> {
            TaskGroup.run(g -> {
                for (int count = 0; count < 10; count++) {
                    sleep(0.1);
                    g.createTask(sleepThen(0.3, null));
                    if (count == 5) {
                        assertTrue(childrenOf(g) < 5);
                    }
                }
                sleep(1.35);
                assertEquals(0, childrenOf(g));
                return null;
            });
            return null;
        });
    }

    /** {@code len(g._tasks)}. */
    private static int childrenOf(TaskGroup g) {
        return ((Set<?>) field(g, "tasks")).size();
    }

    @Test
    void taskgroup24() {
        run(() -> {
            TaskGroup.run(g -> {
                g.createTask(() -> {
                    sleep(0.1);
                    g.createTask(sleepThen(0.1, null));
                    g.createTask(sleepThen(0.2, null));
                    return null;
                });
                return null;
            });
            return null;
        });
    }

    @Test
    void taskgroup25() {
        run(() -> {
            int[] nhydras = {0};
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, () -> TaskGroup.run(g -> {
                g.createTask(hydra(g, nhydras));
                g.createTask(() -> {
                    while (nhydras[0] < 10) {
                        sleep(0.015);
                    }
                    return divideByZero();
                });
                return null;
            }));
            assertEquals(Set.of(ArithmeticException.class), errorTypes(eg));
            assertTrue(nhydras[0] >= 10);
            return null;
        });
    }

    private static Coroutine<Void> hydra(TaskGroup g, int[] nhydras) {
        return () -> {
            nhydras[0]++;
            sleep(0.01);
            g.createTask(hydra(g, nhydras));
            g.createTask(hydra(g, nhydras));
            return null;
        };
    }

    // ================================================================ named tests

    @Test
    void taskgroupTaskName() {
        run(() -> {
            TaskGroup.run(g -> {
                Task<Void> t = g.createTask(() -> {
                    sleep0();
                    return null;
                }, "yolo");
                assertEquals("yolo", t.getName());
                return null;
            });
            return null;
        });
    }

    @Test
    void taskgroupTaskContext() {
        ContextVar<Integer> cvar = new ContextVar<>("cvar");
        run(() -> {
            TaskGroup.run(g -> {
                Context ctx = Context.copyContext();
                assertNull(ctx.get(cvar));
                Task<Void> t1 = g.createTask(() -> {
                    sleep0();
                    cvar.set(1);
                    return null;
                }, null, ctx);
                t1.await();
                assertEquals(1, ctx.get(cvar));
                Task<Void> t2 = g.createTask(() -> {
                    sleep0();
                    cvar.set(2);
                    return null;
                }, null, ctx);
                t2.await();
                assertEquals(2, ctx.get(cvar));
                return null;
            });
            return null;
        });
    }

    @Test
    void taskgroupNoCreateTaskAfterFailure() {
        run(() -> {
            Coroutine<Void> coro1 = crashAfter(0.001);
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, () -> TaskGroup.run(g -> {
                g.createTask(coro1);
                g.createTask(() -> {
                    try {
                        sleep(1);
                    } catch (CancelledError e) {
                        assertThrows(IllegalStateException.class, () -> g.createTask(coro1));
                    }
                    return null;
                });
                return null;
            }));
            assertEquals(Set.of(ArithmeticException.class), errorTypes(eg));
            return null;
        });
    }

    static final class CustomException extends Exception {
        CustomException() {
        }
    }

    @Test
    void taskgroupContextManagerExitRaises() {
        // gh-95289: a context manager inside the group raises from its exit.
        run(() -> {
            Task<Void> main = spawn(() -> {
                Task<?> task = Asyncio.currentTask();
                try {
                    TaskGroup.run(tg -> {
                        try { // async with database(): ... finally: raise CustomException
                            tg.createTask(() -> {
                                throw new CustomException();
                            });
                            sleep(1);
                        } finally {
                            throwIt(new CustomException());
                        }
                        return null;
                    });
                    fail("CustomException not raised");
                } catch (ExceptionGroup err) {
                    exceptStar(err, CustomException.class);
                    assertEquals(0, task.cancelling());
                    assertEquals(2, err.exceptions().size());
                }
                return null;
            });
            main.await();
            return null;
        });
    }

    @Test
    void taskgroupFinished() {
        run(() -> {
            List<TaskGroup> tg = new ArrayList<>();
            TaskGroup.run(g -> tg.add(g));
            boolean[] ran = {false};
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> tg.get(0).createTask(() -> {
                ran[0] = true;
                return null;
            }));
            assertTrue(e.getMessage().contains("is finished"), e.getMessage());
            sleep0();
            assertFalse(ran[0], "a body refused by a finished group ran");
            return null;
        });
    }

    @Test
    void taskgroupWithoutParentTask() {
        // No task on this thread (no loop running at all) ...
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TaskGroup.run(g -> null));
        assertTrue(e.getMessage().contains("parent task"), e.getMessage());
        // ... and in a loop callback, outside any task.
        List<Throwable> seen = new ArrayList<>();
        Future<Void> done = loop.createFuture();
        loop.callSoon(() -> {
            try {
                TaskGroup.run(g -> null);
            } catch (Throwable t) {
                seen.add(t);
            }
            done.setResult(null);
        });
        run(done);
        assertEquals(1, seen.size());
        assertInstanceOf(IllegalStateException.class, seen.get(0));
        assertTrue(seen.get(0).getMessage().contains("parent task"), seen.get(0).getMessage());
    }

    @Test
    void coroClosedWhenTgClosed() {
        run(() -> {
            List<TaskGroup> tg = new ArrayList<>();
            TaskGroup.run(g -> tg.add(g));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> tg.get(0).createTask(sleepThen(0, null)));
            assertTrue(e.getMessage().contains("is finished"), e.getMessage());
            return null;
        });
    }

    /** {@code await asyncio.sleep(t); raise e()}. */
    private static Coroutine<Void> raiseAfter(double t, RuntimeException e) {
        return () -> {
            sleep(t);
            throw e;
        };
    }

    @Test
    void cancellingLevelPreserved() {
        run(() -> {
            try {
                TaskGroup.run(tg -> tg.createTask(raiseAfter(0.0, new IllegalStateException("RuntimeError"))));
            } catch (ExceptionGroup eg) {
                exceptStar(eg, IllegalStateException.class);
            }
            assertEquals(0, Asyncio.currentTask().cancelling());
            return null;
        });
    }

    @Test
    void nestedGroupsBothCancelled() {
        run(() -> {
            try {
                TaskGroup.run(outerTg -> {
                    try {
                        TaskGroup.run(innerTg -> {
                            innerTg.createTask(raiseAfter(0, new IllegalStateException("RuntimeError")));
                            outerTg.createTask(raiseAfter(0, new IllegalArgumentException("ValueError")));
                            return null;
                        });
                        fail("RuntimeError not raised");
                    } catch (ExceptionGroup eg) {
                        exceptStar(eg, IllegalStateException.class);
                    }
                    assertEquals(1, Asyncio.currentTask().cancelling());
                    return null;
                });
                fail("ValueError not raised");
            } catch (ExceptionGroup eg) {
                exceptStar(eg, IllegalArgumentException.class);
            }
            assertEquals(0, Asyncio.currentTask().cancelling());
            return null;
        });
    }

    @Test
    void errorAndCancel() {
        run(() -> {
            Event event = new Event();
            Coroutine<Void> inner = () -> {
                try {
                    TaskGroup.run(tg -> {
                        tg.createTask(() -> {
                            event.set();
                            sleep0();
                            throw new IllegalStateException("RuntimeError");
                        });
                        sleep(1);
                        fail("Sleep in group should have been cancelled");
                        return null;
                    });
                } catch (ExceptionGroup eg) {
                    exceptStar(eg, IllegalStateException.class);
                    assertEquals(1, Asyncio.currentTask().cancelling());
                }
                assertEquals(1, Asyncio.currentTask().cancelling());
                sleep(1);
                fail("Sleep after group should have been cancelled");
                return null;
            };
            Task<Void> t = spawn(inner);
            event.await();
            assertEquals(0, t.cancelling());
            t.cancel();
            assertEquals(1, t.cancelling());
            assertThrows(CancelledError.class, t::await);
            assertTrue(t.cancelled());
            return null;
        });
    }

    @Test
    void name() {
        run(() -> {
            String[] name = {null};
            TaskGroup.run(tg -> tg.createTask(() -> {
                name[0] = Asyncio.currentTask().getName();
                return null;
            }, "example name"));
            assertEquals("example name", name[0]);
            return null;
        });
    }

    static final class MyError extends Exception {
        MyError(String message) {
            super(message);
        }
    }

    @Test
    void cancelsTaskIfCreatedDuringCreation() {
        // gh-128550: a child that fails while its creator (another child) is still being created
        // must cancel that creator too.
        run(() -> {
            boolean[] ran = {false};
            Throwable exc = null;
            try {
                TaskGroup.run(tg -> {
                    tg.createTask(() -> {
                        tg.createTask(() -> {
                            throw new MyError("third task failed");
                        });
                        assertThrows(CancelledError.class, () -> {
                            sleep0(); // eager tasks are cancelled here
                            sleep0(); // lazy tasks here
                        });
                        ran[0] = true;
                        return null;
                    });
                    return null;
                });
            } catch (ExceptionGroup eg) {
                ExceptionGroup.Split split = eg.split(MyError.class);
                if (split.rest() != null) {
                    throw split.rest();
                }
                exc = split.match().exceptions().get(0);
            }
            assertTrue(ran[0]);
            assertInstanceOf(MyError.class, exc);
            return null;
        });
    }

    @Test
    void cancellationDoesNotLeakOutOfTg() {
        run(() -> {
            try {
                TaskGroup.run(tg -> tg.createTask(() -> {
                    throw new MyError("MyError");
                }));
                fail("should have raised one MyError in group");
            } catch (ExceptionGroup eg) {
                exceptStar(eg, MyError.class);
            }
            // If the group leaked its cancellation, this task would be cancelled here.
            sleep0();
            return null;
        });
    }
}
