package io.jasyncio;

import java.util.Objects;

/**
 * What a child's stdin, stdout or stderr is (asyncio's {@code PIPE}, {@code STDOUT},
 * {@code DEVNULL}, {@code None} and a file descriptor).
 *
 * <p>Immutable and thread safe.
 */
public final class Stdio {
    /** A new pipe to this process: a stream (or pipe transport) on our side. */
    public static final Stdio PIPE = new Stdio("PIPE", -1, null);
    /** For stderr only: the same as the child's stdout. */
    public static final Stdio STDOUT = new Stdio("STDOUT", -1, null);
    /** {@code /dev/null}. */
    public static final Stdio DEVNULL = new Stdio("DEVNULL", -1, null);
    /** This process's own stream, inherited (asyncio's {@code None}). */
    public static final Stdio INHERIT = new Stdio("INHERIT", -1, null);

    private final String kind;
    private final int fd;
    private final Socket socket;

    private Stdio(String kind, int fd, Socket socket) {
        this.kind = kind;
        this.fd = fd;
        this.socket = socket;
    }

    /**
     * An open descriptor of this process, which the child gets a copy of (ours stays open).
     *
     * @param fd the descriptor
     * @return the choice
     */
    public static Stdio fd(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("invalid file descriptor: " + fd);
        }
        return new Stdio("fd", fd, null);
    }

    /**
     * A jasyncio socket, which the child gets a copy of (the socket stays open here). It needs a
     * known descriptor: a native socket, or a channel socket whose descriptor jasyncio found.
     *
     * @param socket the socket
     * @return the choice
     */
    public static Stdio socket(Socket socket) {
        return new Stdio("socket", -1, Objects.requireNonNull(socket, "socket"));
    }

    /** {@return the descriptor given to {@link #fd(int)}, or -1} */
    public int fd() {
        return fd;
    }

    /** {@return the socket given to {@link #socket(Socket)}, or null} */
    public Socket socket() {
        return socket;
    }

    @Override
    public String toString() {
        return fd >= 0 ? "Stdio.fd(" + fd + ")" : socket != null ? "Stdio.socket(" + socket + ")" : "Stdio." + kind;
    }
}
