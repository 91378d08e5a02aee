package io.jasyncio.compat;

import io.jasyncio.Socket;

import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Python's {@code asyncore.dispatcher_with_send}: a dispatcher whose {@link #send(byte[])}
 * buffers what the socket does not take at once and sends the rest as the socket becomes
 * writable, at most 65 536 bytes a time. It is writable while not yet connected or while bytes wait.
 *
 * <p>Not thread safe: use it from its loop's thread.
 */
public class DispatcherWithSend extends Dispatcher {

    private static final int CHUNK = 65536;

    /** The bytes not sent yet (Python's {@code out_buffer}). */
    protected byte[] outBuffer = new byte[0];

    /** Without a socket yet, in the global map. */
    public DispatcherWithSend() {
        super();
    }

    /**
     * For a socket the caller has.
     *
     * @param sock the socket, or null
     * @param map the socket map; null for the global one
     */
    public DispatcherWithSend(Socket sock, Map<Integer, Dispatcher> map) {
        super(sock, map);
    }

    /**
     * Sends what it can of the buffered bytes, at most 65 536.
     *
     * @throws Exception as {@link Dispatcher#send(ByteBuffer)}
     */
    public void initiateSend() throws Exception {
        int n = super.send(ByteBuffer.wrap(outBuffer, 0, Math.min(outBuffer.length, CHUNK)));
        outBuffer = java.util.Arrays.copyOfRange(outBuffer, n, outBuffer.length);
    }

    /**
     * Sends what it can of the buffered bytes.
     *
     * @throws Exception as {@link #initiateSend()}
     */
    @Override
    public void handleWrite() throws Exception {
        initiateSend();
    }

    /**
     * True while not connected, or while bytes wait to be sent.
     *
     * @return whether to watch for writability
     */
    @Override
    public boolean writable() {
        return !connected || outBuffer.length > 0;
    }

    /**
     * Buffers {@code data} and sends what the socket takes now.
     *
     * @param data the bytes
     * @return {@code data.length}: every byte is taken (Python returns None)
     * @throws Exception as {@link #initiateSend()}
     */
    @Override
    public int send(byte[] data) throws Exception {
        if (debug) {
            logInfo("sending " + data.length + " bytes");
        }
        byte[] joined = java.util.Arrays.copyOf(outBuffer, outBuffer.length + data.length);
        System.arraycopy(data, 0, joined, outBuffer.length, data.length);
        outBuffer = joined;
        initiateSend();
        return data.length;
    }
}
