package io.jasyncio.internal.natives;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loader: in this build the library loads; a bad {@code -Djasyncio.native.path} makes it
 * unavailable with a reason (in a fresh JVM, since loading happens once per JVM); and the
 * decision of where the library comes from, driven with a fake binder so that noexec
 * directories and broken libraries can be simulated.
 */
class NativeLibraryTest {

    /** The directory the loader looks in on this machine, e.g. linux-x86_64. */
    private static final String PLATFORM =
            NativeLibrary.platform(System.getProperty("os.name"), System.getProperty("os.arch"));
    /** The library's resource inside the jar on this machine. */
    private static final String RESOURCE = "/META-INF/native/" + PLATFORM + "/libjasyncio.so";
    private static final byte[] FAKE_LIBRARY = "not really an ELF file".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path temp;

    @Test
    void shouldBundleTheLibraryWhereTheLoaderLooksOnTheMachineThatBuiltIt() {
        // The build names the directory from os.name/os.arch (the native-* profiles of
        // java/pom.xml) and hands its choice over as jasyncio.build.platform.
        String built = System.getProperty("jasyncio.build.platform");
        org.junit.jupiter.api.Assumptions.assumeTrue(built != null, "not run by the Maven build");
        assertEquals(built, PLATFORM);
        assertNotNull(NativeLibrary.class.getResource("/META-INF/native/" + built + "/" + NativeLibrary.LIBRARY_FILE),
                "no library under META-INF/native/" + built);
    }

    @Test
    void shouldLoadTheLibraryOfThisBuild() {
        boolean bundled = PLATFORM != null
                && NativeLibrary.class.getResource("/META-INF/native/" + PLATFORM + "/" + NativeLibrary.LIBRARY_FILE) != null;
        org.junit.jupiter.api.Assumptions.assumeTrue(bundled, "this build has no library for " + PLATFORM);
        assertTrue(NativeLibrary.isAvailable(), NativeLibrary.unavailableReason());
        assertNull(NativeLibrary.unavailableReason());
        assertNotNull(NativeLibrary.loadedFrom());
        assertDoesNotThrow(NativeLibrary::ensureLoaded);
        assertEquals(NativeLibrary.ABI_VERSION, NativeLibrary.abiVersion0());
    }

    @Test
    void shouldBeUnavailableWithAReasonWhenTheNativePathIsMissing() throws Exception {
        Path missing = temp.resolve("nowhere/libjasyncio.so");
        ProbeResult result = runProbe("-D" + NativeLibrary.PATH_PROP_NAME + "=" + missing);
        String reason = "-Djasyncio.native.path=" + missing + ": no such file";
        assertTrue(result.stdout().contains("available=false"), result.toString());
        assertTrue(result.stdout().contains("reason=" + reason), result.toString());
        assertTrue(result.stdout().contains("ensureLoaded=jasyncio native library unavailable: " + reason),
                result.toString());
        assertTrue(result.stdout().contains("poller=the epoll poller needs jasyncio's native library"),
                result.toString());
        // One log record, on the io.jasyncio logger, saying why.
        long lines = result.stderr().lines().filter(l -> l.contains("jasyncio native library not loaded")).count();
        assertEquals(1, lines, result.toString());
        assertTrue(result.stderr().contains(reason), result.toString());
    }

