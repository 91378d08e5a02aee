package io.jasyncio.examples.mmap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The mmap examples print what Python's documentation says they print. */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MmapExamplesTest {

    @FunctionalInterface
    interface Main {
        void run(String[] args) throws Exception;
    }

    private static synchronized List<String> output(Main main, String... args) throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            main.run(args);
        } finally {
            System.setOut(saved);
        }
        return List.of(bytes.toString(StandardCharsets.UTF_8).split("\n"));
    }

    @Test
    void writeThroughAMapAndReadItBack(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("hello.txt");
        assertEquals(List.of("b\"Hello Python!\\n\"", "b\"Hello\"", "b\"Hello  world!\\n\""),
                output(MmapWriteRead::main, file.toString()));
        assertEquals("Hello  world!\n", Files.readString(file));
    }

    @Test
    void sharedMemorySeenByAChildProcess() throws Exception {
        assertEquals(List.of("child reads: b\"Hello world!\\n\"", "parent reads: b\"Hello parent!\\n\""),
                output(MmapSharedWithChild::main));
    }
}
