package io.jasyncio;

/** Rethrows a stored exception as it is, checked or not, the way Python's {@code await} does. */
final class Throwables {
    private Throwables() {
    }

    /** Throws {@code t} unchanged; declared to return so callers can write {@code throw sneaky(t)}. */
    static RuntimeException sneaky(Throwable t) {
        return Throwables.<RuntimeException>doThrow(t);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E doThrow(Throwable t) throws E {
        throw (E) t;
    }
}
