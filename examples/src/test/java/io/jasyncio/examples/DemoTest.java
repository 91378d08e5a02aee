package io.jasyncio.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The main program runs and shows each step of the loop at work. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DemoTest {
    @Test
    void theDemoRunsToTheEnd() {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            Demo.main(new String[0]);
        } finally {
            System.setOut(saved);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        for (String expected : new String[] {"hello from the first task", "slow 3/3", "fast 3/3",
                "a timer fired 50 ms after it was scheduled", "gather returned [slow finished, fast finished]",
                "waitFor gave up after 50 ms; the task is cancelled: true",
                "a callback from another thread: posted by helper-thread", "demo done"}) {
            assertTrue(out.contains(expected), "missing \"" + expected + "\" in:\n" + out);
        }
    }
}
