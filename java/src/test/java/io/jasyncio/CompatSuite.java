package io.jasyncio;

import io.jasyncio.compat.AsyncChat;
import io.jasyncio.compat.Asyncore;
import io.jasyncio.compat.Dispatcher;
import io.jasyncio.compat.DispatcherWithSend;
import io.jasyncio.compat.FileDispatcher;
import io.jasyncio.compat.SimpleProducer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Python's asyncore and asynchat ({@code io.jasyncio.compat}) and the non-blocking socket calls
 * they stand on, on every loop, over real loopback sockets. Translated in spirit from CPython
 * 3.11's test_asyncore.py and test_asynchat.py; Java-form differences: the map is a
 * {@code Map<Integer, Dispatcher>}, {@code handleError} receives the exception, and
 * {@code handle_expt} (urgent data) is not watched by jasyncio's loops, so it is not tested.
 */
abstract class CompatSuite extends LoopTestBase {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    final Map<Integer, Dispatcher> map = new HashMap<>();
    final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        Asyncore.closeAll(map, true);
        for (Socket s : sockets) {
            s.close();
        }
    }

    /**
     * Makes the test's loop this thread's current one, which {@code createSocket} makes sockets
     * for (a test body runs on a thread of its own, so the body does this, and undoes it with
     * {@link #forgetLoop()}).
     */
    void useLoop() {
        Asyncio.setEventLoop(loop);
    }

    void forgetLoop() {
        Asyncio.setEventLoop(null);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** Serves the map a round at a time until {@code condition} holds (the class timeout bounds it). */
    void serveUntil(BooleanSupplier condition) {
        while (!condition.getAsBoolean()) {
            Asyncore.loop(loop, 5.0, map, 1);
        }
    }

    Socket track(Socket s) {
        sockets.add(s);
        return s;
    }

    Socket[] pair() throws Exception {
        Socket[] p = Socket.socketpair(loop);
        track(p[0]);
        track(p[1]);
        return p;
    }

    // ---- the socket calls themselves ----

    @Test
    void shouldRecvSendAcceptAndConnectWithoutWaiting() throws Exception {
        Socket server = track(Socket.open(loop, Socket.Family.INET, Socket.Type.STREAM));
        server.bind(new InetSocketAddress(LOOPBACK, 0));
        server.listen(5);
        assertNull(server.accept(), "no connection waits yet");
        Socket client = track(Socket.open(loop, Socket.Family.INET, Socket.Type.STREAM));
        boolean now = client.connect(server.localAddress());
        Future<Void> connected = loop.createFuture();
        if (now) {
            connected.setResult(null);
        } else {
            loop.addWriter(client, () -> {
                loop.removeWriter(client);
                connected.setResult(null);
            });
        }
        run(connected);
        client.finishConnect();
        Future<Socket> accepted = loop.createFuture();
        loop.addReader(server, () -> {
            try {
                Socket s = server.accept();
                if (s != null) {
                    loop.removeReader(server);
                    accepted.setResult(s);
                }
            } catch (Exception e) {
                accepted.setException(e);
            }
        });
        Socket conn = track(run(accepted));
        assertEquals(client.localAddress(), conn.remoteAddress());
        assertEquals(Socket.WOULD_BLOCK, conn.recv(ByteBuffer.allocate(10)), "nothing arrived yet");
        assertNull(conn.recv(10));
        assertEquals(5, client.send(ByteBuffer.wrap(bytes("hello"))));
        Future<byte[]> got = loop.createFuture();
        loop.addReader(conn, () -> {
            try {
                byte[] b = conn.recv(10);
                if (b != null) {
                    loop.removeReader(conn);
                    got.setResult(b);
                }
            } catch (Exception e) {
                got.setException(e);
            }
        });
        assertEquals("hello", text(run(got)));
        client.shutdownOutput();
        Future<Integer> eof = loop.createFuture();
        loop.addReader(conn, () -> {
            try {
                int n = conn.recv(ByteBuffer.allocate(10));
                if (n != Socket.WOULD_BLOCK) {
                    loop.removeReader(conn);
                    eof.setResult(n);
                }
            } catch (Exception e) {
                eof.setException(e);
            }
        });
        assertEquals(0, run(eof), "end of stream reads 0, as in Python");
        assertEquals(0, conn.recv(0).length);
    }

    @Test
    void shouldReportARefusedConnect() throws Exception {
        Socket probe = Socket.open(loop, Socket.Family.INET, Socket.Type.STREAM);
        probe.bind(new InetSocketAddress(LOOPBACK, 0));
        SocketAddress nobody = probe.localAddress();
        probe.close();
        Socket client = track(Socket.open(loop, Socket.Family.INET, Socket.Type.STREAM));
        Exception failure;
        try {
            if (!client.connect(nobody)) {
                Future<Void> writable = loop.createFuture();
                loop.addWriter(client, () -> {
                    loop.removeWriter(client);
                    writable.setResult(null);
                });
                run(writable);
                client.finishConnect();
            }
            failure = null;
        } catch (java.net.ConnectException e) {
            failure = e;
        }
        assertNotNull(failure, "a refused connect throws ConnectException");
    }

    // ---- asyncore: when each handler fires ----

    /** Records each handler call, as test_asyncore's dispatchers do. */
    class Recorder extends Dispatcher {
        final List<String> events;
        boolean wantWrite = true;
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        Dispatcher acceptedHandler;

        Recorder(Socket sock, List<String> events) {
            super(sock, map);
            this.events = events;
        }

        @Override
        public boolean writable() {
            return wantWrite;
        }

        @Override
        public void handleConnect() {
            events.add("connect");
        }

        @Override
        public void handleAccepted(Socket sock, SocketAddress addr) {
            events.add("accepted");
            assertNotNull(addr);
            acceptedHandler = new Recorder(sock, events);
        }

        @Override
        public void handleRead() throws Exception {
            byte[] b = recv(100);
            if (b.length > 0) {
                events.add("read");
                got.writeBytes(b);
            }
        }

        @Override
        public void handleWrite() {
            events.add("write");
            wantWrite = false;
        }

        @Override
        public void handleClose() throws Exception {
            events.add("close");
            close();
        }

        @Override
        public void handleError(Throwable error) throws Exception {
            events.add("error:" + error.getClass().getSimpleName());
            close();
        }
    }

    @Test
    void shouldFireEachHandlerWhenAsyncoreWould() throws Exception {
        List<String> serverEvents = new ArrayList<>();
        List<String> clientEvents = new ArrayList<>();
        useLoop();
        Recorder server = new Recorder(null, serverEvents);
        server.createSocket();
        server.setReuseAddr();
        server.bind(new InetSocketAddress(LOOPBACK, 0));
        server.listen(5);
        assertTrue(server.isAccepting());
        assertEquals(server, map.get(server.fileno()));

        Recorder client = new Recorder(null, clientEvents);
        client.createSocket();
        client.connect(server.socket().localAddress());
        serveUntil(() -> clientEvents.contains("write") && serverEvents.contains("accepted"));
        assertEquals("connect", clientEvents.get(0), "handleConnect comes before the first write");
        assertTrue(client.isConnected());
        assertFalse(client.isConnecting());
        assertFalse(serverEvents.contains("write"), "a listening socket is never writable");

        Recorder conn = (Recorder) server.acceptedHandler;
        assertTrue(conn.isConnected());
        client.send(bytes("ping"));
        serveUntil(() -> conn.got.size() == 4);
        assertEquals("ping", conn.got.toString(StandardCharsets.ISO_8859_1));

        client.close();
        assertFalse(map.containsValue(client), "close leaves the map");
        assertEquals(-1, client.fileno());
        serveUntil(() -> serverEvents.contains("close"));
        assertFalse(map.containsValue(conn));
        // The accepted connection is connected from the start: it writes (writable by default)
        // and reads, with no handleConnect; the listener itself only accepts.
        assertEquals("accepted", serverEvents.get(0));
        assertEquals("close", serverEvents.get(serverEvents.size() - 1));
        assertTrue(serverEvents.contains("read") && serverEvents.contains("write"));
        assertFalse(serverEvents.contains("connect"));
        forgetLoop();
    }

    @Test
    void shouldAskReadableAndWritableEveryRound() throws Exception {
        Socket[] p = pair();
        int[] asked = new int[2];
        Dispatcher d = new Dispatcher(p[0], map) {
            @Override
            public boolean readable() {
                asked[0]++;
                return false;
            }

            @Override
            public boolean writable() {
                asked[1]++;
                return false;
            }
        };
        Asyncore.loop(loop, 0.001, map, 3);
        assertEquals(3, asked[0]);
        assertEquals(3, asked[1]);
        assertTrue(map.containsValue(d));
    }

    @Test
    void shouldSendErrorsToHandleError() throws Exception {
        Socket[] p = pair();
        List<String> events = new ArrayList<>();
        Recorder d = new Recorder(p[0], events) {
            @Override
            public void handleRead() {
                throw new IllegalStateException("boom");
            }
        };
        d.wantWrite = false;
        p[1].send(ByteBuffer.wrap(bytes("x")));
        Asyncore.loop(loop, 5.0, map, Asyncore.FOREVER);
        assertEquals(List.of("error:IllegalStateException"), events);
        assertTrue(map.isEmpty(), "the loop ends when the map empties");
    }

    @Test
    void shouldDispatcherWithSendBufferWhatTheSocketDoesNotTake() throws Exception {
        Socket[] p = pair();
        DispatcherWithSend sender = new DispatcherWithSend(p[0], map);
        byte[] big = new byte[3 * 1024 * 1024];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        new Dispatcher(p[1], map) {
            @Override
            public boolean writable() {
                return false;
            }

            @Override
            public void handleRead() throws Exception {
                got.writeBytes(recv(65536));
            }
        };
        sender.send(big);
        assertTrue(sender.writable(), "3 MiB do not fit a socket buffer at once");
        serveUntil(() -> got.size() == big.length);
        assertArrayEquals(big, got.toByteArray());
        assertFalse(sender.writable());
    }

    @Test
    void shouldMixADispatcherWithATask() throws Exception {
        // An echo server as dispatchers, and a client as a task using sock* calls, on one loop.
        Dispatcher server = new Dispatcher(map) {
            @Override
            public void handleAccepted(Socket sock, SocketAddress addr) {
                new DispatcherWithSend(sock, map) {
                    @Override
                    public void handleRead() throws Exception {
                        byte[] b = recv(8192);
                        if (b.length > 0) {
                            send(b);
                        }
                    }

                    @Override
                    public void handleClose() throws Exception {
                        close();
                    }
                };
            }
        };
        useLoop();
        server.createSocket();
        server.bind(new InetSocketAddress(LOOPBACK, 0));
        server.listen(5);
        SocketAddress address = server.socket().localAddress();
        String echoed = run(() -> {
            Task<Void> serving = Asyncio.createTask(() -> {
                Asyncore.loop(0.05, map, Asyncore.FOREVER);
                return null;
            });
            Socket c = track(Socket.open(loop, Socket.Family.INET, Socket.Type.STREAM));
            loop.sockConnect(c, address).await();
            loop.sockSendall(c, bytes("mixed")).await();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (out.size() < 5) {
                out.writeBytes(loop.sockRecv(c, 100).await());
            }
            server.close();
            c.close();
            serving.await();
            return out.toString(StandardCharsets.ISO_8859_1);
        });
        assertEquals("mixed", echoed);
        assertTrue(map.isEmpty(), "the echo connection closed when the client did");
        forgetLoop();
    }

    @Test
    void shouldFileDispatcherReadAndWriteADescriptorOrAChannel() throws Exception {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        List<String> events = new ArrayList<>();
        if (backend() == SelectorEventLoop.Backend.EPOLL) {
            Socket[] p = pair();
            FileDispatcher reader = new FileDispatcher(p[0].fileno(), map) {
                @Override
                public boolean writable() {
                    return false;
                }

                @Override
                public void handleRead() throws Exception {
                    got.writeBytes(recv(100));
                }

                @Override
                public void handleClose() throws Exception {
                    events.add("close");
                    close();
                }
            };
            assertTrue(reader.isConnected());
            assertTrue(reader.fileno() != p[0].fileno(), "works on a duplicate, as Python's");
            p[1].send(ByteBuffer.wrap(bytes("through a descriptor")));
            serveUntil(() -> got.size() == 20);
            p[1].close();
            serveUntil(() -> events.contains("close"));
            assertFalse(p[0].isClosed());
            assertEquals(0, p[0].recv(ByteBuffer.allocate(4)), "the caller's descriptor stays open");
            assertEquals("through a descriptor", got.toString(StandardCharsets.ISO_8859_1));
        } else {
            java.nio.channels.Pipe pipe = java.nio.channels.Pipe.open();
            FileDispatcher reader = new FileDispatcher(pipe.source(), map) {
                @Override
                public boolean writable() {
                    return false;
                }

                @Override
                public void handleRead() throws Exception {
                    got.writeBytes(recv(100));
                }

                @Override
                public void handleClose() throws Exception {
                    events.add("close");
                    close();
                }
            };
            FileDispatcher writer = new FileDispatcher(pipe.sink(), map) {
                @Override
                public boolean readable() {
                    return false;
                }

                @Override
                public void handleWrite() throws Exception {
                    send(bytes("through a pipe"));
                    close();
                }
            };
            serveUntil(() -> events.contains("close"));
            assertEquals("through a pipe", got.toString(StandardCharsets.ISO_8859_1));
            assertTrue(map.isEmpty());
            assertFalse(reader.isConnected() || writer.isConnected());
        }
    }

    // ---- asynchat ----

    /** Collects messages: each found terminator ends one. */
    class Chat extends AsyncChat {
        final List<String> messages = new ArrayList<>();
        boolean closed;

        Chat(Socket sock) {
            super(sock, map);
        }

        @Override
        protected void foundTerminator() {
            messages.add(text(getData()));
        }

        @Override
        public void handleClose() throws Exception {
            closed = true;
            close();
        }

        byte[] collected() {
            return getData();
        }
    }

    @Test
    void shouldFindATerminatorSplitAtEveryBytePosition() throws Exception {
        byte[] message = bytes("hello world\r\n");
        for (int split = 0; split <= message.length; split++) {
            Socket[] p = pair();
            Chat chat = new Chat(p[0]);
            chat.setTerminator("\r\n");
            p[1].send(ByteBuffer.wrap(message, 0, split));
            if (split > 0) {
                // One round reads the first part alone: it is all there, the rest is not sent yet.
                Asyncore.loop(loop, 5.0, map, 1);
            }
            p[1].send(ByteBuffer.wrap(message, split, message.length - split));
            p[1].send(ByteBuffer.wrap(bytes("again\r\n")));
            serveUntil(() -> chat.messages.size() == 2);
            assertEquals(List.of("hello world", "again"), chat.messages, "split at " + split);
            chat.close();
        }
    }

    @Test
    void shouldFindTerminatorsWithEveryReadSize() throws Exception {
        byte[] stream = bytes("alpha\r\nbeta\r\n\r\ngamma\r\n");
        for (int size = 1; size <= stream.length; size++) {
            Socket[] p = pair();
            Chat chat = new Chat(p[0]);
            chat.setAcInBufferSize(size);
            chat.setTerminator(bytes("\r\n"));
            p[1].send(ByteBuffer.wrap(stream));
            serveUntil(() -> chat.messages.size() == 4);
            assertEquals(List.of("alpha", "beta", "", "gamma"), chat.messages, "reads of " + size);
            chat.close();
        }
    }

    /** The seed's asynchat HTTP request handler: headers to a blank line, then Content-Length bytes. */
    class HttpHandler extends AsyncChat {
        String headers;
        String body;
        boolean readingHeaders = true;

        HttpHandler(Socket sock) {
            super(sock, map);
            setTerminator("\r\n\r\n");
        }

        @Override
        protected void foundTerminator() throws Exception {
            if (readingHeaders) {
                readingHeaders = false;
                headers = text(getData());
                int length = 0;
                for (String line : headers.split("\r\n")) {
                    if (line.toLowerCase().startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).trim());
                    }
                }
                assertTrue(headers.startsWith("POST"));
                setTerminator(length);
                if (length == 0) {
                    handleRequest();
                }
            } else {
                assertEquals(0, getTerminator(), "a count terminator counts down to 0");
                handleRequest();
            }
        }

        void handleRequest() throws Exception {
            body = text(getData());
            setTerminator((byte[]) null);
            push(bytes("HTTP/1.0 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body));
            closeWhenDone();
        }
    }

    @Test
    void shouldTakeACountTerminatorAfterAStringOne() throws Exception {
        Socket[] p = pair();
        HttpHandler handler = new HttpHandler(p[0]);
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        boolean[] eof = new boolean[1];
        new Dispatcher(p[1], map) {
            @Override
            public boolean writable() {
                return false;
            }

            @Override
            public void handleRead() throws Exception {
                reply.writeBytes(recv(1000));
            }

            @Override
            public void handleClose() throws Exception {
                eof[0] = true;
                close();
            }
        };
        byte[] request = bytes("POST /form HTTP/1.0\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello\r\nbody");
        // Sent a few bytes at a time, so the count spans reads and the body holds a CRLF.
        for (int i = 0; i < request.length; i += 7) {
            p[1].send(ByteBuffer.wrap(request, i, Math.min(7, request.length - i)));
            Asyncore.loop(loop, 0.0, map, 1);
        }
        serveUntil(() -> eof[0]);
        assertEquals("hello\r\nbody", handler.body);
        assertEquals("HTTP/1.0 200 OK\r\nContent-Length: 11\r\n\r\nhello\r\nbody",
                reply.toString(StandardCharsets.ISO_8859_1));
        assertTrue(map.isEmpty());
    }

    @Test
    void shouldSendAProducerOfManyChunks() throws Exception {
        Socket[] p = pair();
        Chat chat = new Chat(p[0]);
        byte[] data = new byte[200_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i % 251);
        }
        int[] chunks = new int[1];
        SimpleProducer simple = new SimpleProducer(data, 100);
        chat.pushWithProducer(() -> {
            byte[] b = simple.more();
            if (b.length > 0) {
                chunks[0]++;
            }
            return b;
        });
        chat.push(bytes("END"));
        chat.closeWhenDone();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        boolean[] eof = new boolean[1];
        new Dispatcher(p[1], map) {
            @Override
            public boolean writable() {
                return false;
            }

            @Override
            public void handleRead() throws Exception {
                got.writeBytes(recv(65536));
            }

            @Override
            public void handleClose() throws Exception {
                eof[0] = true;
                close();
            }
        };
        serveUntil(() -> eof[0]);
        assertEquals(2000, chunks[0]);
        byte[] all = got.toByteArray();
        assertEquals(data.length + 3, all.length);
        assertArrayEquals(data, java.util.Arrays.copyOf(all, data.length));
        assertEquals("END", text(java.util.Arrays.copyOfRange(all, data.length, all.length)));
        assertTrue(chat.closed, "closeWhenDone closed the chat once everything was sent");
    }

    @Test
    void shouldCloseWhenThePeerClosesMidMessage() throws Exception {
        Socket[] p = pair();
        Chat chat = new Chat(p[0]);
        chat.setTerminator("\n");
        p[1].send(ByteBuffer.wrap(bytes("complete\npartial mess")));
        p[1].close();
        serveUntil(() -> chat.closed);
        assertEquals(List.of("complete"), chat.messages, "the partial message never ends");
        assertEquals("partial mess", text(chat.collected()));
        assertTrue(map.isEmpty());
    }

    @Test
    void shouldDiscardBuffersAndCheckTerminators() throws Exception {
        Socket[] p = pair();
        Chat chat = new Chat(p[0]);
        assertNull(chat.getTerminator());
        chat.setTerminator(5);
        assertEquals(5, chat.getTerminator());
        chat.setTerminator("ab");
        assertArrayEquals(bytes("ab"), (byte[]) chat.getTerminator());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> chat.setTerminator(-1));
        chat.push(bytes("queued"));
        chat.discardBuffers();
        assertFalse(chat.writable(), "nothing queued after discardBuffers");
    }
}
