package io.jasyncio;

import io.jasyncio.internal.natives.Pipes;
import io.jasyncio.internal.natives.Processes;
import io.jasyncio.internal.natives.Sockets;

import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The loop's child processes and pipe transports: spawning (PATH search, the three streams,
 * cleanup on failure) and {@code connectReadPipe}/{@code connectWritePipe}. Everything here
 * needs the native library: on the NIO loop too, where the child's pipes and pidfd are watched
 * through the poller's descriptor bridge ({@code ProcessBuilder}'s pipes are not selectable).
 */
final class SubprocessCalls {
    /**
     * {@code -Djasyncio.subprocess.pidfd=false} watches children as on a kernel without pidfd
     * (polling {@code waitid(WNOHANG)}), to test that fallback; read at each spawn.
     */
    static final String PIDFD_PROPERTY = "jasyncio.subprocess.pidfd";

    private final SelectorEventLoop loop;

    SubprocessCalls(SelectorEventLoop loop) {
        this.loop = loop;
    }

    private static void needNative() {
        if (!io.jasyncio.internal.natives.NativeLibrary.isAvailable()) {
            throw new UnsupportedOperationException("child processes and raw pipes need jasyncio's native library: "
                    + io.jasyncio.internal.natives.NativeLibrary.unavailableReason());
        }
    }

    <P extends SubprocessProtocol> Future<SubprocessConnection<P>> exec(Supplier<P> factory, List<String> args,
            SubprocessOptions options) {
        loop.checkThread();
        Objects.requireNonNull(factory, "protocolFactory");
        Objects.requireNonNull(options, "options");
        if (args.isEmpty()) {
            throw new IllegalArgumentException("args must name the program");
        }
        for (String a : args) {
            Objects.requireNonNull(a, "an argument is null");
        }
        needNative();
        Future<SubprocessConnection<P>> result = loop.createFuture();
        P protocol = factory.get();
        ChildProcessTransport transport;
        int[] parentFds = {-1, -1, -1};
        try {
            int[] child = spawn(args, options, parentFds);
            if (child[1] >= 0 && "false".equals(System.getProperty(PIDFD_PROPERTY))) {
                Sockets.close(child[1]); // the fallback, as on a kernel before 5.3
                child[1] = -1;
            }
            transport = new ChildProcessTransport(loop, protocol, child[0], child[1]);
        } catch (IOException | RuntimeException e) {
            result.setException(e);
            return result;
        }
        Future<Void> waiter = loop.createFuture();
        transport.start(parentFds, waiter);
        waiter.addDoneCallback(w -> {
            if (!result.done()) {
                result.setResult(new SubprocessConnection<>(transport, protocol));
            }
        });
        return result;
    }

    /** asyncio's shell: {@code /bin/sh -c cmd}. */
    static List<String> shellArgs(String cmd) {
        Objects.requireNonNull(cmd, "cmd");
        return List.of("/bin/sh", "-c", cmd);
    }

