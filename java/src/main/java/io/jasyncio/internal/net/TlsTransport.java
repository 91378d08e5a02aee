package io.jasyncio.internal.net;

import io.jasyncio.BaseProtocol;
import io.jasyncio.Transport;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The transport a protocol gets on a TLS connection (asyncio's {@code _SSLProtocolTransport}):
 * plaintext in and out, with the whole {@link Transport} API, over a {@link TlsProtocol}. Not
 * thread safe: call it on the loop's thread.
 *
 * <p>Differences from a plain transport, all asyncio's: {@link #writeEof()} is refused (TLS has
 * no half-close), {@link #close()} sends the buffered data, then close_notify, waits for the
 * peer's close_notify at most the shutdown timeout, then closes; the write buffer size is the
 * plaintext backlog, which the transport below fills only as fast as the socket drains.
 */
public final class TlsTransport implements Transport {

    private final TlsProtocol tls;

    TlsTransport(TlsProtocol tls) {
        this.tls = tls;
    }

    @Override
    public void write(byte[] data) {
        tls.appWrite(ByteBuffer.wrap(data));
    }

    @Override
    public void write(ByteBuffer data) {
        tls.appWrite(data);
    }

    @Override
    public void writelines(List<ByteBuffer> data) {
        for (ByteBuffer b : data) {
            tls.appWrite(b);
        }
    }

    /**
     * Refused, as asyncio refuses it.
     *
     * @throws UnsupportedOperationException always: TLS has no half-close
     */
    @Override
    public void writeEof() {
        throw new UnsupportedOperationException("SSL doesn't support half-closes");
    }

    /** {@return false: TLS has no half-close} */
    @Override
    public boolean canWriteEof() {
        return false;
    }

    @Override
    public void abort() {
        tls.appAbort();
    }

    @Override
    public void close() {
        tls.appClose();
    }

    @Override
    public boolean isClosing() {
        return tls.appClosing();
    }

    @Override
    public long getWriteBufferSize() {
        return tls.writeBufferSize();
    }

    @Override
    public long getWriteBufferLowLimit() {
        return tls.lowLimit();
    }

    @Override
    public long getWriteBufferHighLimit() {
        return tls.highLimit();
    }

    @Override
    public void setWriteBufferLimits(long high, long low) {
        tls.setWriteBufferLimits(high, low);
    }

    @Override
    public void pauseReading() {
        tls.appPauseReading();
    }

    @Override
    public void resumeReading() {
        tls.appResumeReading();
    }

    @Override
    public boolean isReading() {
        return tls.appReading();
    }

    /**
     * TLS information, then the socket's: {@code "sslcontext"}, {@code "ssl_object"} (the
     * {@link javax.net.ssl.SSLEngine}), and once the handshake is done {@code "peercert"} (the
     * peer's {@link java.security.cert.Certificate} chain, or null if it sent none),
     * {@code "cipher"} (the cipher suite's name; the protocol version is the engine session's),
     * {@code "compression"} (always null: JSSE does not compress); then the transport below's
     * {@code "peername"}, {@code "sockname"} and {@code "socket"}.
     */
    @Override
    public Object getExtraInfo(String name, Object defaultValue) {
        return tls.extraInfo(name, defaultValue);
    }

    @Override
    public void setProtocol(BaseProtocol protocol) {
        tls.setAppProtocol(protocol);
    }

    @Override
    public BaseProtocol getProtocol() {
        return tls.appProtocol();
    }

    @Override
    public String toString() {
        return "TlsTransport[" + tls + "]";
    }
}
