package io.jasyncio.internal.natives;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * Loads jasyncio's C core ({@code libjasyncio.so}) once per class loader, and says why when it
 * cannot. Nothing in jasyncio calls a native method before {@link #ensureLoaded()} (or
 * {@link #isAvailable()}) has succeeded.
 *
 * <p>Where the library comes from, in order:
 * <ol>
 *   <li>{@value #PATH_PROP_NAME}: an absolute path to the library; nothing else is tried;</li>
 *   <li>the resource {@code /META-INF/native/<os>-<arch>/libjasyncio.so} ({@code os}:
 *       {@code linux}; {@code arch}: {@code x86_64} or {@code aarch64}): loaded in place when it
 *       is a plain file (a build's classes directory), else extracted to {@value #DIR_PROP_NAME}
 *       when set, else to a fresh temporary directory. A temporary directory on a {@code noexec}
 *       mount cannot hold a loadable library: then a directory under
 *       {@code ${user.home}/.cache/jasyncio} and then the jar's own directory are tried, and one
 *       log line says so. Extracted copies in temporary directories are deleted once loaded, and
 *       so is the cache directory when this loader made it.</li>
 * </ol>
 * Native access denied ({@code --illegal-native-access=deny} without
 * {@code --enable-native-access}) is no directory's fault: loading stops at the first refusal, and
 * the reason names the flag that grants access.
 * When loading fails, one line on the {@code System.Logger} named {@value #LOGGER_NAME} says why,
 * {@link #isAvailable()} is false and {@link #unavailableReason()} has the same text; the default
 * loop policy then runs the NIO loop.
 *
 * <p>Thread safe: the first call from any thread loads, later calls read the outcome.
 */
public final class NativeLibrary {

    /** System property: an absolute path to the library to load instead of the bundled one. */
    public static final String PATH_PROP_NAME = "jasyncio.native.path";
    /** System property: the directory the bundled library is extracted to. */
    public static final String DIR_PROP_NAME = "jasyncio.native.dir";
    /** The name of the logger the loader writes its one line to. */
    public static final String LOGGER_NAME = "io.jasyncio";

    /**
     * The contract between this class and the library it loads. Keep in sync with
     * {@code JASYNCIO__ABI_VERSION} in native/onload.c.
     */
    static final int ABI_VERSION = 8;

    static final String LIBRARY_FILE = "libjasyncio.so";

    private NativeLibrary() {
    }

    /** Initialized on first use, once, by the JVM's class initialization lock. */
    private static final class Holder {
        static final Outcome OUTCOME = loadAndLog();
    }

    /** What a caller sees if native code is touched from inside the loading itself. */
    private static final Outcome LOADING = Outcome.failed(
            "the library is still being loaded (a native class was used by the loading itself)", null);

    private static Outcome outcome() {
        Outcome outcome = Holder.OUTCOME;
        // Null only on the loading thread, re-entering while Holder is being initialized.
        return outcome != null ? outcome : LOADING;
    }

    /**
     * Whether the library is loaded and its natives bound. Loads it on the first call.
     *
     * @return true when native calls may be made
     */
    public static boolean isAvailable() {
        return outcome().reason() == null;
    }

    /**
     * Why the library is not available.
     *
     * @return the reason, one line, or null when the library is loaded
     */
    public static String unavailableReason() {
        return outcome().reason();
    }

    /**
     * Where the library was loaded from.
     *
     * @return the path of the library file (possibly deleted since), or null when not loaded
     */
    public static String loadedFrom() {
        Path path = outcome().loadedFrom();
        return path == null ? null : path.toString();
    }

    /**
     * Loads the library if that was not attempted yet, and fails if it is not available.
     *
     * @throws UnsatisfiedLinkError with {@link #unavailableReason()} when the library could not
     *         be loaded (its cause is the original failure, if there was one)
     */
    public static void ensureLoaded() {
        Outcome outcome = outcome();
        if (outcome.reason() != null) {
            UnsatisfiedLinkError error =
                    new UnsatisfiedLinkError("jasyncio native library unavailable: " + outcome.reason());
            if (outcome.cause() != null) {
                error.initCause(outcome.cause());
            }
            throw error;
        }
    }

    /** The library's own version of the contract; registered by native/onload.c. */
    static native int abiVersion0();

    // ---------------------------------------------------------------------------------------
    // The decision, kept apart from the JVM's global state so tests can drive it.

    /** What loading came to: a path on success, or a reason (and perhaps a cause) on failure. */
    record Outcome(Path loadedFrom, String reason, Throwable cause, String note) {
        static Outcome loaded(Path path, String note) {
            return new Outcome(path, null, null, note);
        }

        static Outcome failed(String reason, Throwable cause) {
            return new Outcome(null, reason, cause, null);
        }
    }

    /** Binds a library file to this JVM: {@code System.load} and the ABI check, in production. */
    @FunctionalInterface
    interface Binder {
        void bind(Path library);
    }

    /**
     * Everything the decision depends on.
     *
     * @param nativePath value of {@value #PATH_PROP_NAME}, or null
     * @param nativeDir value of {@value #DIR_PROP_NAME}, or null
     * @param osName {@code os.name}
     * @param osArch {@code os.arch}
     * @param tmpDir {@code java.io.tmpdir}
     * @param userHome {@code user.home}, or null
     * @param jarDir the directory of the jar holding this class, or null
     * @param resources finds a resource by absolute name, or returns null
     */
    record Config(String nativePath, String nativeDir, String osName, String osArch, String tmpDir,
                  String userHome, Path jarDir, Function<String, URL> resources) {

        static Config fromSystem() {
            return new Config(System.getProperty(PATH_PROP_NAME), System.getProperty(DIR_PROP_NAME),
                    System.getProperty("os.name", ""), System.getProperty("os.arch", ""),
                    System.getProperty("java.io.tmpdir"), System.getProperty("user.home"),
                    jarDirectory(), NativeLibrary.class::getResource);
        }
    }

    private static Outcome loadAndLog() {
        Logger logger = System.getLogger(LOGGER_NAME);
        Outcome outcome;
        try {
            outcome = load(Config.fromSystem(), NativeLibrary::bindForReal);
        } catch (Exception | LinkageError e) {
            outcome = Outcome.failed("unexpected failure while loading: " + e, e);
        }
        if (outcome.reason() != null) {
            logger.log(Level.WARNING, "jasyncio native library not loaded: " + outcome.reason());
        } else if (outcome.note() != null) {
            logger.log(Level.INFO, "jasyncio native library " + outcome.note());
        } else {
            logger.log(Level.DEBUG, "jasyncio native library loaded from " + outcome.loadedFrom());
        }
        return outcome;
    }

    private static void bindForReal(Path library) {
        System.load(library.toString());
        int abi = abiVersion0();
        if (abi != ABI_VERSION) {
            throw new UnsatisfiedLinkError(library + " has ABI version " + abi + ", this jasyncio needs "
                    + ABI_VERSION + " (a library from another jasyncio version?)");
        }
    }

    /**
     * The platform directory name under {@code META-INF/native}, or null when jasyncio has no
     * library for this OS and architecture. Keep in sync with the native-* profiles of
     * java/pom.xml, which put the library there (NativeLibraryTest checks the two agree).
     */
    static String platform(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = osArch.toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux")) {
            return null;
        }
        return switch (arch) {
            case "amd64", "x86_64", "x86-64" -> "linux-x86_64";
            case "aarch64", "arm64" -> "linux-aarch64";
            default -> null;
        };
    }

    /** Decides where the library comes from and binds it; never throws. */
    static Outcome load(Config config, Binder binder) {
        if (config.nativePath() != null) {
            return loadExplicit(config.nativePath(), binder);
        }
        String platform = platform(config.osName(), config.osArch());
        if (platform == null) {
            return Outcome.failed("no native library for " + config.osName() + "/" + config.osArch()
                    + " (jasyncio's C core is built for linux-x86_64 and linux-aarch64)", null);
        }
        String resource = "/META-INF/native/" + platform + "/" + LIBRARY_FILE;
        URL url = config.resources().apply(resource);
        if (url == null) {
            return Outcome.failed("the class path has no native library for " + platform
                    + " (resource " + resource + " not found)", null);
        }
        if (config.nativeDir() == null && "file".equals(url.getProtocol())) {
            try {
                Path inPlace = Path.of(url.toURI());
                return bind(inPlace, binder, null);
            } catch (URISyntaxException | IllegalArgumentException e) {
                // An odd file URL: extract it like any other resource.
            }
        }
        byte[] bytes;
        try (InputStream in = url.openStream()) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            return Outcome.failed("cannot read resource " + resource + ": " + e, e);
        }
        if (config.nativeDir() != null) {
            return extractToChosenDir(Path.of(config.nativeDir()), bytes, binder);
        }
        return extractToTemporaryDir(config, bytes, binder);
    }

    private static Outcome loadExplicit(String value, Binder binder) {
        String where = "-D" + PATH_PROP_NAME + "=" + value;
        if (value.isBlank()) {
            return Outcome.failed(where + ": empty path", null);
        }
        Path path;
        try {
            path = Path.of(value);
        } catch (IllegalArgumentException e) {
            return Outcome.failed(where + ": not a path (" + e.getMessage() + ")", e);
        }
        if (!path.isAbsolute()) {
            return Outcome.failed(where + ": not an absolute path", null);
        }
        if (!Files.isRegularFile(path)) {
            return Outcome.failed(where + ": no such file", null);
        }
        Outcome outcome = bind(path, binder, null);
        return outcome.reason() == null ? outcome
                : Outcome.failed(where + ": " + outcome.reason(), outcome.cause());
    }

    private static Outcome bind(Path library, Binder binder, String note) {
        try {
            binder.bind(library);
            return Outcome.loaded(library, note);
        } catch (IllegalCallerException e) {
            // --illegal-native-access=deny: no file or directory would do better.
            return Outcome.failed(deniedReason(e), e);
        } catch (Exception | LinkageError e) {
            // Exception: JNI_OnLoad rethrows what failed (a ClassNotFoundException, checked, for a
            // class missing from the class path); IllegalCallerException under
            // --illegal-native-access=deny.
            String message = Objects.requireNonNullElse(e.getMessage(), e.toString());
            // dlopen's message repeats the path ("/x.so: /x.so: failed to map segment ..."); say it once.
            String prefix = library + ": ";
            while (message.startsWith(prefix)) {
                message = message.substring(prefix.length());
            }
            return Outcome.failed("loading " + library + " failed: " + message, e);
        }
    }

    /**
     * The JVM refuses native access to jasyncio ({@code --illegal-native-access=deny}, the default
     * of a future JDK): the reason, with the flag that grants it.
     */
    static String deniedReason(IllegalCallerException e) {
        Module module = NativeLibrary.class.getModule();
        String grant = module.isNamed()
                ? "--enable-native-access=" + module.getName()
                : "--enable-native-access=ALL-UNNAMED (jasyncio is on the class path; as a module, "
                        + "--enable-native-access=io.jasyncio)";
        return "native access is denied (" + Objects.requireNonNullElse(e.getMessage(), e.toString())
                + "): run java with " + grant;
    }

    private static boolean denied(Outcome outcome) {
        return outcome.cause() instanceof IllegalCallerException;
    }

    /**
     * A directory the user chose: the library goes there under a name that carries its content
     * hash, written to a temporary name and renamed, so JVMs sharing the directory never see a
     * half-written file and never overwrite a library another JVM has mapped. It is kept for
     * the next run.
     */
    private static Outcome extractToChosenDir(Path dir, byte[] bytes, Binder binder) {
        String where = "-D" + DIR_PROP_NAME + "=" + dir;
        Path target = dir.resolve("libjasyncio-" + shortHash(bytes) + ".so");
        try {
            Files.createDirectories(dir);
            if (!sameContent(target, bytes)) {
                Path partial = Files.createTempFile(dir, "libjasyncio-", ".so.partial");
                try {
                    Files.write(partial, bytes);
                    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(partial);
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            return Outcome.failed(where + ": cannot extract the library: " + e, e);
        }
        Outcome outcome = bind(target, binder, null);
        return outcome.reason() == null ? outcome
                : Outcome.failed(where + ": " + outcome.reason() + hintFor(outcome.cause()), outcome.cause());
    }

    /**
     * No directory chosen: a fresh directory under java.io.tmpdir, then (a noexec /tmp) under
     * ~/.cache/jasyncio, then next to the jar. The copy is deleted right after loading; the JVM
     * keeps its mapping.
     */
    private static Outcome extractToTemporaryDir(Config config, byte[] bytes, Binder binder) {
        // Only the cache directory is ours to create; the others must exist already.
        List<Path> bases = new ArrayList<>();
        Path cache = null;
        if (config.tmpDir() != null) {
            bases.add(Path.of(config.tmpDir()));
        }
        if (config.userHome() != null) {
            cache = Path.of(config.userHome(), ".cache", "jasyncio");
            bases.add(cache);
        }
        if (config.jarDir() != null) {
            bases.add(config.jarDir());
        }
        List<String> failures = new ArrayList<>();
        Throwable firstCause = null;
        for (Path base : bases) {
            Path dir = null;
            Path file = null;
            Path created = null;
            try {
                if (base.equals(cache)) {
                    created = firstMissing(base);
                    Files.createDirectories(base);
                } else if (!Files.isDirectory(base)) {
                    failures.add(base + " is not a directory");
                    continue;
                }
                dir = Files.createTempDirectory(base, "jasyncio-");
                file = dir.resolve(LIBRARY_FILE);
                Files.write(file, bytes);
                String note = failures.isEmpty() ? null
                        : "loaded from " + file + " because " + String.join("; ", failures);
                Outcome outcome = bind(file, binder, note);
                if (outcome.reason() == null || denied(outcome)) {
                    return outcome;
                }
                failures.add(base + " did not work (" + outcome.reason() + hintFor(outcome.cause()) + ")");
                firstCause = firstCause != null ? firstCause : outcome.cause();
            } catch (IOException | UnsupportedOperationException e) {
                failures.add("cannot extract to " + base + " (" + e + ")");
                firstCause = firstCause != null ? firstCause : e;
            } finally {
                deleteQuietly(file);
                deleteQuietly(dir);
                // The copy is gone either way: no empty cache directory stays behind.
                deleteEmpty(base, created);
            }
        }
        if (failures.isEmpty()) {
            return Outcome.failed("no directory to extract the library to (java.io.tmpdir, user.home unset); set -D"
                    + DIR_PROP_NAME, null);
        }
        return Outcome.failed(String.join("; ", failures) + "; set -D" + DIR_PROP_NAME
                + " to a directory that allows executable mappings", firstCause);
    }

    /** The outermost directory of {@code dir} (itself included) that does not exist yet, or null. */
    private static Path firstMissing(Path dir) {
        Path missing = null;
        for (Path p = dir.toAbsolutePath(); p != null && !Files.exists(p); p = p.getParent()) {
            missing = p;
        }
        return missing;
    }

    /** Deletes {@code dir} and its parents up to {@code upTo} (which this loader made) while empty. */
    private static void deleteEmpty(Path dir, Path upTo) {
        if (upTo == null) {
            return;
        }
        for (Path p = dir.toAbsolutePath(); p != null && p.startsWith(upTo); p = p.getParent()) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException notEmpty) {
                // Another JVM's copy is there: it is in use.
                return;
            }
        }
    }

    private static String hintFor(Throwable cause) {
        String message = cause == null ? null : cause.getMessage();
        if (message != null && (message.contains("failed to map segment") || message.contains("Operation not permitted"))) {
            return " - is it on a noexec mount?";
        }
        return "";
    }

    private static boolean sameContent(Path file, byte[] bytes) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) != bytes.length) {
            return false;
        }
        return Arrays.equals(Files.readAllBytes(file), bytes);
    }

    private static String shortHash(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    private static void deleteQuietly(Path path) {
        if (path == null) {
            return;
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // A leftover copy in a temporary directory is harmless.
        }
    }

    private static Path jarDirectory() {
        try {
            CodeSource source = NativeLibrary.class.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                return null;
            }
            Path location = Path.of(source.getLocation().toURI());
            return Files.isRegularFile(location) ? location.getParent() : null;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}
