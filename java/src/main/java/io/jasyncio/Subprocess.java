package io.jasyncio;

import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A child process with streams (asyncio's {@code asyncio.subprocess.Process}), made by
 * {@link Asyncio#createSubprocessExec} and {@link Asyncio#createSubprocessShell}. Named so that it
 * does not clash with {@link java.lang.Process} in code that imports {@code io.jasyncio.*}.
 *
 * <p>{@link #stdin()}, {@link #stdout()} and {@link #stderr()} exist for the streams that are
 * {@link Stdio#PIPE}s. As in asyncio, {@link #waitFor()} with a PIPE that nobody reads can wait
 * forever: once the pipe (64 KiB) and the reader's buffer (twice its limit) are full the child
 * blocks writing and never exits. {@link #communicate(byte[])} reads every pipe while it waits,
 * and so never deadlocks.
 *
 * <p>Not thread safe: use it on its loop's thread.
 */
public final class Subprocess {

    /**
     * What {@link #communicate(byte[])} read.
     *
     * @param stdout everything the child wrote to stdout, or null if stdout was not a PIPE
     * @param stderr everything it wrote to stderr, or null if stderr was not a PIPE
     */
    public record Output(byte[] stdout, byte[] stderr) {
    }

    private final SubprocessTransport transport;
    private final StreamProtocol protocol;
    private final EventLoop loop;

    private Subprocess(SubprocessTransport transport, StreamProtocol protocol, EventLoop loop) {
        this.transport = transport;
        this.protocol = protocol;
        this.loop = loop;
    }

    static Future<Subprocess> create(List<String> args, SubprocessOptions options, boolean shell, String cmd) {
        EventLoop loop = Asyncio.getRunningLoop();
        int limit = options.limit();
        Future<SubprocessConnection<StreamProtocol>> made = shell
                ? loop.subprocessShell(() -> new StreamProtocol(limit, loop), cmd, options)
                : loop.subprocessExec(() -> new StreamProtocol(limit, loop), args, options);
        Future<Subprocess> out = loop.createFuture();
        made.addDoneCallback(f -> {
            if (f.cancelled()) {
                out.cancel();
            } else if (f.exception() != null) {
                out.setException(f.exception());
            } else {
                SubprocessConnection<StreamProtocol> c = f.result();
                out.setResult(new Subprocess(c.transport(), c.protocol(), loop));
            }
        });
        return out;
    }

    /** {@return the child's process id} */
    public long pid() {
        return transport.getPid();
    }

    /** {@return the return code (exit status, or -N after signal N), or null while it runs} */
    public Integer returncode() {
        return transport.getReturncode();
    }

    /** {@return the writer to the child's stdin, or null if stdin is not a PIPE} */
    public StreamWriter stdin() {
        return protocol.stdin;
    }

    /** {@return the reader of the child's stdout, or null if stdout is not a PIPE} */
    public StreamReader stdout() {
        return protocol.stdout;
    }

    /** {@return the reader of the child's stderr, or null if stderr is not a PIPE} */
    public StreamReader stderr() {
        return protocol.stderr;
    }

    /** {@return the child's transport} */
    public SubprocessTransport transport() {
        return transport;
    }

    /**
     * Waits for the child to exit (asyncio's {@code wait()}; {@code wait} is taken by
     * {@link Object#wait()}). See the class description for a PIPE nobody reads.
     *
     * @return a future of the return code: the exit status, or -N when signal N killed the child
     */
    public Future<Integer> waitFor() {
        return ((ChildProcessTransport) transport).waitExit();
    }

    /**
     * Writes {@code input} to stdin and closes it, reads stdout and stderr to their end, and waits
     * for the child to exit, all at once (so a child that fills one pipe while we feed another
     * never deadlocks). A child that stops reading its stdin early is not an error: the rest of
     * the input is dropped.
     *
     * @param input the bytes for stdin, or null to write nothing (stdin is still closed)
     * @return a future of what stdout and stderr carried
     */
    public Future<Output> communicate(byte[] input) {
        return loop.createTask(() -> {
            Future<Void> feeding = protocol.stdin != null ? loop.createTask(() -> {
                feedStdin(input);
                return null;
            }, "communicate.stdin") : null;
            Future<byte[]> out = protocol.stdout != null ? readStream(1) : null;
            Future<byte[]> err = protocol.stderr != null ? readStream(2) : null;
            if (feeding != null) {
                feeding.await();
            }
            byte[] o = out != null ? out.await() : null;
            byte[] e = err != null ? err.await() : null;
            waitFor().await();
            return new Output(o, e);
        }, "communicate");
    }

    /**
     * {@link #communicate(byte[])} with no input.
     *
     * @return a future of the output
     */
    public Future<Output> communicate() {
        return communicate(null);
    }

    private void feedStdin(byte[] input) throws Exception {
        StreamWriter w = protocol.stdin;
        if (input != null && input.length > 0) {
            w.write(input);
            try {
                w.drain().await();
            } catch (SocketException e) {
                // the child closed its stdin early (asyncio ignores BrokenPipe/ConnectionReset here)
            }
        }
        w.close();
    }

    private Future<byte[]> readStream(int fd) {
        StreamReader r = fd == 1 ? protocol.stdout : protocol.stderr;
        return loop.createTask(() -> {
            byte[] data = r.read().await();
            Transport t = transport.getPipeTransport(fd);
            if (t != null) {
                t.close();
            }
            return data;
        }, "communicate.fd" + fd);
    }

    /**
     * Sends a signal to the child.
     *
     * @param signum the signal number
     * @throws ProcessLookupException if the child has exited
     */
    public void sendSignal(int signum) throws ProcessLookupException {
        transport.sendSignal(signum);
    }

    /**
     * Sends SIGTERM.
     *
     * @throws ProcessLookupException if the child has exited
     */
    public void terminate() throws ProcessLookupException {
        transport.terminate();
    }

    /**
     * Sends SIGKILL.
     *
     * @throws ProcessLookupException if the child has exited
     */
    public void kill() throws ProcessLookupException {
        transport.kill();
    }

    @Override
    public String toString() {
        return "Subprocess[pid=" + pid() + ", returncode=" + returncode() + "]";
    }

    /** asyncio's {@code SubprocessStreamProtocol}: the pipes as streams. */
    static final class StreamProtocol implements SubprocessProtocol {
        private final int limit;
        private final EventLoop loop;
        private SubprocessTransport transport;
        StreamReader stdout;
        StreamReader stderr;
        StreamWriter stdin;
        private StreamReaderProtocol stdinFlow;
        private final Set<Integer> pipeFds = new HashSet<>();
        private boolean exited;

        StreamProtocol(int limit, EventLoop loop) {
            this.limit = limit;
            this.loop = loop;
        }

        @Override
        public void connectionMade(SubprocessTransport t) {
            this.transport = t;
            Transport out = t.getPipeTransport(1);
            if (out != null) {
                stdout = new StreamReader(limit, loop);
                stdout.setTransport(out);
                pipeFds.add(1);
            }
            Transport err = t.getPipeTransport(2);
            if (err != null) {
                stderr = new StreamReader(limit, loop);
                stderr.setTransport(err);
                pipeFds.add(2);
            }
            Transport in = t.getPipeTransport(0);
            if (in != null) {
                // drain() follows this protocol's pause/resume, forwarded from the stdin pipe
                stdinFlow = new StreamReaderProtocol(new StreamReader(limit, loop));
                stdinFlow.connectionMade(in);
                stdin = new StreamWriter(in, stdinFlow, null, loop);
            }
        }

        @Override
        public void pipeDataReceived(int fd, ByteBuffer data) {
            StreamReader r = fd == 1 ? stdout : fd == 2 ? stderr : null;
            if (r != null) {
                r.feedData(data);
            }
        }

        @Override
        public void pipeConnectionLost(int fd, Throwable exc) {
            if (fd == 0) {
                if (stdinFlow != null) {
                    stdinFlow.connectionLost(exc);
                }
                return;
            }
            StreamReader r = fd == 1 ? stdout : stderr;
            if (r != null) {
                if (exc == null) {
                    r.feedEof();
                } else {
                    r.setException(exc);
                }
            }
            pipeFds.remove(fd);
            maybeCloseTransport();
        }

        @Override
        public void pauseWriting() {
            if (stdinFlow != null) {
                stdinFlow.pauseWriting();
            }
        }

        @Override
        public void resumeWriting() {
            if (stdinFlow != null) {
                stdinFlow.resumeWriting();
            }
        }

        @Override
        public void processExited() {
            exited = true;
            maybeCloseTransport();
        }

        private void maybeCloseTransport() {
            if (pipeFds.isEmpty() && exited && transport != null) {
                transport.close();
                transport = null;
            }
        }
    }
}
