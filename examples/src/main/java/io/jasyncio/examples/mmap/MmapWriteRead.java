package io.jasyncio.examples.mmap;

import io.jasyncio.MappedFile;
import io.jasyncio.MappedFile.Access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Python's mmap documentation example: write a file, map it, read a line and a slice through the
 * map, change bytes in place, and read the changed line back.
 *
 * <pre>mvn -B -q -DskipTests -Pdemo package -Ddemo.main=io.jasyncio.examples.mmap.MmapWriteRead</pre>
 */
public final class MmapWriteRead {
    private MmapWriteRead() {
    }

    static String show(byte[] bytes) {
        return "b\"" + new String(bytes, StandardCharsets.US_ASCII).replace("\n", "\\n") + "\"";
    }

    public static void main(String[] args) throws IOException {
        Path path = args.length > 0 ? Path.of(args[0]) : Files.createTempFile("hello", ".txt");
        try {
            // write a simple example file
            Files.write(path, "Hello Python!\n".getBytes(StandardCharsets.US_ASCII));
            try (MappedFile mm = MappedFile.open(path, Access.WRITE)) {
                // read content via standard file methods
                System.out.println(show(mm.readline())); // prints b"Hello Python!\n"
                // read content via slice notation
                byte[] first = new byte[5];
                mm.get(0, first, 0, 5);
                System.out.println(show(first)); // prints b"Hello"
                // update content using slice notation; the new content must have the same size
                byte[] update = " world!\n".getBytes(StandardCharsets.US_ASCII);
                mm.put(6, update, 0, update.length);
                // ... and read again using standard file methods
                mm.seek(0);
                System.out.println(show(mm.readline())); // prints b"Hello  world!\n"
            }
        } finally {
            if (args.length == 0) {
                Files.deleteIfExists(path);
            }
        }
    }
}
