package io.jasyncio;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How to start a child process: its stdin, stdout and stderr, working directory, environment
 * and (for the stream API) the readers' limit. A mutable builder: each setter returns this.
 *
 * <p>The defaults are asyncio's: {@link EventLoop#subprocessExec} makes every stream a
 * {@link Stdio#PIPE} (use {@link #pipes()}), {@link Asyncio#createSubprocessExec} inherits all
 * three (use {@link #inherit()} or {@code new SubprocessOptions()}).
 *
 * <p>Not thread safe.
 */
public final class SubprocessOptions {
    private Stdio stdin = Stdio.INHERIT;
    private Stdio stdout = Stdio.INHERIT;
    private Stdio stderr = Stdio.INHERIT;
    private Path cwd;
    private Map<String, String> env;
    private int limit = ConnectOptions.DEFAULT_LIMIT;

    /** Options that inherit all three streams, this process's cwd and environment. */
    public SubprocessOptions() {
    }

    /** {@return new options with all three streams inherited} */
    public static SubprocessOptions inherit() {
        return new SubprocessOptions();
    }

    /** {@return new options with all three streams {@link Stdio#PIPE}} */
    public static SubprocessOptions pipes() {
        return new SubprocessOptions().stdin(Stdio.PIPE).stdout(Stdio.PIPE).stderr(Stdio.PIPE);
    }

    /**
     * Sets the child's stdin.
     *
     * @param stdin {@link Stdio#PIPE}, {@link Stdio#DEVNULL}, {@link Stdio#INHERIT}, an fd or a socket
     * @return this
     */
    public SubprocessOptions stdin(Stdio stdin) {
        if (stdin == Stdio.STDOUT) {
            throw new IllegalArgumentException("STDOUT is for stderr only");
        }
        this.stdin = Objects.requireNonNull(stdin, "stdin");
        return this;
    }

    /**
     * Sets the child's stdout.
     *
     * @param stdout {@link Stdio#PIPE}, {@link Stdio#DEVNULL}, {@link Stdio#INHERIT}, an fd or a socket
     * @return this
     */
    public SubprocessOptions stdout(Stdio stdout) {
        if (stdout == Stdio.STDOUT) {
            throw new IllegalArgumentException("STDOUT is for stderr only");
        }
        this.stdout = Objects.requireNonNull(stdout, "stdout");
        return this;
    }

    /**
     * Sets the child's stderr.
     *
     * @param stderr any {@link Stdio}, {@link Stdio#STDOUT} included
     * @return this
     */
    public SubprocessOptions stderr(Stdio stderr) {
        this.stderr = Objects.requireNonNull(stderr, "stderr");
        return this;
    }

    /**
     * Sets the child's working directory.
     *
     * @param cwd the directory, or null for this process's
     * @return this
     */
    public SubprocessOptions cwd(Path cwd) {
        this.cwd = cwd;
        return this;
    }

    /**
     * Sets the child's whole environment (not added to this process's).
     *
     * @param env the variables, or null for this process's environment
     * @return this
     */
    public SubprocessOptions env(Map<String, String> env) {
        this.env = env == null ? null : new LinkedHashMap<>(env);
        return this;
    }

    /**
     * Sets the limit of the stdout and stderr readers ({@link StreamReader}).
     *
     * @param limit the limit in bytes
     * @return this
     */
    public SubprocessOptions limit(int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        this.limit = limit;
        return this;
    }

    /** {@return the child's stdin} */
    public Stdio stdin() {
        return stdin;
    }

    /** {@return the child's stdout} */
    public Stdio stdout() {
        return stdout;
    }

    /** {@return the child's stderr} */
    public Stdio stderr() {
        return stderr;
    }

    /** {@return the working directory, or null} */
    public Path cwd() {
        return cwd;
    }

    /** {@return the environment, or null for this process's} */
    public Map<String, String> env() {
        return env;
    }

    /** {@return the readers' limit} */
    public int limit() {
        return limit;
    }
}
