package io.jasyncio.examples.signal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The signal alarm example: a one-second alarm ends a read that would block forever. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AlarmTimeoutTest {

    @Test
    void theAlarmTimesOutTheRead() throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long t0 = System.nanoTime();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            AlarmTimeout.main(new String[] {"1"});
        } finally {
            System.setOut(saved);
        }
        long waited = System.nanoTime() - t0;
        assertEquals(List.of("Signal handler called with signal SIGALRM (14)", "Couldn't open device!"),
                List.of(bytes.toString(StandardCharsets.UTF_8).split("\n")));
        assertTrue(waited >= 990_000_000L, "the read ended by the alarm, after a second: " + waited);
    }
}