    @Test
    void shouldLoadAnExplicitPathInAFreshJvm() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(NativeLibrary.isAvailable());
        Path library = Path.of(NativeLibrary.loadedFrom());
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(library), "library copy deleted");
        ProbeResult result = runProbe("-D" + NativeLibrary.PATH_PROP_NAME + "=" + library);
        assertTrue(result.stdout().contains("available=true"), result.toString());
        assertTrue(result.stdout().contains("poller=epoll"), result.toString());
        assertFalse(result.stderr().contains("not loaded"), result.toString());
    }

    @Test
    void shouldExplainAnExplicitPathThatIsNotALibrary() throws Exception {
        Path bogus = Files.write(temp.resolve("libjasyncio.so"), FAKE_LIBRARY);
        ProbeResult result = runProbe("-D" + NativeLibrary.PATH_PROP_NAME + "=" + bogus);
        assertTrue(result.stdout().contains("available=false"), result.toString());
        assertTrue(result.stdout().contains("reason=-Djasyncio.native.path=" + bogus + ": loading " + bogus
                + " failed: "), result.toString());
    }

    @Test
    void shouldReportAFailedRegistrationAndStayAlive() throws Exception {
        // The library's JNI_OnLoad registers each class in turn; with Sockets missing from the
        // class path the fourth registration fails, the first three are undone, and the
        // ClassNotFoundException reaches the loader's reason. The JVM carries on.
        org.junit.jupiter.api.Assumptions.assumeTrue(NativeLibrary.isAvailable());
        Path mainClasses = Path.of(NativeLibrary.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path testClasses = Path.of(LoaderProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(mainClasses), "classes are in a jar");
        Path copy = temp.resolve("classes");
        try (Stream<Path> files = Files.walk(mainClasses)) {
            for (Path file : files.toList()) {
                Path target = copy.resolve(mainClasses.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else if (!file.getFileName().toString().equals("Sockets.class")) {
                    Files.copy(file, target);
                }
            }
        }
        ProbeResult result = runProbeWithClassPath(copy + java.io.File.pathSeparator + testClasses);
        assertTrue(result.stdout().contains("available=false"), result.toString());
        assertTrue(result.stdout().contains("io.jasyncio.internal.natives.Sockets"), result.toString());
        assertTrue(result.stdout().contains("poller=the epoll poller needs jasyncio's native library"),
                result.toString());
    }

    @Test
    void shouldNameTheFixWhenNativeAccessIsDeniedTryOnceAndLeaveNoDirectoryBehind() throws Exception {
        // The library from a jar first on the class path, so it is extracted, with native access
        // denied: the one line names the cause and the flag, and no directory is left over.
        org.junit.jupiter.api.Assumptions.assumeTrue(NativeLibrary.class.getResource(RESOURCE) != null,
                "this build has no library for this platform");
        Path jar = temp.resolve("native-only.jar");
        try (java.io.InputStream library = NativeLibrary.class.getResourceAsStream(RESOURCE);
             JarOutputStream jarOut = new JarOutputStream(Files.newOutputStream(jar))) {
            jarOut.putNextEntry(new JarEntry(RESOURCE.substring(1)));
            library.transferTo(jarOut);
            jarOut.closeEntry();
        }
        Path tmp = Files.createDirectories(temp.resolve("tmp"));
        Path home = Files.createDirectories(temp.resolve("home"));
        String javaCommand = ProcessHandle.current().info().command().orElseThrow();
        Path out = temp.resolve("probe.out");
        Path err = temp.resolve("probe.err");
        Process process = new ProcessBuilder(javaCommand, "--illegal-native-access=deny",
                "-Djava.io.tmpdir=" + tmp, "-Duser.home=" + home,
                "-cp", jar + java.io.File.pathSeparator + System.getProperty("java.class.path"),
                LoaderProbe.class.getName()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "probe JVM did not finish");
        ProbeResult result = new ProbeResult(process.exitValue(), Files.readString(out), Files.readString(err));
        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.stdout().contains("available=false"), result.toString());
        List<String> lines = result.stderr().lines().filter(l -> l.contains("jasyncio native library not loaded")).toList();
        assertEquals(1, lines.size(), result.toString());
        String line = lines.get(0);
        assertTrue(line.contains("native access is denied"), line);
        assertTrue(line.contains("--enable-native-access=ALL-UNNAMED"), line);
        assertTrue(line.contains("--enable-native-access=io.jasyncio"), line);
        assertFalse(line.contains(home.toString()), "no other directory is tried for a denial: " + line);
        assertFalse(line.contains("noexec") || line.contains("-Djasyncio.native.dir"), "not a directory problem: " + line);
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(), left.toList());
        }
        try (Stream<Path> left = Files.list(home)) {
            assertEquals(List.of(), left.toList(), "no empty cache directory");
        }
    }

    @Test
    void shouldStopAtTheFirstDeniedLoadAndNotCreateTheCacheDirectory() throws IOException {
        Path jar = jarWithLibrary();
        Path tmp = Files.createDirectories(temp.resolve("tmp"));
        Path home = Files.createDirectories(temp.resolve("home"));
        List<Path> tried = new ArrayList<>();
        NativeLibrary.Outcome outcome = NativeLibrary.load(
                new NativeLibrary.Config(null, null, "Linux", "amd64", tmp.toString(), home.toString(), null,
                        name -> jarUrl(jar, name)),
                path -> {
                    tried.add(path);
                    throw new IllegalCallerException("Illegal native access from an unnamed module");
                });
        assertEquals(1, tried.size(), tried.toString());
        assertTrue(outcome.reason().contains("native access is denied"), outcome.reason());
        assertFalse(Files.exists(home.resolve(".cache")));
    }

    @Test
    void shouldLeaveNoEmptyCacheDirectoryBehind() throws IOException {
        Path jar = jarWithLibrary();
        Path tmp = Files.createDirectories(temp.resolve("tmp"));
        Path home = Files.createDirectories(temp.resolve("home"));
        for (boolean cacheWorks : new boolean[] {true, false}) {
            NativeLibrary.Outcome outcome = NativeLibrary.load(
                    new NativeLibrary.Config(null, null, "Linux", "amd64", tmp.toString(), home.toString(), null,
                            name -> jarUrl(jar, name)),
                    path -> {
                        if (path.startsWith(tmp) || !cacheWorks) {
                            throw new UnsatisfiedLinkError(path + ": failed to map segment from shared object");
                        }
                    });
            assertEquals(cacheWorks, outcome.reason() == null, String.valueOf(outcome));
            try (Stream<Path> left = Files.list(home)) {
                assertEquals(List.of(), left.toList(), "cache worked: " + cacheWorks);
            }
        }
        // A cache directory that was there before stays.
        Path cache = Files.createDirectories(home.resolve(".cache/jasyncio"));
        NativeLibrary.load(new NativeLibrary.Config(null, null, "Linux", "amd64", tmp.toString(), home.toString(),
                null, name -> jarUrl(jar, name)), path -> {
                    throw new UnsatisfiedLinkError(path + ": failed to map segment from shared object");
                });
        assertTrue(Files.isDirectory(cache));
    }

    @Test
    void shouldRefuseRelativeAndMissingExplicitPaths() {
        List<Path> bound = new ArrayList<>();
        NativeLibrary.Outcome outcome = NativeLibrary.load(config("lib/libjasyncio.so", null, "Linux", "amd64",
                name -> null), bound::add);
        assertEquals("-Djasyncio.native.path=lib/libjasyncio.so: not an absolute path", outcome.reason());
        outcome = NativeLibrary.load(config("/no/such/libjasyncio.so", null, "Linux", "amd64", name -> null),
                bound::add);
        assertEquals("-Djasyncio.native.path=/no/such/libjasyncio.so: no such file", outcome.reason());
        assertTrue(bound.isEmpty());
    }

    @Test
    void shouldExplainUnsupportedPlatformsAndMissingResources() {
        NativeLibrary.Outcome outcome = NativeLibrary.load(config(null, null, "Mac OS X", "aarch64", name -> null),
                path -> { });
        assertTrue(outcome.reason().startsWith("no native library for Mac OS X/aarch64"), outcome.reason());
        outcome = NativeLibrary.load(config(null, null, "Linux", "riscv64", name -> null), path -> { });
        assertTrue(outcome.reason().startsWith("no native library for Linux/riscv64"), outcome.reason());
        outcome = NativeLibrary.load(config(null, null, "Linux", "aarch64", name -> null), path -> { });
        assertEquals("the class path has no native library for linux-aarch64 (resource "
                + "/META-INF/native/linux-aarch64/libjasyncio.so not found)", outcome.reason());
    }

    @Test
    void shouldLoadAFileResourceInPlace() throws IOException {
        Path file = Files.write(temp.resolve("libjasyncio.so"), FAKE_LIBRARY);
        List<Path> bound = new ArrayList<>();
        NativeLibrary.Outcome outcome = NativeLibrary.load(config(null, null, "Linux", "amd64", name -> url(file)),
                bound::add);
        assertNull(outcome.reason());
        assertEquals(List.of(file), bound);
        assertEquals(file, outcome.loadedFrom());
    }

    @Test
    void shouldExtractToTheChosenDirectoryUnderAContentName() throws IOException {
        Path jar = jarWithLibrary();
        Path dir = temp.resolve("chosen");
        List<Path> bound = new ArrayList<>();
        NativeLibrary.Config config = config(null, dir.toString(), "Linux", "x86_64", name -> jarUrl(jar, name));
        NativeLibrary.Outcome first = NativeLibrary.load(config, bound::add);
        assertNull(first.reason());
        Path library = first.loadedFrom();
        assertEquals(dir, library.getParent());
        assertTrue(library.getFileName().toString().matches("libjasyncio-[0-9a-f]{16}\\.so"), library.toString());
        assertArrayEquals(FAKE_LIBRARY, Files.readAllBytes(library));
        // Kept, and reused by the next JVM: same name, no second copy, no partial file left.
        NativeLibrary.Outcome second = NativeLibrary.load(config, bound::add);
        assertEquals(library, second.loadedFrom());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(library), files.toList());
        }
    }

    @Test
    void shouldFallBackFromANoexecTemporaryDirectoryAndSaySo() throws IOException {
        Path jar = jarWithLibrary();
        Path tmp = Files.createDirectories(temp.resolve("tmp"));
        Path home = Files.createDirectories(temp.resolve("home"));
        List<Path> bound = new ArrayList<>();
        NativeLibrary.Binder noexecTmp = path -> {
            if (path.startsWith(tmp)) {
                throw new UnsatisfiedLinkError(path + ": failed to map segment from shared object");
            }
            bound.add(path);
        };
        NativeLibrary.Outcome outcome = NativeLibrary.load(
                new NativeLibrary.Config(null, null, "Linux", "amd64", tmp.toString(), home.toString(), null,
                        name -> jarUrl(jar, name)), noexecTmp);
        assertNull(outcome.reason());
        assertTrue(outcome.loadedFrom().startsWith(home.resolve(".cache/jasyncio")), outcome.loadedFrom().toString());
        assertNotNull(outcome.note());
        assertTrue(outcome.note().contains(tmp + " did not work"), outcome.note());
        assertTrue(outcome.note().contains("noexec"), outcome.note());
        assertEquals(1, bound.size());
        // Temporary copies are deleted once loaded (the JVM keeps its mapping) or once refused.
        assertFalse(Files.exists(outcome.loadedFrom()));
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(0, left.count());
        }
    }

    @Test
    void shouldNotCreateAMissingTemporaryDirectory() throws IOException {
        Path jar = jarWithLibrary();
        Path missingTmp = temp.resolve("no-such-tmp");
        Path home = temp.resolve("home");
        List<Path> bound = new ArrayList<>();
        NativeLibrary.Outcome outcome = NativeLibrary.load(
                new NativeLibrary.Config(null, null, "Linux", "amd64", missingTmp.toString(), home.toString(), null,
                        name -> jarUrl(jar, name)), bound::add);
        assertNull(outcome.reason());
        assertFalse(Files.exists(missingTmp));
        assertTrue(outcome.loadedFrom().startsWith(home.resolve(".cache/jasyncio")), outcome.loadedFrom().toString());
        assertTrue(outcome.note().contains(missingTmp + " is not a directory"), outcome.note());
    }

    @Test
    void shouldListEveryDirectoryTriedWhenNoneWorks() throws IOException {
        Path jar = jarWithLibrary();
        Path tmp = Files.createDirectories(temp.resolve("tmp"));
        Path home = Files.createDirectories(temp.resolve("home"));
        Path jarDir = Files.createDirectories(temp.resolve("jars"));
        NativeLibrary.Outcome outcome = NativeLibrary.load(
                new NativeLibrary.Config(null, null, "Linux", "amd64", tmp.toString(), home.toString(), jarDir,
                        name -> jarUrl(jar, name)),
                path -> {
                    throw new UnsatisfiedLinkError(path + ": failed to map segment from shared object");
                });
        String reason = outcome.reason();
        assertNotNull(reason);
        assertTrue(reason.contains(tmp + " did not work"), reason);
        assertTrue(reason.contains(home.resolve(".cache/jasyncio") + " did not work"), reason);
        assertTrue(reason.contains(jarDir + " did not work"), reason);
        assertTrue(reason.endsWith("set -Djasyncio.native.dir to a directory that allows executable mappings"),
                reason);
        assertNotNull(outcome.cause());
    }

    // ---------------------------------------------------------------------------------------

    private NativeLibrary.Config config(String path, String dir, String os, String arch,
                                        Function<String, URL> resources) {
        return new NativeLibrary.Config(path, dir, os, arch, temp.resolve("tmp").toString(),
                temp.resolve("home").toString(), null, resources);
    }

    private Path jarWithLibrary() throws IOException {
        Path jar = temp.resolve("jasyncio.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out)) {
            for (String platform : List.of("linux-x86_64", "linux-aarch64")) {
                jarOut.putNextEntry(new JarEntry("META-INF/native/" + platform + "/libjasyncio.so"));
                jarOut.write(FAKE_LIBRARY);
                jarOut.closeEntry();
            }
        }
        return jar;
    }

    private static URL url(Path file) {
        try {
            return file.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new AssertionError(e);
        }
    }

    private static URL jarUrl(Path jar, String resource) {
        try {
            return java.net.URI.create("jar:" + jar.toUri() + "!" + resource).toURL();
        } catch (MalformedURLException e) {
            throw new AssertionError(e);
        }
    }

    record ProbeResult(int exitCode, String stdout, String stderr) {
    }

    /** Runs {@link LoaderProbe} in a fresh JVM: the same java, class path and native access. */
    private ProbeResult runProbe(String... jvmArgs) throws IOException, InterruptedException {
        return runProbeWithClassPath(System.getProperty("java.class.path"), jvmArgs);
    }

    private ProbeResult runProbeWithClassPath(String classPath, String... jvmArgs)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", classPath));
        command.addAll(List.of(jvmArgs));
        command.add(LoaderProbe.class.getName());
        Path out = temp.resolve("probe.out");
        Path err = temp.resolve("probe.err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "probe JVM did not finish");
        ProbeResult result = new ProbeResult(process.exitValue(), Files.readString(out), Files.readString(err));
        assertEquals(0, result.exitCode(), result.toString());
        return result;
    }
}
