package io.jasyncio.examples.net;

import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.IdleStrategy;
import io.jasyncio.Protocol;
import io.jasyncio.SelectorEventLoop;
import io.jasyncio.Server;
import io.jasyncio.ServerOptions;
import io.jasyncio.TimerHandle;
import io.jasyncio.Transport;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The TechEmpower "plaintext" test on the protocol API: {@code GET /plaintext} is answered
 * {@code 200 OK} with {@code Hello, World!} and the headers {@code Server}, {@code Date},
 * {@code Content-Type: text/plain} and {@code Content-Length: 13}; every other path gets 404.
 *
 * <p>What makes it fast is what it does not do. Requests are parsed where they lie, in the loop's
 * read buffer (the view {@link Protocol#dataReceived} gets), and the responses to all the
 * requests of one read are put one after another into a direct buffer of the loop's and handed
 * to the transport in one write: 16 pipelined requests cost one {@code recv} and one
 * {@code send}. A response is one bulk copy of a prepared template, whose {@code Date} a loop
 * timer rewrites once a second. The hot path allocates nothing: only a request split between two
 * reads is copied, into a small buffer of its connection (allocated on the first split).
 *
 * <p>HTTP handled: HTTP/1.1 keep-alive and pipelining; {@code Connection: close} (the response
 * says so, and the connection closes after it); HTTP/1.0 requests are answered, then the
 * connection closes (no HTTP/1.0 keep-alive); a request body announced by {@code Content-Length}
 * is skipped; {@code Transfer-Encoding} is refused with 501, a head over
 * {@value #MAX_HEAD} bytes with 431, and anything malformed with 400, each closing the
 * connection. Methods other than GET on {@code /plaintext} get 405.
 *
 * <p>Flow control: a client that pipelines without reading makes the transport pause this
 * protocol's writing; reading then stops until the transport has drained, so the server never
 * buffers without bound.
 *
 * <pre>examples: java ... io.jasyncio.examples.net.PlaintextServer [--port PORT] [--loop epoll|nio]
 *     [--idle block|spin|busy]</pre>
 *
 * <p>Not thread safe: each loop gets its own {@link #createServer} call (and its own buffers).
 */
public final class PlaintextServer {

    /** The longest request head accepted (request line and headers); longer ones get 431. */
    public static final int MAX_HEAD = 8192;

    /** Zero-timeout polls before blocking under {@code --idle spin} (about 0.2 ms of spinning). */
    public static final int SPINS = 1000;

    /** The {@code Server} header's value. */
    static final String SERVER_NAME = "jasyncio";

    /** The response body of {@code GET /plaintext}. */
    static final String HELLO = "Hello, World!";

    private PlaintextServer() {
    }

    /**
     * Starts a plaintext server on {@code loop}, and the loop timer that refreshes its
     * {@code Date} header once a second (cancelled once the server is closed and its last
     * connection gone).
     *
     * @param loop the loop to serve on; the server is created from its thread
     * @param options where to listen, as for {@link EventLoop#createServer(java.util.function.Supplier, ServerOptions)}
     * @return a future of the server, serving
     */
    public static Future<Server> createServer(EventLoop loop, ServerOptions options) {
        Shared shared = new Shared(loop);
        Future<Server> created = loop.createServer(() -> new Connection(shared), options);
        created.addDoneCallback(f -> {
            if (f.cancelled() || f.exception() != null) {
                shared.stop();
            } else {
                f.result().waitClosed().addDoneCallback(w -> shared.stop());
            }
        });
        return created;
    }

    /**
     * Serves on 127.0.0.1 until the JVM is stopped (SIGTERM or Ctrl+C).
     *
     * @param args {@code --port PORT} (default 8080), {@code --loop epoll|nio} (default: epoll
     *        where the native library loads), {@code --idle block|spin|busy} (default block)
     */
    public static void main(String[] args) {
        int port = 8080;
        SelectorEventLoop.Backend backend = null;
        String idle = "block";
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(require(args[i], value));
                case "--loop" -> backend = switch (require(args[i], value)) {
                    case "epoll" -> SelectorEventLoop.Backend.EPOLL;
                    case "nio" -> SelectorEventLoop.Backend.NIO;
                    default -> throw usage("--loop wants epoll or nio, not '" + value + "'");
                };
                case "--idle" -> {
                    idle = require(args[i], value);
                    if (!idle.equals("block") && !idle.equals("spin") && !idle.equals("busy")) {
                        throw usage("--idle wants block, spin or busy, not '" + idle + "'");
                    }
                }
                default -> throw usage("unknown option '" + args[i] + "'");
            }
            i++;
        }
        EventLoop loop = backend == null ? new SelectorEventLoop() : new SelectorEventLoop(backend);
        loop.setIdleStrategy(switch (idle) {
            case "spin" -> IdleStrategy.spin(SPINS);
            case "busy" -> IdleStrategy.busySpin();
            default -> IdleStrategy.block();
        });
        Server server = loop.runUntilComplete(createServer(loop, ServerOptions.on("127.0.0.1", port).backlog(1024)));
        System.err.println("jasyncio plaintext server (" + (backend == null ? "default loop" : backend.name().toLowerCase(Locale.ROOT))
                + ", idle " + idle + ") on 127.0.0.1:" + port);
        loop.runUntilComplete(server.serveForever());
    }

    private static String require(String option, String value) {
        if (value == null) {
            throw usage(option + " wants a value");
        }
        return value;
    }

    private static IllegalArgumentException usage(String message) {
        return new IllegalArgumentException(message
                + " (usage: PlaintextServer [--port PORT] [--loop epoll|nio] [--idle block|spin|busy])");
    }

    // ---- responses ----

    /** What a parsed request is answered with; indexes {@link Shared#templates}. */
    static final int OK = 0;
    static final int NOT_FOUND = 1;
    static final int METHOD_NOT_ALLOWED = 2;
    static final int BAD_REQUEST = 3;
    static final int TOO_LARGE = 4;
    static final int NOT_IMPLEMENTED = 5;
    private static final int KINDS = 6;

    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    /**
     * Builds one complete response.
     *
     * @param kind what it answers
     * @param date the Date header's value
     * @param close whether it says {@code Connection: close}
     * @return the bytes
     */
    static byte[] response(int kind, String date, boolean close) {
        String status;
        String body;
        String extra = "";
        switch (kind) {
            case OK -> {
                status = "200 OK";
                body = HELLO;
            }
            case NOT_FOUND -> {
                status = "404 Not Found";
                body = "Not Found";
            }
            case METHOD_NOT_ALLOWED -> {
                status = "405 Method Not Allowed";
                body = "Method Not Allowed";
                extra = "Allow: GET\r\n";
            }
            case BAD_REQUEST -> {
                status = "400 Bad Request";
                body = "Bad Request";
            }
            case TOO_LARGE -> {
                status = "431 Request Header Fields Too Large";
                body = "Request Header Fields Too Large";
            }
            case NOT_IMPLEMENTED -> {
                status = "501 Not Implemented";
                body = "Not Implemented";
            }
            default -> throw new IllegalArgumentException("kind " + kind);
        }
        return ("HTTP/1.1 " + status + "\r\n"
                + "Server: " + SERVER_NAME + "\r\n"
                + "Date: " + date + "\r\n"
                + "Content-Type: text/plain\r\n"
                + "Content-Length: " + body.length() + "\r\n"
                + extra
                + (close ? "Connection: close\r\n" : "")
                + "\r\n" + body).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * What the connections of one server (on one loop) share: the response templates with the
     * current date, and the buffer each batch of responses is built in. Not thread safe.
     */
    static final class Shared {
        /** Room for the responses to many requests; when it fills, it is written and reused. */
        static final int OUT_SIZE = 64 * 1024;

        private final EventLoop loop;
        /** [kind][0]: keep-alive, [kind][1]: with {@code Connection: close}. */
        final byte[][][] templates = new byte[KINDS][2][];
        /** The longest template: what must fit before another response is added. */
        int longest;
        final ByteBuffer out = ByteBuffer.allocateDirect(OUT_SIZE);
        private TimerHandle timer;
        private boolean stopped;

        Shared(EventLoop loop) {
            this.loop = loop;
            refresh();
        }

        /** Rebuilds the templates for the current second, and runs again at the next one. */
        void refresh() {
            if (stopped) {
                return;
            }
            long now = System.currentTimeMillis();
            String date = HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC));
            int max = 0;
            for (int kind = 0; kind < KINDS; kind++) {
                for (int close = 0; close < 2; close++) {
                    byte[] t = response(kind, date, close == 1);
                    templates[kind][close] = t;
                    max = Math.max(max, t.length);
                }
            }
            longest = max;
            // Just past the next whole second, so the header changes when the clock's second does.
            long delayMillis = 1000 - now % 1000 + 1;
            timer = loop.callLater(delayMillis / 1000.0, this::refresh);
        }

        /** Stops refreshing the date. */
        void stop() {
            stopped = true;
            if (timer != null) {
                timer.cancel();
                timer = null;
            }
        }
    }

    // ---- one connection ----

    /** A parse that needs more bytes. */
    private static final int INCOMPLETE = -1;

    /** One connection: parses its requests and answers them. Not thread safe. */
    static final class Connection implements Protocol {
        private final Shared shared;
        private Transport transport;
        /** The start of a request whose end has not arrived yet (allocated at the first split). */
        private ByteBuffer partial;
        /** A read-only view of {@link #partial}: parsed like the loop's view (the same class). */
        private ByteBuffer partialView;
        /** Bytes of a request body still to skip. */
        private long bodyToSkip;
        /** Set once a response that closes the connection has been queued. */
        private boolean closing;

        // What parse() found in the last complete request head.
        private int kind;
        private byte minor;
        private boolean close;
        private long contentLength;

        Connection(Shared shared) {
            this.shared = shared;
        }

        @Override
        public void connectionMade(Transport transport) {
            this.transport = transport;
        }

        @Override
        public void pauseWriting() {
            transport.pauseReading();
        }

        @Override
        public void resumeWriting() {
            transport.resumeReading();
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            if (closing) {
                return;
            }
            ByteBuffer out = shared.out;
            out.clear();
            int pos = data.position();
            int lim = data.limit();
            if (partial != null && partial.position() > 0) {
                pos = completePartial(data, pos, lim);
            }
            while (pos >= 0 && pos < lim && !closing) {
                if (bodyToSkip > 0) {
                    int n = (int) Math.min(bodyToSkip, lim - pos);
                    bodyToSkip -= n;
                    pos += n;
                    continue;
                }
                int end = parse(data, pos, lim);
                if (end == INCOMPLETE) {
                    if (lim - pos >= MAX_HEAD) {
                        answer(TOO_LARGE, true);
                    } else {
                        keepPartial(data, pos, lim);
                    }
                    break;
                }
                if (end < 0) {
                    answer(BAD_REQUEST, true);
                    break;
                }
                if (end - pos > MAX_HEAD) {
                    answer(TOO_LARGE, true);
                    break;
                }
                answer(kind, close);
                bodyToSkip = contentLength;
                pos = end;
            }
            flush(out);
            if (closing) {
                transport.close();
            }
        }

        /**
         * Adds the new bytes to the kept start of a request until its head is complete, and
         * answers it.
         *
         * @return where the rest of {@code data} starts, or -1 if all of it was used (kept, or
         *         the connection is closing)
         */
        private int completePartial(ByteBuffer data, int pos, int lim) {
            int had = partial.position();
            int n = Math.min(partial.remaining(), lim - pos);
            partial.put(had, data, pos, n).position(had + n);
            int end = parse(partialView, 0, had + n);
            if (end == INCOMPLETE) {
                if (had + n >= MAX_HEAD) {
                    answer(TOO_LARGE, true);
                }
                return -1;
            }
            partial.clear();
            if (end < 0) {
                answer(BAD_REQUEST, true);
                return -1;
            }
            answer(kind, close);
            bodyToSkip = contentLength;
            // The head ended inside the new bytes; what follows it is still in data.
            return closing ? -1 : pos + (end - had);
        }

        private void keepPartial(ByteBuffer data, int pos, int lim) {
            if (partial == null) {
                partial = ByteBuffer.allocateDirect(MAX_HEAD);
                partialView = partial.asReadOnlyBuffer();
            }
            partial.clear();
            partial.put(0, data, pos, lim - pos).position(lim - pos);
        }

        /** Adds a response to this batch, writing the batch first if the buffer is full. */
        private void answer(int kind, boolean close) {
            ByteBuffer out = shared.out;
            if (out.remaining() < shared.longest) {
                flush(out);
                out.clear();
            }
            out.put(shared.templates[kind][close ? 1 : 0]);
            if (close) {
                closing = true;
            }
        }

        private void flush(ByteBuffer out) {
            if (out.position() > 0) {
                out.flip();
                transport.write(out);
            }
        }

        /**
         * Parses a request line in general: METHOD SP TARGET SP HTTP/1.x CRLF.
         *
         * @return the index of the first header line ({@link #kind} and {@link #minor} set),
         *         {@link #INCOMPLETE}, or -2 if malformed
         */
        private int requestLine(ByteBuffer b, int p, int lim) {
            int sp1 = -1;
            int i = p;
            for (; i < lim; i++) {
                byte c = b.get(i);
                if (c == ' ') {
                    sp1 = i;
                    break;
                }
                if (!isTokenChar(c)) {
                    return -2;
                }
            }
            if (sp1 < 0) {
                return INCOMPLETE;
            }
            if (sp1 == p) {
                return -2;
            }
            int sp2 = -1;
            for (i = sp1 + 1; i < lim; i++) {
                byte c = b.get(i);
                if (c == ' ') {
                    sp2 = i;
                    break;
                }
                if (c <= ' ' || c == 127) {
                    return -2;
                }
            }
            if (sp2 < 0) {
                return INCOMPLETE;
            }
            if (sp2 == sp1 + 1) {
                return -2;
            }
            // "HTTP/1.1\r\n" or "HTTP/1.0\r\n".
            int v = sp2 + 1;
            if (lim - v < 10) {
                for (i = v; i < lim; i++) {
                    if (b.get(i) != VERSION[i - v] && i - v != 7) {
                        return -2;
                    }
                }
                return INCOMPLETE;
            }
            for (i = 0; i < 10; i++) {
                if (i != 7 && b.get(v + i) != VERSION[i]) {
                    return -2;
                }
            }
            byte m = b.get(v + 7);
            if (m != '1' && m != '0') {
                return -2;
            }
            boolean get = sp1 - p == 3 && b.get(p) == 'G' && b.get(p + 1) == 'E' && b.get(p + 2) == 'T';
            kind = isPlaintext(b, sp1 + 1, sp2) ? (get ? OK : METHOD_NOT_ALLOWED) : NOT_FOUND;
            minor = m;
            return v + 10;
        }

        /**
         * Parses one request head at {@code [p, lim)} of {@code b}, setting {@link #kind},
         * {@link #close} and {@link #contentLength}.
         *
         * @return the index just past the head's empty line, {@link #INCOMPLETE}, or -2 if
         *         malformed
         */
        private int parse(ByteBuffer b, int p, int lim) {
            int k;
            byte minor;
            int line;
            // The request line this test's clients send, in three 8-byte
            // compares; anything else takes the general path.
            if (lim - p >= FAST_LINE.length && b.order() == ByteOrder.BIG_ENDIAN
                    && b.getLong(p) == FAST_0 && b.getLong(p + 8) == FAST_1 && b.getLong(p + 16) == FAST_2
                    && b.get(p + 24) == '\n') {
                k = OK;
                minor = '1';
                line = p + FAST_LINE.length;
            } else {
                line = requestLine(b, p, lim);
                if (line < 0) {
                    return line;
                }
                k = kind;
                minor = this.minor;
            }
            boolean wantsClose = minor == '0';
            long length = 0;
            boolean sawLength = false;
            // Header lines up to the empty one.
            while (true) {
                if (line >= lim) {
                    return INCOMPLETE;
                }
                byte first = b.get(line);
                if (first == '\r') {
                    if (line + 1 >= lim) {
                        return INCOMPLETE;
                    }
                    if (b.get(line + 1) != '\n') {
                        return -2;
                    }
                    kind = k;
                    close = wantsClose;
                    contentLength = length;
                    return line + 2;
                }
                if (first == ' ' || first == '\t') {
                    return -2; // obsolete line folding
                }
                // The name, byte by byte (names are short), then the value's end eight bytes at a time.
                int colon = line;
                while (true) {
                    if (colon >= lim) {
                        return INCOMPLETE;
                    }
                    byte c = b.get(colon);
                    if (c == ':') {
                        break;
                    }
                    if (!isTokenChar(c)) {
                        return -2;
                    }
                    colon++;
                }
                if (colon == line) {
                    return -2;
                }
                int eol = indexOfLineFeed(b, colon + 1, lim);
                if (eol < 0) {
                    return INCOMPLETE;
                }
                if (b.get(eol - 1) != '\r') {
                    return -2;
                }
                int nameLength = colon - line;
                // Only three headers matter here; the first letter rules most lines out at once.
                byte f = (byte) (first | 0x20);
                if (f == 'c' || f == 't') {
                    int vs = colon + 1;
                    int ve = eol - 1;
                    while (vs < ve && (b.get(vs) == ' ' || b.get(vs) == '\t')) {
                        vs++;
                    }
                    while (ve > vs && (b.get(ve - 1) == ' ' || b.get(ve - 1) == '\t')) {
                        ve--;
                    }
                    if (nameIs(b, line, nameLength, "connection")) {
                        int tokens = connectionTokens(b, vs, ve);
                        if ((tokens & CLOSE_TOKEN) != 0) {
                            wantsClose = true;
                        }
                    } else if (nameIs(b, line, nameLength, "content-length")) {
                        long n = digits(b, vs, ve);
                        if (n < 0 || (sawLength && n != length)) {
                            return -2;
                        }
                        sawLength = true;
                        length = n;
                    } else if (nameIs(b, line, nameLength, "transfer-encoding")) {
                        k = NOT_IMPLEMENTED;
                        wantsClose = true;
                    }
                }
                line = eol + 1;
            }
        }
    }

    private static final byte[] VERSION = "HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FAST_LINE = "GET /plaintext HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final long FAST_0 = ByteBuffer.wrap(FAST_LINE).getLong(0);
    private static final long FAST_1 = ByteBuffer.wrap(FAST_LINE).getLong(8);
    private static final long FAST_2 = ByteBuffer.wrap(FAST_LINE).getLong(16);
    private static final long LF_BYTES = 0x0A0A0A0A0A0A0A0AL;
    private static final long LOW_7_BITS = 0x7F7F7F7F7F7F7F7FL;

    /**
     * The index of the first line feed in {@code [from, to)}, or -1: eight bytes per step with
     * the exact zero-byte test (no false positives, so the first hit is the first line feed).
     */
    private static int indexOfLineFeed(ByteBuffer b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long v = b.getLong(i) ^ LF_BYTES; // line feeds become zero bytes
            long zeros = ~(((v & LOW_7_BITS) + LOW_7_BITS) | v | LOW_7_BITS);
            if (zeros != 0) {
                int bit = b.order() == ByteOrder.BIG_ENDIAN ? Long.numberOfLeadingZeros(zeros) : Long.numberOfTrailingZeros(zeros);
                return i + (bit >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b.get(i) == '\n') {
                return i;
            }
        }
        return -1;
    }
    private static final byte[] PLAINTEXT = "/plaintext".getBytes(StandardCharsets.US_ASCII);
    private static final int CLOSE_TOKEN = 1;

    private static boolean isPlaintext(ByteBuffer b, int from, int to) {
        if (to - from != PLAINTEXT.length) {
            return false;
        }
        for (int i = 0; i < PLAINTEXT.length; i++) {
            if (b.get(from + i) != PLAINTEXT[i]) {
                return false;
            }
        }
        return true;
    }

    /** Compares a header name, ignoring ASCII case ({@code lower} is in lower case). */
    private static boolean nameIs(ByteBuffer b, int from, int length, String lower) {
        if (length != lower.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if ((b.get(from + i) | 0x20) != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The {@code Connection} header's options, as bits: {@link #CLOSE_TOKEN}. */
    private static int connectionTokens(ByteBuffer b, int from, int to) {
        int bits = 0;
        int i = from;
        while (i < to) {
            while (i < to && (b.get(i) == ' ' || b.get(i) == '\t' || b.get(i) == ',')) {
                i++;
            }
            int start = i;
            while (i < to && b.get(i) != ',') {
                i++;
            }
            int end = i;
            while (end > start && (b.get(end - 1) == ' ' || b.get(end - 1) == '\t')) {
                end--;
            }
            if (nameIs(b, start, end - start, "close")) {
                bits |= CLOSE_TOKEN;
            }
        }
        return bits;
    }

    /** A non-negative decimal, or -1 if empty, not digits or too long. */
    private static long digits(ByteBuffer b, int from, int to) {
        if (from >= to || to - from > 18) {
            return -1;
        }
        long n = 0;
        for (int i = from; i < to; i++) {
            byte c = b.get(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** RFC 9110's tchar: what a method or a header name is made of. */
    private static boolean isTokenChar(byte c) {
        return c > 32 && c < 127 && TOKEN[c];
    }

    private static final boolean[] TOKEN = new boolean[128];

    static {
        for (char c = 33; c < 127; c++) {
            TOKEN[c] = "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
        }
    }
}
