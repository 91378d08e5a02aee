import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The chat server's broadcast fan-out under load (bench/chat-fanout.sh runs it): CLIENTS clients
 * join the lobby, one of them sends MESSAGES lines per round, and a round ends when every other
 * client has received all of them. Prints broadcasts per second (one line to CLIENTS - 1
 * clients) and line deliveries per second, per round and the median.
 *
 * The load generator is plain JDK NIO on one thread (nothing of jasyncio), run as a source file:
 *   java ChatFanoutLoad.java HOST PORT CLIENTS MESSAGES ROUNDS
 * On a small machine it shares the cores with the server: compare runs of one machine only.
 */
public final class ChatFanoutLoad {

    /** One client: its channel and the line it is assembling. */
    private static final class Client {
        final SocketChannel ch;
        final byte[] line = new byte[8192];
        int len;
        int received; // this round's broadcast lines

        Client(SocketChannel ch) {
            this.ch = ch;
        }
    }

    private static final byte[] PREFIX = "[lobby] c0: r".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int clients = Integer.parseInt(args[2]);
        int messages = Integer.parseInt(args[3]);
        int rounds = Integer.parseInt(args[4]);
        InetSocketAddress server = new InetSocketAddress(host, port);

        List<Client> all = new ArrayList<>();
        Selector selector = Selector.open();
        for (int i = 0; i < clients; i++) {
            SocketChannel ch = SocketChannel.open(server);
            ch.write(ByteBuffer.wrap(("/nick c" + i + "\n").getBytes(StandardCharsets.US_ASCII)));
            ch.configureBlocking(false);
            Client c = new Client(ch);
            ch.register(selector, SelectionKey.OP_READ, c);
            all.add(c);
        }
        // Every client has joined once /rooms, asked by c0, counts them all (the nicks are sent
        // before the channels go non-blocking; the server handles them in any order).
        Client sender = all.getFirst();
        String full = "* rooms: lobby (" + clients + ")";
        long deadline = System.nanoTime() + 120_000_000_000L;
        boolean joined = false;
        while (!joined) {
            sender.ch.write(ByteBuffer.wrap("/rooms\n".getBytes(StandardCharsets.US_ASCII)));
            long until = System.nanoTime() + 200_000_000L;
            while (!joined && System.nanoTime() < until) {
                joined = pump(selector, full);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the clients did not all join within 120 s");
            }
        }
        double[] rates = new double[rounds];
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        for (int r = 0; r < rounds; r++) {
            for (Client c : all) {
                c.received = 0;
            }
            StringBuilder burst = new StringBuilder();
            for (int m = 0; m < messages; m++) {
                burst.append('r').append(r).append(" message ").append(m).append('\n');
            }
            ByteBuffer out = ByteBuffer.wrap(burst.toString().getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            int done = 0;
            sender.ch.register(selector, SelectionKey.OP_READ | SelectionKey.OP_WRITE, sender);
            while (done < clients - 1) {
                if (out.hasRemaining() && sender.ch.write(out) >= 0 && !out.hasRemaining()) {
                    sender.ch.register(selector, SelectionKey.OP_READ, sender);
                }
                selector.select(1000);
                for (SelectionKey k : selector.selectedKeys()) {
                    Client c = (Client) k.attachment();
                    if (!k.isReadable()) {
                        continue;
                    }
                    buf.clear();
                    int n = c.ch.read(buf);
                    if (n < 0) {
                        throw new IOException("the server closed a client's connection");
                    }
                    for (int i = 0; i < n; i++) {
                        byte b = buf.get(i);
                        if (b == '\n') {
                            if (c != sender && startsWith(c, r) && ++c.received == messages) {
                                done++;
                            }
                            c.len = 0;
                        } else if (c.len < c.line.length) {
                            c.line[c.len++] = b;
                        }
                    }
                }
                selector.selectedKeys().clear();
                if (System.nanoTime() - start > 300_000_000_000L) {
                    throw new IllegalStateException("round " + r + " did not end within 300 s");
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            rates[r] = messages / seconds;
            System.out.printf("round %d: %d broadcasts to %d clients in %.3f s: %.0f broadcasts/s, %.0f deliveries/s%n",
                    r + 1, messages, clients - 1, seconds, rates[r], rates[r] * (clients - 1));
        }
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        double median = sorted[rounds / 2];
        System.out.printf("median: %.0f broadcasts/s (one line to %d clients), %.0f line deliveries/s%n",
                median, clients - 1, median * (clients - 1));
        for (Client c : all) {
            c.ch.close();
        }
    }

    /** Whether the client's line is one of round r's broadcasts: "[lobby] c0: r<r> ...". */
    private static boolean startsWith(Client c, int r) {
        if (c.len < PREFIX.length) {
            return false;
        }
        for (int i = 0; i < PREFIX.length; i++) {
            if (c.line[i] != PREFIX[i]) {
                return false;
            }
        }
        String round = Integer.toString(r);
        int i = PREFIX.length;
        for (int k = 0; k < round.length(); k++, i++) {
            if (i >= c.len || c.line[i] != round.charAt(k)) {
                return false;
            }
        }
        return i < c.len && c.line[i] == ' ';
    }

    /** Reads what is there (drops it) and tells whether a line equal to {@code wanted} came. */
    private static boolean pump(Selector selector, String wanted) throws IOException {
        boolean seen = false;
        selector.select(50);
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        for (SelectionKey k : selector.selectedKeys()) {
            Client c = (Client) k.attachment();
            buf.clear();
            int n = c.ch.read(buf);
            if (n < 0) {
                throw new IOException("the server closed a client's connection");
            }
            for (int i = 0; i < n; i++) {
                byte b = buf.get(i);
                if (b == '\n') {
                    if (new String(c.line, 0, c.len, StandardCharsets.UTF_8).equals(wanted)) {
                        seen = true;
                    }
                    c.len = 0;
                } else if (c.len < c.line.length) {
                    c.line[c.len++] = b;
                }
            }
        }
        selector.selectedKeys().clear();
        return seen;
    }
}
