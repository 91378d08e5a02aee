package io.jasyncio;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Several exceptions raised together (Python's {@code ExceptionGroup}), for instance by the
 * children of a {@link TaskGroup}. Groups nest. Each member is also attached as a suppressed
 * exception, so a printed stack trace shows them all.
 */
public class ExceptionGroup extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * The message given to the constructor, without the count.
     */
    private final String baseMessage;
    /**
     * The members, in the order they were raised.
     */
    private final List<Throwable> exceptions;

    /**
     * The parts of a group that match a condition and the rest; either may be null.
     *
     * @param match the members that matched, as a group, or null if none did
     * @param rest the members that did not, as a group, or null if all matched
     */
    public record Split(ExceptionGroup match, ExceptionGroup rest) {
    }

    /**
     * A group of {@code exceptions} (at least one, none null) described by {@code message}.
     *
     * @param message what the group is about; the count of members is added to it
     * @param exceptions the members
     */
    public ExceptionGroup(String message, List<? extends Throwable> exceptions) {
        super(describe(message, exceptions), exceptions.isEmpty() ? null : exceptions.get(0));
        if (exceptions.isEmpty()) {
            throw new IllegalArgumentException("an ExceptionGroup needs at least one exception");
        }
        for (Throwable t : exceptions) {
            if (t == null) {
                throw new NullPointerException("an ExceptionGroup cannot hold null");
            }
        }
        this.baseMessage = message;
        this.exceptions = List.copyOf(exceptions);
        for (Throwable t : this.exceptions) {
            if (t != getCause()) {
                addSuppressed(t);
            }
        }
    }

    private static String describe(String message, List<? extends Throwable> exceptions) {
        int n = exceptions.size();
        return message + " (" + n + " sub-exception" + (n == 1 ? "" : "s") + ")";
    }

    /**
     * The message given to the constructor, without the count.
     *
     * @return the message
     */
    public String message() {
        return baseMessage;
    }

    /**
     * The member exceptions, in the order they were raised.
     *
     * @return an unmodifiable list of the members
     */
    public List<Throwable> exceptions() {
        return exceptions;
    }

    /**
     * A group of the same shape with only the members (at any depth) of {@code type}, or null.
     *
     * @param type the type of the members to keep
     * @return the group of matching members, or null if none matches
     */
    public ExceptionGroup subgroup(Class<? extends Throwable> type) {
        return subgroup(type::isInstance);
    }

    /**
     * A group of the same shape with only the members (at any depth) {@code condition} accepts, or null.
     *
     * @param condition which members to keep (a nested group that it accepts is kept whole)
     * @return the group of accepted members, or null if none is accepted
     */
    public ExceptionGroup subgroup(Predicate<? super Throwable> condition) {
        return split(condition).match();
    }

    /**
     * Splits the members (at any depth) into those of {@code type} and the rest.
     *
     * @param type the type of the members to split off
     * @return the members of {@code type} and the rest, each as a group or null
     */
    public Split split(Class<? extends Throwable> type) {
        return split(type::isInstance);
    }

    /**
     * Splits the members (at any depth) into those {@code condition} accepts and the rest.
     *
     * @param condition which members to split off (a nested group that it accepts goes whole)
     * @return the accepted members and the rest, each as a group or null
     */
    public Split split(Predicate<? super Throwable> condition) {
        if (condition.test(this)) {
            return new Split(this, null);
        }
        List<Throwable> match = new ArrayList<>();
        List<Throwable> rest = new ArrayList<>();
        for (Throwable t : exceptions) {
            if (t instanceof ExceptionGroup g) {
                Split s = g.split(condition);
                if (s.match() != null) {
                    match.add(s.match());
                }
                if (s.rest() != null) {
                    rest.add(s.rest());
                }
            } else if (condition.test(t)) {
                match.add(t);
            } else {
                rest.add(t);
            }
        }
        return new Split(match.isEmpty() ? null : derive(match), rest.isEmpty() ? null : derive(rest));
    }

    /**
     * A group with this one's message around {@code members}; subclasses may keep their type.
     *
     * @param members the members of the new group
     * @return a new group of {@code members}
     */
    public ExceptionGroup derive(List<? extends Throwable> members) {
        return new ExceptionGroup(baseMessage, members);
    }
}
