package io.jasyncio.examples.chat;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.LimitOverrunException;
import io.jasyncio.SelectorEventLoop;
import io.jasyncio.Server;
import io.jasyncio.ServerOptions;
import io.jasyncio.StreamReader;
import io.jasyncio.StreamWriter;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The chat room's server (SPEC 11): line-based UTF-8 over TCP, so {@code nc HOST PORT} is a
 * client. Nicknames, rooms, private messages, join and leave announcements.
 *
 * <pre>examples/chat server [--host HOST] [--port PORT] [--loop epoll|nio]</pre>
 *
 * <h2>How it is written: a jasyncio server in one page</h2>
 * <ul>
 * <li>Each connection is one task ({@link #handle}): it reads a line, acts on it, and reads the
 *     next. Its whole state is local variables and one {@link Member}.</li>
 * <li>The shared state (who is connected, the nicknames, the rooms) is plain {@code HashMap}s
 *     with no lock: every task runs on the loop's thread, and nothing else runs between two
 *     awaits, so no task can see another's half-done change. The only awaits are the
 *     {@code readline} at the top of each task's loop and the shutdown's waits.</li>
 * <li>Sending never awaits. A broadcast writes the line to each member's transport, which sends
 *     what the socket takes at once and buffers the rest; awaiting {@code drain()} there would let
 *     one client that does not read stall the whole room. Instead each write checks that client's
 *     unsent output ({@code getWriteBufferSize()}) and drops the client once it passes 1 MiB.
 *     Its own task then sees the end of its stream and announces that it left.</li>
 * <li>Lines are limited by the reader ({@code ServerOptions.limit}): a line too long is never
 *     buffered whole.</li>
 * <li>Shutdown is an event: SIGINT or SIGTERM (a loop signal handler) completes a future the main
 *     task awaits; it stops accepting, tells every client, closes them, and waits (bounded) until
 *     they are gone.</li>
 * </ul>
 *
 * <p>Choices the table of SPEC 11 leaves open: an empty line from a named client is ignored;
 * {@code /join} of a name that breaks the rule gets {@code ! invalid room}; {@code /join} of the
 * room one is in and {@code /nick} of one's own name change nothing and send nothing; names are
 * case-sensitive; a client dropped, closed or gone for any reason is announced as
 * {@code * NAME left ROOM}, except during shutdown.
 *
 * <p>Not thread safe, like everything on a loop: use it on its loop's thread, but
 * {@link #stop()}, which any thread may call.
 */
public final class ChatServer {

    /** The room every named client starts in. */
    public static final String LOBBY = "lobby";
    /** The longest line accepted, in bytes, without its {@code \n} (and a {@code \r} before it). */
    public static final int MAX_LINE_BYTES = 4096;
    /** A client whose unsent output passes this many bytes is dropped. */
    public static final long MAX_UNSENT_BYTES = 1024 * 1024;
    /** How long the shutdown lets clients take the last line before they are cut off. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);
    /**
     * How long a connection the server ends ({@code /quit}, a line too long) may go on sending
     * before it is cut off: see {@link #closeGracefully}.
     */
    static final Duration CLOSE_LINGER = Duration.ofSeconds(2);

    /** Nicknames and room names: 1 to 32 letters, digits, {@code _} or {@code -}. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    /** One connection: its writer, and once it has a nick, the nick and room. */
    private static final class Member {
        final StreamWriter writer;
        String nick;
        String room;
        /** Dropped or closing: nothing more is sent to it. */
        boolean gone;

        Member(StreamWriter writer) {
            this.writer = writer;
        }
    }

    private final Set<Member> connected = new LinkedHashSet<>();
    private final Map<String, Member> byNick = new HashMap<>();
    /** Room name to its members, rooms in name order; a room exists while someone is in it. */
    private final Map<String, Set<Member>> rooms = new TreeMap<>();
    private EventLoop loop;
    private Server server;
    private Future<Void> stopRequested;
    private boolean shuttingDown;

    /** A server not started yet: see {@link #serve}. */
    public ChatServer() {
    }

    // ---- running it ----

    /**
     * Runs a server until {@link #stop()} (or SIGINT/SIGTERM when {@code handleSignals}): starts
     * listening, tells {@code onListening} where, then serves. Call it in a task.
     *
     * @param host the address to listen on
     * @param port the port; 0 for any free one
     * @param handleSignals whether SIGINT and SIGTERM stop the server
     * @param onListening told the address once the server accepts connections (on the loop's thread)
     * @throws Exception if the server cannot listen ({@link java.net.BindException} for a port in use)
     */
    public void serve(String host, int port, boolean handleSignals, Consumer<InetSocketAddress> onListening)
            throws Exception {
        loop = Asyncio.getRunningLoop();
        stopRequested = loop.createFuture();
        // limit: a line of MAX_LINE_BYTES, a \r and the \n fits; one byte more cannot (readline
        // raises LimitOverrunException and discards the rest of the line).
        server = Asyncio.startServer(this::handle,
                ServerOptions.on(host, port).limit(MAX_LINE_BYTES + 1)).await();
        List<String> handled = new ArrayList<>();
        if (handleSignals) {
            for (String signal : new String[] {"INT", "TERM"}) {
                try {
                    loop.addSignalHandler(signal, this::stop);
                    handled.add(signal);
                } catch (IllegalStateException e) {
                    // The JVM was started with the signal ignored (a background job of a script
                    // ignores SIGINT): it stays ignored, and the other one still stops the server.
                }
            }
        }
        try {
            onListening.accept((InetSocketAddress) server.sockets().getFirst().localAddress());
            stopRequested.await();
        } finally {
            for (String signal : handled) {
                loop.removeSignalHandler(signal);
            }
            shutdown();
        }
    }

    /** Asks the server to shut down; any thread may call it, any number of times. */
    public void stop() {
        EventLoop l = loop;
        if (l != null && !l.isClosed()) {
            l.callSoonThreadsafe(() -> {
                if (!stopRequested.done()) {
                    stopRequested.setResult(null);
                }
            });
        }
    }

    /** Stops accepting, says goodbye to everyone, closes them and waits until they are gone. */
    private void shutdown() throws Exception {
        shuttingDown = true;
        server.close();
        byte[] bye = line("* server shutting down");
        for (Member m : List.copyOf(connected)) {
            send(m, bye);
            m.gone = true;
            m.writer.close();
        }
        try {
            Asyncio.waitFor(server.waitClosed(), SHUTDOWN_GRACE).await();
        } catch (TimeoutException e) {
            // A client that does not read keeps its last lines buffered: cut it off.
            server.abortClients();
            server.waitClosed().await();
        }
    }

    // ---- one connection ----

    /** Serves one connection, as a task of its own, until it ends. */
    private void handle(StreamReader reader, StreamWriter writer) throws Exception {
        Member me = new Member(writer);
        connected.add(me);
        boolean serverEnds = false;
        try {
            send(me, line("* welcome, set a nick with /nick NAME"));
            while (!me.gone) {
                byte[] raw;
                try {
                    raw = reader.readline().await();
                } catch (LimitOverrunException e) {
                    send(me, line("! line too long"));
                    serverEnds = true;
                    break;
                }
                if (raw.length == 0) {
                    break; // end of stream: the client left, or was dropped
                }
                int end = raw.length;
                if (raw[end - 1] == '\n') {
                    end--;
                }
                if (end > 0 && raw[end - 1] == '\r') {
                    end--;
                }
                if (end > MAX_LINE_BYTES) {
                    send(me, line("! line too long"));
                    serverEnds = true;
                    break;
                }
                // new String replaces invalid UTF-8 with U+FFFD.
                String text = removeControls(new String(raw, 0, end, StandardCharsets.UTF_8));
                if (!onLine(me, text)) {
                    serverEnds = true;
                    break;
                }
            }
        } catch (IOException e) {
            // the connection broke (reset): the client is gone, as at the end of its stream
        } finally {
            connected.remove(me);
            leave(me);
        }
        if (serverEnds && !me.gone) {
            me.gone = true;
            closeGracefully(reader, writer);
        }
        writer.close();
    }

    /**
     * Ends a connection the server chose to end so that its last line arrives. Closing a socket
     * whose input was not all read makes the kernel send a reset, and the client may then lose
     * what it had not read yet ({@code * bye}, {@code ! line too long}). So: send the end of
     * stream, read and drop what the client still sends until it closes its side, for at most
     * {@link #CLOSE_LINGER}, then close.
     */
    private static void closeGracefully(StreamReader reader, StreamWriter writer) throws Exception {
        writer.writeEof();
        try {
            Asyncio.timeout(CLOSE_LINGER, () -> {
                while (reader.read(64 * 1024).await().length > 0) {
                    // dropped
                }
                return null;
            });
        } catch (TimeoutException | IOException e) {
            // it went on sending, or the connection broke: close it anyway
        }
    }

    /**
     * Acts on one line.
     *
     * @return false when the connection is to end ({@code /quit})
     */
    private boolean onLine(Member me, String text) {
        String command = text;
        String arg = "";
        if (text.startsWith("/")) {
            int space = text.indexOf(' ');
            if (space >= 0) {
                command = text.substring(0, space);
                arg = text.substring(space + 1);
            }
        } else {
            command = null;
        }
        if ("/quit".equals(command)) {
            send(me, line("* bye"));
            return false;
        }
        if ("/nick".equals(command)) {
            setNick(me, arg.strip());
            return true;
        }
        if (me.nick == null) {
            send(me, line("! set a nick first"));
            return true;
        }
        if (command == null) {
            if (!text.isEmpty()) {
                broadcast(me.room, me, line("[" + me.room + "] " + me.nick + ": " + text));
            }
            return true;
        }
        switch (command) {
            case "/join" -> join(me, arg.strip());
            case "/msg" -> privateMessage(me, arg);
            case "/who" -> who(me);
            case "/rooms" -> listRooms(me);
            default -> send(me, line("! unknown command"));
        }
        return true;
    }

    private void setNick(Member me, String nick) {
        if (!NAME.matcher(nick).matches()) {
            send(me, line("! invalid nick"));
            return;
        }
        if (nick.equals(me.nick)) {
            return;
        }
        if (byNick.containsKey(nick)) {
            send(me, line("! nick taken"));
            return;
        }
        String old = me.nick;
        if (old != null) {
            byNick.remove(old);
        }
        me.nick = nick;
        byNick.put(nick, me);
        if (old == null) {
            enter(me, LOBBY);
        } else {
            broadcast(me.room, null, line("* " + old + " is now " + nick));
        }
    }

    private void join(Member me, String room) {
        if (!NAME.matcher(room).matches()) {
            send(me, line("! invalid room"));
            return;
        }
        if (room.equals(me.room)) {
            return;
        }
        exit(me);
        enter(me, room);
    }

    private void privateMessage(Member me, String arg) {
        int space = arg.indexOf(' ');
        String nick = space >= 0 ? arg.substring(0, space) : arg;
        String text = space >= 0 ? arg.substring(space + 1) : "";
        Member target = byNick.get(nick);
        if (target == null) {
            send(me, line("! no such nick"));
            return;
        }
        send(target, line("[private] " + me.nick + ": " + text));
    }

    private void who(Member me) {
        List<String> nicks = new ArrayList<>();
        for (Member m : rooms.get(me.room)) {
            nicks.add(m.nick);
        }
        nicks.sort(null);
        send(me, line("* in " + me.room + ": " + String.join(", ", nicks)));
    }

    private void listRooms(Member me) {
        List<String> parts = new ArrayList<>();
        rooms.forEach((name, members) -> parts.add(name + " (" + members.size() + ")"));
        send(me, line("* rooms: " + String.join(", ", parts)));
    }

    // ---- rooms ----

    private void enter(Member me, String room) {
        me.room = room;
        rooms.computeIfAbsent(room, r -> new LinkedHashSet<>()).add(me);
        broadcast(room, null, line("* " + me.nick + " joined " + room));
    }

    /** Takes {@code me} out of its room and tells the room. */
    private void exit(Member me) {
        String room = me.room;
        Set<Member> members = rooms.get(room);
        members.remove(me);
        if (members.isEmpty()) {
            rooms.remove(room);
        }
        me.room = null;
        if (!shuttingDown) {
            broadcast(room, null, line("* " + me.nick + " left " + room));
        }
    }

    /** The connection has ended: frees its nick and leaves its room. */
    private void leave(Member me) {
        if (me.nick == null) {
            return;
        }
        exit(me);
        byNick.remove(me.nick);
        me.nick = null;
    }

    // ---- sending ----

    /** Sends {@code line} to everyone in {@code room} except {@code except} (null: no one). */
    private void broadcast(String room, Member except, byte[] line) {
        Set<Member> members = rooms.get(room);
        if (members == null) {
            return;
        }
        for (Member m : members) {
            if (m != except) {
                send(m, line);
            }
        }
    }

    /**
     * Queues {@code line} for {@code m} without waiting, and drops {@code m} when its unsent
     * output passes {@link #MAX_UNSENT_BYTES}. Dropping aborts the transport; it changes no
     * room, so a broadcast may go on iterating: {@code m}'s own task announces that it left.
     */
    private void send(Member m, byte[] line) {
        if (m.gone) {
            return;
        }
        if (m.writer.isClosing()) {
            // The connection is lost (its task has not run its end yet): nothing can be sent.
            m.gone = true;
            return;
        }
        m.writer.write(line);
        if (m.writer.transport().getWriteBufferSize() > MAX_UNSENT_BYTES) {
            m.gone = true;
            m.writer.transport().abort();
        }
    }

    private static byte[] line(String text) {
        return (text + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Removes control characters (Unicode's {@code Cc}: C0, DEL and C1) but tab, so that no client
     * can move the cursor or fake another client's line on a terminal.
     */
    static String removeControls(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = Character.isISOControl(c) && c != '\t';
            if (control && out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            } else if (!control && out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    // ---- the program ----

    /**
     * Runs the server until SIGINT or SIGTERM; exit status 0 then, 1 if it cannot listen, 2 for a
     * bad command line. It prints one line when it listens:
     * {@code chat server listening on HOST:PORT (LOOP loop)}.
     *
     * @param args {@code [--host HOST] [--port PORT] [--loop epoll|nio]}
     */
    public static void main(String[] args) {
        ChatOptions options;
        try {
            options = ChatOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("chat server: " + e.getMessage());
            System.err.println("usage: examples/chat server " + ChatOptions.USAGE_OPTIONS);
            System.exit(2);
            return;
        }
        try {
            Asyncio.run(() -> {
                String loopName = ((SelectorEventLoop) Asyncio.getRunningLoop()).backend().name().toLowerCase();
                new ChatServer().serve(options.host(), options.port(), true, address -> {
                    System.out.println("chat server listening on " + address.getHostString() + ":"
                            + address.getPort() + " (" + loopName + " loop)");
                    System.out.flush();
                });
                System.out.println("chat server stopped");
                return null;
            }, null, options.loopFactory());
        } catch (Exception e) {
            // Asyncio.run rethrows main's exception as it is: a BindException, an unknown host...
            System.err.println("chat server: cannot serve on " + options.host() + ":" + options.port() + ": " + e);
            System.exit(1);
        }
    }
}
