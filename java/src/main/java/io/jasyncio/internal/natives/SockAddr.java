package io.jasyncio.internal.natives;

import java.io.Serial;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Raw socket addresses (native/sock_addr.c): builds and parses the {@code struct sockaddr} bytes
 * the socket calls of {@link SockCreate} and {@link SockIo} take and return, for AF_INET,
 * AF_INET6 (with its scope id) and AF_UNIX (paths, the unnamed address and Linux's abstract
 * names). The layout (sizes, field offsets, family numbers) is read from the C library once;
 * nothing here is hard-coded except what the protocols define: ports and IP addresses are in
 * network byte order.
 *
 * <p>Callers own the memory: a segment of at least {@link #STORAGE_SIZE} bytes (an {@code Arena}
 * allocation, kept and reused) holds any address, and its {@code address()} is what the natives
 * take.
 *
 * <p>Thread safe (no state).
 */
public final class SockAddr {

    /** Address family: unspecified. */
    public static final int AF_UNSPEC;
    /** Address family: IPv4. */
    public static final int AF_INET;
    /** Address family: IPv6. */
    public static final int AF_INET6;
    /** Address family: Unix domain (local) sockets. */
    public static final int AF_UNIX;
    /** {@code sizeof(struct sockaddr_storage)}: room for an address of any family. */
    public static final int STORAGE_SIZE;
    /** {@code sizeof(sun_path)}: a Unix path takes at most one byte less (its terminator). */
    public static final int UNIX_PATH_SIZE;

    private static final int FAMILY_OFFSET;
    private static final int IN_SIZE;
    private static final int IN_PORT_OFFSET;
    private static final int IN_ADDR_OFFSET;
    private static final int IN6_SIZE;
    private static final int IN6_PORT_OFFSET;
    private static final int IN6_FLOWINFO_OFFSET;
    private static final int IN6_ADDR_OFFSET;
    private static final int IN6_SCOPE_ID_OFFSET;
    private static final int UN_SIZE;
    private static final int UN_PATH_OFFSET;

    private static final ValueLayout.OfShort FAMILY = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfShort PORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt NATIVE_INT = ValueLayout.JAVA_INT_UNALIGNED;

    static {
        NativeLibrary.ensureLoaded();
        AF_UNSPEC = afUnspec0();
        AF_INET = afInet0();
        AF_INET6 = afInet60();
        AF_UNIX = afUnix0();
        STORAGE_SIZE = storageSize0();
        FAMILY_OFFSET = familyOffset0();
        IN_SIZE = inSize0();
        IN_PORT_OFFSET = inPortOffset0();
        IN_ADDR_OFFSET = inAddrOffset0();
        IN6_SIZE = in6Size0();
        IN6_PORT_OFFSET = in6PortOffset0();
        IN6_FLOWINFO_OFFSET = in6FlowinfoOffset0();
        IN6_ADDR_OFFSET = in6AddrOffset0();
        IN6_SCOPE_ID_OFFSET = in6ScopeIdOffset0();
        UN_SIZE = unSize0();
        UN_PATH_OFFSET = unPathOffset0();
        UNIX_PATH_SIZE = unPathSize0();
        // sa_family_t is an unsigned short on every Linux ABI; refuse a library that says otherwise
        // rather than misread every address.
        if (familySize0() != Short.BYTES) {
            throw new UnsatisfiedLinkError("sizeof(sa_family_t) is " + familySize0() + ", SockAddr reads 2 bytes");
        }
    }

    private SockAddr() {
    }

    /**
     * A Linux abstract Unix socket name: it lives in the kernel, not in the file system, and
     * vanishes with its last socket. Its name is any bytes (a NUL included); in {@code ss} and
     * {@code /proc/net/unix} it shows as {@code @name}.
     */
    public static final class AbstractName extends SocketAddress {

        @Serial
        private static final long serialVersionUID = 1L;

        private final byte[] name;

        private AbstractName(byte[] name) {
            this.name = name;
        }

        /**
         * An abstract name from bytes.
         *
         * @param name the name, without the leading NUL the kernel uses to mark it abstract
         * @return the address
         * @throws IllegalArgumentException if it is longer than {@link #UNIX_PATH_SIZE} - 1
         */
        public static AbstractName of(byte[] name) {
            if (name.length > UNIX_PATH_SIZE - 1) {
                throw new IllegalArgumentException("abstract name of " + name.length + " bytes: at most "
                        + (UNIX_PATH_SIZE - 1));
            }
            return new AbstractName(name.clone());
        }

