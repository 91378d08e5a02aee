package io.jasyncio.internal.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/** A socket's operations seen as a channel, for {@link java.nio.channels.FileChannel#transferTo}. */
final class FdWritableChannel implements WritableByteChannel {
    private final SocketOps ops;

    FdWritableChannel(SocketOps ops) {
        this.ops = ops;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return ops.write(src);
    }

    @Override
    public boolean isOpen() {
        return !ops.isClosed();
    }

    @Override
    public void close() {
        // The socket's owner closes it.
    }
}
