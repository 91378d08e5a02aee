package io.jasyncio.internal.strand;

/**
 * The hand-off counters of one loop thread (see {@link HandOffStrand}), for benchmarks and
 * diagnostics: how often its hand-off strands were resumed, how long each side spun waiting for
 * the turn, and how many waits ended in a park (a wake-up of tens of µs).
 *
 * @param resumes       resumes of hand-off strands by this thread
 * @param loopSpinNanos time this thread spun waiting for a resumed body to suspend
 * @param loopParks     resumes after which this thread parked (its spin, if any, ran out)
 * @param bodySpins     suspensions after which a body spun waiting to be resumed
 * @param bodySpinNanos time bodies spun waiting to be resumed
 * @param bodyParks     suspensions after which a body parked (spin ran out, was cut short or skipped)
 */
public record HandOffStats(long resumes, long loopSpinNanos, long loopParks,
                           long bodySpins, long bodySpinNanos, long bodyParks) {

    /** The counters of the calling thread's hand-offs so far (call it on the loop's thread). */
    public static HandOffStats ofCurrentThread() {
        HandOffStrand.Lane l = HandOffStrand.lane();
        return new HandOffStats(l.resumes, l.loopSpinNanos, l.loopParks, l.bodySpins, l.bodySpinNanos, l.bodyParks);
    }

    /** The hand-off mode this JVM uses, e.g. {@code "spin (loop spins 20 µs, body 20 µs)"}. */
    public static String configuration() {
        return HandOffStrand.CONFIG;
    }
}
