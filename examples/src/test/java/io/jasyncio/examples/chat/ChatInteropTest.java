package io.jasyncio.examples.chat;

import io.jasyncio.SelectorEventLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The chat server with clients nobody here wrote: OpenBSD/GNU {@code nc} and Python's
 * {@code socket} module. Each transcript is checked byte for byte.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ChatInteropTest {

    /**
     * A Python client: sets its nick, says something in UTF-8, waits for nc's answer, quits, and
     * prints every byte it received, as received.
     */
    private static final String PYTHON_CLIENT = """
            import socket, sys
            s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=30)
            got = b""
            def until(line):
                global got
                while line not in got:
                    chunk = s.recv(4096)
                    if not chunk:
                        raise SystemExit("connection closed before " + repr(line))
                    got += chunk
            until(b"* welcome, set a nick with /nick NAME\\n")
            s.sendall(b"/nick py\\r\\n")
            until(b"* py joined lobby\\n")
            s.sendall("hi from python: h\\u00e9llo \\u2713\\n".encode("utf-8"))
            until(b"[lobby] nc: hi from nc\\n")
            s.sendall(b"/who\\n/quit\\n")
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                got += chunk
            sys.stdout.buffer.write(got)
            """;

    private static boolean found(String program) {
        try {
            Process p = new ProcessBuilder("sh", "-c", "command -v " + program).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Reads one line (up to and with its \n) from a child's output, byte by byte. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            if (c == '\n') {
                break;
            }
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    @Test
    void ncAndPythonTalkThroughTheServer() throws Exception {
        assumeTrue(found("nc"), "no nc here");
        assumeTrue(found("python3"), "no python3 here");
        SelectorEventLoop.Backend backend = SelectorEventLoop.Backend.EPOLL.isAvailable()
                ? SelectorEventLoop.Backend.EPOLL : SelectorEventLoop.Backend.NIO;
        try (ChatServerRunner server = new ChatServerRunner(backend)) {
            String port = Integer.toString(server.address.getPort());
            Process nc = new ProcessBuilder("nc", "127.0.0.1", port).redirectErrorStream(true).start();
            watchdog(nc);
            Process py = null;
            ByteArrayOutputStream ncTranscript = new ByteArrayOutputStream();
            try {
                InputStream ncOut = nc.getInputStream();
                OutputStream ncIn = nc.getOutputStream();
                ncTranscript.writeBytes(line(ncOut).getBytes(StandardCharsets.UTF_8));
                ncIn.write("/nick nc\n".getBytes(StandardCharsets.UTF_8));
                ncIn.flush();
                ncTranscript.writeBytes(line(ncOut).getBytes(StandardCharsets.UTF_8));

                py = new ProcessBuilder("python3", "-c", PYTHON_CLIENT, port).start();
                watchdog(py);
                ncTranscript.writeBytes(line(ncOut).getBytes(StandardCharsets.UTF_8)); // py joined
                ncTranscript.writeBytes(line(ncOut).getBytes(StandardCharsets.UTF_8)); // py's line
                ncIn.write("hi from nc\n".getBytes(StandardCharsets.UTF_8));
                ncIn.flush();
                ncTranscript.writeBytes(line(ncOut).getBytes(StandardCharsets.UTF_8)); // py left
                ncIn.write("/quit\n".getBytes(StandardCharsets.UTF_8));
                ncIn.close(); // nc ends once its input has ended and the server has closed
                ncTranscript.writeBytes(ncOut.readAllBytes()); // "* bye"
                byte[] pyTranscript = py.getInputStream().readAllBytes();
                String pyErrors = new String(py.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(py.waitFor(30, TimeUnit.SECONDS));
                assertEquals(0, py.exitValue(), pyErrors);
                assertEquals("""
                        * welcome, set a nick with /nick NAME
                        * py joined lobby
                        [lobby] nc: hi from nc
                        * in lobby: nc, py
                        * bye
                        """, new String(pyTranscript, StandardCharsets.UTF_8));
                assertEquals(bytes("""
                        * welcome, set a nick with /nick NAME
                        * nc joined lobby
                        * py joined lobby
                        [lobby] py: hi from python: h\u00e9llo \u2713
                        * py left lobby
                        * bye
                        """), hex(ncTranscript.toByteArray()));
                assertEquals(bytes(new String(pyTranscript, StandardCharsets.UTF_8)), hex(pyTranscript));
                assertTrue(nc.waitFor(30, TimeUnit.SECONDS), "nc did not end with the connection");
            } finally {
                nc.destroy();
                if (py != null) {
                    py.destroy();
                }
            }
        }
    }

    /** Every read from a child is bounded: the child is killed after 60 s, which ends the read. */
    private static void watchdog(Process p) {
        Thread.ofPlatform().daemon().start(() -> {
            try {
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        });
    }

    private static String bytes(String text) {
        return hex(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(byte[] b) {
        return java.util.HexFormat.ofDelimiter(" ").formatHex(b);
    }
}
