package io.jasyncio.internal.strand;

/**
 * What both strand kinds share: a body on its own thread, started by the first resume, which
 * records when it ends, and which a closing loop can unwind.
 */
abstract class ThreadStrand implements Strand {
    final Thread thread;
    volatile boolean started;
    volatile boolean ended;
    private volatile boolean abandoned;

    ThreadStrand(Thread.Builder builder, Runnable body) {
        this.thread = builder.unstarted(() -> {
            try {
                body.run();
            } finally {
                ended = true;
                bodyEnded();
            }
        });
    }

    /** Called on the body's thread once the body has returned or thrown. */
    void bodyEnded() {
    }

    /** Called by the body after it got control back: unwinds it if the loop has abandoned it. */
    final void checkAbandoned() {
        if (abandoned) {
            throw new StrandAbandonedError();
        }
    }

    @Override
    public final void abandon() {
        if (started && !ended) {
            abandoned = true;
            resume();
        }
    }

    @Override
    public final Thread thread() {
        return thread;
    }

    @Override
    public final boolean isAlive() {
        return started && !ended;
    }

    @Override
    public final StackTraceElement[] stackTrace() {
        return isAlive() ? thread.getStackTrace() : new StackTraceElement[0];
    }
}
