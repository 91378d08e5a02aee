package io.jasyncio;

import io.jasyncio.internal.natives.Errors;
import io.jasyncio.internal.natives.Pipes;
import io.jasyncio.internal.natives.SignalControl;
import io.jasyncio.internal.natives.Sockets;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link LoopWakeup} over a native non-blocking pipe, watched by descriptor
 * ({@link EventLoop#addReader(int, Runnable)}): the epoll loop's form. A write racing the close
 * never reaches a reused descriptor number: the close waits until no write is between its check
 * and its system call.
 */
final class FdLoopWakeup extends LoopWakeup {
    private static final int CLOSED = 1 << 30;
    private static final int SCRATCH = 64;

    private final int readFd;
    private final int writeFd;
    /** {@link #CLOSED} once closed; the bits below count writes in progress. */
    private final AtomicInteger writers = new AtomicInteger();
    /** Where {@link #readSome()} reads to; reachable as long as this is. */
    private final MemorySegment scratch = Arena.ofAuto().allocate(SCRATCH);

    FdLoopWakeup(BaseEventLoop loop) throws IOException {
        super(loop);
        long pair = Pipes.create(Pipes.NONBLOCK_READ | Pipes.NONBLOCK_WRITE);
        this.readFd = Pipes.readEnd(pair);
        this.writeFd = Pipes.writeEnd(pair);
    }

    @Override
    void write(int signum) {
        try {
            if ((writers.getAndIncrement() & CLOSED) == 0) {
                int rc = SignalControl.writeByte(writeFd, signum);
                if (rc < 0) {
                    LOG.log(Level.DEBUG, () -> "loop wakeup not written for signal " + signum + ": "
                            + Errors.errnoName(-rc));
                }
            }
        } finally {
            writers.getAndDecrement();
        }
    }

    @Override
    void watch() {
        loop.addReader(readFd, this::onReadable);
    }

    @Override
    void unwatch() {
        loop.removeReader(readFd);
    }

    @Override
    int readSome() throws IOException {
        return Pipes.read(readFd, scratch.address(), SCRATCH);
    }

    @Override
    void closePipe() {
        writers.getAndUpdate(s -> s | CLOSED);
        // A write between its check and its system call finishes in microseconds.
        while ((writers.get() & ~CLOSED) != 0) {
            Thread.onSpinWait();
        }
        closeQuietly(readFd);
        closeQuietly(writeFd);
    }

    private static void closeQuietly(int fd) {
        try {
            Sockets.close(fd);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "closing the loop's signal wakeup pipe: " + e.getMessage());
        }
    }
}