        /**
         * An abstract name from a string, in UTF-8.
         *
         * @param name the name, without the leading NUL
         * @return the address
         * @throws IllegalArgumentException if it is longer than {@link #UNIX_PATH_SIZE} - 1 bytes
         */
        public static AbstractName of(String name) {
            return of(name.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * The name's bytes.
         *
         * @return a copy, without the leading NUL
         */
        public byte[] name() {
            return name.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof AbstractName that && Arrays.equals(name, that.name);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(name);
        }

        /** {@return {@code @name} as {@code ss} shows it, bytes outside printable ASCII in hex} */
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("@");
            for (byte b : name) {
                if (b >= 0x20 && b < 0x7f && b != '\\') {
                    sb.append((char) b);
                } else {
                    sb.append("\\x").append(HexFormat.of().toHexDigits(b));
                }
            }
            return sb.toString();
        }
    }

    /**
     * Writes {@code address} as a raw sockaddr.
     *
     * @param address a resolved {@link InetSocketAddress} (IPv4 or IPv6, with its scope id), a
     *        {@link UnixDomainSocketAddress} (its path in UTF-8; the empty path is the unnamed
     *        address, which {@code bind} turns into an automatic abstract name) or an
     *        {@link AbstractName}
     * @param dst where to write it: {@link #STORAGE_SIZE} bytes always suffice
     * @return the address's length, the {@code socklen_t} to pass with it
     * @throws IllegalArgumentException for an unresolved or unsupported address, a Unix path that
     *         does not fit, or a {@code dst} too small
     */
    public static int encode(SocketAddress address, MemorySegment dst) {
        if (address instanceof InetSocketAddress inet) {
            InetAddress ip = inet.getAddress();
            if (ip == null) {
                throw new IllegalArgumentException("unresolved address: " + inet);
            }
            if (ip instanceof Inet4Address) {
                fill(dst, IN_SIZE);
                dst.set(FAMILY, FAMILY_OFFSET, (short) AF_INET);
                dst.set(PORT, IN_PORT_OFFSET, (short) inet.getPort());
                MemorySegment.copy(ip.getAddress(), 0, dst, ValueLayout.JAVA_BYTE, IN_ADDR_OFFSET, 4);
                return IN_SIZE;
            }
            Inet6Address ip6 = (Inet6Address) ip;
            fill(dst, IN6_SIZE);
            dst.set(FAMILY, FAMILY_OFFSET, (short) AF_INET6);
            dst.set(PORT, IN6_PORT_OFFSET, (short) inet.getPort());
            dst.set(NATIVE_INT, IN6_FLOWINFO_OFFSET, 0);
            MemorySegment.copy(ip6.getAddress(), 0, dst, ValueLayout.JAVA_BYTE, IN6_ADDR_OFFSET, 16);
            dst.set(NATIVE_INT, IN6_SCOPE_ID_OFFSET, ip6.getScopeId());
            return IN6_SIZE;
        }
        if (address instanceof UnixDomainSocketAddress unix) {
            byte[] path = unix.getPath().toString().getBytes(StandardCharsets.UTF_8);
            if (path.length >= UNIX_PATH_SIZE) {
                throw new IllegalArgumentException("Unix socket path of " + path.length + " bytes: at most "
                        + (UNIX_PATH_SIZE - 1) + ": " + unix.getPath());
            }
            if (path.length == 0) {
                fill(dst, UN_PATH_OFFSET);
                dst.set(FAMILY, FAMILY_OFFSET, (short) AF_UNIX);
                return UN_PATH_OFFSET;
            }
            int length = UN_PATH_OFFSET + path.length + 1;
            fill(dst, length);
            dst.set(FAMILY, FAMILY_OFFSET, (short) AF_UNIX);
            MemorySegment.copy(path, 0, dst, ValueLayout.JAVA_BYTE, UN_PATH_OFFSET, path.length);
            return length;
        }
        if (address instanceof AbstractName name) {
            // No terminator: the length says where an abstract name ends.
            int length = UN_PATH_OFFSET + 1 + name.name.length;
            fill(dst, length);
            dst.set(FAMILY, FAMILY_OFFSET, (short) AF_UNIX);
            MemorySegment.copy(name.name, 0, dst, ValueLayout.JAVA_BYTE, UN_PATH_OFFSET + 1, name.name.length);
            return length;
        }
        throw new IllegalArgumentException("unsupported address type: "
                + (address == null ? "null" : address.getClass().getName()));
    }

