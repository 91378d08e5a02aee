package io.jasyncio;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A mapping of {@link ContextVar}s to values (Python's {@code contextvars.Context}). Each thread
 * has a current context; every callback runs in the context current when it was scheduled, and
 * every task runs in a copy of the context current when it was created, exactly as in asyncio.
 * Copying is cheap: a copy shares its mapping until one of them changes.
 *
 * <p>Not thread safe: a context is entered by one thread at a time.
 */
public final class Context {
    private static final ThreadLocal<Context> CURRENT = ThreadLocal.withInitial(Context::new);

    /** Never modified in place: {@link ContextVar#set} replaces it. */
    Map<ContextVar<?>, Object> vars;
    private boolean entered;

    /** A new, empty context. */
    public Context() {
        this.vars = Collections.emptyMap();
    }

    private Context(Map<ContextVar<?>, Object> vars) {
        this.vars = vars;
    }

    /**
     * A copy of the current thread's context (Python's {@code copy_context()}).
     *
     * @return a new context with the current thread's values
     */
    public static Context copyContext() {
        return current().copy();
    }

    /** The current thread's context. */
    static Context current() {
        return CURRENT.get();
    }

    /**
     * What a callback scheduled now should run in when no context is given: a copy of the current
     * context. The values are never changed in place, so the current mapping itself is the copy's
     * content; the handle makes the copy only when it runs (see {@link Handle}), which costs no
     * allocation when it is scheduled.
     */
    static Map<ContextVar<?>, Object> snapshot() {
        return CURRENT.get().vars;
    }

    /** A context holding {@code vars}, for a handle's scratch copy. */
    static Context of(Map<ContextVar<?>, Object> vars) {
        return new Context(vars);
    }

    /** Makes {@code context} the current one without the entered check; returns the previous one. */
    static Context swap(Context context) {
        Context previous = CURRENT.get();
        CURRENT.set(context);
        return previous;
    }

    /**
     * A shallow copy: same values, independent from now on.
     *
     * @return a new context with this one's values
     */
    public Context copy() {
        return new Context(vars);
    }

    /**
     * Runs {@code function} with this context as the current one, then restores the previous.
     * IllegalStateException if this context is already entered. (Python's {@code Context.run}
     * for a function that returns a value.)
     *
     * @param <R> the type of the function's result
     * @param function what to run in this context
     * @return what {@code function} returned
     * @throws Exception what {@code function} threw
     */
    public <R> R call(Callable<R> function) throws Exception {
        enter();
        Context previous = swap(this);
        try {
            return function.call();
        } finally {
            CURRENT.set(previous);
            entered = false;
        }
    }

    /**
     * {@link #call(Callable)} for code that returns nothing and throws nothing checked.
     *
     * @param action what to run in this context
     */
    public void run(Runnable action) {
        enter();
        Context previous = swap(this);
        try {
            action.run();
        } finally {
            CURRENT.set(previous);
            entered = false;
        }
    }

    private void enter() {
        if (entered) {
            throw new IllegalStateException("cannot enter context: " + this + " is already entered");
        }
        entered = true;
    }

    /**
     * The value of {@code var} in this context, or null if it has none here.
     *
     * @param <T> the variable's value type
     * @param var the variable
     * @return its value here, or null
     */
    public <T> T get(ContextVar<T> var) {
        Object v = vars.get(var);
        return v == null ? null : var.cast(v);
    }

    /**
     * Whether {@code var} has a value in this context.
     *
     * @param var the variable
     * @return true if it has a value here
     */
    public boolean containsKey(ContextVar<?> var) {
        return vars.containsKey(var);
    }

    /**
     * How many variables have a value here.
     *
     * @return the number of variables with a value
     */
    public int size() {
        return vars.size();
    }

    /**
     * A snapshot of the variables and their values.
     *
     * @return an unmodifiable map of each variable to its value
     */
    public Map<ContextVar<?>, Object> toMap() {
        return Collections.unmodifiableMap(new HashMap<>(vars));
    }

    <T> void put(ContextVar<T> var, Object value) {
        Map<ContextVar<?>, Object> next = new HashMap<>(vars);
        next.put(var, value);
        vars = next;
    }

    void remove(ContextVar<?> var) {
        if (vars.containsKey(var)) {
            Map<ContextVar<?>, Object> next = new HashMap<>(vars);
            next.remove(var);
            vars = next;
        }
    }

    @Override
    public String toString() {
        return "Context" + vars.keySet();
    }
}
