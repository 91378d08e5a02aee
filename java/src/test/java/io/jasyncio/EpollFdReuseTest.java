package io.jasyncio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A descriptor closed without removeReader, whose number the kernel then hands to a new socket:
 * watching the new one must work (epoll only; NIO watches channels, not numbers).
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EpollFdReuseTest {

    private static int[] socketpair() {
        int[] sv = new int[2];
        assertEquals(0, LibC.INSTANCE.socketpair(LibC.AF_UNIX,
                LibC.SOCK_STREAM | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, 0, sv));
        return sv;
    }

    @Test
    void aReusedDescriptorNumberCanBeWatchedAgain() {
        assumeTrue(SelectorEventLoop.Backend.EPOLL.isAvailable());
        try (SelectorEventLoop loop = new SelectorEventLoop(SelectorEventLoop.Backend.EPOLL)) {
            int[] first = socketpair();
            loop.addReader(first[0], () -> { });
            LibC.INSTANCE.close(first[0]);
            LibC.INSTANCE.close(first[1]);
            int[] second = socketpair();
            try {
                int reused = second[0] == first[0] ? 0 : second[1] == first[0] ? 1 : -1;
                assumeTrue(reused >= 0, "the kernel did not reuse the number");
                int watched = second[reused];
                int peer = second[1 - reused];
                List<String> got = new ArrayList<>();
                loop.addReader(watched, () -> {
                    byte[] b = new byte[16];
                    long n = LibC.INSTANCE.read(watched, b, b.length);
                    got.add(new String(b, 0, (int) Math.max(n, 0)));
                    loop.removeReader(watched);
                    loop.stop();
                });
                byte[] x = "x".getBytes();
                LibC.INSTANCE.write(peer, x, x.length);
                TimerHandle giveUp = loop.callLater(10, loop::stop);
                loop.runForever();
                giveUp.cancel();
                assertEquals(List.of("x"), got);
            } finally {
                LibC.INSTANCE.close(second[0]);
                LibC.INSTANCE.close(second[1]);
            }
        }
    }
}
