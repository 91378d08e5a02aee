package io.jasyncio.examples.mmap;

import io.jasyncio.MappedFile;
import io.jasyncio.MappedFile.Access;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Python's second mmap documentation example, an anonymous map shared with a child process. A
 * JVM cannot fork, so the memory is a memfd ({@link MappedFile#sharedMemory}) and the child, a
 * second JVM, maps the same memory through {@code /proc/<parent>/fd/<n>}: it reads the parent's
 * line and writes a reply that the parent then reads from its own map.
 *
 * <pre>mvn -B -q -DskipTests -Pdemo package -Ddemo.main=io.jasyncio.examples.mmap.MmapSharedWithChild</pre>
 */
public final class MmapSharedWithChild {
    private MmapSharedWithChild() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("child")) {
            child(Path.of(args[1]));
            return;
        }
        try (MappedFile mm = MappedFile.sharedMemory("mmap-example", 32)) {
            mm.write("Hello world!\n".getBytes(StandardCharsets.US_ASCII));
            Process child = startChild(mm.sharedMemoryPath());
            StringBuilder printed = new StringBuilder();
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    printed.append(line).append('\n');
                }
            }
            if (!child.waitFor(60, TimeUnit.SECONDS) || child.exitValue() != 0) {
                child.destroyForcibly();
                throw new IllegalStateException("the child failed:\n" + printed);
            }
            System.out.print(printed);
            mm.seek(16);
            System.out.println("parent reads: " + MmapWriteRead.show(mm.readline()));
        }
    }

    /** The child maps the parent's memory, prints its line, and answers at offset 16. */
    private static void child(Path shared) throws IOException {
        try (MappedFile mm = MappedFile.open(shared, Access.WRITE)) {
            System.out.println("child reads: " + MmapWriteRead.show(mm.readline()));
            mm.seek(16);
            mm.write("Hello parent!\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static Process startChild(Path shared) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"),
                MmapSharedWithChild.class.getName(), "child", shared.toString())
                .redirectErrorStream(true).start();
    }
}
