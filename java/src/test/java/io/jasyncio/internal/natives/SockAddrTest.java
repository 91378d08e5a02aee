package io.jasyncio.internal.natives;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteOrder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Raw sockaddrs built and parsed in Java, from the layout C exports. */
class SockAddrTest {

    private Arena arena;
    private MemorySegment storage;

    @BeforeAll
    static void library() {
        NativeTesting.assumeNativeLibrary();
    }

    @BeforeEach
    void open() {
        arena = Arena.ofConfined();
        storage = arena.allocate(SockAddr.STORAGE_SIZE, 8);
    }

    @AfterEach
    void close() {
        arena.close();
    }

    private SocketAddress roundTrip(SocketAddress address) {
        return SockAddr.decode(storage, SockAddr.encode(address, storage));
    }

    @Test
    void shouldExportALinuxLayout() {
        assertEquals(128, SockAddr.STORAGE_SIZE);
        assertEquals(108, SockAddr.UNIX_PATH_SIZE);
        assertEquals(2, SockAddr.AF_INET);
        assertEquals(10, SockAddr.AF_INET6);
        assertEquals(1, SockAddr.AF_UNIX);
    }

    @Test
    void shouldEncodeIpv4WithThePortInNetworkOrder() throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("10.1.2.3"), 0x1234);
        assertEquals(16, SockAddr.encode(address, storage));
        assertEquals(SockAddr.AF_INET, SockAddr.family(storage));
        assertEquals((byte) 0x12, storage.get(ValueLayout.JAVA_BYTE, 2));
        assertEquals((byte) 0x34, storage.get(ValueLayout.JAVA_BYTE, 3));
        assertEquals(address, roundTrip(address));
        InetSocketAddress highPort = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 65535);
        assertEquals(highPort, roundTrip(highPort));
    }

    @Test
    void shouldKeepTheIpv6ScopeId() throws IOException {
        byte[] linkLocal = InetAddress.getByName("fe80::1").getAddress();
        Inet6Address scoped = Inet6Address.getByAddress(null, linkLocal, 7);
        InetSocketAddress address = new InetSocketAddress(scoped, 443);
        assertEquals(28, SockAddr.encode(address, storage));
        assertEquals(SockAddr.AF_INET6, SockAddr.family(storage));
        InetSocketAddress back = (InetSocketAddress) roundTrip(address);
        assertEquals(443, back.getPort());
        assertEquals(7, ((Inet6Address) back.getAddress()).getScopeId());
        assertArrayEquals(linkLocal, back.getAddress().getAddress());
        InetSocketAddress plain = new InetSocketAddress(InetAddress.getByName("::1"), 8080);
        assertEquals(plain, roundTrip(plain));
    }

    @Test
    void shouldEncodeUnixPathsWithTheirTerminator() {
        UnixDomainSocketAddress path = UnixDomainSocketAddress.of("/tmp/x.sock");
        assertEquals(2 + 11 + 1, SockAddr.encode(path, storage));
        assertEquals(path, roundTrip(path));
        // The kernel may report the length without the terminator: the same path.
        assertEquals(path, SockAddr.decode(storage, 2 + 11));
        String longest = "/" + "p".repeat(SockAddr.UNIX_PATH_SIZE - 2);
        assertEquals(UnixDomainSocketAddress.of(longest), roundTrip(UnixDomainSocketAddress.of(longest)));
        assertThrows(IllegalArgumentException.class,
                () -> SockAddr.encode(UnixDomainSocketAddress.of(longest + "p"), storage));
    }

    @Test
    void shouldEncodeTheUnnamedAddressAsTheFamilyAlone() {
        assertEquals(2, SockAddr.encode(UnixDomainSocketAddress.of(""), storage));
        assertEquals(UnixDomainSocketAddress.of(""), SockAddr.decode(storage, 2));
    }

    @Test
    void shouldEncodeAbstractNamesWithoutTerminator() {
        SockAddr.AbstractName name = SockAddr.AbstractName.of(new byte[] {'a', 0, 'b'});
        assertEquals(2 + 1 + 3, SockAddr.encode(name, storage));
        assertEquals(0, storage.get(ValueLayout.JAVA_BYTE, 2));
        assertEquals(name, roundTrip(name));
        assertEquals("@a\\x00b", name.toString());
        assertArrayEquals(new byte[] {'a', 0, 'b'}, name.name());
        assertThrows(IllegalArgumentException.class,
                () -> SockAddr.AbstractName.of(new byte[SockAddr.UNIX_PATH_SIZE]));
    }

    @Test
    void shouldRefuseWhatItCannotEncodeOrDecode() {
        assertThrows(IllegalArgumentException.class,
                () -> SockAddr.encode(InetSocketAddress.createUnresolved("example.org", 80), storage));
        assertThrows(IllegalArgumentException.class, () -> SockAddr.encode(null, storage));
        assertThrows(IllegalArgumentException.class,
                () -> SockAddr.encode(new InetSocketAddress(InetAddress.getLoopbackAddress(), 1), arena.allocate(8)));
        storage.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.nativeOrder()), 0, (short) 12345);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SockAddr.decode(storage, 16));
        assertTrue(e.getMessage().contains("12345"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SockAddr.decode(storage, -1));
        assertThrows(IllegalArgumentException.class, () -> SockAddr.decode(storage, SockAddr.STORAGE_SIZE + 1));
        SockAddr.encode(new InetSocketAddress(InetAddress.getLoopbackAddress(), 1), storage);
        assertThrows(IllegalArgumentException.class, () -> SockAddr.decode(storage, 8));
    }
}