    /**
     * The family of a raw sockaddr.
     *
     * @param src the sockaddr
     * @return {@link #AF_INET}, {@link #AF_INET6}, {@link #AF_UNIX} or another family number
     */
    public static int family(MemorySegment src) {
        return Short.toUnsignedInt(src.get(FAMILY, FAMILY_OFFSET));
    }

    /**
     * Reads a raw sockaddr back, as a call like {@code getsockname} or {@code accept} wrote it.
     *
     * @param src the sockaddr
     * @param length its length, as the kernel reported it
     * @return an {@link InetSocketAddress} (IPv6 ones keep their scope id), a
     *         {@link UnixDomainSocketAddress} (an empty path for an unnamed socket) or an
     *         {@link AbstractName}
     * @throws IllegalArgumentException for an unknown family, or a length that is negative, too
     *         short for the family or longer than {@code src}
     */
    public static SocketAddress decode(MemorySegment src, int length) {
        if (length < FAMILY_OFFSET + Short.BYTES || length > src.byteSize()) {
            throw new IllegalArgumentException("sockaddr length " + length + " out of range [" + (FAMILY_OFFSET + 2)
                    + ", " + src.byteSize() + "]");
        }
        int family = family(src);
        if (family == AF_INET) {
            requireLength(length, IN_SIZE, "AF_INET");
            byte[] ip = src.asSlice(IN_ADDR_OFFSET, 4).toArray(ValueLayout.JAVA_BYTE);
            return new InetSocketAddress(ipAddress(ip, 0), Short.toUnsignedInt(src.get(PORT, IN_PORT_OFFSET)));
        }
        if (family == AF_INET6) {
            requireLength(length, IN6_SIZE, "AF_INET6");
            byte[] ip = src.asSlice(IN6_ADDR_OFFSET, 16).toArray(ValueLayout.JAVA_BYTE);
            int scope = src.get(NATIVE_INT, IN6_SCOPE_ID_OFFSET);
            return new InetSocketAddress(ipAddress(ip, scope), Short.toUnsignedInt(src.get(PORT, IN6_PORT_OFFSET)));
        }
        if (family == AF_UNIX) {
            int pathLength = Math.min(length, UN_SIZE) - UN_PATH_OFFSET;
            if (pathLength <= 0) {
                return UnixDomainSocketAddress.of("");
            }
            byte[] path = src.asSlice(UN_PATH_OFFSET, pathLength).toArray(ValueLayout.JAVA_BYTE);
            if (path[0] == 0) {
                return new AbstractName(Arrays.copyOfRange(path, 1, path.length));
            }
            // A path ends at its terminator (the kernel may count it in the length, or not).
            int end = 0;
            while (end < path.length && path[end] != 0) {
                end++;
            }
            return UnixDomainSocketAddress.of(new String(path, 0, end, StandardCharsets.UTF_8));
        }
        throw new IllegalArgumentException("unsupported address family " + family);
    }

    private static InetAddress ipAddress(byte[] ip, int scope) {
        try {
            return ip.length == 4 ? InetAddress.getByAddress(ip) : Inet6Address.getByAddress(null, ip, scope);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }

    private static void requireLength(int length, int required, String family) {
        if (length < required) {
            throw new IllegalArgumentException(family + " sockaddr of " + length + " bytes: needs " + required);
        }
    }

    /** Zeroes the first {@code length} bytes of dst, after checking they are there. */
    private static void fill(MemorySegment dst, int length) {
        if (dst.byteSize() < length) {
            throw new IllegalArgumentException("sockaddr needs " + length + " bytes, the segment has " + dst.byteSize());
        }
        dst.asSlice(0, length).fill((byte) 0);
    }

    static native int afUnspec0();

    static native int afInet0();

    static native int afInet60();

    static native int afUnix0();

    static native int storageSize0();

    static native int familySize0();

    static native int familyOffset0();

    static native int inSize0();

    static native int inPortOffset0();

    static native int inAddrOffset0();

    static native int in6Size0();

    static native int in6PortOffset0();

    static native int in6FlowinfoOffset0();

    static native int in6AddrOffset0();

    static native int in6ScopeIdOffset0();

    static native int unSize0();

    static native int unPathOffset0();

    static native int unPathSize0();
}
