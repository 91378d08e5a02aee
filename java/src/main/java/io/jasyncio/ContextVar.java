package io.jasyncio;

import java.util.NoSuchElementException;

/**
 * A variable whose value depends on the current {@link Context} (Python's
 * {@code contextvars.ContextVar}): a task sees the values current when it was created, and its
 * own changes stay inside it.
 *
 * @param <T> the value type
 */
public final class ContextVar<T> {
    private static final Object MISSING = new Object();

    private final String name;
    private final Object defaultValue;

    /**
     * A variable without a default: {@link #get()} throws until it is set.
     *
     * @param name the variable's name, for messages
     */
    public ContextVar(String name) {
        this.name = name;
        this.defaultValue = MISSING;
    }

    /**
     * A variable whose {@link #get()} returns {@code defaultValue} until it is set.
     *
     * @param name the variable's name, for messages
     * @param defaultValue the value until one is set
     */
    public ContextVar(String name, T defaultValue) {
        this.name = name;
        this.defaultValue = defaultValue;
    }

    /**
     * The variable's name (Python's {@code ContextVar.name}).
     *
     * @return the name given to the constructor
     */
    public String name() {
        return name;
    }

    /**
     * The value in the current context, else the variable's default; NoSuchElementException
     * (Python's LookupError) if there is neither.
     *
     * @return the variable's value
     */
    public T get() {
        Context ctx = Context.current();
        if (ctx.vars.containsKey(this)) {
            return cast(ctx.vars.get(this));
        }
        if (defaultValue != MISSING) {
            return cast(defaultValue);
        }
        throw new NoSuchElementException("ContextVar '" + name + "' has no value");
    }

    /**
     * The value in the current context, else {@code fallback} (ignoring the variable's default).
     *
     * @param fallback what to return when the current context has no value
     * @return the value in the current context, or {@code fallback}
     */
    public T get(T fallback) {
        Context ctx = Context.current();
        return ctx.vars.containsKey(this) ? cast(ctx.vars.get(this)) : fallback;
    }

    /**
     * Sets the value in the current context; the token undoes it with {@link #reset}.
     *
     * @param value the new value
     * @return a token for {@link #reset}
     */
    public Token<T> set(T value) {
        Context ctx = Context.current();
        Object old = ctx.vars.containsKey(this) ? ctx.vars.get(this) : MISSING;
        ctx.put(this, value);
        return new Token<>(this, ctx, old);
    }

    /**
     * Puts back the value this variable had before the {@link #set} that made {@code token}.
     * IllegalStateException if the token was used already; IllegalArgumentException if it
     * belongs to another variable or was made in another context.
     *
     * @param token what the {@link #set} to undo returned
     */
    public void reset(Token<T> token) {
        if (token.used) {
            throw new IllegalStateException("Token has already been used once");
        }
        if (token.var != this) {
            throw new IllegalArgumentException("Token was created by a different ContextVar");
        }
        Context ctx = Context.current();
        if (token.context != ctx) {
            throw new IllegalArgumentException("Token was created in a different Context");
        }
        token.used = true;
        if (token.oldValue == MISSING) {
            ctx.remove(this);
        } else {
            ctx.put(this, token.oldValue);
        }
    }

    @SuppressWarnings("unchecked")
    T cast(Object value) {
        return (T) value;
    }

    @Override
    public String toString() {
        return "ContextVar[" + name + (defaultValue != MISSING ? ", default=" + defaultValue : "") + "]";
    }

    /**
     * What {@link ContextVar#set} returns: the way back to the previous value.
     *
     * @param <T> the variable's value type
     */
    public static final class Token<T> {
        private final ContextVar<T> var;
        private final Context context;
        private final Object oldValue;
        private boolean used;

        private Token(ContextVar<T> var, Context context, Object oldValue) {
            this.var = var;
            this.context = context;
            this.oldValue = oldValue;
        }

        /**
         * The variable that was set (Python's {@code Token.var}).
         *
         * @return the variable
         */
        public ContextVar<T> var() {
            return var;
        }

        /**
         * Whether the variable had a value before the set.
         *
         * @return true if it had one
         */
        public boolean hadOldValue() {
            return oldValue != MISSING;
        }

        /**
         * The value before the set, or null if there was none.
         *
         * @return the old value, or null
         */
        public T oldValue() {
            return oldValue == MISSING ? null : var.cast(oldValue);
        }
    }
}
