package io.jasyncio.internal.signal;

import io.jasyncio.internal.natives.NativeLibrary;
import io.jasyncio.internal.natives.Signals;
import org.junit.jupiter.api.Test;
import sun.misc.Signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Signal names and numbers: the C library's table agrees with the JVM's, and names round-trip. */
class SignalNumbersTest {
    private static final String[] NAMES = {
        "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2",
        "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG",
        "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
    };

    @Test
    void shouldAgreeWithTheJvmOnEveryNamedSignal() {
        assumeTrue(NativeLibrary.isAvailable(), "needs the native library");
        int[] fromC = Signals.numbers();
        for (int i = 0; i < NAMES.length; i++) {
            int jvm = new Signal(NAMES[i]).getNumber();
            assertEquals(jvm, fromC[i], NAMES[i]);
            assertEquals(jvm, SignalNumbers.number(NAMES[i]), NAMES[i]);
            assertEquals("SIG" + NAMES[i], SignalNumbers.name(jvm));
        }
    }

    @Test
    void shouldAcceptThePrefixAnyCaseAndTheAliases() {
        int in = new Signal("INT").getNumber();
        assertEquals(in, SignalNumbers.number("SIGINT"));
        assertEquals(in, SignalNumbers.number("sigint"));
        assertEquals(in, SignalNumbers.number(" int "));
        assertEquals(new Signal("ABRT").getNumber(), SignalNumbers.number("IOT"));
        assertEquals(new Signal("CHLD").getNumber(), SignalNumbers.number("SIGCLD"));
        assertEquals(new Signal("IO").getNumber(), SignalNumbers.number("POLL"));
        assertThrows(IllegalArgumentException.class, () -> SignalNumbers.number("SIGSIGINT"));
        assertThrows(NullPointerException.class, () -> SignalNumbers.number(null));
    }

    @Test
    void shouldNumberTheRealTimeSignalsFromTheCLibrary() {
        assumeTrue(NativeLibrary.isAvailable(), "needs the native library");
        int[] fromC = Signals.numbers();
        int rtmin = fromC[NAMES.length];
        int rtmax = fromC[NAMES.length + 1];
        int nsig = fromC[NAMES.length + 2];
        assertTrue(rtmin > new Signal("SYS").getNumber() && rtmin < rtmax && rtmax < nsig);
        assertEquals(rtmin, SignalNumbers.number("RTMIN"));
        assertEquals(rtmin + 2, SignalNumbers.number("SIGRTMIN+2"));
        assertEquals(rtmax, SignalNumbers.number("rtmax"));
        assertEquals(rtmax - 1, SignalNumbers.number("RTMAX-1"));
        assertEquals("SIGRTMIN", SignalNumbers.name(rtmin));
        assertEquals("SIGRTMIN+2", SignalNumbers.name(rtmin + 2));
        assertTrue(SignalNumbers.isRealTime(rtmax));
        assertFalse(SignalNumbers.isRealTime(rtmin - 1));
        assertNull(SignalNumbers.shortName(rtmin));
        assertEquals("signal " + (rtmin - 1), SignalNumbers.name(rtmin - 1));
        assertThrows(IllegalArgumentException.class, () -> SignalNumbers.number("RTMIN-1"));
        assertThrows(IllegalArgumentException.class, () -> SignalNumbers.number("RTMAX+1"));
        assertThrows(IllegalArgumentException.class, () -> SignalNumbers.number("RTMIN+" + (rtmax - rtmin + 1)));
        assertTrue(SignalNumbers.isValid(nsig - 1));
        assertFalse(SignalNumbers.isValid(nsig));
    }
}
