package io.jasyncio.examples.seed;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each seed example runs and prints what the seed says it prints (SPEC 12). */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SeedExamplesTest {

    @FunctionalInterface
    interface Main {
        void run(String[] args) throws Exception;
    }

    private static synchronized List<String> output(Main main) throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            main.run(new String[0]);
        } finally {
            System.setOut(saved);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }

    @Test
    void helloWorldCallSoon() throws Exception {
        assertEquals(List.of("Hello World"), output(HelloWorldCallSoon::main));
    }

    @Test
    void helloWorldCoroutine() throws Exception {
        assertEquals(List.of("Hello World!"), output(HelloWorldCoroutine::main));
    }

    @Test
    void watchFdForRead() throws Exception {
        assertEquals(List.of("Received: abc"), output(WatchFdForRead::main));
    }

    @Test
    void chainCoroutines() throws Exception {
        long t0 = System.nanoTime();
        assertEquals(List.of("Compute 1 + 2 ...", "1 + 2 = 3"), output(ChainCoroutines::main));
        assertTrue(System.nanoTime() - t0 >= 1_000_000_000L, "compute() sleeps one second");
    }

    @Test
    void futureRunUntilComplete() throws Exception {
        assertEquals(List.of("Future is done!"), output(FutureRunUntilComplete::main));
    }

    @Test
    void futureRunForever() throws Exception {
        assertEquals(List.of("Future is done!"), output(FutureRunForever::main));
    }

    @Test
    void parallelTasks() throws Exception {
        assertEquals(List.of(
                "Task A: Compute factorial(2)...",
                "Task B: Compute factorial(2)...",
                "Task C: Compute factorial(2)...",
                "Task A: factorial(2) = 2",
                "Task B: Compute factorial(3)...",
                "Task C: Compute factorial(3)...",
                "Task B: factorial(3) = 6",
                "Task C: Compute factorial(4)...",
                "Task C: factorial(4) = 24"), output(ParallelTasks::main));
    }

    @Test
    void displayDateCallLaterPrintsFiveDatesASecondApart() throws Exception {
        assertFiveDates(output(DisplayDateCallLater::main));
    }

    @Test
    void displayDateCoroutinePrintsFiveDatesASecondApart() throws Exception {
        assertFiveDates(output(DisplayDateCoroutine::main));
    }

    private static void assertFiveDates(List<String> lines) {
        assertEquals(5, lines.size(), lines.toString());
        LocalDateTime previous = null;
        for (String line : lines) {
            LocalDateTime t = LocalDateTime.parse(line);
            if (previous != null) {
                long millis = java.time.Duration.between(previous, t).toMillis();
                assertTrue(millis >= 990, "dates " + previous + " and " + t + " are not a second apart");
            }
            previous = t;
        }
    }
}
