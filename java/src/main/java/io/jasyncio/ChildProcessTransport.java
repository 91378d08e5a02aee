package io.jasyncio;

import io.jasyncio.internal.natives.Processes;
import io.jasyncio.internal.natives.Sockets;
import io.jasyncio.internal.net.PipeTransport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The transport of one child process (asyncio's {@code BaseSubprocessTransport}): its pipes'
 * transports, whose protocols forward to the {@link SubprocessProtocol}, and the watch on its
 * exit. The exit is a pidfd in the loop's poller, readable once the child has exited, reaped
 * with {@code waitid(P_PIDFD, WNOHANG)}. On a kernel without pidfd it is a timer calling
 * {@code waitid(P_PID, WNOHANG)} at growing intervals (1 ms up to 100 ms), and again whenever one
 * of its pipes closes (most children close their output as they exit): no SIGCHLD handler, no
 * thread. {@code wait()} completes once the child has exited and every pipe is closed, as in
 * asyncio 3.12.
 *
 * <p>A loop that closes while the child runs (or while its pipes are open) releases it
 * ({@link #releaseOnLoopClose}): the pidfd and the parent's pipe ends are closed, the child is
 * not signalled (asyncio does not kill children on loop close either) and goes on running; it
 * sees end of file on a stdin pipe and EPIPE on its stdout. Once it exits,
 * {@link OrphanChildren} reaps it at the next spawn or loop close of any loop.
 *
 * <p>Not thread safe: owned by its loop.
 */
final class ChildProcessTransport implements SubprocessTransport {
    private static final System.Logger LOG = System.getLogger("io.jasyncio");
    /** The fallback's polling interval bounds, in seconds. */
    private static final double FALLBACK_FIRST = 0.001;
    private static final double FALLBACK_MAX = 0.1;

    private final SelectorEventLoop loop;
    private SubprocessProtocol protocol;
    private final int pid;
    private int pidfd;
    private final PipeTransport[] pipes = new PipeTransport[3];
    private final boolean[] disconnected = {true, true, true};
    private Integer returncode;
    private boolean closed;
    private boolean finished;
    private boolean connected;
    private final List<Runnable> pendingCalls = new ArrayList<>();
    private List<Future<Integer>> exitWaiters = new ArrayList<>();
    private double fallbackDelay = FALLBACK_FIRST;
    private TimerHandle fallbackTimer;
    /** Its loop closed before it finished: the pid now belongs to {@link OrphanChildren}. */
    private boolean released;

    ChildProcessTransport(SelectorEventLoop loop, SubprocessProtocol protocol, int pid, int pidfd) {
        this.loop = loop;
        this.protocol = protocol;
        this.pid = pid;
        this.pidfd = pidfd;
    }

    /** Connects the parent's pipe ends (-1: none), watches the exit, then calls connectionMade. */
    void start(int[] parentFds, Future<Void> waiter) {
        for (int fd = 0; fd < 3; fd++) {
            if (parentFds[fd] < 0) {
                continue;
            }
            final int which = fd;
            BaseProtocol forward = fd == 0 ? new WriteForward() : new ReadForward(which);
            pipes[fd] = loop.newPipeTransport(fd != 0, parentFds[fd], null, forward, null);
            disconnected[fd] = false;
        }
        if (pidfd >= 0) {
            loop.addReader(pidfd, this::onExitReadable);
        } else {
            fallbackTimer = loop.callLater(fallbackDelay, this::pollExit);
        }
        loop.childStarted(this);
        loop.callSoon(() -> {
            connected = true;
            if (protocol != null) {
                protocol.connectionMade(this);
            }
            for (Runnable r : pendingCalls) {
                r.run();
            }
            pendingCalls.clear();
            if (waiter != null && !waiter.done()) {
                waiter.setResult(null);
            }
        });
    }

    /** Runs {@code call} now, or after connectionMade if that has not run yet. */
    private void call(Runnable call) {
        if (connected) {
            loop.callSoon(call);
        } else {
            pendingCalls.add(call);
        }
    }

    // ---- exit ----

    private void onExitReadable() {
        tryReap();
    }

    private void pollExit() {
        fallbackTimer = null;
        if (returncode != null) {
            return;
        }
        tryReap();
        if (returncode == null) {
            fallbackDelay = Math.min(FALLBACK_MAX, fallbackDelay * 2);
            fallbackTimer = loop.callLater(fallbackDelay, this::pollExit);
        }
    }

    private void tryReap() {
        if (returncode != null || released) {
            return;
        }
        int code;
        try {
            code = Processes.reap(pidfd, pid);
        } catch (IOException e) {
            // ECHILD: someone else (a waitpid(-1) elsewhere in the process) reaped it; its code is lost
            LOG.log(System.Logger.Level.WARNING, "child " + pid + " was reaped elsewhere: " + e.getMessage());
            code = 255;
        }
        if (code == Integer.MIN_VALUE) {
            return;
        }
        if (pidfd >= 0) {
            loop.removeReader(pidfd);
            try {
                Sockets.close(pidfd);
            } catch (IOException e) {
                // nothing to do
            }
            pidfd = -1;
        }
        if (fallbackTimer != null) {
            fallbackTimer.cancel();
            fallbackTimer = null;
        }
        processExited(code);
    }

    private void processExited(int code) {
        if (loop.getDebug()) {
            LOG.log(System.Logger.Level.DEBUG, this + " exited with return code " + code);
        }
        returncode = code;
        call(() -> {
            if (protocol != null) {
                protocol.processExited();
            }
        });
        tryFinish();
    }

    private void tryFinish() {
        if (finished || returncode == null) {
            return;
        }
        for (boolean d : disconnected) {
            if (!d) {
                return;
            }
        }
        finished = true;
        loop.childFinished(this);
        call(this::callConnectionLost);
    }

    /**
     * Its loop is closing (called by the loop, after which no callback runs): reaps the child if
     * it has exited, and otherwise hands its pid to {@link OrphanChildren}; closes the pidfd and
     * the parent's pipe ends either way and forgets the fallback's timer. The protocol is not
     * called again.
     */
    void releaseOnLoopClose() {
        if (released) {
            return;
        }
        if (returncode == null) {
            try {
                int code = Processes.reap(pidfd, pid);
                if (code != Integer.MIN_VALUE) {
                    returncode = code;
                }
            } catch (IOException e) {
                returncode = 255; // ECHILD: reaped elsewhere, as in tryReap
            }
        }
        released = true;
        closed = true;
        if (pidfd >= 0) {
            try {
                Sockets.close(pidfd);
            } catch (IOException e) {
                // nothing to do
            }
            pidfd = -1;
        }
        fallbackTimer = null; // the closing loop dropped its timers
        for (PipeTransport p : pipes) {
            if (p != null) {
                p.releaseOnLoopClose();
            }
        }
        protocol = null;
        if (returncode == null) {
            OrphanChildren.adopt(pid);
        }
    }

    private void callConnectionLost() {
        try {
            if (protocol != null) {
                protocol.connectionLost(null);
            }
        } finally {
            for (Future<Integer> w : exitWaiters) {
                if (!w.done()) {
                    w.setResult(returncode);
                }
            }
            exitWaiters = null;
            protocol = null;
        }
    }

    /** asyncio's {@code _wait}: the return code once the child exited and its pipes closed. */
    Future<Integer> waitExit() {
        Future<Integer> f = loop.createFuture();
        if (returncode != null && exitWaiters == null) {
            f.setResult(returncode);
        } else {
            exitWaiters.add(f);
        }
        return f;
    }

    private void pipeLost(int fd, Throwable exc) {
        disconnected[fd] = true;
        call(() -> {
            if (protocol != null) {
                protocol.pipeConnectionLost(fd, exc);
            }
        });
        if (returncode == null && pidfd < 0) {
            tryReap(); // the fallback: a closing pipe often means an exit
        }
        tryFinish();
    }

    // ---- the pipes' protocols ----

    private final class ReadForward implements Protocol {
        private final int fd;

        ReadForward(int fd) {
            this.fd = fd;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            if (!connected) {
                // data before connectionMade: keep a copy for the replay
                ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
                pendingCalls.add(() -> {
                    if (protocol != null) {
                        protocol.pipeDataReceived(fd, copy);
                    }
                });
                return;
            }
            if (protocol != null) {
                protocol.pipeDataReceived(fd, data);
            }
        }

        @Override
        public void connectionLost(Throwable exc) {
            pipeLost(fd, exc);
        }
    }

    private final class WriteForward implements Protocol {
        @Override
        public void connectionLost(Throwable exc) {
            pipeLost(0, exc);
        }

        @Override
        public void pauseWriting() {
            if (protocol != null) {
                protocol.pauseWriting();
            }
        }

        @Override
        public void resumeWriting() {
            if (protocol != null) {
                protocol.resumeWriting();
            }
        }
    }

    // ---- SubprocessTransport ----

    @Override
    public long getPid() {
        return pid;
    }

    @Override
    public Transport getPipeTransport(int fd) {
        if (fd < 0 || fd > 2) {
            throw new IllegalArgumentException("fd must be 0, 1 or 2: " + fd);
        }
        return pipes[fd];
    }

    @Override
    public Integer getReturncode() {
        return returncode;
    }

    @Override
    public void sendSignal(int signum) throws ProcessLookupException {
        if (signum <= 0 || signum >= 65) {
            throw new IllegalArgumentException("invalid signal number: " + signum);
        }
        if (returncode == null) {
            tryReap(); // an exit the loop has not seen yet
        }
        if (returncode != null) {
            throw new ProcessLookupException("process " + pid + " has exited (return code " + returncode + ")");
        }
        if (released) {
            signalOrphan(signum);
            return;
        }
        int rc;
        try {
            rc = Processes.signal(pidfd, pid, signum);
        } catch (IOException e) {
            throw new IllegalStateException("cannot signal process " + pid + ": " + e.getMessage(), e);
        }
        if (rc < 0) {
            throw new ProcessLookupException("signal " + signum + " to process " + pid + ": ESRCH (No such process)");
        }
    }

    /** A signal after the loop closed: only while {@link OrphanChildren} has not reaped it. */
    private void signalOrphan(int signum) throws ProcessLookupException {
        boolean sent;
        try {
            sent = OrphanChildren.signal(pid, signum);
        } catch (IOException e) {
            throw new IllegalStateException("cannot signal process " + pid + ": " + e.getMessage(), e);
        }
        if (!sent) {
            throw new ProcessLookupException("process " + pid + " has exited (its loop is closed)");
        }
    }

    @Override
    public void terminate() throws ProcessLookupException {
        sendSignal(Processes.SIGTERM);
    }

    @Override
    public void kill() throws ProcessLookupException {
        sendSignal(Processes.SIGKILL);
    }

    /**
     * Closes the pipes and kills the child if it still runs; the exit watch stays, so the child
     * is still reaped (while the loop runs) and {@code wait()} still completes. After the loop
     * closed, the transport is closed already and this does nothing.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (PipeTransport p : pipes) {
            if (p != null) {
                p.close();
            }
        }
        if (returncode == null) {
            if (loop.getDebug()) {
                LOG.log(System.Logger.Level.WARNING, "Close running child process: kill " + this);
            }
            try {
                kill();
            } catch (ProcessLookupException e) {
                // exited meanwhile
            }
        }
    }

    @Override
    public boolean isClosing() {
        return closed;
    }

    @Override
    public Object getExtraInfo(String name, Object defaultValue) {
        return "subprocess".equals(name) ? (Object) (long) pid : defaultValue;
    }

    @Override
    public void setProtocol(BaseProtocol protocol) {
        if (!(protocol instanceof SubprocessProtocol p)) {
            throw new IllegalArgumentException("a subprocess transport needs a SubprocessProtocol");
        }
        this.protocol = p;
    }

    @Override
    public BaseProtocol getProtocol() {
        return protocol;
    }

    @Override
    public String toString() {
        return "SubprocessTransport[pid=" + pid + (returncode != null ? ", returncode=" + returncode : ", running")
                + (closed ? ", closed" : "") + "]";
    }

}
