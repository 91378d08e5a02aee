package io.jasyncio.internal.strand;

import java.lang.reflect.Constructor;
import java.util.concurrent.Executor;

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
                StrandSelfTest.run(ctor);
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

    /**
     * A factory for one loop's tasks, for a loop running on the calling thread: loop-scheduled
     * virtual threads when this JVM can make them and that thread is a platform thread (a
     * continuation cannot run on a virtual thread), otherwise hand-off strands.
     */
    public static StrandFactory newFactory() {
        if (KIND == Kind.LOOP_SCHEDULED && !Thread.currentThread().isVirtual()) {
            LoopCarrier carrier = new LoopCarrier();
            Thread.Builder.OfVirtual builder = newBuilder(carrier);
            return new StrandFactory() {
                @Override
                public Strand newStrand(Runnable body) {
                    return new VirtualStrand(builder, carrier, body);
                }

                @Override
                public Kind kind() {
                    return Kind.LOOP_SCHEDULED;
                }
            };
        }
        return HAND_OFF_FACTORY;
    }

    private static final StrandFactory HAND_OFF_FACTORY = new StrandFactory() {
        @Override
        public Strand newStrand(Runnable body) {
            return new HandOffStrand(body);
        }

        @Override
        public Kind kind() {
            return Kind.HAND_OFF;
        }
    };

    private static Thread.Builder.OfVirtual newBuilder(Executor scheduler) {
        try {
            return ((Thread.Builder.OfVirtual) BUILDER_CONSTRUCTOR.newInstance(scheduler)).name("jasyncio-task");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("virtual thread builder failed after its self-test passed", e);
        }
    }
}
