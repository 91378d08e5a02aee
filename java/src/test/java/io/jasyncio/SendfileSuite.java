package io.jasyncio;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * asyncio's {@code sock_sendfile} and {@code loop.sendfile} over real loopback TCP connections
 * and real files: a 1 GiB sparse file with a few random blocks goes through each path, and the
 * reader's CRC-32 must equal the file's. Java-form differences from asyncio: count -1 is
 * asyncio's None; ValueError is IllegalArgumentException, RuntimeError IllegalStateException.
 */
abstract class SendfileSuite extends LoopTestBase {

    static final long SIZE = 1L << 30;
    static Path bigFile;
    static long bigCrc;

    @BeforeAll
    static void makeBigFile() throws IOException {
        bigFile = Files.createTempFile("jasyncio-sendfile", ".bin");
        try (RandomAccessFile raf = new RandomAccessFile(bigFile.toFile(), "rw")) {
            raf.setLength(SIZE);
            Random random = new Random(42);
            byte[] block = new byte[4096];
            for (long at : new long[] {0, 3 * 4096 + 17, SIZE / 3, SIZE / 2 + 1, SIZE - 5000}) {
                random.nextBytes(block);
                raf.seek(at);
                raf.write(block);
            }
        }
        bigCrc = crc(bigFile, 0, SIZE);
    }

    @AfterAll
    static void deleteBigFile() throws IOException {
        Files.deleteIfExists(bigFile);
    }