    /**
     * Spawns; fills parentFds with our ends of the PIPE streams. On failure everything opened
     * here is closed again before the exception leaves.
     *
     * @return {pid, pidfd}
     */
    private static int[] spawn(List<String> args, SubprocessOptions o, int[] parentFds) throws IOException {
        String program = resolve(args.get(0), o.env());
        List<String> env = null;
        if (o.env() != null) {
            env = new ArrayList<>();
            for (Map.Entry<String, String> e : o.env().entrySet()) {
                env.add(e.getKey() + "=" + e.getValue());
            }
        }
        List<Integer> toClose = new ArrayList<>();
        int[] childFds = {-1, -1, -1};
        boolean ok = false;
        try {
            Stdio[] stdio = {o.stdin(), o.stdout(), o.stderr()};
            int devnull = -1;
            for (int fd = 0; fd < 3; fd++) {
                Stdio s = stdio[fd];
                if (s == Stdio.PIPE) {
                    long pair = Pipes.create(fd == 0 ? Pipes.NONBLOCK_WRITE : Pipes.NONBLOCK_READ);
                    int r = Pipes.readEnd(pair);
                    int w = Pipes.writeEnd(pair);
                    toClose.add(fd == 0 ? r : w);
                    parentFds[fd] = fd == 0 ? w : r;
                    childFds[fd] = fd == 0 ? r : w;
                } else if (s == Stdio.DEVNULL) {
                    if (devnull < 0) {
                        devnull = Pipes.openDevnull();
                        toClose.add(devnull);
                    }
                    childFds[fd] = devnull;
                } else if (s == Stdio.STDOUT) {
                    childFds[fd] = childFds[1] >= 0 ? childFds[1] : 1;
                } else if (s == Stdio.INHERIT) {
                    childFds[fd] = -1;
                } else if (s.socket() != null) {
                    int sfd = s.socket().fileno();
                    if (sfd < 0) {
                        throw new IllegalArgumentException("the socket has no known descriptor to give a child: "
                                + s.socket());
                    }
                    childFds[fd] = sfd;
                } else {
                    childFds[fd] = s.fd();
                }
            }
            String cwd = o.cwd() == null ? null : o.cwd().toString();
            int[] child;
            try {
                child = Processes.spawn(program, args, env, cwd, childFds);
            } catch (NoSuchFileException e) {
                if (cwd != null && !Files.isDirectory(o.cwd())) {
                    throw new NoSuchFileException(cwd, null, "posix_spawn(" + program + ", cwd=" + cwd
                            + "): ENOENT (No such file or directory): the working directory does not exist");
                }
                throw e;
            }
            ok = true;
            return child;
        } finally {
            for (int fd : toClose) {
                Sockets.close(fd);
            }
            if (!ok) {
                for (int i = 0; i < 3; i++) {
                    if (parentFds[i] >= 0) {
                        Sockets.close(parentFds[i]);
                        parentFds[i] = -1;
                    }
                }
            }
        }
    }

    /** The program's path: as given when it holds a slash, else the first match on PATH. */
    private static String resolve(String program, Map<String, String> env) throws NoSuchFileException {
        if (program.isEmpty()) {
            throw new NoSuchFileException(program, null, "posix_spawn(\"\"): ENOENT (No such file or directory)");
        }
        if (program.indexOf('/') >= 0) {
            return program;
        }
        String path = env != null && env.containsKey("PATH") ? env.get("PATH") : System.getenv("PATH");
        if (path == null) {
            path = "/usr/local/bin:/usr/bin:/bin";
        }
        String notExecutable = null;
        for (String dir : path.split(":", -1)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isRegularFile(candidate)) {
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
                if (notExecutable == null) {
                    notExecutable = candidate.toString();
                }
            }
        }
        if (notExecutable != null) {
            return notExecutable; // spawning it reports EACCES, naming it
        }
        throw new NoSuchFileException(program, null, "posix_spawn(" + program
                + "): ENOENT (No such file or directory): not found on PATH=" + path);
    }

    // ---- pipes ----

    <P extends BaseProtocol> Future<Connection<P>> connectPipe(Supplier<P> factory, boolean read, int fd,
            SelectableChannel channel) {
        loop.checkThread();
        Objects.requireNonNull(factory, "protocolFactory");
        Future<Connection<P>> result = loop.createFuture();
        try {
            if (channel == null) {
                needNative();
                Pipes.prepare(fd);
            } else {
                if (read ? !(channel instanceof java.nio.channels.ReadableByteChannel)
                        : !(channel instanceof java.nio.channels.WritableByteChannel)) {
                    throw new IllegalArgumentException("a " + (read ? "read" : "write") + " pipe needs a "
                            + (read ? "readable" : "writable") + " channel: " + channel);
                }
                channel.configureBlocking(false);
            }
        } catch (IOException | RuntimeException e) {
            result.setException(e);
            return result;
        }
        P protocol = factory.get();
        Future<Void> waiter = loop.createFuture();
        Transport t = loop.newPipeTransport(read, fd, channel, protocol, waiter);
        waiter.addDoneCallback(w -> {
            if (!result.done()) {
                result.setResult(new Connection<>(t, protocol));
            }
        });
        return result;
    }
}
