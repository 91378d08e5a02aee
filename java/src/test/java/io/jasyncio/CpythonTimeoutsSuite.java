package io.jasyncio;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * CPython's {@code test_timeouts.py} (3.13/3.14) translated to jasyncio (SPEC 3, the 3.11+ part).
 *
 * <p>Java forms: {@code async with asyncio.timeout(d) as cm: body} is
 * {@code Asyncio.timeout(d, cm -> body)} ({@code timeout_at} likewise); {@code timeout(None)} is
 * {@code Asyncio.timeout(cm -> body)}, {@code timeout_at(None)} is
 * {@code Asyncio.timeoutAt(Double.POSITIVE_INFINITY, ...)}, {@code cm.when() is None} is
 * {@code cm.when() == Double.POSITIVE_INFINITY}, {@code cm.reschedule(None)} is
 * {@code cm.clearDeadline()}; TimeoutError is
 * {@link TimeoutException}, whose {@code getCause()} is the {@link CancelledError} (asyncio's
 * {@code raise TimeoutError from exc}); {@code 1/0} is an {@link ArithmeticException}, KeyError a
 * {@link NoSuchElementException}, ValueError an {@link IllegalArgumentException}. CPython's
 * {@code with self.assertRaises(E): ...} lets any other exception through, and some tests count on
 * that (a CancelledError crossing an inner {@code assertRaises(TimeoutError)} on its way to the
 * outer scope); {@link #raises} keeps that behaviour, where JUnit's {@code assertThrows} would turn
 * it into an assertion failure. CPython's {@code time.sleep(x)}, which keeps the loop busy, is
 * {@code loop.advanceTime(x)} on the virtual clock.
 *
 * <p>Deliberate differences: Java has no implicit exception context ({@code __context__}). Where
 * CPython checks the {@code __context__} chain (test_timeout_exception_context,
 * test_foreign_exception_on_timeout(_2), test_nested_timeout_in_finally, test_timeout_taskgroup),
 * the translation checks the exception and the {@code getCause()} links that Java does keep;
 * an exception that a {@code finally} replaces is simply gone in Java. The repr tests check the
 * state and the deadline in {@code toString()} ({@code Timeout[active, when=12.5]}), not asyncio's
 * {@code <Timeout [active] when=12.5>}.
 *
 * <p>Not translated: test_timeout_already_entered, test_timeout_double_enter and
 * test_timeout_not_entered (a scope exists only inside {@code Asyncio.timeout}, entered once), and
 * the "has not been entered" half of test_timeout_without_task.
 */
@Tag("tasks")
abstract class CpythonTimeoutsSuite extends CpythonTestBase {

    /**
     * CPython's {@code with self.assertRaises(type): body}: returns the exception if {@code body}
     * throws a {@code type}, fails if it throws nothing, and lets any other exception through.
     */
    static <T extends Throwable> T raises(Class<T> type, Executable body) {
        try {
            body.execute();
        } catch (Throwable t) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            throw Throwables.sneaky(t);
        }
        fail(type.getSimpleName() + " not raised");
        return null;
    }

    private static Void divideByZero() {
        throw new ArithmeticException("division by zero");
    }

    @Test
    void timeoutBasic() {
        run(() -> {
            Timeout[] cm = {null};
            raises(TimeoutException.class, () -> Asyncio.timeout(0.01, scope -> {
                cm[0] = scope;
                sleep(10);
                return null;
            }));
            assertTrue(cm[0].expired());
            return null;
        });
    }

    @Test
    void timeoutAtBasic() {
        run(() -> {
            Timeout[] cm = {null};
            double deadline = loop.time() + 0.01;
            raises(TimeoutException.class, () -> Asyncio.timeoutAt(deadline, scope -> {
                cm[0] = scope;
                sleep(10);
                return null;
            }));
            assertTrue(cm[0].expired());
            assertEquals(deadline, cm[0].when());
            return null;
        });
    }

    @Test
    void nestedTimeouts() {
        run(() -> {
            boolean[] cancelled = {false};
            Timeout[] cm = new Timeout[2];
            double deadline = loop.time() + 0.01;
            raises(TimeoutException.class, () -> Asyncio.timeoutAt(deadline, cm1 -> {
                cm[0] = cm1;
                // only the outermost scope raises TimeoutException
                try {
                    return Asyncio.timeoutAt(deadline, cm2 -> {
                        cm[1] = cm2;
                        sleep(10);
                        return null;
                    });
                } catch (CancelledError e) {
                    cancelled[0] = true;
                    throw e;
                }
            }));
            assertTrue(cancelled[0]);
            assertTrue(cm[0].expired());
            assertTrue(cm[1].expired());
            return null;
        });
    }

    @Test
    void waiterCancelled() {
        run(() -> {
            boolean[] cancelled = {false};
            raises(TimeoutException.class, () -> Asyncio.timeout(0.01, () -> {
                try {
                    sleep(10);
                } catch (CancelledError e) {
                    cancelled[0] = true;
                    throw e;
                }
                return null;
            }));
            assertTrue(cancelled[0]);
            return null;
        });
    }

    @Test
    void timeoutNotCalled() {
        run(() -> {
            double t0 = loop.time();
            Timeout cm = Asyncio.timeout(10.0, scope -> {
                sleep(0.01);
                return scope;
            });
            double t1 = loop.time();
            assertFalse(cm.expired());
            assertTrue(t1 - t0 < 2);
            assertTrue(cm.when() > t1);
            return null;
        });
    }

    @Test
    void timeoutDisabled() {
        run(() -> {
            double t0 = loop.time();
            Timeout cm = Asyncio.timeout(scope -> {
                sleep(0.01);
                return scope;
            });
            double t1 = loop.time();
            assertFalse(cm.expired());
            assertEquals(Double.POSITIVE_INFINITY, cm.when());
            assertTrue(t1 - t0 < 2);
            return null;
        });
    }

    @Test
    void timeoutAtDisabled() {
        run(() -> {
            double t0 = loop.time();
            Timeout cm = Asyncio.timeoutAt(Double.POSITIVE_INFINITY, scope -> {
                sleep(0.01);
                return scope;
            });
            double t1 = loop.time();
            assertFalse(cm.expired());
            assertEquals(Double.POSITIVE_INFINITY, cm.when());
            assertTrue(t1 - t0 < 2);
            return null;
        });
    }

    @Test
    void timeoutZero() {
        timeoutNowOrInThePast(0.0, 10);
    }

    @Test
    void timeoutZeroSleepZero() {
        timeoutNowOrInThePast(0.0, 0);
    }

    @Test
    void timeoutInThePastSleepZero() {
        timeoutNowOrInThePast(-11.0, 0);
    }

    private void timeoutNowOrInThePast(double delay, double sleepFor) {
        run(() -> {
            Timeout[] cm = {null};
            double t0 = loop.time();
            raises(TimeoutException.class, () -> Asyncio.timeout(delay, scope -> {
                cm[0] = scope;
                sleep(sleepFor);
                return null;
            }));
            double t1 = loop.time();
            assertTrue(cm[0].expired());
            assertTrue(t1 - t0 < 2);
            if (delay == 0) {
                assertTrue(t0 <= cm[0].when() && cm[0].when() <= t1);
            } else {
                assertTrue(t0 >= cm[0].when() && cm[0].when() <= t1);
            }
            return null;
        });
    }

    @Test
    void foreignExceptionPassed() {
        run(() -> {
            Timeout[] cm = {null};
            raises(NoSuchElementException.class, () -> Asyncio.timeout(0.01, scope -> {
                cm[0] = scope;
                throw new NoSuchElementException("KeyError");
            }));
            assertFalse(cm[0].expired());
            return null;
        });
    }

    @Test
    void timeoutExceptionContext() {
        run(() -> {
            TimeoutException e = raises(TimeoutException.class, () -> Asyncio.timeout(0.01, () -> {
                try {
                    return divideByZero();
                } finally {
                    sleep(1);
                }
            }));
            // TimeoutException caused by the CancelledError (which, in Java, replaced the
            // ArithmeticException instead of being raised "during its handling")
            CancelledError e2 = assertInstanceOf(CancelledError.class, e.getCause());
            assertNull(e2.getCause());
            return null;
        });
    }

    /** {@code try: await asyncio.sleep(1) finally: 1/0}. */
    private static Void crash() throws Exception {
        try {
            sleep(1);
        } finally {
            divideByZero();
        }
        return null;
    }

    @Test
    void foreignExceptionOnTimeout() {
        run(() -> {
            raises(ArithmeticException.class, () -> Asyncio.timeout(0.01, CpythonTimeoutsSuite::crash));
            return null;
        });
    }

    @Test
    void foreignExceptionOnTimeout2() {
        run(() -> {
            raises(ArithmeticException.class, () -> Asyncio.timeout(0.01, () -> {
                try {
                    try {
                        throw new IllegalArgumentException("ValueError");
                    } finally {
                        sleep(1);
                    }
                } finally {
                    try {
                        throw new NoSuchElementException("KeyError");
                    } finally {
                        divideByZero();
                    }
                }
            }));
            return null;
        });
    }

    @Test
    void foreignCancelDoesntTimeoutIfNotExpired() {
        run(() -> {
            Timeout[] cm = {null};
            raises(CancelledError.class, () -> Asyncio.timeout(10.0, scope -> {
                cm[0] = scope;
                Asyncio.currentTask().cancel();
                sleep(10);
                return null;
            }));
            assertFalse(cm[0].expired());
            return null;
        });
    }

    @Test
    void outerTaskIsNotCancelled() {
        run(() -> {
            Task<Void> task = spawn(() -> {
                raises(TimeoutException.class, () -> Asyncio.timeout(0.001, () -> {
                    sleep(10);
                    return null;
                }));
                return null;
            });
            task.await();
            assertFalse(task.cancelled());
            assertTrue(task.done());
            return null;
        });
    }

    @Test
    void nestedTimeoutsConcurrent() {
        run(() -> {
            raises(TimeoutException.class, () -> Asyncio.timeout(0.002, () -> {
                raises(TimeoutException.class, () -> Asyncio.timeout(0.1, () -> {
                    // pretend to crunch numbers
                    loop.advanceTime(0.01);
                    sleep(1);
                    return null;
                }));
                return null;
            }));
            return null;
        });
    }

    @Test
    void nestedTimeoutsLoopBusy() {
        // After the inner timeout, an expensive operation that the outer timeout must stop.
        run(() -> {
            double t0 = loop.time();
            raises(TimeoutException.class, () -> Asyncio.timeout(0.1, () -> { // (1)
                raises(TimeoutException.class, () -> Asyncio.timeout(0.01, () -> { // (2)
                    // pretend the loop is busy for a while
                    loop.advanceTime(0.1);
                    sleep(1);
                    return null;
                }));
                // TimeoutException was caught by (2)
                sleep(10); // interrupted by (1)
                return null;
            }));
            double t1 = loop.time();
            assertTrue(t0 <= t1 && t1 <= t0 + 1);
            return null;
        });
    }

    @Test
    void reschedule() {
        run(() -> {
            Future<Timeout> fut = loop.createFuture();
            double deadline1 = loop.time() + 10;
            double deadline2 = deadline1 + 20;
            Task<Void> task = spawn(() -> Asyncio.timeoutAt(deadline1, cm -> {
                fut.setResult(cm);
                sleep(50);
                return null;
            }));
            Timeout cm = fut.await();

            assertEquals(deadline1, cm.when());
            cm.reschedule(deadline2);
            assertEquals(deadline2, cm.when());
            cm.clearDeadline();
            assertEquals(Double.POSITIVE_INFINITY, cm.when());

            task.cancel();
            raises(CancelledError.class, task::await);
            assertFalse(cm.expired());
            return null;
        });
    }

    @Test
    void reprActive() {
        run(() -> Asyncio.timeout(10.0, cm -> {
            assertTrue(cm.toString().matches("Timeout\\[active, when=\\d+\\.\\d*]"), cm.toString());
            return null;
        }));
    }

    @Test
    void reprExpired() {
        run(() -> {
            Timeout[] cm = {null};
            raises(TimeoutException.class, () -> Asyncio.timeout(0.01, scope -> {
                cm[0] = scope;
                sleep(10);
                return null;
            }));
            assertEquals("Timeout[expired]", cm[0].toString());
            return null;
        });
    }

    @Test
    void reprFinished() {
        run(() -> {
            Timeout cm = Asyncio.timeout(10.0, scope -> {
                sleep0();
                return scope;
            });
            assertEquals("Timeout[finished]", cm.toString());
            return null;
        });
    }

    @Test
    void reprDisabled() {
        run(() -> Asyncio.timeout(cm -> {
            assertEquals("Timeout[active, when=none]", cm.toString());
            return null;
        }));
    }

    @Test
    void nestedTimeoutInFinally() {
        run(() -> {
            List<TimeoutException> inner = new ArrayList<>();
            TimeoutException e1 = raises(TimeoutException.class, () -> Asyncio.timeout(0.01, () -> {
                try {
                    sleep(1);
                } finally {
                    inner.add(raises(TimeoutException.class, () -> Asyncio.timeout(0.01, () -> {
                        sleep(10);
                        return null;
                    })));
                }
                return null;
            }));
            // each TimeoutException is caused by its own CancelledError
            CancelledError e12 = assertInstanceOf(CancelledError.class, e1.getCause());
            assertNull(e12.getCause());
            CancelledError e22 = assertInstanceOf(CancelledError.class, inner.get(0).getCause());
            assertNull(e22.getCause());
            assertNotSame(e12, e22);
            return null;
        });
    }

    @Test
    void timeoutAfterCancellation() {
        run(() -> {
            try {
                Asyncio.currentTask().cancel();
                sleep(1); // work that will be cancelled
            } catch (CancelledError e) {
                // handled
            } finally {
                raises(TimeoutException.class, () -> Asyncio.timeout(0.0, () -> {
                    sleep(1); // some clean-up
                    return null;
                }));
            }
            return null;
        });
    }

    @Test
    void cancelInTimeoutAfterCancellation() {
        run(() -> {
            try {
                Asyncio.currentTask().cancel();
                sleep(1); // work that will be cancelled
            } catch (CancelledError e) {
                // handled
            } finally {
                raises(CancelledError.class, () -> Asyncio.timeout(1.0, () -> {
                    Asyncio.currentTask().cancel();
                    sleep(2); // some clean-up
                    return null;
                }));
            }
            return null;
        });
    }

    @Test
    void timeoutFinished() {
        run(() -> {
            Timeout cm = Asyncio.timeout(0.01, scope -> scope);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> cm.reschedule(0.02));
            assertTrue(e.getMessage().contains("finished"), e.getMessage());
            return null;
        });
    }

    @Test
    void timeoutExpired() {
        run(() -> {
            Timeout[] cm = {null};
            raises(TimeoutException.class, () -> Asyncio.timeout(0.01, scope -> {
                cm[0] = scope;
                sleep(1);
                return null;
            }));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> cm[0].reschedule(0.02));
            assertTrue(e.getMessage().contains("expired"), e.getMessage());
            return null;
        });
    }

    @Test
    void timeoutExpiring() {
        run(() -> Asyncio.timeout(0.01, cm -> {
            raises(CancelledError.class, () -> sleep(1));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> cm.reschedule(0.02));
            assertTrue(e.getMessage().contains("expiring"), e.getMessage());
            return null;
        }));
    }

    @Test
    void timeoutWithoutTask() {
        // In a loop callback, outside any task.
        List<Throwable> seen = new ArrayList<>();
        Future<Void> done = loop.createFuture();
        loop.callSoon(() -> {
            try {
                Asyncio.timeout(0.01, () -> null);
            } catch (Throwable t) {
                seen.add(t);
            }
            done.setResult(null);
        });
        run(done);
        assertEquals(1, seen.size());
        assertInstanceOf(IllegalStateException.class, seen.get(0));
        assertTrue(seen.get(0).getMessage().contains("task"), seen.get(0).getMessage());
    }

    @Test
    void timeoutTaskgroup() {
        run(() -> {
            ExceptionGroup eg = raises(ExceptionGroup.class, () -> Asyncio.timeout(0.01, () -> TaskGroup.run(tg -> {
                tg.createTask(() -> {
                    try {
                        sleep(2); // interrupted after 0.01 s
                    } finally {
                        divideByZero(); // a crash in clean-up
                    }
                    return null;
                });
                try {
                    throw new IllegalArgumentException("ValueError");
                } finally {
                    sleep(1);
                }
            })));
            assertEquals(1, eg.exceptions().size(), eg.toString());
            assertInstanceOf(ArithmeticException.class, eg.exceptions().get(0));
            // the group consumed the timeout's cancellation: nothing is left pending
            assertEquals(0, Asyncio.currentTask().cancelling());
            sleep0();
            return null;
        });
    }

    @Test
    void timeoutExceptionCause() {
        run(() -> {
            TimeoutException e = raises(TimeoutException.class, () -> Asyncio.timeout(0.0, () -> {
                sleep(1);
                return null;
            }));
            assertInstanceOf(CancelledError.class, e.getCause());
            return null;
        });
    }
}
