package io.jasyncio;

import io.jasyncio.internal.net.StreamTransport;

import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * asyncio's {@code loop.sendfile} on a readiness loop: the socket's own sendfile on a plain
 * stream transport ({@code _sendfile_native}), and reads and writes through any other transport
 * ({@code _sendfile_fallback}). Written as a task: it runs once per file.
 */
final class TransportSendfile {
    /** The fallback's chunk: the default high-water mark, so one chunk never passes it twice. */
    static final int FALLBACK_CHUNK = 64 * 1024;

    private final SelectorEventLoop loop;
    private final SockCalls sockCalls;

    TransportSendfile(SelectorEventLoop loop, SockCalls sockCalls) {
        this.loop = loop;
        this.sockCalls = sockCalls;
    }

    /** Sends {@code channel} or, when it is null, the file at {@code path}. */
    Future<Long> sendfile(Transport transport, FileChannel channel, Path path, long offset, long count) {
        java.util.Objects.requireNonNull(transport, "transport");
        SockCalls.checkSendfile(channel != null ? channel : path, offset, count);
        if (transport.isClosing()) {
            throw new IllegalStateException("Transport is closing");
        }
        if (transport instanceof StreamTransport plain && plain.getProtocol() != null) {
            // The socket is the sendfile's from the call on, not from when the task first runs:
            // a write right after this call is refused.
            Future<Void> empty = plain.makeEmptyWaiter();
            boolean resumeReading = plain.isReading();
            plain.pauseReading();
            Runnable giveBack = new Runnable() {
                private boolean done;

                @Override
                public void run() {
                    if (!done) {
                        done = true;
                        plain.resetEmptyWaiter();
                        if (resumeReading) {
                            plain.resumeReading();
                        }
                    }
                }
            };
            Task<Long> task;
            try {
                task = loop.createTask(() -> sendNative(plain, empty, giveBack, channel, path, offset, count),
                        "sendfile");
            } catch (RuntimeException | Error e) {
                giveBack.run();
                throw e;
            }
            // A task cancelled before its first step never reaches its finally.
            task.addDoneCallback(t -> giveBack.run());
            return task;
        }
        return loop.createTask(() -> {
            FileChannel file = channel != null ? channel : FileChannel.open(path, StandardOpenOption.READ);
            try {
                return sendFallback(transport, file, offset, count);
            } finally {
                if (channel == null) {
                    file.close();
                }
            }
        }, "sendfile");
    }

    private long sendNative(StreamTransport transport, Future<Void> empty, Runnable giveBack, FileChannel channel,
            Path path, long offset, long count) throws Exception {
        try {
            empty.await();
            Future<Long> sending = channel != null
                    ? sockCalls.sendfile(transport.socket(), channel, offset, count)
                    : sockCalls.sendfile(transport.socket(), path, offset, count);
            return sending.await();
        } finally {
            giveBack.run();
        }
    }

    private long sendFallback(Transport transport, FileChannel file, long offset, long count) throws Exception {
        FallbackProtocol proto = new FallbackProtocol(transport);
        long sent = 0;
        ByteBuffer chunk = ByteBuffer.allocate((int) (count < 0 ? FALLBACK_CHUNK : Math.min(count, FALLBACK_CHUNK)));
        try {
            while (true) {
                long want = count < 0 ? chunk.capacity() : Math.min(chunk.capacity(), count - sent);
                if (want <= 0) {
                    return sent;
                }
                chunk.clear().limit((int) want);
                long at = offset + sent;
                int read = loop.runInExecutor(null, () -> file.read(chunk, at)).await();
                if (read <= 0) {
                    return sent;
                }
                proto.drain();
                transport.write(chunk.flip());
                sent += read;
            }
        } finally {
            if (sent > 0) {
                file.position(offset + sent);
            }
            proto.restore();
        }
    }

    /**
     * Stands in for the transport's protocol during a fallback sendfile (asyncio's
     * {@code _SendfileFallbackProtocol}): reading is paused, the transport's flow control is
     * followed, and the real protocol gets its place back, with the flow-control state it would
     * have seen, at the end. A lost connection still reaches the real protocol.
     */
    private final class FallbackProtocol implements Protocol {
        private final Transport transport;
        private final BaseProtocol original;
        private final boolean resumeReading;
        /** Whether the transport has told this protocol to pause and not yet to resume. */
        private boolean paused;
        /** Whether the real protocol was paused when this one took over. */
        private boolean originalPaused;
        private Future<Void> writeReady;
        private IOException lost;

        FallbackProtocol(Transport transport) {
            this.transport = transport;
            this.original = transport.getProtocol();
            this.resumeReading = transport.isReading();
            // Above the high-water mark the transport has paused its protocol: the resume it
            // sends later comes here, and is passed on at the end.
            this.originalPaused = transport.getWriteBufferSize() > transport.getWriteBufferHighLimit();
            this.paused = originalPaused;
            transport.pauseReading();
            transport.setProtocol(this);
        }

        void drain() throws Exception {
            while (true) {
                if (lost != null) {
                    throw lost;
                }
                if (transport.isClosing()) {
                    throw new SocketException("Connection closed by peer");
                }
                if (!paused && transport.getWriteBufferSize() <= transport.getWriteBufferHighLimit()) {
                    return;
                }
                writeReady = loop.createFuture();
                try {
                    writeReady.await();
                } finally {
                    writeReady = null;
                }
            }
        }

        void restore() {
            if (transport.getProtocol() == this) {
                transport.setProtocol(original);
            }
            if (lost != null) {
                return;
            }
            if (resumeReading) {
                transport.resumeReading();
            }
            if (paused && !originalPaused) {
                original.pauseWriting();
            } else if (!paused && originalPaused) {
                original.resumeWriting();
            }
        }

        @Override
        public void pauseWriting() {
            paused = true;
        }

        @Override
        public void resumeWriting() {
            if (!paused) {
                // The transport had paused the real protocol before this one took over.
                originalPaused = true;
            }
            paused = false;
            if (writeReady != null && !writeReady.done()) {
                writeReady.setResult(null);
            }
        }

        @Override
        public void connectionLost(Throwable exc) {
            lost = new SocketException("Connection closed by peer" + (exc != null ? ": " + exc : ""));
            if (exc != null) {
                lost.initCause(exc);
            }
            if (writeReady != null && !writeReady.done()) {
                writeReady.setException(lost);
            }
            original.connectionLost(exc);
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            throw new IllegalStateException("Invalid state: reading should be paused");
        }

        @Override
        public boolean eofReceived() {
            throw new IllegalStateException("Invalid state: reading should be paused");
        }
    }
}
