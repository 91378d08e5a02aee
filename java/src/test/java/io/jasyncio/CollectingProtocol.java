package io.jasyncio;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * A test protocol that keeps every byte it receives, notes end of stream (without keeping the
 * transport open), closes its transport once it holds {@code stopAt} bytes, and completes
 * {@link #lost} with what {@code connectionLost} got.
 */
class CollectingProtocol implements Protocol {
    final ByteArrayOutputStream data = new ByteArrayOutputStream();
    final Future<Throwable> lost;
    final long stopAt;
    boolean eof;
    Transport transport;

    CollectingProtocol(EventLoop loop) {
        this(loop, Long.MAX_VALUE);
    }

    CollectingProtocol(EventLoop loop, long stopAt) {
        this.lost = loop.createFuture();
        this.stopAt = stopAt;
    }

    @Override
    public void connectionMade(Transport t) {
        transport = t;
    }

    @Override
    public void dataReceived(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        data.writeBytes(a);
        if (data.size() >= stopAt) {
            transport.close();
        }
    }

    @Override
    public boolean eofReceived() {
        eof = true;
        return false;
    }

    @Override
    public void connectionLost(Throwable exc) {
        lost.setResult(exc);
    }
}
