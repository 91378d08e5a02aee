package io.jasyncio.internal.net;

import io.jasyncio.internal.natives.NativeLibrary;
import io.jasyncio.internal.natives.SockCreate;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.SocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Finds the native descriptor under a JDK channel, which the JDK does not hand out. Two ways:
 * the JDK's internal {@code SelChImpl.getFDVal()} when {@code java.base/sun.nio.ch} is exported to
 * jasyncio (one call), else a scan of {@code /proc/self/fd} for the one socket whose local and
 * peer addresses are the channel's (one {@code getsockname}/{@code getpeername} per open socket,
 * once per channel). A channel the scan cannot tell apart (unbound, or sharing its addresses with
 * another socket) has no known descriptor.
 */
public final class ChannelFds {

    private static final MethodHandle GET_FD_VAL = findGetFdVal();

    private ChannelFds() {
    }

    private static MethodHandle findGetFdVal() {
        try {
            Class<?> selCh = Class.forName("sun.nio.ch.SelChImpl");
            if (!selCh.getModule().isExported("sun.nio.ch", ChannelFds.class.getModule())) {
                return null;
            }
            return MethodHandles.lookup().findVirtual(selCh, "getFDVal", MethodType.methodType(int.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The descriptor under {@code channel}.
     *
     * @return the descriptor, or -1 if it cannot be found
     */
    public static int fdOf(Channel channel) {
        Objects.requireNonNull(channel, "channel");
        if (!channel.isOpen()) {
            return -1;
        }
        if (GET_FD_VAL != null && GET_FD_VAL.type().parameterType(0).isInstance(channel)) {
            try {
                return (int) GET_FD_VAL.invoke(channel);
            } catch (Throwable e) {
                // fall through to the scan
            }
        }
        if (channel instanceof NetworkChannel network && NativeLibrary.isAvailable()) {
            try {
                return scan(network);
            } catch (IOException e) {
                return -1;
            }
        }
        return -1;
    }

    private static int scan(NetworkChannel channel) throws IOException {
        SocketAddress local = channel.getLocalAddress();
        if (local == null) {
            return -1;
        }
        SocketAddress remote = channel instanceof SocketChannel sc ? sc.getRemoteAddress()
                : channel instanceof DatagramChannel dc ? dc.getRemoteAddress() : null;
        boolean listener = channel instanceof ServerSocketChannel;
        int found = -1;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path entry : fds) {
                int fd;
                try {
                    fd = Integer.parseInt(entry.getFileName().toString());
                    if (!Files.readSymbolicLink(entry).toString().startsWith("socket:")) {
                        continue;
                    }
                } catch (NumberFormatException | IOException e) {
                    continue;
                }
                if (!sameAddress(local, safeLocal(fd))) {
                    continue;
                }
                SocketAddress peer = safeRemote(fd);
                if (listener ? peer != null : !sameAddress(remote, peer)) {
                    continue;
                }
                if (found >= 0) {
                    return -1;
                }
                found = fd;
            }
        }
        return found;
    }

    private static boolean sameAddress(SocketAddress a, SocketAddress b) {
        return Objects.equals(unmapped(a), unmapped(b));
    }

    /** The JDK's sockets are IPv6 and dual-stack: an IPv4 peer shows as {@code ::ffff:a.b.c.d}. */
    static SocketAddress unmapped(SocketAddress address) {
        if (address instanceof java.net.InetSocketAddress inet && inet.getAddress() instanceof java.net.Inet6Address v6) {
            byte[] b = v6.getAddress();
            boolean mapped = b[10] == (byte) 0xff && b[11] == (byte) 0xff;
            for (int i = 0; i < 10 && mapped; i++) {
                mapped = b[i] == 0;
            }
            if (mapped) {
                try {
                    return new java.net.InetSocketAddress(java.net.InetAddress.getByAddress(
                            java.util.Arrays.copyOfRange(b, 12, 16)), inet.getPort());
                } catch (java.net.UnknownHostException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return address;
    }

    private static SocketAddress safeLocal(int fd) {
        try {
            return SockCreate.localAddress(fd);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static SocketAddress safeRemote(int fd) {
        try {
            return SockCreate.remoteAddress(fd);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
