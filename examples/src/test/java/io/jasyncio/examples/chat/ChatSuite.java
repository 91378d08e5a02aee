package io.jasyncio.examples.chat;

import io.jasyncio.Asyncio;
import io.jasyncio.SelectorEventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The chat room (SPEC 11) on real sockets: each row of the table, the limits (a stalled client,
 * a long line), 1 000 clients at once, the bundled client. Written once; each loop has a tiny
 * subclass ({@link ChatEpollTest}, {@link ChatNioTest}).
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
abstract class ChatSuite {
    private ChatServerRunner server;
    private final List<ChatPeer> peers = new ArrayList<>();

    abstract SelectorEventLoop.Backend backend();

    @BeforeEach
    void startServer() throws Exception {
        assumeTrue(backend().isAvailable(), backend() + " is not available here");
        server = new ChatServerRunner(backend());
    }

    @AfterEach
    void stopServer() throws Exception {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            for (ChatPeer p : peers) {
                p.close();
            }
        }
    }

    private ChatPeer join(String nick) throws Exception {
        ChatPeer p = ChatPeer.join(server.address, nick);
        peers.add(p);
        return p;
    }

    private ChatPeer connect(String name) throws Exception {
        ChatPeer p = ChatPeer.connect(server.address, name);
        peers.add(p);
        return p;
    }

    @Test
    void threeClientsInTwoRoomsSeeExactlyTheAnnouncedLines() throws Exception {
        ChatPeer alice = join("alice");
        ChatPeer bob = join("bob");
        alice.expect("* bob joined lobby");
        ChatPeer carol = join("carol");
        alice.expect("* carol joined lobby");
        bob.expect("* carol joined lobby");

        carol.send("/join games");
        carol.expect("* carol joined games");
        alice.expect("* carol left lobby");
        bob.expect("* carol left lobby");

        alice.send("hello lobby");
        bob.expect("[lobby] alice: hello lobby");
        carol.send("anyone here?");
        bob.send("/nick bobby");
        alice.expect("* bob is now bobby");
        bob.expect("* bob is now bobby");
        bob.send("hi from bobby");
        alice.expect("[lobby] bobby: hi from bobby");

        alice.send("/join games");
        alice.expect("* alice joined games");
        carol.expect("* alice joined games");
        bob.expect("* alice left lobby");
        carol.send("welcome\talice");
        alice.expect("[games] carol: welcome\talice");

        carol.send("/quit");
        carol.expect("* bye");
        carol.expectEof();
        alice.expect("* carol left games");

        alice.send("/rooms");
        alice.expect("* rooms: games (1), lobby (1)");
        for (ChatPeer p : List.of(alice, bob)) {
            p.expectNothingMore();
        }
    }

    @Test
    void duplicateAndInvalidNicksAreRefused() throws Exception {
        ChatPeer first = join("dup");
        ChatPeer other = connect("other");
        other.send("hello");
        other.expect("! set a nick first");
        other.send("/who");
        other.expect("! set a nick first");
        other.send("/join games");
        other.expect("! set a nick first");
        other.send("");
        other.expect("! set a nick first");
        other.send("/nick dup");
        other.expect("! nick taken");
        for (String bad : new String[] {"/nick", "/nick ", "/nick two words", "/nick bad!", "/nick caf\u00e9",
                "/nick " + "x".repeat(33), "/nick a.b"}) {
            other.send(bad);
            other.expect("! invalid nick");
        }
        other.send("/nick " + "A_b-9".repeat(6) + "zz"); // 32 characters: the longest allowed
        other.expect("* " + "A_b-9".repeat(6) + "zz joined lobby");
        first.expect("* " + "A_b-9".repeat(6) + "zz joined lobby");
        other.send("/nick dup");
        other.expect("! nick taken");
        other.send("/join bad room");
        other.expect("! invalid room");
        other.send("/frobnicate");
        other.expect("! unknown command");
        first.expectNothingMore();
        other.expectNothingMore();
    }

    @Test
    void privateMessagesReachOnlyTheirTarget() throws Exception {
        ChatPeer ann = join("ann");
        ChatPeer ben = join("ben");
        ann.expect("* ben joined lobby");
        ChatPeer cat = join("cat");
        ann.expect("* cat joined lobby");
        ben.expect("* cat joined lobby");
        cat.send("/join elsewhere");
        cat.expect("* cat joined elsewhere");
        ann.expect("* cat left lobby");
        ben.expect("* cat left lobby");

        ann.send("/msg cat psst, only you");
        cat.expect("[private] ann: psst, only you");
        ann.send("/msg ben  two spaces kept");
        ben.expect("[private] ann:  two spaces kept");
        ann.send("/msg nobody hello?");
        ann.expect("! no such nick");
        ann.send("/msg");
        ann.expect("! no such nick");
        for (ChatPeer p : List.of(ann, ben, cat)) {
            p.expectNothingMore();
        }
    }

    @Test
    void whoAndRoomsAreSorted() throws Exception {
        ChatPeer zed = join("zed");
        ChatPeer amy = join("amy");
        zed.expect("* amy joined lobby");
        ChatPeer mike = join("Mike");
        zed.expect("* Mike joined lobby");
        amy.expect("* Mike joined lobby");
        ChatPeer bo = join("bo");
        for (ChatPeer p : List.of(zed, amy, mike)) {
            p.expect("* bo joined lobby");
        }
        bo.send("/join zoo");
        bo.expect("* bo joined zoo");
        mike.expect("* bo left lobby");
        mike.send("/join games");
        mike.expect("* Mike joined games");
        for (ChatPeer p : List.of(zed, amy)) {
            p.expect("* bo left lobby", "* Mike left lobby");
        }
        zed.send("/who");
        zed.expect("* in lobby: amy, zed");
        zed.send("/rooms");
        zed.expect("* rooms: games (1), lobby (2), zoo (1)");
        mike.send("/join lobby");
        mike.expect("* Mike joined lobby");
        zed.expect("* Mike joined lobby");
        amy.expect("* Mike joined lobby");
        amy.send("/who");
        amy.expect("* in lobby: Mike, amy, zed"); // String order: capitals first
        amy.send("/rooms");
        amy.expect("* rooms: lobby (3), zoo (1)"); // games is empty: gone
        for (ChatPeer p : List.of(zed, amy, mike, bo)) {
            p.expectNothingMore();
        }
    }

    @Test
    void aStalledClientIsDroppedAndTheOthersKeepGoing() throws Exception {
        // The stalled client never reads; a small receive buffer keeps the kernel from holding
        // megabytes for it, so the server's own buffer for it grows.
        ChatPeer stalled = ChatPeer.connectQuietly(server.address, "stalled", 4096);
        peers.add(stalled);
        stalled.expect("* welcome, set a nick with /nick NAME");
        stalled.send("/nick stalled");
        stalled.expect("* stalled joined lobby");
        ChatPeer sender = join("sender");
        ChatPeer reader = join("reader");
        sender.expect("* reader joined lobby");
        stalled.send("/who"); // its last words: the lines it never reads start with these
        List<String> before = List.of("* sender joined lobby", "* reader joined lobby", "* in lobby: reader, sender, stalled");

        String text = "x".repeat(4000);
        int lines = 10 * 1024 * 1024 / text.length() + 1; // 10 MiB
        String expected = "[lobby] sender: " + text;
        // The sender keeps at most 64 lines (256 KiB) ahead of the reader: the reader is never
        // far enough behind to be dropped itself, however slowly this machine runs its thread.
        Semaphore window = new Semaphore(64);
        CompletableFuture<List<String>> readerSaw = CompletableFuture.supplyAsync(() -> {
            List<String> other = new ArrayList<>();
            try {
                int got = 0;
                while (got < lines) {
                    String line = reader.readLine();
                    if (expected.equals(line)) {
                        got++;
                        window.release();
                    } else {
                        other.add(line);
                        if (line == null) {
                            break;
                        }
                    }
                }
                other.add("messages: " + got);
                return other;
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }, Thread.ofPlatform().name("reader")::start);
        CompletableFuture<String> senderSaw = CompletableFuture.supplyAsync(() -> {
            try {
                return sender.readLine();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }, Thread.ofPlatform().name("sender-reads")::start);
        byte[] one = (text + "\n").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < lines; i++) {
            assertTrue(window.tryAcquire(60, TimeUnit.SECONDS), "the reader stopped receiving after " + i + " lines");
            sender.sendRaw(one);
        }
        assertEquals(List.of("* stalled left lobby", "messages: " + lines), readerSaw.get(60, TimeUnit.SECONDS));
        assertEquals("* stalled left lobby", senderSaw.get(60, TimeUnit.SECONDS));
        sender.send("/who");
        sender.expect("* in lobby: reader, sender");
        // What the stalled client gets: the lines before the flood...
        for (String line : before) {
            stalled.expect(line);
        }
        // Then what the kernel held for it, cut off anywhere (the server aborts the connection),
        // then the end of the stream: far less than what was sent.
        byte[] rest = stalled.readRest();
        assertTrue(rest.length < (long) lines * expected.length(), rest.length + " bytes reached the stalled client");
        byte[] all = (expected + "\n").repeat(rest.length / (expected.length() + 1) + 1).getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(Arrays.copyOf(all, rest.length), rest, "the stalled client's lines");
        reader.expectNothingMore();
    }

    @Test
    void aThousandClientsConnectedAtOnceEachReceiveABroadcast() throws Exception {
        int n = 1000;
        ChatPeer first = join("u0");
        List<ChatPeer> rest = new ArrayList<>();
        for (int i = 1; i < n; i++) {
            ChatPeer p = ChatPeer.connectQuietly(server.address, "u" + i, 0);
            peers.add(p);
            rest.add(p);
            p.send("/nick u" + i);
        }
        Set<String> joined = new HashSet<>();
        while (joined.size() < n - 1) {
            String line = first.readLine();
            assertTrue(line != null && line.matches("\\* u\\d+ joined lobby"), "u0 got: " + line);
            joined.add(line);
        }
        first.send("hello, all " + (n - 1));
        String broadcast = "[lobby] u0: hello, all " + (n - 1);
        for (ChatPeer p : rest) {
            String line;
            do {
                line = p.readLine();
                assertTrue(line != null, p.name + " reached the end of its stream");
            } while (!line.equals(broadcast));
        }
        first.send("/rooms");
        first.expect("* rooms: lobby (" + n + ")");
    }

    @Test
    void aLineOver4096BytesIsRefusedAndTheConnectionClosed() throws Exception {
        ChatPeer listener = join("listener");
        ChatPeer talker = join("talker");
        listener.expect("* talker joined lobby");
        String max = "y".repeat(4096);
        talker.send(max);
        listener.expect("[lobby] talker: " + max);
        talker.sendRaw((max + "\r\n").getBytes(StandardCharsets.UTF_8)); // the \r is not counted
        listener.expect("[lobby] talker: " + max);
        talker.send("z".repeat(4097));
        talker.expect("! line too long");
        talker.expectEof();
        listener.expect("* talker left lobby");

        ChatPeer big = join("big");
        listener.expect("* big joined lobby");
        big.sendRaw(("w".repeat(100_000) + "\n").getBytes(StandardCharsets.UTF_8));
        big.expect("! line too long");
        big.expectEof();
        listener.expect("* big left lobby");
        listener.expectNothingMore();
    }

    @Test
    void invalidUtf8IsReplacedAndControlCharactersRemoved() throws Exception {
        ChatPeer listener = join("listener");
        ChatPeer talker = join("talker");
        listener.expect("* talker joined lobby");
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.writeBytes("caf".getBytes(StandardCharsets.US_ASCII));
        raw.write(0xff); // never valid in UTF-8
        raw.writeBytes("\u001b[2K\r[lobby] admin: fake\u0000\u007f\u0085 tab\there \u00e9\u2713".getBytes(StandardCharsets.UTF_8));
        raw.write('\n');
        talker.sendRaw(raw.toByteArray());
        byte[] got = listener.readLineBytes();
        assertArrayEquals(("[lobby] talker: caf\ufffd[2K[lobby] admin: fake tab\there \u00e9\u2713")
                .getBytes(StandardCharsets.UTF_8), got, new String(got, StandardCharsets.UTF_8));
        talker.sendRaw(new byte[] {(byte) 0xc3, '\n'}); // a truncated sequence
        listener.expect("[lobby] talker: \ufffd");
        talker.send("\u0007\u0008"); // nothing left: an empty line, ignored
        listener.expectNothingMore();
        talker.expectNothingMore();
    }

    @Test
    void theServerShutsDownTellingEveryClient() throws Exception {
        ChatPeer named = join("named");
        ChatPeer anonymous = connect("anonymous");
        server.chat.stop();
        named.expect("* server shutting down");
        named.expectEof();
        anonymous.expect("* server shutting down");
        anonymous.expectEof();
    }

    @Test
    void theBundledClientTalksAndQuitsAtTheEndOfItsInput() throws Exception {
        ChatPeer watcher = join("watcher");
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        byte[] typed = "/nick typist\nhello from the client\n".getBytes(StandardCharsets.UTF_8);
        Asyncio.run(() -> {
            ChatClient.talk("127.0.0.1", server.address.getPort(), new ByteArrayInputStream(typed),
                    new PrintStream(screen, true, StandardCharsets.UTF_8));
            return null;
        }, null, () -> new SelectorEventLoop(backend()));
        // At the end of its input the client sent /quit and ended when the server closed.
        assertEquals(List.of("* welcome, set a nick with /nick NAME", "* typist joined lobby", "* bye"),
                Arrays.asList(screen.toString(StandardCharsets.UTF_8).split("\n")));
        watcher.expect("* typist joined lobby", "[lobby] typist: hello from the client", "* typist left lobby");
        watcher.expectNothingMore();
    }
}
