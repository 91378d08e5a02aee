package io.jasyncio.examples;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every {@code ```java} block of the README compiles against the library and runs, so the README
 * cannot rot: each block is written to its own file, compiled with the JDK's compiler, run in a
 * child JVM with the flags the README gives, and must exit 0. A {@code ```text} block that comes
 * next (before any other block) is what the program prints, and must match its output exactly.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ReadmeTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Pattern FENCE = Pattern.compile("^```(\\w*)\\s*$");
    private static final Pattern PUBLIC_TYPE =
            Pattern.compile("^public\\s+(?:final\\s+|abstract\\s+)*(?:class|record|interface|enum)\\s+(\\w+)",
                    Pattern.MULTILINE);

    /** A {@code ```java} block and the output the README shows for it (null: not shown). */
    record Block(int line, String source, String expectedOutput) {
    }

    static List<Block> javaBlocks(List<String> lines) {
        List<Block> blocks = new ArrayList<>();
        String pendingSource = null;
        int pendingLine = 0;
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = FENCE.matcher(lines.get(i));
            if (!open.matches()) {
                continue;
            }
            String info = open.group(1);
            int start = i + 1;
            int end = start;
            while (end < lines.size() && !lines.get(end).startsWith("```")) {
                end++;
            }
            String body = String.join("\n", lines.subList(start, Math.min(end, lines.size()))) + "\n";
            if (info.equals("java")) {
                if (pendingSource != null) {
                    blocks.add(new Block(pendingLine, pendingSource, null));
                }
                pendingSource = body;
                pendingLine = i + 1;
            } else if (pendingSource != null) {
                blocks.add(new Block(pendingLine, pendingSource, info.equals("text") ? body : null));
                pendingSource = null;
            }
            i = end;
        }
        if (pendingSource != null) {
            blocks.add(new Block(pendingLine, pendingSource, null));
        }
        return blocks;
    }

    @Test
    void theReadmeHasAJavaProgramWithItsOutput() throws IOException {
        assertTrue(Files.isRegularFile(README), README.toAbsolutePath() + " not found");
        List<Block> blocks = javaBlocks(Files.readAllLines(README, StandardCharsets.UTF_8));
        assertFalse(blocks.isEmpty(), "no ```java block in the README");
        assertNotNull(blocks.get(0).expectedOutput(), "the first program's output is not shown after it");
    }

    @Test
    void blocksArePairedWithTheOutputThatFollowsThem() {
        List<Block> blocks = javaBlocks(List.of(
                "```java", "void main() {}", "```", "prose", "```text", "out", "```",
                "```java", "class B {}", "```", "```python", "print(1)", "```", "```java", "class C {}", "```"));
        assertEquals(List.of(new Block(1, "void main() {}\n", "out\n"), new Block(8, "class B {}\n", null),
                new Block(14, "class C {}\n", null)), blocks);
    }

    @TestFactory
    List<DynamicTest> everyJavaBlockCompilesAndRuns() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Block block : javaBlocks(Files.readAllLines(README, StandardCharsets.UTF_8))) {
            tests.add(DynamicTest.dynamicTest("README.md line " + block.line(), () -> compileAndRun(block)));
        }
        return tests;
    }

    private static void compileAndRun(Block block) throws Exception {
        Path dir = Files.createTempDirectory("jasyncio-readme-");
        try {
            Matcher type = PUBLIC_TYPE.matcher(block.source());
            String name = type.find() ? type.group(1) : "ReadmeProgram" + block.line();
            Path source = dir.resolve(name + ".java");
            Files.writeString(source, block.source(), StandardCharsets.UTF_8);
            Path classes = Files.createDirectory(dir.resolve("classes"));
            String classPath = System.getProperty("java.class.path");

            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            assertNotNull(javac, "this JVM has no compiler (a JRE?)");
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            try (StandardJavaFileManager files =
                    javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
                boolean compiled = javac.getTask(null, files, diagnostics,
                        List.of("-classpath", classPath, "-d", classes.toString(), "-Xlint:all"),
                        null, files.getJavaFileObjects(source)).call();
                assertTrue(compiled, "README.md line " + block.line() + " does not compile:\n"
                        + diagnostics.getDiagnostics());
            }

            String java = ProcessHandle.current().info().command().orElseThrow();
            Path out = dir.resolve("stdout");
            Path err = dir.resolve("stderr");
            Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                    "-cp", classes + File.pathSeparator + classPath, name)
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            boolean exited = p.waitFor(60, TimeUnit.SECONDS);
            if (!exited) {
                p.destroyForcibly().waitFor();
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            String report = "README.md line " + block.line() + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
            assertTrue(exited, "did not end within 60 s: " + report);
            assertEquals(0, p.exitValue(), report);
            assertFalse(stderr.contains("Exception"), "an exception on stderr: " + report);
            if (block.expectedOutput() != null) {
                assertEquals(block.expectedOutput(), stdout.replace(System.lineSeparator(), "\n"), report);
            }
        } finally {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
