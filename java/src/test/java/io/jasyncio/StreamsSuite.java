package io.jasyncio;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Streams (SPEC 5) on every loop implementation: {@link StreamReader} fed by hand (CPython's
 * {@code test_streams.py} cases, and 3.13's several separators), then over real loopback TCP and
 * Unix sockets through {@link Asyncio#startServer} and {@link Asyncio#openConnection}.
 *
 * <p>Java-form differences from CPython's tests: the reads return futures, run here with
 * {@code run(...)} or awaited in tasks; what CPython checks in {@code stream._buffer} is checked
 * with {@link StreamReader#bufferedSize()} and by reading the rest; readline's ValueError over the
 * limit is {@link LimitOverrunException}; IncompleteReadError's {@code expected=None} is -1;
 * ConnectionResetError is {@link SocketException}; argument errors (an empty separator, a negative
 * readexactly) throw at the call instead of at the await.
 */
@org.junit.jupiter.api.Tag("tasks")
abstract class StreamsSuite extends LoopTestBase {
    private static final String DATA = "line1\nline2\nline3\n";

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private StreamReader reader() {
        return new StreamReader(ConnectOptions.DEFAULT_LIMIT, loop);
    }

    private StreamReader reader(int limit) {
        return new StreamReader(limit, loop);
    }

    /** What is left in the reader's buffer (CPython's tests look at {@code stream._buffer}). */
    private String rest(StreamReader r) {
        int n = r.bufferedSize();
        return n == 0 ? "" : s(run(r.read(n)));
    }

    private static int port(Server server) throws Exception {
        return ((InetSocketAddress) server.sockets().get(0).localAddress()).getPort();
    }

    private static void closeServer(Server server) throws Exception {
        server.close();
        server.waitClosed().await();
    }

    // ---- StreamReader, fed by hand ----

    @Test
    void feedingEmptyDataAddsNothingAndDataIsBuffered() {
        StreamReader r = reader();
        r.feedData(new byte[0]);
        assertEquals(0, r.bufferedSize());
        r.feedData(b(DATA));
        assertEquals(DATA.length(), r.bufferedSize());
        ByteBuffer view = ByteBuffer.wrap(b("xyz")).asReadOnlyBuffer();
        r.feedData(view);
        assertEquals(0, view.position(), "feedData copies without moving the buffer");
        assertEquals(DATA + "xyz", rest(r));
    }

    @Test
    void readZeroReturnsEmptyAndLeavesTheBuffer() {
        StreamReader r = reader();
        r.feedData(b(DATA));
        Future<byte[]> f = r.read(0);
        assertTrue(f.done(), "read(0) is done at once");
        assertEquals("", s(run(f)));
        assertEquals(DATA, rest(r));
    }

    @Test
    void readWaitsForData() {
        StreamReader r = reader();
        Future<byte[]> f = r.read(30);
        assertFalse(f.done());
        loop.callSoon(() -> r.feedData(b(DATA)));
        assertEquals(DATA, s(run(f)));
        assertEquals(0, r.bufferedSize());
    }

    @Test
    void aWaitingReadTakesAtMostNOfTheFeedAndTheRestStaysBuffered() {
        StreamReader r = reader();
        Future<byte[]> f = r.read(4);
        r.feedData(ByteBuffer.wrap(b("xx" + DATA), 2, DATA.length()).asReadOnlyBuffer());
        assertTrue(f.done(), "the feed answers the waiting read");
        assertEquals(DATA.substring(0, 4), s(run(f)));
        assertEquals(DATA.length() - 4, r.bufferedSize());
        assertEquals(DATA.substring(4), rest(r));
    }

    @Test
    void aCancelledReadTakesNothingFromTheNextFeed() {
        StreamReader r = reader();
        Future<byte[]> f = r.read(100);
        assertTrue(f.cancel());
        r.feedData(b(DATA));
        assertEquals(DATA.length(), r.bufferedSize());
        assertEquals(DATA, rest(r));
    }

    @Test
    void aWaitingReadIsAnsweredAsSoonAsOneFeedArrives() {
        StreamReader r = reader();
        r.feedData(b("ab"));
        assertEquals("ab", s(run(r.read(2))));
        Future<byte[]> f = r.read(10);
        r.feedData(b("cd"));
        r.feedData(b("ef"));
        assertEquals("cd", s(run(f)));
        assertEquals("ef", rest(r));
    }

    @Test
    void readReturnsAtMostNAndWhatIsThere() {
        StreamReader r = reader();
        r.feedData(b("line1"));
        r.feedData(b("line2"));
        assertEquals("line1", s(run(r.read(5))));
        assertEquals("line2", s(run(r.read(100))));
    }

    @Test
    void readAtEofIsEmpty() {
        StreamReader r = reader();
        Future<byte[]> f = r.read(1024);
        loop.callSoon(r::feedEof);
        assertEquals("", s(run(f)));
        assertEquals("", s(run(r.read(1024))));
        assertEquals("", s(run(r.read(-1))));
        assertTrue(r.atEof());
    }

    @Test
    void readMinusOneReadsUntilEof() {
        StreamReader r = reader();
        Future<byte[]> f = r.read(-1);
        loop.callSoon(() -> {
            r.feedData(b("chunk1\n"));
            r.feedData(b("chunk2"));
            r.feedEof();
        });
        assertEquals("chunk1\nchunk2", s(run(f)));
        assertEquals(0, r.bufferedSize());
    }

    @Test
    void readMinusOneAcrossManyFeedsLargerThanTheLimit() {
        StreamReader r = reader(10);
        Future<byte[]> f = r.read();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            String chunk = "chunk" + i + ";";
            expected.append(chunk);
            loop.callSoon(() -> r.feedData(b(chunk)));
        }
        loop.callSoon(r::feedEof);
        assertEquals(expected.toString(), s(run(f)));
    }

    @Test
    void readRaisesTheException() {
        StreamReader r = reader();
        r.feedData(b("line\n"));
        assertEquals("li", s(run(r.read(2))));
        IllegalArgumentException exc = new IllegalArgumentException("boom");
        r.setException(exc);
        assertSame(exc, assertThrows(IllegalArgumentException.class, () -> run(r.read(2))));
        assertSame(exc, assertThrows(IllegalArgumentException.class, () -> run(r.readline())));
        assertSame(exc, assertThrows(IllegalArgumentException.class, () -> run(r.readexactly(2))));
        assertSame(exc, assertThrows(IllegalArgumentException.class, () -> run(r.readuntil(b("e")))));
        assertSame(exc, r.exception());
    }

    @Test
    void invalidLimit() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> reader(0)).getMessage().contains("imit"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> reader(-1)).getMessage().contains("imit"));
        assertEquals(ConnectOptions.DEFAULT_LIMIT, reader().limit());
    }

    @Test
    void readAndReadexactlyIgnoreTheLimit() {
        StreamReader r = reader(3);
        r.feedData(b("chunk"));
        assertEquals("chunk", s(run(r.read(5))));
        r.feedData(b("chunk"));
        assertEquals("chunk", s(run(r.readexactly(5))));
        assertEquals(0, r.bufferedSize());
    }

    @Test
    void readlineWaitsForTheNewline() {
        StreamReader r = reader();
        r.feedData(b("chunk1 "));
        Future<byte[]> f = r.readline();
        loop.callSoon(() -> {
            r.feedData(b("chunk2 "));
            r.feedData(b("chunk3 "));
            r.feedData(b("\n chunk4"));
        });
        assertEquals("chunk1 chunk2 chunk3 \n", s(run(f)));
        assertEquals(" chunk4", rest(r));
    }

    @Test
    void readlineOverTheLimitWithTheDataAlreadyThere() {
        StreamReader r = reader(3);
        r.feedData(b("li"));
        r.feedData(b("ne1\nline2\n"));
        LimitOverrunException e = assertThrows(LimitOverrunException.class, () -> run(r.readline()));
        assertEquals(5, e.consumed(), "where the newline is");
        assertEquals("line2\n", rest(r), "the long line is discarded with its newline");

        StreamReader r2 = reader(3);
        r2.feedData(b("li"));
        r2.feedData(b("ne1"));
        r2.feedData(b("li"));
        assertThrows(LimitOverrunException.class, () -> run(r2.readline()));
        assertEquals(0, r2.bufferedSize(), "no newline: the whole buffer is discarded");
    }

    @Test
    void readlineOverTheLimitWithTheDataFedLater() {
        StreamReader r = reader(7);
        Future<byte[]> f = r.readline();
        loop.callSoon(() -> {
            r.feedData(b("chunk1"));
            r.feedData(b("chunk2"));
            r.feedData(b("chunk3\n"));
            r.feedEof();
        });
        assertThrows(LimitOverrunException.class, () -> run(f));
        assertEquals(0, r.bufferedSize(), "the one line was discarded whole");

        StreamReader r2 = reader(7);
        Future<byte[]> f2 = r2.readline();
        loop.callSoon(() -> {
            r2.feedData(b("chunk1"));
            r2.feedData(b("chunk2\n"));
            r2.feedData(b("chunk3\n"));
            r2.feedEof();
        });
        assertThrows(LimitOverrunException.class, () -> run(f2));
        assertEquals("chunk3\n", rest(r2));

        // The limit is strict: 7 bytes and the newline fit, 8 do not.
        StreamReader r3 = reader(7);
        r3.feedData(b("1234567\n"));
        assertEquals("1234567\n", s(run(r3.readline())));
        r3.feedData(b("12345678\n"));
        assertThrows(LimitOverrunException.class, () -> run(r3.readline()));
        assertEquals(0, r3.bufferedSize());
        r3.feedData(b("12345678"));
        assertThrows(LimitOverrunException.class, () -> run(r3.readline()));
        assertEquals(0, r3.bufferedSize());
    }

    @Test
    void aLineOverTheLimitIsReadOnceTheLimitIsRaised() {
        String line = "x".repeat(100) + "\n";
        StreamReader small = reader(64);
        small.feedData(b(line));
        assertThrows(LimitOverrunException.class, () -> run(small.readline()));
        StreamReader raised = reader(128);
        raised.feedData(b(line));
        raised.feedData(b("next\n"));
        assertEquals(line, s(run(raised.readline())));
        assertEquals("next\n", s(run(raised.readline())));
    }

    @Test
    void atEofOnlyOnceTheBufferIsEmpty() {
        StreamReader r = reader();
        assertFalse(r.atEof());
        r.feedData(b("some data\n"));
        assertFalse(r.atEof());
        run(r.readline());
        assertFalse(r.atEof());
        r.feedData(b("some data\n"));
        r.feedEof();
        assertFalse(r.atEof());
        run(r.readline());
        assertTrue(r.atEof());
        assertThrows(IllegalStateException.class, () -> r.feedData(b("late")));
    }

    @Test
    void readlineWithoutWaitingAndAtEof() {
        StreamReader r = reader();
        r.feedData(b(DATA.substring(0, 6)));
        r.feedData(b(DATA.substring(6)));
        assertEquals("line1\n", s(run(r.readline())));
        assertEquals("line2\nl", s(run(r.read(7))));
        assertEquals("ine3\n", rest(r));

        StreamReader partial = reader();
        partial.feedData(b("some data"));
        partial.feedEof();
        assertEquals("some data", s(run(partial.readline())));
        assertEquals("", s(run(partial.readline())));

        StreamReader empty = reader();
        empty.feedEof();
        assertEquals("", s(run(empty.readline())));
    }

    @Test
    void readlineRaisesTheException() {
        StreamReader r = reader();
        r.feedData(b("line\n"));
        assertEquals("line\n", s(run(r.readline())));
        r.setException(new IllegalStateException("x"));
        assertThrows(IllegalStateException.class, () -> run(r.readline()));
        assertEquals(0, r.bufferedSize());
    }

    @Test
    void readuntilRefusesEmptySeparators() {
        StreamReader r = reader();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> r.readuntil(new byte[0])).getMessage()
                .contains("Separator should be"));
        assertThrows(IllegalArgumentException.class, () -> r.readuntil(List.of()));
        assertThrows(IllegalArgumentException.class, () -> r.readuntil(List.of(b("a"), new byte[0])));
    }

    @Test
    void readuntilWithTheSeparatorInOneFeed() {
        StreamReader r = reader();
        r.feedData(b("lineAAA"));
        assertEquals("lineAAA", s(run(r.readuntil(b("AAA")))));
        assertEquals(0, r.bufferedSize());
        r.feedData(b("lineAAAxxx"));
        assertEquals("lineAAA", s(run(r.readuntil(b("AAA")))));
        assertEquals("xxx", rest(r));
    }

    @Test
    void readuntilWithTheSeparatorSpanningFeeds() {
        StreamReader r = reader();
        r.feedData(b("QWEaa"));
        r.feedData(b("XYaa"));
        r.feedData(b("a"));
        assertEquals("QWEaaXYaaa", s(run(r.readuntil(b("aaa")))));
        assertEquals(0, r.bufferedSize());

        r.feedData(b("QWEaa"));
        r.feedData(b("XYa"));
        r.feedData(b("aa"));
        assertEquals("QWEaaXYaaa", s(run(r.readuntil(b("aaa")))));

        r.feedData(b("aaa"));
        assertEquals("aaa", s(run(r.readuntil(b("aaa")))));
        r.feedData(b("Xaaa"));
        assertEquals("Xaaa", s(run(r.readuntil(b("aaa")))));
        r.feedData(b("XXX"));
        r.feedData(b("a"));
        r.feedData(b("a"));
        r.feedData(b("a"));
        assertEquals("XXXaaa", s(run(r.readuntil(b("aaa")))));
        assertEquals(0, r.bufferedSize());
    }

    @Test
    void readuntilWithTheSeparatorSpanningTwoWaits() {
        // The search resumes where the last one left off, one separator length back.
        StreamReader r = reader();
        Future<byte[]> f = r.readuntil(b("\r\n\r\n"));
        loop.callSoon(() -> r.feedData(b("HTTP/1.0 200 OK\r\n\r")));
        loop.callSoon(() -> loop.callSoon(() -> r.feedData(b("\nbody"))));
        assertEquals("HTTP/1.0 200 OK\r\n\r\n", s(run(f)));
        assertEquals("body", rest(r));
    }

    @Test
    void readuntilAtEofIsIncomplete() {
        StreamReader r = reader();
        r.feedData(b("some dataAA"));
        r.feedEof();
        IncompleteReadException e = assertThrows(IncompleteReadException.class, () -> run(r.readuntil(b("AAA"))));
        assertTrue(e.getMessage().contains("undefined expected bytes"), e.getMessage());
        assertEquals("some dataAA", s(e.partial()));
        assertEquals(-1, e.expected());
        assertEquals(0, r.bufferedSize());
    }

    @Test
    void readuntilOverTheLimitKeepsTheData() {
        StreamReader r = reader(3);
        r.feedData(b("some dataAA"));
        LimitOverrunException notFound = assertThrows(LimitOverrunException.class,
                () -> run(r.readuntil(b("AAA"))));
        assertTrue(notFound.getMessage().contains("not found"), notFound.getMessage());
        assertEquals(9, notFound.consumed());
        assertEquals(11, r.bufferedSize());

        r.feedData(b("A"));
        LimitOverrunException found = assertThrows(LimitOverrunException.class, () -> run(r.readuntil(b("AAA"))));
        assertTrue(found.getMessage().contains("is found"), found.getMessage());
        assertEquals(9, found.consumed());
        assertEquals("some dataAAA", rest(r));
    }

    @Test
    void readuntilWithSeveralSeparators() {
        StreamReader r = reader();
        List<byte[]> crOrLf = List.of(b("\r"), b("\n"));
        r.feedData(b("line 1\nline 2\r"));
        assertEquals("line 1\n", s(run(r.readuntil(crOrLf))));
        assertEquals("line 2\r", s(run(r.readuntil(crOrLf))));
        assertEquals(0, r.bufferedSize());

        // The match that ends first wins, even when it is the longer separator.
        r.feedData(b("ABCDEFG"));
        assertEquals("ABCDE", s(run(r.readuntil(List.of(b("DEF"), b("BCDE"))))));
        assertEquals("FG", rest(r));

        // Of two matches ending together, the shorter one is the match (here: within the limit).
        StreamReader limited = reader(3);
        limited.feedData(b("some dataA"));
        LimitOverrunException e = assertThrows(LimitOverrunException.class,
                () -> run(limited.readuntil(List.of(b("A"), b("ome dataA")))));
        assertTrue(e.getMessage().contains("is found"), e.getMessage());
        assertEquals(9, e.consumed());
        assertEquals(10, limited.bufferedSize());
    }

    @Test
    void readuntilWithSeveralSeparatorsNeverSearchesFromANegativeOffset() {
        // Long enough for the shortest separator, too short for the longest.
        StreamReader r = reader();
        r.feedData(b("data"));
        Future<byte[]> f = r.readuntil(List.of(b("A"), b("long sep")));
        loop.callSoon(() -> r.feedData(b("Z")));
        loop.callSoon(() -> r.feedData(b("Aaaa")));
        assertEquals("dataZA", s(run(f)));
        assertEquals("aaa", rest(r));
    }

    @Test
    void readuntilWithSeveralSeparatorsSpanningFeeds() {
        StreamReader r = reader();
        Future<byte[]> f = r.readuntil(List.of(b("\r\n"), b("\n\n")));
        loop.callSoon(() -> r.feedData(b("abc\r")));
        loop.callSoon(() -> loop.callSoon(() -> r.feedData(b("\nrest"))));
        assertEquals("abc\r\n", s(run(f)));
        assertEquals("rest", rest(r));
    }

    @Test
    void readexactlyZeroAndNegative() {
        StreamReader r = reader();
        r.feedData(b(DATA));
        assertEquals("", s(run(r.readexactly(0))));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> r.readexactly(-1)).getMessage()
                .contains("less than zero"));
        assertEquals(DATA, rest(r));
    }

    @Test
    void readexactlyWaitsForAllOfIt() {
        StreamReader r = reader();
        int n = 2 * DATA.length();
        Future<byte[]> f = r.readexactly(n);
        loop.callSoon(() -> {
            r.feedData(b(DATA));
            r.feedData(b(DATA));
            r.feedData(b(DATA));
        });
        assertEquals(DATA + DATA, s(run(f)));
        assertEquals(DATA, rest(r));
    }

    @Test
    void readexactlyAtEofIsIncomplete() {
        StreamReader r = reader();
        int n = 2 * DATA.length();
        Future<byte[]> f = r.readexactly(n);
        loop.callSoon(() -> {
            r.feedData(b(DATA));
            r.feedEof();
        });
        IncompleteReadException e = assertThrows(IncompleteReadException.class, () -> run(f));
        assertEquals(DATA, s(e.partial()));
        assertEquals(n, e.expected());
        assertEquals("18 bytes read on a total of 36 expected bytes", e.getMessage());
        assertEquals(0, r.bufferedSize());
    }

    @Test
    void readexactlyRaisesTheException() {
        StreamReader r = reader();
        r.feedData(b("line\n"));
        assertEquals("li", s(run(r.readexactly(2))));
        r.setException(new IllegalArgumentException());
        assertThrows(IllegalArgumentException.class, () -> run(r.readexactly(2)));
    }

    @Test
    void aWaitingReadFailsWithTheException() {
        StreamReader r = reader();
        assertNull(r.exception());
        Future<byte[]> f = r.readline();
        loop.callSoon(() -> r.setException(new ArithmeticException()));
        assertThrows(ArithmeticException.class, () -> run(f));
    }

    @Test
    void cancellingAWaitingReadKeepsTheBufferAndFreesTheReader() {
        StreamReader r = reader();
        Task<byte[]> t = loop.createTask(() -> r.readexactly(10).await());
        loop.callSoon(() -> loop.callSoon(() -> {
            r.feedData(b("12345"));
            t.cancel();
        }));
        assertThrows(CancelledError.class, () -> run(t));
        assertEquals(5, r.bufferedSize(), "the cancelled read took nothing");
        // Not waiting any more: a new read may start, and setException finds nobody waiting.
        r.setException(new IllegalStateException("message"));
        run(() -> null);
        assertThrows(IllegalStateException.class, () -> run(r.read(1)));

        StreamReader r2 = reader();
        Future<byte[]> first = r2.readexactly(4);
        first.cancel();
        r2.feedData(b("abcdef"));
        assertEquals("abcd", s(run(r2.readexactly(4))), "the cancelled read took nothing");
    }

    @Test
    void onlyOneReadMayWait() {
        StreamReader r = reader();
        Future<byte[]> f = r.readline();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.read(1));
        assertTrue(e.getMessage().contains("already waiting"), e.getMessage());
        r.feedData(b("x\n"));
        assertEquals("x\n", s(run(f)));
    }

    @Test
    void exceptionsCarryTheirParts() {
        IncompleteReadException e = new IncompleteReadException(b("abc"), 10);
        assertEquals("abc", s(e.partial()));
        e.partial()[0] = 'z';
        assertEquals("abc", s(e.partial()), "partial() is a copy");
        assertEquals(10, e.expected());
        assertEquals("3 bytes read on a total of 10 expected bytes", e.getMessage());
        LimitOverrunException l = new LimitOverrunException("message", 10);
        assertEquals("message", l.getMessage());
        assertEquals(10, l.consumed());
        assertInstanceOf(RuntimeException.class, e);
        assertInstanceOf(RuntimeException.class, l);
    }

    @Test
    void toStringSaysWhatTheReaderHolds() {
        StreamReader r = reader();
        assertEquals("StreamReader[0 bytes]", r.toString());
        assertEquals("StreamReader[0 bytes, limit=123]", reader(123).toString());
        r.feedData(b("data"));
        assertEquals("StreamReader[4 bytes]", r.toString());
        r.feedEof();
        assertEquals("StreamReader[4 bytes, eof]", r.toString());
    }

    @Test
    void aReaderWithoutALoopTakesTheRunningOneOrNeedsOne() {
        assertThrows(IllegalStateException.class, StreamReader::new, "no loop runs on this thread, none is set");
        StreamReader made = run(() -> new StreamReader());
        assertSame(loop, made.getLoop());
        assertEquals(ConnectOptions.DEFAULT_LIMIT, made.limit());
    }

    // ---- a reader on a real transport: flow control ----

    /** A client protocol that also sets {@code data} on every delivery. */
    private static final class Signalling extends StreamReaderProtocol {
        final Event data = new Event();

        Signalling(StreamReader reader) {
            super(reader);
        }

        @Override
        public void dataReceived(ByteBuffer d) {
            super.dataReceived(d);
            data.set();
        }
    }

    @Test
    void theReaderPausesTheTransportOverTwiceTheLimitAndResumesAtTheLimit() {
        int limit = 1000;
        int total = 1 << 20;
        run(() -> {
            Server server = Asyncio.startServer((r, w) -> {
                w.write(new byte[total]);
                w.drain().await();
                r.read().await();
                w.close();
            }, "127.0.0.1", 0).await();
            StreamReader reader = new StreamReader(limit, loop);
            Signalling proto = new Signalling(reader);
            Transport t = loop.createConnection(() -> proto, "127.0.0.1", port(server)).await().transport();
            assertSame(t, reader.transport());
            while (reader.bufferedSize() <= 2 * limit) {
                proto.data.clear();
                proto.data.await();
            }
            assertFalse(t.isReading(), "over twice the limit: paused");
            int n = reader.bufferedSize();
            assertTrue(n < total, "the first delivery is at most the loop's read buffer");
            int got = reader.read(n - limit - 1).await().length;
            assertFalse(t.isReading(), "limit + 1 bytes left: still paused");
            got += reader.read(1).await().length;
            assertTrue(t.isReading(), "down to the limit: reading again");

            // Paused again, a read that wants more than the buffer holds resumes the transport.
            while (t.isReading()) {
                proto.data.clear();
                proto.data.await();
            }
            byte[] all = reader.readexactly(total - got).await();
            assertEquals(total - got, all.length);
            StreamWriter w = new StreamWriter(t, proto, reader, loop);
            w.close();
            w.waitClosed().await();
            closeServer(server);
            return null;
        });
        assertEquals(List.of(), reported);
    }

    // ---- the writer: drain and flow control ----

    @Test
    void threeTasksDrainingAtOnceAllWakeWhenThePeerReads() {
        run(() -> {
            Event go = new Event();
            long[] received = new long[1];
            Server server = Asyncio.startServer((r, w) -> {
                w.transport().pauseReading();
                go.await();
                w.transport().resumeReading();
                received[0] = r.read().await().length;
                w.write(b(received[0] + "\n"));
                w.close();
            }, "127.0.0.1", 0).await();
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server)).await();
            StreamWriter w = c.writer();
            byte[] chunk = new byte[64 * 1024];
            long sent = 0;
            // The peer does not read: the kernel's buffers fill, then the transport's.
            while (w.transport().getWriteBufferSize() <= w.transport().getWriteBufferHighLimit()) {
                w.write(chunk);
                sent += chunk.length;
                if (sent % (1 << 20) == 0) {
                    Asyncio.sleep(0).await();
                }
            }
            List<Task<Void>> drainers = new ArrayList<>();
            int[] woken = new int[1];
            for (int i = 0; i < 3; i++) {
                drainers.add(loop.createTask(() -> {
                    w.drain().await();
                    woken[0]++;
                    return null;
                }));
            }
            for (int i = 0; i < 5; i++) {
                Asyncio.sleep(0).await();
            }
            assertEquals(0, woken[0], "nobody passes drain() while the transport is paused");
            for (Task<Void> d : drainers) {
                assertFalse(d.done());
            }
            go.set();
            Asyncio.gatherAll(drainers).await();
            assertEquals(3, woken[0]);
            w.drain().await();
            w.writeEof();
            assertEquals(sent + "\n", s(c.reader().readline().await()));
            assertEquals(sent, received[0]);
            w.close();
            w.waitClosed().await();
            closeServer(server);
            return null;
        });
        assertEquals(List.of(), reported);
    }

    @Test
    void drainRaisesOnceThePeerHasClosed() {
        run(() -> {
            Server server = Asyncio.startServer((r, w) -> w.transport().abort(), "127.0.0.1", 0).await();
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server)).await();
            StreamWriter w = c.writer();
            Exception e = assertThrows(Exception.class, () -> {
                while (true) {
                    w.write(b("foo\n"));
                    w.drain().await();
                }
            });
            assertInstanceOf(SocketException.class, e, e.toString());
            w.close();
            assertThrows(SocketException.class, () -> w.waitClosed().await());
            closeServer(server);
            return null;
        });
        assertEquals(List.of(), reported);
    }

    @Test
    void drainAfterCloseRaisesConnectionLost() {
        run(() -> {
            Server server = Asyncio.startServer((r, w) -> {
                r.read().await();
                w.close();
            }, "127.0.0.1", 0).await();
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server)).await();
            StreamWriter w = c.writer();
            assertFalse(w.isClosing());
            w.close();
            assertTrue(w.isClosing());
            w.write(b("data"));
            SocketException e = assertThrows(SocketException.class, () -> w.drain().await());
            assertEquals("Connection lost", e.getMessage());
            w.waitClosed().await();
            assertTrue(c.reader().atEof(), "closing feeds end of stream to the reader");
            assertEquals("", s(c.reader().read().await()));
            closeServer(server);
            return null;
        });
        assertEquals(List.of(), reported);
    }

    @Test
    void aDrainWaitingWhenTheConnectionIsLostFails() {
        run(() -> {
            Event filled = new Event();
            Server server = Asyncio.startServer((r, w) -> {
                w.transport().pauseReading();
                filled.await();
                w.transport().abort();
            }, "127.0.0.1", 0).await();
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server)).await();
            StreamWriter w = c.writer();
            byte[] chunk = new byte[64 * 1024];
            while (w.transport().getWriteBufferSize() <= w.transport().getWriteBufferHighLimit()) {
                w.write(chunk);
            }
            Future<Void> drain = w.drain();
            assertFalse(drain.done());
            filled.set();
            Exception e = assertThrows(Exception.class, drain::await);
            assertInstanceOf(SocketException.class, e, e.toString());
            assertThrows(SocketException.class, () -> w.drain().await());
            assertThrows(SocketException.class, () -> w.waitClosed().await());
            closeServer(server);
            return null;
        });
        assertEquals(List.of(), reported);
    }

    // ---- servers and clients ----

    private static final StreamHandler ECHO = (reader, writer) -> {
        byte[] line;
        while ((line = reader.readline().await()).length > 0) {
            writer.write(line);
            writer.drain().await();
        }
        writer.close();
        writer.waitClosed().await();
    };

    private static List<String> echoLines(StreamConnection c, String... lines) throws Exception {
        List<String> back = new ArrayList<>();
        for (String line : lines) {
            c.writer().write(b(line + "\n"));
            c.writer().drain().await();
            back.add(s(c.reader().readline().await()));
        }
        c.writer().writeEof();
        assertEquals("", s(c.reader().read().await()), "the server closes after end of stream");
        c.writer().close();
        c.writer().waitClosed().await();
        return back;
    }

    @Test
    void echoOverTcp() {
        List<String> back = run(() -> {
            Server server = Asyncio.startServer(ECHO, "127.0.0.1", 0).await();
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server)).await();
            InetSocketAddress peer = (InetSocketAddress) c.writer().getExtraInfo("peername");
            assertEquals(port(server), peer.getPort());
            assertNotNull(c.writer().getExtraInfo("sockname"));
            assertEquals("none", c.writer().getExtraInfo("nothing", "none"));
            assertSame(c.writer().transport(), c.reader().transport());
            List<String> lines = echoLines(c, "hello world!", "second", "");
            closeServer(server);
            return lines;
        });
        assertEquals(List.of("hello world!\n", "second\n", "\n"), back);
        assertEquals(List.of(), reported);
    }

    @Test
    void echoWithOptionsAndSeveralClients() {
        List<String> back = run(() -> {
            Server server = Asyncio.startServer(ECHO, ServerOptions.on("127.0.0.1", 0).limit(16)).await();
            List<Task<List<String>>> clients = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String name = "client" + i;
                clients.add(loop.createTask(() -> echoLines(
                        Asyncio.openConnection(ConnectOptions.to("127.0.0.1", port(server)).limit(32)).await(),
                        name, name + " again")));
            }
            List<String> all = new ArrayList<>();
            for (List<String> l : Asyncio.gatherAll(clients).await()) {
                all.addAll(l);
            }
            closeServer(server);
            return all;
        });
        assertEquals(10, back.size());
        assertEquals("client3 again\n", back.get(7));
    }

    @Test
    void aLineOverTheServersLimitFailsItsHandler() {
        run(() -> {
            Server server = Asyncio.startServer(ECHO, ServerOptions.on("127.0.0.1", 0).limit(8)).await();
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server)).await();
            c.writer().write(b("a line longer than eight bytes\n"));
            assertEquals("", s(c.reader().read().await()), "the handler failed: the server closed");
            c.writer().close();
            c.writer().waitClosed().await();
            closeServer(server);
            return null;
        });
        assertEquals(1, reported.size(), reported.toString());
        Map<String, Object> report = reported.get(0);
        assertEquals("Unhandled exception in client_connected_cb", report.get("message"));
        assertInstanceOf(LimitOverrunException.class, report.get("exception"));
        assertNotNull(report.get("transport"));
        reported.clear();
    }

    @Test
    void cancellingAHandlersTaskClosesItsConnection() {
        run(() -> {
            List<StreamReaderProtocol> made = new ArrayList<>();
            Event connected = new Event();
            Server server = loop.createServer(() -> {
                StreamReaderProtocol p = new StreamReaderProtocol(reader(), (r, w) -> {
                    connected.set();
                    loop.createFuture().await();
                });
                made.add(p);
                return p;
            }, "127.0.0.1", 0).await();
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server)).await();
            connected.await();
            assertTrue(made.get(0).isServerSide());
            assertNotNull(made.get(0).writer());
            made.get(0).task().cancel();
            assertEquals("", s(c.reader().read().await()), "the server side closed");
            c.writer().close();
            c.writer().waitClosed().await();
            closeServer(server);
            return null;
        });
        assertEquals(List.of(), reported);
    }

    @Test
    void echoWithAPlainCallbackThatStartsATask() {
        List<String> back = run(() -> {
            Server server = loop.createServer(() -> StreamReaderProtocol.withCallback(reader(),
                    (r, w) -> loop.createTask(() -> {
                        ECHO.handle(r, w);
                        return null;
                    })), "127.0.0.1", 0).await();
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server)).await();
            List<String> lines = echoLines(c, "via callback");
            closeServer(server);
            return lines;
        });
        assertEquals(List.of("via callback\n"), back);
        assertEquals(List.of(), reported);
    }

    @Test
    void echoOverAUnixPath() throws Exception {
        Path dir = Files.createTempDirectory("jasyncio-streams");
        String path = dir.resolve("echo.sock").toString();
        try {
            List<String> back = run(() -> {
                Server server = Asyncio.startUnixServer(ECHO, path).await();
                List<String> lines = echoLines(Asyncio.openUnixConnection(path).await(), "hello unix");
                List<String> more = echoLines(Asyncio.openUnixConnection(path, 100).await(), "again");
                closeServer(server);
                lines.addAll(more);
                return lines;
            });
            assertEquals(List.of("hello unix\n", "again\n"), back);
        } finally {
            Files.deleteIfExists(Path.of(path));
            Files.deleteIfExists(dir);
        }
        assertEquals(List.of(), reported);
    }

    @Test
    void echoOverAnAbstractUnixName() {
        assumeTrue(backend() == SelectorEventLoop.Backend.EPOLL, "abstract names: epoll loop only");
        String name = "\0jasyncio-streams-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        List<String> back = run(() -> {
            Server server = Asyncio.startUnixServer(ECHO, name, 1024).await();
            List<String> lines = echoLines(Asyncio.openUnixConnection(name).await(), "hello abstract");
            closeServer(server);
            return lines;
        });
        assertEquals(List.of("hello abstract\n"), back);
        assertEquals(List.of(), reported);
    }

    @Test
    void writeEofHalfClosesAndThePeerStillAnswers() {
        String answer = run(() -> {
            Server server = Asyncio.startServer((r, w) -> {
                byte[] all = r.read().await();
                assertTrue(r.atEof());
                byte[] reversed = new byte[all.length];
                for (int i = 0; i < all.length; i++) {
                    reversed[i] = all[all.length - 1 - i];
                }
                w.writelines(b(all.length + ":"), reversed);
                w.close();
            }, "127.0.0.1", 0).await();
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server)).await();
            assertTrue(c.writer().canWriteEof());
            c.writer().writelines(List.of(ByteBuffer.wrap(b("abc")), ByteBuffer.wrap(b("def"))));
            c.writer().write(ByteBuffer.wrap(b("ghi")));
            c.writer().writeEof();
            String got = s(c.reader().read().await());
            assertTrue(c.reader().atEof());
            c.writer().close();
            c.writer().waitClosed().await();
            closeServer(server);
            return got;
        });
        assertEquals("9:ihgfedcba", answer);
        assertEquals(List.of(), reported);
    }

    @Test
    void aReadFailsWithTheErrorThatEndedTheConnection() {
        run(() -> {
            Server server = Asyncio.startServer((r, w) -> {
                r.read().await();
                w.close();
            }, "127.0.0.1", 0).await();
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server)).await();
            Future<byte[]> pending = c.reader().read(10);
            ((StreamReaderProtocol) c.writer().transport().getProtocol()).connectionLost(new ArithmeticException());
            assertThrows(ArithmeticException.class, pending::await);
            assertThrows(ArithmeticException.class, () -> c.reader().read().await());
            assertThrows(ArithmeticException.class, () -> c.writer().drain().await());
            c.writer().close();
            closeServer(server);
            return null;
        });
        assertEquals(List.of(), reported);
    }

    @Test
    void openConnectionNeedsARunningLoop() {
        assertThrows(IllegalStateException.class, () -> Asyncio.openConnection("127.0.0.1", 1));
        assertThrows(IllegalStateException.class, () -> Asyncio.startServer(ECHO, "127.0.0.1", 0));
    }

    @Test
    void openConnectionToNobodyIsRefused() {
        int port;
        // A port free a moment ago (a Server closed on the NIO loop may still listen until its next
        // poll, as the JDK defers the close of a channel registered with a selector).
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        run(() -> {
            assertThrows(java.net.ConnectException.class, () -> Asyncio.openConnection("127.0.0.1", port).await());
            return null;
        });
    }

    @Test
    void sixtyFourMebibytesThroughASlowReaderArriveIntact() {
        int total = 64 << 20;
        long[] result = run(() -> {
            long[] server = new long[3];
            Server srv = Asyncio.startServer((r, w) -> {
                CRC32 crc = new CRC32();
                long count = 0;
                byte[] piece;
                int reads = 0;
                while ((piece = r.read(4096).await()).length > 0) {
                    if (!w.transport().isReading()) {
                        server[2]++;
                    }
                    crc.update(piece);
                    count += piece.length;
                    if (++reads % 4 == 0) {
                        // A deliberately slow reader: let the loop run between reads.
                        Asyncio.sleep(0).await();
                    }
                }
                server[0] = count;
                server[1] = crc.getValue();
                w.write(b(count + " " + crc.getValue() + "\n"));
                w.drain().await();
                w.close();
            }, "127.0.0.1", 0).await();
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(srv)).await();
            CRC32 crc = new CRC32();
            byte[] chunk = new byte[1 << 20];
            Random random = new Random(42);
            for (int sent = 0; sent < total; sent += chunk.length) {
                random.nextBytes(chunk);
                crc.update(chunk);
                c.writer().write(chunk);
                c.writer().drain().await();
            }
            c.writer().writeEof();
            String line = s(c.reader().readline().await()).trim();
            c.writer().close();
            c.writer().waitClosed().await();
            closeServer(srv);
            String[] parts = line.split(" ");
            assertEquals(server[0], Long.parseLong(parts[0]));
            assertEquals(server[1], Long.parseLong(parts[1]));
            return new long[] {server[0], server[1], crc.getValue(), server[2]};
        });
        assertTrue(result[3] > 0, "the reader fell behind: its transport was paused");
        assertEquals(total, result[0]);
        assertEquals(result[2], result[1], "the checksums at both ends are equal");
        assertEquals(List.of(), reported);
    }

    @Test
    void waitClosedIsDoneOnceClosedAndSeveralMayWait() {
        run(() -> {
            Server server = Asyncio.startServer((r, w) -> {
                r.read().await();
                w.close();
            }, "127.0.0.1", 0).await();
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server)).await();
            Future<Void> one = c.writer().waitClosed();
            Future<Void> two = c.writer().waitClosed();
            two.cancel();
            assertFalse(one.done());
            c.writer().close();
            one.await();
            c.writer().waitClosed().await();
            closeServer(server);
            return null;
        });
    }

    @Test
    void bytesSurviveTheViewBeingReused() {
        // dataReceived gets a view of the loop's buffer: the reader must copy.
        byte[] got = run(() -> {
            Server server = Asyncio.startServer((r, w) -> {
                for (int i = 0; i < 100; i++) {
                    w.write(b(String.format("%04d", i)));
                    w.drain().await();
                    Asyncio.sleep(0).await();
                }
                w.close();
            }, "127.0.0.1", 0).await();
            StreamConnection c = Asyncio.openConnection("127.0.0.1", port(server)).await();
            byte[] all = c.reader().read().await();
            c.writer().close();
            closeServer(server);
            return all;
        });
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            expected.append(String.format("%04d", i));
        }
        assertArrayEquals(b(expected.toString()), got);
        assertEquals(Arrays.asList(), reported);
    }
}
