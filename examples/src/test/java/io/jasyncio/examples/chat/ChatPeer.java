package io.jasyncio.examples.chat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A chat client for tests on a plain blocking JDK socket: every read is bounded (SO_TIMEOUT), so
 * a line that never comes fails the test instead of hanging it.
 */
final class ChatPeer implements AutoCloseable {
    static final int READ_TIMEOUT_MS = 30_000;

    final String name;
    final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private ChatPeer(String name, Socket socket) throws IOException {
        this.name = name;
        this.socket = socket;
        socket.setSoTimeout(READ_TIMEOUT_MS);
        this.in = new java.io.BufferedInputStream(socket.getInputStream(), 64 * 1024);
        this.out = socket.getOutputStream();
    }

    /** Connects and reads the welcome line. */
    static ChatPeer connect(InetSocketAddress server, String name) throws IOException {
        ChatPeer p = connectQuietly(server, name, 0);
        p.expect("* welcome, set a nick with /nick NAME");
        return p;
    }

    /** Connects without reading anything; {@code receiveBuffer} &gt; 0 sets SO_RCVBUF first. */
    static ChatPeer connectQuietly(InetSocketAddress server, String name, int receiveBuffer) throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.connect(server, READ_TIMEOUT_MS);
        return new ChatPeer(name, s);
    }

    /** Connects, reads the welcome, sets the nick {@code name} and reads its own join line. */
    static ChatPeer join(InetSocketAddress server, String name) throws IOException {
        ChatPeer p = connect(server, name);
        p.send("/nick " + name);
        p.expect("* " + name + " joined lobby");
        return p;
    }

    void send(String line) throws IOException {
        sendRaw((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next line as bytes, without its {@code \n}; null at the end of the stream. */
    byte[] readLineBytes() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b;
            try {
                b = in.read();
            } catch (SocketTimeoutException e) {
                throw new AssertionError(name + ": no line within " + READ_TIMEOUT_MS + " ms (so far: "
                        + line.toString(StandardCharsets.UTF_8) + ")", e);
            }
            if (b < 0) {
                if (line.size() > 0) {
                    fail(name + ": stream ended inside a line: " + line.toString(StandardCharsets.UTF_8));
                }
                return null;
            }
            if (b == '\n') {
                return line.toByteArray();
            }
            line.write(b);
        }
    }

    /** The next line, decoded; null at the end of the stream. */
    String readLine() throws IOException {
        byte[] b = readLineBytes();
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** Reads the next lines and checks them, in order. */
    void expect(String... lines) throws IOException {
        for (String line : lines) {
            assertEquals(line, readLine(), name + " expected a line");
        }
    }

    /**
     * Checks that nothing else was sent to this client: asks for {@code /rooms} (the server
     * answers in order) and expects its answer to be the very next line.
     */
    void expectNothingMore() throws IOException {
        send("/rooms");
        String next = readLine();
        if (next == null || !next.startsWith("* rooms: ")) {
            fail(name + ": expected nothing before the answer to /rooms, got: " + next);
        }
    }

    /** Everything up to the end of the stream, as bytes. */
    byte[] readRest() throws IOException {
        return in.readAllBytes();
    }

    /** Reads (and drops) everything up to the end of the stream; the server closed it. */
    void expectEof() throws IOException {
        String line = readLine();
        assertEquals(null, line, name + ": expected the end of the stream");
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
