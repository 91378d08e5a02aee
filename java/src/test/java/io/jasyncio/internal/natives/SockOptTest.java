package io.jasyncio.internal.natives;

import static io.jasyncio.internal.natives.NativeTesting.assertBadFd;
import static io.jasyncio.internal.natives.NativeTesting.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Socket options read back what was set; SO_LINGER; SO_TYPE; errors name the option. */
class SockOptTest {

    private Loopback net;
    private long fdsBefore;
    private int tcp;

    @BeforeAll
    static void library() {
        NativeTesting.assumeNativeLibrary();
    }

    @BeforeEach
    void open() throws IOException {
        fdsBefore = NativeTesting.openNativeFds();
        net = new Loopback();
        tcp = net.socket(SockAddr.AF_INET, Sockets.SOCK_STREAM);
    }

    @AfterEach
    void close() throws IOException {
        net.close();
        assertEquals(fdsBefore, NativeTesting.openNativeFds(), "the test leaked descriptors");
    }

    @Test
    void shouldSetAndReadBackBooleanOptions() throws IOException {
        int[][] options = {{SockOpt.SOL_SOCKET, SockOpt.SO_REUSEADDR}, {SockOpt.SOL_SOCKET, SockOpt.SO_REUSEPORT},
            {SockOpt.SOL_SOCKET, SockOpt.SO_KEEPALIVE}, {SockOpt.SOL_SOCKET, SockOpt.SO_BROADCAST},
            {SockOpt.IPPROTO_TCP, SockOpt.TCP_NODELAY}};
        for (int[] option : options) {
            assertEquals(0, SockOpt.getInt(tcp, option[0], option[1]), SockOpt.optionName(option[0], option[1]));
            SockOpt.setInt(tcp, option[0], option[1], 1);
            assertEquals(1, SockOpt.getInt(tcp, option[0], option[1]), SockOpt.optionName(option[0], option[1]));
        }
    }

    @Test
    void shouldSetBufferSizesWhichLinuxDoubles() throws IOException {
        SockOpt.setInt(tcp, SockOpt.SOL_SOCKET, SockOpt.SO_RCVBUF, 8192);
        assertEquals(16384, SockOpt.getInt(tcp, SockOpt.SOL_SOCKET, SockOpt.SO_RCVBUF));
        SockOpt.setInt(tcp, SockOpt.SOL_SOCKET, SockOpt.SO_SNDBUF, 8192);
        assertEquals(16384, SockOpt.getInt(tcp, SockOpt.SOL_SOCKET, SockOpt.SO_SNDBUF));
    }

    @Test
    void shouldReportTheTypeAndNoPendingError() throws IOException {
        assertEquals(Sockets.SOCK_STREAM, SockOpt.getInt(tcp, SockOpt.SOL_SOCKET, SockOpt.SO_TYPE));
        assertEquals(0, SockOpt.getInt(tcp, SockOpt.SOL_SOCKET, SockOpt.SO_ERROR));
    }

    @Test
    void shouldSetIpv6OnlyOnIpv6Sockets() throws IOException {
        Assumptions.assumeTrue(Loopback.hasIpv6(), "no IPv6 here");
        int v6 = net.socket(SockAddr.AF_INET6, Sockets.SOCK_STREAM);
        SockOpt.setInt(v6, SockOpt.IPPROTO_IPV6, SockOpt.IPV6_V6ONLY, 1);
        assertEquals(1, SockOpt.getInt(v6, SockOpt.IPPROTO_IPV6, SockOpt.IPV6_V6ONLY));
    }

    @Test
    void shouldSetAndReadBackLinger() throws IOException {
        assertEquals(-1, SockOpt.getLinger(tcp));
        SockOpt.setLinger(tcp, 5);
        assertEquals(5, SockOpt.getLinger(tcp));
        SockOpt.setLinger(tcp, 0);
        assertEquals(0, SockOpt.getLinger(tcp));
        SockOpt.setLinger(tcp, -1);
        assertEquals(-1, SockOpt.getLinger(tcp));
    }

    @Test
    void shouldNameTheOptionInErrors() throws IOException {
        int fd = NativeTesting.closedFd();
        assertEquals("setsockopt(fd=" + fd + ", TCP_NODELAY, 1): EBADF (Bad file descriptor)",
                assertBadFd("setsockopt",
                        () -> SockOpt.setInt(fd, SockOpt.IPPROTO_TCP, SockOpt.TCP_NODELAY, 1)).getMessage());
        assertBadFd("getsockopt", () -> SockOpt.getInt(fd, SockOpt.SOL_SOCKET, SockOpt.SO_ERROR));
        assertBadFd("setsockopt", () -> SockOpt.setLinger(fd, 1));
        assertBadFd("getsockopt", () -> SockOpt.getLinger(fd));
        assertFails(IOException.class, "getsockopt", "EOPNOTSUPP", () -> SockOpt.getInt(tcp, 12345, 1));
        assertEquals(-Errors.EBADF, SockOpt.getInt0(-1, SockOpt.SOL_SOCKET, SockOpt.SO_ERROR));
        assertEquals(-Errors.EBADF, SockOpt.setInt0(Integer.MIN_VALUE, SockOpt.SOL_SOCKET, SockOpt.SO_REUSEADDR, 1));
    }
}
