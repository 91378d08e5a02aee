package io.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.internal.natives.NativeLibrary;
import io.jasyncio.internal.strand.Strands;
import java.lang.module.ModuleDescriptor;
import java.net.URI;
import java.net.URL;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * jasyncio as its users run it: the packaged jar on the module path as the named module
 * {@code io.jasyncio}, with {@code --enable-native-access=io.jasyncio} and
 * {@code --add-opens java.base/java.lang=io.jasyncio}. Failsafe runs this (and TaskEpollTest)
 * after packaging, with these tests patched into the module and the JVM started with
 * {@code --illegal-native-access=deny}, so native access granted to anything but the module
 * would make the library fail to load instead of printing a warning (java/pom.xml).
 */
class ModulePathIT {

    private static final Module MODULE = Asyncio.class.getModule();

    @Test
    void jasyncioIsTheNamedModuleOfThePackagedJar() {
        assertEquals("io.jasyncio", MODULE.getName());
        URI location = MODULE.getLayer().configuration().findModule("io.jasyncio").orElseThrow()
                .reference().location().orElseThrow();
        assertTrue(location.getPath().endsWith(".jar"), "io.jasyncio comes from " + location);
        // The descriptor the build adds to the jar with the toolchain's jar tool.
        ModuleDescriptor descriptor = MODULE.getDescriptor();
        Set<String> exported = descriptor.exports().stream().map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet());
        assertEquals(Set.of("io.jasyncio", "io.jasyncio.compat"), exported);
        assertTrue(descriptor.requires().stream().anyMatch(r -> r.name().equals("jdk.unsupported")));
    }

    @Test
    void theCLibraryLoadsFromInsideTheJarWithNativeAccessForTheModule() {
        assertTrue(MODULE.isNativeAccessEnabled(), "--enable-native-access=io.jasyncio");
        String platform = System.getProperty("jasyncio.build.platform");
        assertNotNull(platform, "run by the Maven build, which says where it put the library");
        URL bundled = NativeLibrary.class.getResource("/META-INF/native/" + platform + "/libjasyncio.so");
        assertNotNull(bundled, "no library for " + platform + " in the jar");
        assertEquals("jar", bundled.getProtocol(), "read from the jar, so extracted: " + bundled);
        assertTrue(NativeLibrary.isAvailable(), NativeLibrary.unavailableReason());
        assertFalse(NativeLibrary.loadedFrom().contains("/target/classes/"), NativeLibrary.loadedFrom());
        try (EventLoop loop = Asyncio.newEventLoop()) {
            assertEquals(SelectorEventLoop.Backend.EPOLL, ((SelectorEventLoop) loop).backend());
        }
    }

    @Test
    void tasksAreVirtualThreadsScheduledByTheLoop() {
        assertEquals(Strands.Kind.LOOP_SCHEDULED, Strands.kind(), "--add-opens java.base/java.lang=io.jasyncio");
        List<String> got = Asyncio.run(() -> {
            Task<String> a = Asyncio.createTask(() -> Asyncio.sleep(0.002, "a").await());
            Task<String> b = Asyncio.createTask(() -> Asyncio.sleep(0.001, "b").await());
            String where = Thread.currentThread().isVirtual() ? "virtual" : "platform";
            return List.of(where, a.await(), b.await());
        });
        assertEquals(List.of("virtual", "a", "b"), got);
    }
}
