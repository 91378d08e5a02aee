package io.jasyncio.internal.net;

import io.jasyncio.internal.natives.ClosedDescriptorException;
import io.jasyncio.internal.natives.SockAddr;
import io.jasyncio.internal.natives.SockCreate;
import io.jasyncio.internal.natives.SockIo;
import io.jasyncio.internal.natives.SockOpt;
import io.jasyncio.internal.natives.Sockets;

import java.io.Closeable;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectableChannel;

/**
 * Socket operations on a native non-blocking descriptor, through the C core. Direct buffers go
 * to the kernel by address; heap buffers are copied through a per-thread direct scratch buffer.
 * {@code MemorySegment.ofBuffer(b)} starts at {@code b}'s position already: its address is where
 * the bytes go or come from, with no position to add.
 *
 * <p>A descriptor taken from a JDK channel ({@link #adopt}) is closed by closing that channel,
 * so the JDK's own bookkeeping stays right.
 */
public final class FdSocketOps extends SocketOps {

    private static final int SCRATCH_SIZE = 256 * 1024;
    private static final int IOV_BATCH = 64;
    private static final ThreadLocal<ByteBuffer> SCRATCH =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(SCRATCH_SIZE));

    private final int fd;
    /** What closes the descriptor when it is not ours: the JDK channel it came from. */
    private final Closeable owner;
    private boolean closed;
    /** A sockaddr and, after it, its length word; allocated on first use. */
    private MemorySegment addressScratch;
    private final DirectAddresses addresses = new DirectAddresses();
    /** An iovec array for gathering writes; allocated on first use. */
    private MemorySegment iovs;

    private FdSocketOps(int fd, int family, int type, Closeable owner) {
        super(family, type);
        this.fd = fd;
        this.owner = owner;
    }

    /** Creates a non-blocking, close-on-exec socket. */
    public static FdSocketOps open(int family, int type) throws IOException {
        int fd = SockCreate.socket(nativeFamily(family), nativeType(type), 0);
        return new FdSocketOps(fd, family, type, null);
    }

    /** Wraps a descriptor this object will own (and close). It must be non-blocking. */
    public static FdSocketOps ofOwned(int fd, int family, int type) {
        return new FdSocketOps(fd, family, type, null);
    }

    /** Wraps a channel's descriptor; closing closes the channel. */
    public static FdSocketOps adopt(int fd, int family, int type, Closeable channel) {
        return new FdSocketOps(fd, family, type, channel);
    }

    /** Two connected Unix stream sockets. */
    public static FdSocketOps[] socketpair(int type) throws IOException {
        long pair = Sockets.socketpair(nativeType(type));
        return new FdSocketOps[] {
            new FdSocketOps(Sockets.firstFd(pair), UNIX, type, null),
            new FdSocketOps(Sockets.secondFd(pair), UNIX, type, null),
        };
    }

    static int nativeFamily(int family) {
        return switch (family) {
            case INET -> SockAddr.AF_INET;
            case INET6 -> SockAddr.AF_INET6;
            case UNIX -> SockAddr.AF_UNIX;
            default -> throw new IllegalArgumentException("unknown family " + family);
        };
    }

    static int nativeType(int type) {
        return switch (type) {
            case STREAM -> Sockets.SOCK_STREAM;
            case DGRAM -> Sockets.SOCK_DGRAM;
            default -> throw new IllegalArgumentException("unknown socket type " + type);
        };
    }

    @Override
    public int fd() {
        return fd;
    }

    @Override
    public SelectableChannel channel() {
        return null;
    }

    private void checkOpen(String call) throws ClosedDescriptorException {
        if (closed) {
            throw new ClosedDescriptorException(call + "(fd=" + fd + "): the socket is closed");
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        checkOpen("recv");
        int pos = dst.position();
        int room = dst.limit() - pos;
        if (dst.isDirect()) {
            int n = SockIo.recv(fd, addresses.at(dst), room, 0);
            if (n > 0) {
                dst.position(pos + n);
            }
            return n;
        }
        ByteBuffer scratch = SCRATCH.get().clear();
        int n = SockIo.recv(fd, addresses.at(scratch), Math.min(room, SCRATCH_SIZE), 0);
        if (n > 0) {
            dst.put(scratch.limit(n));
        }
        return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        checkOpen("send");
        int pos = src.position();
        int length = src.limit() - pos;
        if (length == 0) {
            return 0;
        }
        if (!src.isDirect()) {
            return writeHeap(src, pos, length);
        }
        int n = SockIo.send(fd, addresses.at(src), length, 0);
        if (n <= 0) {
            return 0;
        }
        src.position(pos + n);
        return n;
    }

    /** Buffers some of which are on the heap: copied one after another into the scratch buffer, one send. */
    private long gatherHeap(ByteBuffer[] srcs, int offset, int length) throws IOException {
        ByteBuffer scratch = SCRATCH.get();
        long scratchAddress = addresses.at(scratch.clear());
        int filled = 0;
        for (int i = 0; i < length && filled < SCRATCH_SIZE; i++) {
            ByteBuffer b = srcs[offset + i];
            int take = Math.min(b.remaining(), SCRATCH_SIZE - filled);
            scratch.put(filled, b, b.position(), take);
            filled += take;
        }
        if (filled == 0) {
            return 0;
        }
        int n = SockIo.send(fd, scratchAddress, filled, 0);
        if (n <= 0) {
            return 0;
        }
        long left = n;
        for (int i = 0; i < length && left > 0; i++) {
            ByteBuffer b = srcs[offset + i];
            int take = (int) Math.min(left, b.remaining());
            b.position(b.position() + take);
            left -= take;
        }
        return n;
    }

    /** A heap buffer goes through the scratch buffer, a chunk at a time, until the socket is full. */
    private int writeHeap(ByteBuffer src, int pos, int length) throws IOException {
        ByteBuffer scratch = SCRATCH.get();
        long scratchAddress = addresses.at(scratch.clear());
        int sent = 0;
        while (sent < length) {
            int chunk = Math.min(length - sent, SCRATCH_SIZE);
            scratch.put(0, src, pos + sent, chunk);
            int n = SockIo.send(fd, scratchAddress, chunk, 0);
            if (n <= 0) {
                break;
            }
            sent += n;
            if (n < chunk) {
                break;
            }
        }
        src.position(pos + sent);
        return sent;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        checkOpen("writev");
        int count = Math.min(length, Math.min(IOV_BATCH, SockIo.IOV_MAX));
        boolean allDirect = true;
        for (int i = 0; i < count; i++) {
            allDirect &= srcs[offset + i].isDirect();
        }
        if (!allDirect && count > 1) {
            return gatherHeap(srcs, offset, length);
        }
        if (count == 1) {
            long total = 0;
            for (int i = 0; i < length; i++) {
                ByteBuffer b = srcs[offset + i];
                int want = b.remaining();
                int n = write(b);
                total += n;
                if (n < want) {
                    break;
                }
            }
            return total;
        }
        if (iovs == null) {
            iovs = Arena.ofAuto().allocate((long) SockIo.IOV_SIZE * IOV_BATCH, 8);
        }
        for (int i = 0; i < count; i++) {
            ByteBuffer b = srcs[offset + i];
            SockIo.setIov(iovs, i, addresses.at(b), b.remaining());
        }
        int n = SockIo.writev(fd, iovs.address(), count);
        if (n <= 0) {
            return 0;
        }
        long left = n;
        for (int i = 0; i < count && left > 0; i++) {
            ByteBuffer b = srcs[offset + i];
            int take = (int) Math.min(left, b.remaining());
            b.position(b.position() + take);
            left -= take;
        }
        return n;
    }

    private MemorySegment addressScratch() {
        if (addressScratch == null) {
            addressScratch = Arena.ofAuto().allocate(SockAddr.STORAGE_SIZE + 8L, 8);
        }
        return addressScratch;
    }

    @Override
    public SocketOps accept() throws IOException {
        checkOpen("accept4");
        int client = SockCreate.accept(fd, 0, 0);
        if (client == SockCreate.WOULD_BLOCK) {
            return null;
        }
        return new FdSocketOps(client, family(), type(), null);
    }

    @Override
    public boolean connect(SocketAddress remote) throws IOException {
        checkOpen("connect");
        MemorySegment sa = addressScratch();
        int length = SockAddr.encode(remote, sa);
        return SockCreate.connect(fd, sa.address(), length);
    }

    @Override
    public void finishConnect() throws IOException {
        checkOpen("connect");
        SockCreate.finishConnect(fd);
    }

    @Override
    public void bind(SocketAddress local) throws IOException {
        checkOpen("bind");
        MemorySegment sa = addressScratch();
        int length = SockAddr.encode(local, sa);
        SockCreate.bind(fd, sa.address(), length);
    }

    @Override
    public void listen(int backlog) throws IOException {
        checkOpen("listen");
        SockCreate.listen(fd, backlog);
    }

    @Override
    public SocketAddress receive(ByteBuffer dst) throws IOException {
        checkOpen("recvfrom");
        MemorySegment sa = addressScratch();
        long lengthAddress = sa.address() + SockAddr.STORAGE_SIZE;
        sa.set(ValueLayout.JAVA_INT, SockAddr.STORAGE_SIZE, SockAddr.STORAGE_SIZE);
        int pos = dst.position();
        int room = dst.limit() - pos;
        int n;
        if (dst.isDirect()) {
            n = SockIo.recvfrom(fd, addresses.at(dst), room, 0, sa.address(), lengthAddress);
            if (n >= 0) {
                dst.position(pos + n);
            }
        } else {
            ByteBuffer scratch = SCRATCH.get().clear();
            n = SockIo.recvfrom(fd, addresses.at(scratch), Math.min(room, SCRATCH_SIZE), 0,
                    sa.address(), lengthAddress);
            if (n >= 0) {
                dst.put(scratch.limit(n));
            }
        }
        if (n == SockIo.WOULD_BLOCK) {
            return null;
        }
        int length = sa.get(ValueLayout.JAVA_INT, SockAddr.STORAGE_SIZE);
        if (length == 0) {
            // A connected Unix datagram peer with no name.
            return java.net.UnixDomainSocketAddress.of("");
        }
        return SockAddr.decode(sa, Math.min(length, SockAddr.STORAGE_SIZE));
    }

    @Override
    public int send(ByteBuffer src, SocketAddress target) throws IOException {
        checkOpen("sendto");
        long to = 0;
        int toLength = 0;
        if (target != null) {
            MemorySegment sa = addressScratch();
            toLength = SockAddr.encode(target, sa);
            to = sa.address();
        }
        int pos = src.position();
        int length = src.limit() - pos;
        int n;
        if (src.isDirect()) {
            n = SockIo.sendto(fd, addresses.at(src), length, 0, to, toLength);
        } else {
            ByteBuffer scratch = SCRATCH.get().clear();
            if (length > SCRATCH_SIZE) {
                ByteBuffer copy = ByteBuffer.allocateDirect(length);
                copy.put(0, src, pos, length);
                n = SockIo.sendto(fd, addresses.at(copy), length, 0, to, toLength);
            } else {
                scratch.put(0, src, pos, length);
                n = SockIo.sendto(fd, addresses.at(scratch), length, 0, to, toLength);
            }
        }
        if (n == SockIo.WOULD_BLOCK) {
            return 0;
        }
        src.position(pos + n);
        return n;
    }

    @Override
    public long sendfile(FileChannel file, long position, long count) throws IOException {
        checkOpen("sendfile");
        int fileFd = ChannelFds.fdOf(file);
        if (fileFd < 0) {
            return file.transferTo(position, count, new FdWritableChannel(this));
        }
        int n = SockIo.sendfile(fd, fileFd, position, (int) Math.min(count, 1 << 30));
        return n == SockIo.WOULD_BLOCK ? 0 : n;
    }

    /**
     * Sends part of the file open as {@code fileFd} with {@code sendfile(2)}: the bytes go from
     * the page cache to the socket without passing through user space.
     *
     * @return the bytes sent, 0 when the socket is full or the file ended
     */
    public long sendfile(int fileFd, long position, long count) throws IOException {
        checkOpen("sendfile");
        int n = SockIo.sendfile(fd, fileFd, position, (int) Math.min(count, 1 << 30));
        return n == SockIo.WOULD_BLOCK ? 0 : n;
    }

    @Override
    public void shutdownOutput() throws IOException {
        checkOpen("shutdown");
        Sockets.shutdown(fd, Sockets.SHUT_WR);
    }

    @Override
    public void shutdownInput() throws IOException {
        checkOpen("shutdown");
        Sockets.shutdown(fd, Sockets.SHUT_RD);
    }

    @Override
    public SocketAddress localAddress() throws IOException {
        checkOpen("getsockname");
        return ChannelFds.unmapped(SockCreate.localAddress(fd));
    }

    @Override
    public SocketAddress remoteAddress() throws IOException {
        checkOpen("getpeername");
        try {
            return ChannelFds.unmapped(SockCreate.remoteAddress(fd));
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains("ENOTCONN")) {
                return null;
            }
            throw e;
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> void setOption(SocketOption<T> name, T value) throws IOException {
        checkOpen("setsockopt");
        if (name == StandardSocketOptions.SO_LINGER) {
            SockOpt.setLinger(fd, (Integer) value);
            return;
        }
        int[] levelName = optionCode(name);
        int v = value instanceof Boolean b ? (b ? 1 : 0) : (Integer) value;
        SockOpt.setInt(fd, levelName[0], levelName[1], v);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getOption(SocketOption<T> name) throws IOException {
        checkOpen("getsockopt");
        if (name == StandardSocketOptions.SO_LINGER) {
            return (T) Integer.valueOf(SockOpt.getLinger(fd));
        }
        int[] levelName = optionCode(name);
        int v = SockOpt.getInt(fd, levelName[0], levelName[1]);
        if (name.type() == Boolean.class) {
            return (T) Boolean.valueOf(v != 0);
        }
        return (T) Integer.valueOf(v);
    }

    private int[] optionCode(SocketOption<?> name) {
        if (name == StandardSocketOptions.SO_REUSEADDR) {
            return new int[] {SockOpt.SOL_SOCKET, SockOpt.SO_REUSEADDR};
        } else if (name == StandardSocketOptions.SO_REUSEPORT) {
            return new int[] {SockOpt.SOL_SOCKET, SockOpt.SO_REUSEPORT};
        } else if (name == StandardSocketOptions.SO_KEEPALIVE) {
            return new int[] {SockOpt.SOL_SOCKET, SockOpt.SO_KEEPALIVE};
        } else if (name == StandardSocketOptions.SO_RCVBUF) {
            return new int[] {SockOpt.SOL_SOCKET, SockOpt.SO_RCVBUF};
        } else if (name == StandardSocketOptions.SO_SNDBUF) {
            return new int[] {SockOpt.SOL_SOCKET, SockOpt.SO_SNDBUF};
        } else if (name == StandardSocketOptions.SO_BROADCAST) {
            return new int[] {SockOpt.SOL_SOCKET, SockOpt.SO_BROADCAST};
        } else if (name == StandardSocketOptions.TCP_NODELAY) {
            return new int[] {SockOpt.IPPROTO_TCP, SockOpt.TCP_NODELAY};
        } else if (name == Ipv6Only.IPV6_V6ONLY) {
            return new int[] {SockOpt.IPPROTO_IPV6, SockOpt.IPV6_V6ONLY};
        }
        throw new UnsupportedOperationException("socket option " + name.name() + " is not supported");
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (owner != null) {
            owner.close();
        } else {
            Sockets.close(fd);
        }
    }

    @Override
    public String toString() {
        return "fd=" + fd + (closed ? " (closed)" : "");
    }
}
