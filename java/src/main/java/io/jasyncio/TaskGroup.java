package io.jasyncio;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Structured concurrency (asyncio's {@code TaskGroup}): {@link #run} runs a body that starts child
 * tasks with {@link #createTask}, and returns only when every child is done. The first child that
 * fails cancels the others and the body's task; the group then throws an {@link ExceptionGroup}
 * with every failure. A {@link KeyboardInterruptError} or {@link SystemExitError} is rethrown as
 * it is. Java's try-with-resources cannot replace the body's exception, so the body is a lambda:
 *
 * <pre>{@code
 * TaskGroup.run(tg -> {
 *     Task<String> a = tg.createTask(() -> fetch("a"));
 *     Task<String> b = tg.createTask(() -> fetch("b"));
 *     return null;
 * });
 * }</pre>
 *
 * Not thread safe: use it inside a task, on the loop's thread.
 */
public final class TaskGroup {

    /**
     * The body of a task group.
     *
     * @param <R> the type of the body's result
     */
    @FunctionalInterface
    public interface Body<R> {
        /**
         * Runs the body of the group, in the current task.
         *
         * @param group the group, for starting child tasks
         * @return what the group's {@code run} returns once every child is done
         * @throws Exception anything; it cancels the children and joins the group's exceptions
         */
        R call(TaskGroup group) throws Exception;
    }

    private final Task<?> parent;
    private final BaseEventLoop loop;
    private final Set<Task<?>> tasks = new LinkedHashSet<>();
    private final List<Throwable> errors = new ArrayList<>();
    private boolean entered;
    private boolean exiting;
    private boolean aborting;
    private boolean parentCancelRequested;
    private Throwable baseError;
    private Future<Boolean> onCompleted;

    private TaskGroup(Task<?> parent) {
        this.parent = parent;
        this.loop = parent.loop;
    }

    /**
     * Runs {@code body} with a new group inside the current task and waits for all its children.
     *
     * @param <R> the type of the body's result
     * @param body the code that starts the group's tasks, given the group
     * @return what {@code body} returned
     * @throws ExceptionGroup if children (or the body) failed: every failure is in it
     * @throws CancelledError if the current task was cancelled from outside
     * @throws IllegalStateException outside a task
     * @throws Exception what the body threw, when no child failed
     */
    public static <R> R run(Body<R> body) throws Exception {
        Task<?> parent = Running.task();
        if (parent == null) {
            throw new IllegalStateException("TaskGroup cannot determine the parent task: run it inside a task");
        }
        TaskGroup group = new TaskGroup(parent);
        group.entered = true;
        R result = null;
        Throwable error = null;
        try {
            result = body.call(group);
        } catch (Throwable t) {
            error = t;
        }
        group.exit(error);
        return result;
    }

    /**
     * Starts {@code coroutine} as a child task of this group.
     *
     * @param <T> the type of the coroutine's result
     * @param coroutine the body of the child task
     * @return the child task
     */
    public <T> Task<T> createTask(Coroutine<T> coroutine) {
        return createTask(coroutine, null);
    }

    /**
     * Starts {@code coroutine} as a child task called {@code name}.
     *
     * @param <T> the type of the coroutine's result
     * @param coroutine the body of the child task
     * @param name the child's name, or null for a generated one
     * @return the child task
     */
    public <T> Task<T> createTask(Coroutine<T> coroutine, String name) {
        return createTask(coroutine, name, null);
    }

    /**
     * Starts {@code coroutine} as a child task called {@code name} (null: a generated name) that
     * runs in {@code context} (null: a copy of the current context), as asyncio's
     * {@code create_task(coro, name=, context=)}.
     *
     * @param <T> the type of the coroutine's result
     * @param coroutine the body of the child task
     * @param name the child's name, or null for a generated one
     * @param context the context the child runs in, or null for a copy of the current one
     * @return the child task
     */
    public <T> Task<T> createTask(Coroutine<T> coroutine, String name, Context context) {
        if (!entered) {
            throw new IllegalStateException("TaskGroup has not been entered");
        }
        if (exiting && tasks.isEmpty()) {
            throw new IllegalStateException("TaskGroup is finished");
        }
        if (aborting) {
            throw new IllegalStateException("TaskGroup is shutting down");
        }
        Task<T> task = loop.createTask(coroutine, name, context);
        // Even a task that is already done (an eager one that never suspended) is tracked through
        // its done callback, which runs later: reacting at once would cancel the current task (and
        // the group) too early, while a child that created this one is still being created
        // (asyncio gh-128550).
        tasks.add(task);
        task.addDoneCallback(this::onTaskDone);
        return task;
    }

    private void exit(Throwable error) throws Exception {
        exiting = true;
        if (error != null && isBaseError(error) && baseError == null) {
            baseError = error;
        }
        CancelledError propagateCancellation = error instanceof CancelledError c ? c : null;
        if (error != null && !aborting) {
            abort();
        }
        while (!tasks.isEmpty()) {
            onCompleted = loop.createFuture();
            try {
                onCompleted.await();
            } catch (CancelledError e) {
                if (!aborting) {
                    propagateCancellation = e;
                    abort();
                }
            }
            onCompleted = null;
        }
        if (baseError != null) {
            throw Throwables.sneaky(baseError);
        }
        if (parentCancelRequested && parent.uncancel() == 0) {
            propagateCancellation = null;
        }
        if (propagateCancellation != null && errors.isEmpty()) {
            throw propagateCancellation;
        }
        if (error != null && !(error instanceof CancelledError)) {
            errors.add(error);
        }
        if (!errors.isEmpty()) {
            // If the parent is being cancelled from outside the group, withdraw and re-request
            // that cancellation: the count stays the same, and the parent's next await raises it
            // even though the group consumed the CancelledError that carried it.
            if (parent.cancelling() > 0) {
                parent.uncancel();
                parent.cancel();
            }
            throw new ExceptionGroup("unhandled errors in a TaskGroup", errors);
        }
    }

    private void abort() {
        aborting = true;
        for (Task<?> t : tasks) {
            if (!t.done()) {
                t.cancel();
            }
        }
    }

    private void onTaskDone(Future<?> done) {
        Task<?> task = (Task<?>) done;
        tasks.remove(task);
        if (onCompleted != null && tasks.isEmpty() && !onCompleted.done()) {
            onCompleted.setResult(true);
        }
        if (task.cancelled()) {
            return;
        }
        Throwable error = task.exception();
        if (error == null) {
            return;
        }
        errors.add(error);
        if (isBaseError(error) && baseError == null) {
            baseError = error;
        }
        if (parent.done()) {
            loop.callExceptionHandler(Contexts.of(
                    "message", "Task " + task + " has errored out but its parent task " + parent
                            + " is already completed",
                    "exception", error,
                    "task", task));
            return;
        }
        if (!aborting && !parentCancelRequested) {
            abort();
            parentCancelRequested = true;
            parent.cancel();
        }
    }

    private static boolean isBaseError(Throwable t) {
        return t instanceof KeyboardInterruptError || t instanceof SystemExitError;
    }

    @Override
    public String toString() {
        return "TaskGroup[tasks=" + tasks.size() + (errors.isEmpty() ? "" : ", errors=" + errors.size())
                + (exiting ? ", exiting" : entered ? ", entered" : "") + "]";
    }
}