    static long crc(Path file, long offset, long count) throws IOException {
        CRC32 crc = new CRC32();
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel ch = FileChannel.open(file)) {
            long at = offset;
            long end = Math.min(ch.size(), offset + count);
            while (at < end) {
                buf.clear().limit((int) Math.min(buf.capacity(), end - at));
                int n = ch.read(buf, at);
                if (n <= 0) {
                    break;
                }
                crc.update(buf.flip());
                at += n;
            }
        }
        return crc.getValue();
    }

    /** Bytes and CRC-32 of what a reader got. */
    record Got(long bytes, long crc) {
    }

    /** A connected loopback TCP pair: {sender, reader}. */
    Socket[] pair() throws IOException {
        try (Socket listener = Socket.open(loop, Socket.Family.INET, Socket.Type.STREAM)) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            listener.listen();
            Socket sender = Socket.open(loop, Socket.Family.INET, Socket.Type.STREAM);
            Future<Socket> accepted = loop.sockAccept(listener);
            run(loop.sockConnect(sender, listener.localAddress()));
            return new Socket[] {sender, run(accepted)};
        }
    }

    /**
     * Reads {@code sock} to its end (or until {@code closeAfter} bytes, then closes it), as a
     * task.
     */
    Future<Got> reader(Socket sock, long closeAfter) {
        return loop.createTask(() -> {
            CRC32 crc = new CRC32();
            ByteBuffer buf = ByteBuffer.allocateDirect(256 * 1024);
            long total = 0;
            while (true) {
                buf.clear();
                int n = loop.sockRecvInto(sock, buf).await();
                if (n == 0) {
                    break;
                }
                crc.update(buf.flip());
                total += n;
                if (closeAfter >= 0 && total >= closeAfter) {
                    sock.close();
                    break;
                }
            }
            return new Got(total, crc.getValue());
        });
    }

    private void closeAll(Socket... socks) throws IOException {
        for (Socket s : socks) {
            s.close();
        }
    }

    // ---- sockSendfile ----

    @Test
    void sockSendfileOfAPathSendsOneGibIntact() throws IOException {
        Socket[] p = pair();
        Future<Got> reading = reader(p[1], -1);
        long sent = run(loop.sockSendfile(p[0], bigFile, 0, -1));
        p[0].shutdownOutput();
        Got got = run(reading);
        assertEquals(SIZE, sent);
        assertEquals(new Got(SIZE, bigCrc), got);
        closeAll(p);
    }

    @Test
    void sockSendfileOfAFileChannelSendsOneGibIntactAndMovesItsPosition() throws IOException {
        Socket[] p = pair();
        try (FileChannel file = FileChannel.open(bigFile)) {
            Future<Got> reading = reader(p[1], -1);
            long sent = run(loop.sockSendfile(p[0], file, 0, -1));
            p[0].shutdownOutput();
            assertEquals(new Got(SIZE, bigCrc), run(reading));
            assertEquals(SIZE, sent);
            assertEquals(SIZE, file.position());
        }
        closeAll(p);
    }

    @Test
    void offsetAndCountEdges() throws IOException {
        Path small = Files.createTempFile("jasyncio-sendfile-small", ".bin");
        Path empty = Files.createTempFile("jasyncio-sendfile-empty", ".bin");
        try (FileChannel file = FileChannel.open(small, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            file.write(ByteBuffer.wrap("0123456789".getBytes(StandardCharsets.US_ASCII)));
            Socket[] p = pair();
            // A part, a count past the end, an offset past the end, the whole file, an empty file.
            assertEquals(3, run(loop.sockSendfile(p[0], file, 2, 3)));
            assertEquals(5, file.position());
            assertEquals(2, run(loop.sockSendfile(p[0], file, 8, 100)));
            assertEquals(10, file.position());
            file.position(4);
            assertEquals(0, run(loop.sockSendfile(p[0], file, 10, -1)));
            assertEquals(0, run(loop.sockSendfile(p[0], file, 50, 1)));
            assertEquals(4, file.position(), "nothing sent: the position stays");
            assertEquals(10, run(loop.sockSendfile(p[0], small, 0, -1)));
            assertEquals(4, run(loop.sockSendfile(p[0], small, 6, 4)));
            assertEquals(0, run(loop.sockSendfile(p[0], empty, 0, -1)));
            p[0].shutdownOutput();
            byte[] all = new byte[64];
            ByteBuffer in = ByteBuffer.wrap(all);
            while (run(loop.sockRecvInto(p[1], in)) > 0) {
                // until the end
            }
            assertEquals("23489" + "0123456789" + "6789", new String(all, 0, in.position(), StandardCharsets.US_ASCII));

            assertThrows(IllegalArgumentException.class, () -> loop.sockSendfile(p[0], file, -1, 1));
            assertThrows(IllegalArgumentException.class, () -> loop.sockSendfile(p[0], file, 0, 0));
            assertThrows(IllegalArgumentException.class, () -> loop.sockSendfile(p[0], file, 0, -2));
            assertThrows(IllegalArgumentException.class, () -> loop.sockSendfile(p[0], small, -1, -1));
            assertThrows(NoSuchFileException.class,
                    () -> run(loop.sockSendfile(p[0], small.resolveSibling("no-such-file"), 0, -1)));
            try (Socket dgram = Socket.open(loop, Socket.Family.INET, Socket.Type.DGRAM)) {
                assertThrows(IllegalArgumentException.class, () -> loop.sockSendfile(dgram, small, 0, -1));
            }
            closeAll(p);
        } finally {
            Files.deleteIfExists(small);
            Files.deleteIfExists(empty);
        }
    }

    @Test
    void aPeerThatClosesMidSendfileFailsTheCall() throws IOException {
        Socket[] p = pair();
        Future<Got> reading = reader(p[1], 1 << 20);
        Future<Long> sending = loop.sockSendfile(p[0], bigFile, 0, -1);
        assertTrue(run(reading).bytes() >= 1 << 20);
        IOException e = assertThrows(IOException.class, () -> run(sending));
        assertFalse(e instanceof NoSuchFileException, e.toString());
        closeAll(p);
    }

    // ---- loop.sendfile on transports ----

    /** A protocol that checksums what arrives and completes at end of stream. */
    final class Checksum implements Protocol {
        final CRC32 crc = new CRC32();
        long bytes;
        final Future<Got> done = loop.createFuture();

        @Override
        public void dataReceived(ByteBuffer data) {
            bytes += data.remaining();
            crc.update(data);
        }

        @Override
        public boolean eofReceived() {
            done.setResult(new Got(bytes, crc.getValue()));
            return false;
        }
    }

    /** The sending side as a plain transport; the reading side as a checksumming transport. */
    Connection<Protocol> transportPair(Socket[] p, Checksum sink) {
        run(loop.connectAcceptedSocket(() -> sink, p[1], null));
        return run(loop.connectAcceptedSocket(() -> new Protocol() {
        }, p[0], null));
    }

    private static long crcOf(byte[] head, Path file, long offset, long count, byte[] tail) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(head);
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel ch = FileChannel.open(file)) {
            long at = offset;
            long end = Math.min(ch.size(), offset + count);
            while (at < end) {
                buf.clear().limit((int) Math.min(buf.capacity(), end - at));
                at += ch.read(buf, at);
                crc.update(buf.flip());
            }
        }
        crc.update(tail);
        return crc.getValue();
    }

    @Test
    void loopSendfileOfAPathOnATransportSendsOneGibAfterTheBufferedData() throws IOException {
        Socket[] p = pair();
        Checksum sink = new Checksum();
        Transport t = transportPair(p, sink).transport();
        byte[] head = "head".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "tail".getBytes(StandardCharsets.US_ASCII);
        t.write(head);
        Future<Long> sending = loop.sendfile(t, bigFile, 0, -1);
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> t.write(tail));
        assertTrue(refused.getMessage().contains("sendfile is in progress"), refused.getMessage());
        assertEquals(SIZE, run(sending));
        t.write(tail);
        t.writeEof();
        Got got = run(sink.done);
        assertEquals(head.length + SIZE + tail.length, got.bytes());
        assertEquals(crcOf(head, bigFile, 0, SIZE, tail), got.crc());
        assertTrue(t.isReading(), "reading resumes after sendfile");
        t.close();
        run(loop.createTask(() -> null));
    }

    @Test
    void loopSendfileOfAFileChannelOnATransportSendsAPartAndMovesThePosition() throws IOException {
        Socket[] p = pair();
        Checksum sink = new Checksum();
        Transport t = transportPair(p, sink).transport();
        long offset = SIZE / 3 - 1000;
        long count = 64L << 20;
        try (FileChannel file = FileChannel.open(bigFile)) {
            assertEquals(count, run(loop.sendfile(t, file, offset, count)));
            assertEquals(offset + count, file.position());
        }
        t.writeEof();
        Got got = run(sink.done);
        assertEquals(count, got.bytes());
        assertEquals(crc(bigFile, offset, count), got.crc());
        t.close();
        run(loop.createTask(() -> null));
    }

    /** A transport of a kind loop.sendfile does not know: it must take the fallback. */
    static final class Wrapped implements Transport {
        final Transport inner;
        long maxBuffered;

        Wrapped(Transport inner) {
            this.inner = inner;
        }

        @Override
        public void write(byte[] data) {
            write(ByteBuffer.wrap(data));
        }

        @Override
        public void write(ByteBuffer data) {
            inner.write(data);
            maxBuffered = Math.max(maxBuffered, inner.getWriteBufferSize());
        }

        @Override
        public void writelines(List<ByteBuffer> data) {
            data.forEach(this::write);
        }

        @Override
        public void writeEof() {
            inner.writeEof();
        }

        @Override
        public boolean canWriteEof() {
            return inner.canWriteEof();
        }

        @Override
        public void abort() {
            inner.abort();
        }

        @Override
        public long getWriteBufferSize() {
            return inner.getWriteBufferSize();
        }

        @Override
        public long getWriteBufferLowLimit() {
            return inner.getWriteBufferLowLimit();
        }

        @Override
        public long getWriteBufferHighLimit() {
            return inner.getWriteBufferHighLimit();
        }

        @Override
        public void setWriteBufferLimits(long high, long low) {
            inner.setWriteBufferLimits(high, low);
        }

        @Override
        public void pauseReading() {
            inner.pauseReading();
        }

        @Override
        public void resumeReading() {
            inner.resumeReading();
        }

        @Override
        public boolean isReading() {
            return inner.isReading();
        }

        @Override
        public void close() {
            inner.close();
        }

        @Override
        public boolean isClosing() {
            return inner.isClosing();
        }

        @Override
        public Object getExtraInfo(String name, Object defaultValue) {
            return inner.getExtraInfo(name, defaultValue);
        }

        @Override
        public void setProtocol(BaseProtocol protocol) {
            inner.setProtocol(protocol);
        }

        @Override
        public BaseProtocol getProtocol() {
            return inner.getProtocol();
        }
    }

    @Test
    void anUnknownTransportGetsTheFallbackWithinItsFlowControl() throws IOException {
        Socket[] p = pair();
        Checksum sink = new Checksum();
        Connection<Protocol> sending = transportPair(p, sink);
        Wrapped t = new Wrapped(sending.transport());
        long offset = SIZE / 2 - 70_000;
        long count = 48L << 20;
        Path copy = bigFile;
        assertEquals(count, run(loop.sendfile(t, copy, offset, count)));
        assertSame(sending.protocol(), t.getProtocol(), "the protocol is given back");
        assertTrue(t.isReading());
        assertTrue(t.maxBuffered <= t.getWriteBufferHighLimit() + TransportSendfile.FALLBACK_CHUNK,
                "the fallback wrote past the high-water mark: " + t.maxBuffered);
        t.writeEof();
        Got got = run(sink.done);
        assertEquals(new Got(count, crc(bigFile, offset, count)), got);
        t.close();
        run(loop.createTask(() -> null));
    }

    @Test
    void aPeerThatClosesMidLoopSendfileFailsIt() throws IOException {
        Socket[] p = pair();
        Transport t = run(loop.connectAcceptedSocket(() -> new Protocol() {
        }, p[0], null)).transport();
        Future<Got> reading = reader(p[1], 1 << 20);
        Future<Long> sending = loop.sendfile(t, bigFile, 0, -1);
        run(reading);
        IOException e = assertThrows(IOException.class, () -> run(sending));
        assertInstanceOf(IOException.class, e);
        t.close();
        run(loop.createTask(() -> null));
        p[1].close();
    }

    @Test
    void aSendfileCancelledAtOnceGivesTheTransportBack() throws IOException {
        Socket[] p = pair();
        Checksum sink = new Checksum();
        Transport t = transportPair(p, sink).transport();
        Future<Long> sending = loop.sendfile(t, bigFile, 0, -1);
        assertFalse(t.isReading());
        sending.cancel();
        for (int i = 0; i < 3; i++) {
            loop.callSoon(loop::stop);
            loop.runForever();
        }
        assertTrue(sending.cancelled());
        assertTrue(t.isReading());
        t.write("after".getBytes(StandardCharsets.US_ASCII));
        t.writeEof();
        assertEquals(5, run(sink.done).bytes());
        t.close();
        run(loop.createTask(() -> null));
    }

    @Test
    void aClosingTransportRefusesSendfile() throws IOException {
        Socket[] p = pair();
        Transport t = run(loop.connectAcceptedSocket(() -> new Protocol() {
        }, p[0], null)).transport();
        t.close();
        assertThrows(IllegalStateException.class, () -> loop.sendfile(t, bigFile, 0, -1));
        run(loop.createTask(() -> null));
        p[1].close();
    }
}
