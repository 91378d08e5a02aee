package io.jasyncio.internal.strand;

import java.lang.reflect.Constructor;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;

/**
 * Chooses how task bodies run, once per JVM, and says which in one log line:
 * <ol>
 * <li>{@link Kind#LOOP_SCHEDULED}: virtual threads whose scheduler is the loop. The JDK has no
 *     public API for a custom virtual-thread scheduler yet; its package-private
 *     {@code ThreadBuilders.VirtualThreadBuilder(Executor)} constructor does it and is reachable
 *     when {@code java.lang} is opened to jasyncio ({@code --add-opens java.base/java.lang=io.jasyncio},
 *     or {@code ALL-UNNAMED} on the class path). A start-up self-test proves it works.</li>
 * <li>{@link Kind#HAND_OFF}: otherwise, virtual threads on the JDK's scheduler in strict hand-off
 *     with the loop thread.</li>
 * </ol>
 * {@code -Djasyncio.strand=loop|handoff} forces one (loop falls back, with a log line, if it
 * cannot work).
 */
public final class Strands {
    /** System property that forces the mechanism: {@code loop} or {@code handoff}. */
    public static final String STRAND_PROP_NAME = "jasyncio.strand";

    /** The task mechanisms. */
    public enum Kind { LOOP_SCHEDULED, HAND_OFF }

    private static final System.Logger LOG = System.getLogger("io.jasyncio");
    private static final Constructor<?> BUILDER_CONSTRUCTOR;
    private static final Kind KIND;

    static {
        String forced = System.getProperty(STRAND_PROP_NAME, "");
        Constructor<?> ctor = null;
        String why = null;
        if (!forced.equals("handoff")) {
            try {
                ctor = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder")
                        .getDeclaredConstructor(Executor.class);
                ctor.setAccessible(true);
                selfTest(ctor);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                ctor = null;
                why = e.toString();
            }
        } else {
            why = STRAND_PROP_NAME + "=handoff";
        }
        BUILDER_CONSTRUCTOR = ctor;
        KIND = ctor != null ? Kind.LOOP_SCHEDULED : Kind.HAND_OFF;
        if (KIND == Kind.LOOP_SCHEDULED) {
            LOG.log(System.Logger.Level.DEBUG, "jasyncio tasks: virtual threads scheduled by the loop");
        } else {
            // One short sentence for the user; why the fast mechanism failed only in debug logging.
            LOG.log(forced.equals("handoff") ? System.Logger.Level.DEBUG : System.Logger.Level.INFO,
                    "jasyncio runs tasks in its slower hand-off mode; add --add-opens java.base/java.lang="
                            + "ALL-UNNAMED (io.jasyncio on the module path) for the fast one.");
            LOG.log(System.Logger.Level.DEBUG, "jasyncio tasks: loop-scheduled virtual threads unavailable: " + why);
        }
    }

    private Strands() {
    }

    /** The mechanism this JVM uses. */
    public static Kind kind() {
        return KIND;
    }

    /** A factory for one loop; {@code scheduler} runs continuations of that loop's tasks. */
    public static StrandFactory newFactory(Executor scheduler) {
        if (KIND == Kind.LOOP_SCHEDULED) {
            Thread.Builder.OfVirtual builder = newBuilder(scheduler);
            return new StrandFactory() {
                @Override
                public Strand newStrand(Runnable body) {
                    return new VirtualStrand(builder, body);
                }

                @Override
                public Kind kind() {
                    return Kind.LOOP_SCHEDULED;
                }
            };
        }
        return new StrandFactory() {
            @Override
            public Strand newStrand(Runnable body) {
                return new HandOffStrand(body);
            }

            @Override
            public Kind kind() {
                return Kind.HAND_OFF;
            }
        };
    }

    private static Thread.Builder.OfVirtual newBuilder(Executor scheduler) {
        try {
            return ((Thread.Builder.OfVirtual) BUILDER_CONSTRUCTOR.newInstance(scheduler)).name("jasyncio-task");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("virtual thread builder failed after its self-test passed", e);
        }
    }

    /** Runs a virtual thread on an inline scheduler through one park and unpark. */
    private static void selfTest(Constructor<?> ctor) throws ReflectiveOperationException {
        int[] steps = new int[1];
        Executor inline = Runnable::run;
        Thread.Builder.OfVirtual builder = (Thread.Builder.OfVirtual) ctor.newInstance(inline);
        Thread t = builder.unstarted(() -> {
            steps[0] = 1;
            LockSupport.park();
            steps[0] = 2;
        });
        t.start();
        if (steps[0] != 1) {
            throw new IllegalStateException("self-test: the virtual thread did not run on start");
        }
        LockSupport.unpark(t);
        if (steps[0] != 2 || t.isAlive() && t.getState() != Thread.State.TERMINATED) {
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (steps[0] != 2) {
            throw new IllegalStateException("self-test: the virtual thread did not resume on unpark");
        }
    }
}
