package io.jasyncio;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;

/**
 * A {@link LoopWakeup} over a {@link Pipe}, watched by the NIO loop's selector
 * ({@link EventLoop#addReader(java.nio.channels.SelectableChannel, Runnable)}): pure Java, no
 * helper thread. A write racing the close fails with a {@code ClosedChannelException}, which drops
 * the byte. The writing threads (the JVM's signal threads and jasyncio's signal watcher) are never
 * interrupted, so an interrupt cannot close the channel under them.
 */
final class ChannelLoopWakeup extends LoopWakeup {
    private final Pipe pipe;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(64);

    ChannelLoopWakeup(BaseEventLoop loop) throws IOException {
        super(loop);
        this.pipe = Pipe.open();
        try {
            pipe.sink().configureBlocking(false);
            pipe.source().configureBlocking(false);
        } catch (IOException | RuntimeException e) {
            closePipe();
            throw e;
        }
    }

    @Override
    void write(int signum) {
        try {
            if (pipe.sink().write(ByteBuffer.wrap(new byte[] {(byte) signum})) == 0) {
                LOG.log(Level.DEBUG, () -> "loop wakeup not written for signal " + signum + ": the pipe is full");
            }
        } catch (IOException e) {
            // Closed meanwhile: the loop stopped wanting it.
        }
    }

    @Override
    void watch() {
        loop.addReader(pipe.source(), this::onReadable);
    }

    @Override
    void unwatch() {
        loop.removeReader(pipe.source());
    }

    @Override
    int readSome() throws IOException {
        return pipe.source().read(readBuffer.clear());
    }

    @Override
    void closePipe() {
        for (java.nio.channels.Channel end : new java.nio.channels.Channel[] {pipe.sink(), pipe.source()}) {
            try {
                end.close();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, () -> "closing the loop's signal wakeup pipe: " + e.getMessage());
            }
        }
    }
}
