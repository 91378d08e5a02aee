package io.jasyncio.examples.seed;

import io.jasyncio.Asyncio;
import io.jasyncio.Stdio;
import io.jasyncio.Subprocess;
import io.jasyncio.SubprocessOptions;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * asyncio's "Subprocess using streams" (the docs' {@code get_date} with
 * {@code create_subprocess_exec}): runs {@code date}, reads one line of its stdout and waits for
 * it to exit.
 */
public final class SubprocessDateStreams {
    private SubprocessDateStreams() {
    }

    static String getDate() throws Exception {
        // Create the subprocess; redirect the standard output into a pipe.
        Subprocess proc = Asyncio.createSubprocessExec(List.of("date"),
                new SubprocessOptions().stdout(Stdio.PIPE)).await();
        // Read one line of output.
        String line = new String(proc.stdout().readline().await(), StandardCharsets.US_ASCII).stripTrailing();
        // Wait for the subprocess exit.
        proc.waitFor().await();
        return line;
    }

    public static void main(String[] args) {
        System.out.println("Current date: " + Asyncio.run(SubprocessDateStreams::getDate));
    }
}
