package io.jasyncio.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
                "gather returned [slow finished, fast finished]",
                "a callback from another thread: posted by helper-thread", "demo done"}) {
            assertTrue(out.contains(expected), "missing \"" + expected + "\" in:\n" + out);
        }
        // The times are measured, and neither the timer nor the timeout ends early.
        double timer = millis(out, "a timer asked for 50 ms fired (\\d+\\.\\d) ms after it was scheduled");
        assertTrue(timer >= 50.0 && timer < 10_000, "timer fired after " + timer + " ms");
        double waited = millis(out,
                "waitFor with a 50 ms limit gave up after (\\d+\\.\\d) ms; the task is cancelled: true");
        assertTrue(waited >= 50.0 && waited < 10_000, "waitFor gave up after " + waited + " ms");
    }

    private static double millis(String out, String line) {
        Matcher m = Pattern.compile(line).matcher(out);
        assertTrue(m.find(), "no line matching \"" + line + "\" in:\n" + out);
        return Double.parseDouble(m.group(1));
    }
}
