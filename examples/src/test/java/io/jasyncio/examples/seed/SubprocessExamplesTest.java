package io.jasyncio.examples.seed;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The subprocess examples (asyncio's docs: {@code date} with protocols and with streams, {@code ls}) run (SPEC 12). */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SubprocessExamplesTest {

    private static synchronized List<String> output(SeedExamplesTest.Main main, String... args) throws Exception {
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

    /** What {@code date} prints now, e.g. "Thu Dec  3 10:00:00 UTC 2026": its year at least. */
    private static void assertDateLine(List<String> lines) {
        assertEquals(1, lines.size(), lines::toString);
        String year = String.valueOf(java.time.Year.now().getValue());
        assertTrue(lines.get(0).startsWith("Current date: ") && lines.get(0).contains(year), lines::toString);
    }

    @Test
    void dateWithProtocols() throws Exception {
        assertDateLine(output(SubprocessDateProtocol::main));
    }

    @Test
    void dateWithStreams() throws Exception {
        assertDateLine(output(SubprocessDateStreams::main));
    }

    @Test
    void lsOfAMissingDirectory() throws Exception {
        List<String> lines = output(SubprocessShellLs::main);
        assertEquals("[ls /zzz exited with 2]", lines.get(0));
        assertEquals("[stderr]", lines.get(1));
        assertTrue(lines.get(2).contains("/zzz") && lines.get(2).contains("No such file"), lines::toString);
    }

    @Test
    void lsOfADirectory() throws Exception {
        List<String> lines = output(SubprocessShellLs::main, "ls", "-d", "/");
        assertEquals(List.of("[ls -d / exited with 0]", "[stdout]", "/"), lines);
    }
}
