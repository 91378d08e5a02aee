package io.jasyncio.compat;

import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.KeyboardInterruptError;
import io.jasyncio.SystemExitError;
import io.jasyncio.TimerHandle;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Collections;

/**
 * One run of {@link Asyncore#loop}: asyncore's {@code poll} repeated on a jasyncio loop, as
 * callbacks, so the loop runs tasks and other callbacks between rounds.
 *
 * <p>A round asks every dispatcher in the map {@code readable()} and {@code writable()} and
 * watches the answers (re-registered each round: a fresh callback cancels any stale one the loop
 * had queued from an earlier poll, so a round only sees readiness reported after it began). The
 * first readiness callback, or the timeout, ends the wait; the readiness callbacks of the same
 * poll run in the same loop pass, so the round then sees every socket ready at that poll, as
 * {@code select} would return them, and dispatches reads first, then writes, in map order.
 */
final class MapDriver {
    private final EventLoop loop;
    private final double timeout;
    private final Map<Integer, Dispatcher> map;
    private int count;
    final Future<Void> done;

    private final Set<Dispatcher> watched = Collections.newSetFromMap(new IdentityHashMap<>());
    private List<Map.Entry<Integer, Dispatcher>> round = List.of();
    private boolean waiting;
    private TimerHandle timer;

    MapDriver(EventLoop loop, double timeout, Map<Integer, Dispatcher> map, int count) {
        this.loop = loop;
        this.timeout = Math.max(0, timeout);
        this.map = map;
        this.count = count;
        this.done = loop.createFuture();
    }

    /** Starts the next round, or finishes when the map is empty or the count is used up. */
    void step() {
        if (done.done()) {
            return;
        }
        if (map.isEmpty() || count == 0) {
            finish(null);
            return;
        }
        if (count > 0) {
            count--;
        }
        boolean any = false;
        round = new ArrayList<>(map.entrySet());
        try {
            Set<Dispatcher> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Map.Entry<Integer, Dispatcher> e : round) {
                Dispatcher d = e.getValue();
                boolean r = d.readable();
                boolean w = d.writable() && !d.accepting;
                seen.add(d);
                any |= watch(d, r, w);
            }
            for (var it = watched.iterator(); it.hasNext(); ) {
                Dispatcher d = it.next();
                if (!seen.contains(d)) {
                    it.remove();
                    d.unwatch();
                }
            }
        } catch (RuntimeException | Error e) {
            finish(e);
            return;
        }
        // Nothing to watch: asyncore sleeps for the timeout.
        waiting = any;
        timer = loop.callLater(timeout, this::endWait);
    }

    /** Watches {@code d} as asked; returns whether it is watched at all. */
    private boolean watch(Dispatcher d, boolean r, boolean w) {
        Endpoint ep = d.endpoint;
        d.readyRead = false;
        d.readyWrite = false;
        if (ep == null || ep.isClosed()) {
            return false;
        }
        if (d.watchLoop != null && d.watchLoop != loop) {
            d.unwatch();
        }
        d.watchLoop = loop;
        watched.add(d);
        if (r) {
            ep.addReader(loop, () -> ready(d, true));
            d.watchingRead = true;
        } else if (d.watchingRead) {
            ep.removeReader(loop);
            d.watchingRead = false;
        }
        if (w) {
            ep.addWriter(loop, () -> ready(d, false));
            d.watchingWrite = true;
        } else if (d.watchingWrite) {
            ep.removeWriter(loop);
            d.watchingWrite = false;
        }
        return r || w;
    }

    private void ready(Dispatcher d, boolean read) {
        if (read) {
            d.readyRead = true;
        } else {
            d.readyWrite = true;
        }
        if (waiting) {
            // The rest of this poll's readiness callbacks are already queued ahead of this one.
            waiting = false;
            timer.cancel();
            loop.callSoon(this::endWait);
        }
    }

    /** The wait ended: dispatches what was ready, then starts the next round. */
    private void endWait() {
        if (done.done()) {
            return;
        }
        waiting = false;
        List<Integer> reads = new ArrayList<>();
        List<Integer> writes = new ArrayList<>();
        for (Map.Entry<Integer, Dispatcher> e : round) {
            Dispatcher d = e.getValue();
            if (d.readyRead) {
                reads.add(e.getKey());
            }
            if (d.readyWrite) {
                writes.add(e.getKey());
            }
            d.readyRead = false;
            d.readyWrite = false;
        }
        round = List.of();
        try {
            for (Integer key : reads) {
                Dispatcher d = map.get(key);
                if (d != null) {
                    dispatch(d, true);
                }
            }
            for (Integer key : writes) {
                Dispatcher d = map.get(key);
                if (d != null) {
                    dispatch(d, false);
                }
            }
        } catch (KeyboardInterruptError | SystemExitError e) {
            finish(null);
            throw e;
        } catch (Throwable e) {
            finish(e);
            return;
        }
        step();
    }

    /** asyncore's {@code read}/{@code write}: an exception goes to the handler's handleError. */
    private static void dispatch(Dispatcher d, boolean read) throws Exception {
        try {
            if (read) {
                d.handleReadEvent();
            } else {
                d.handleWriteEvent();
            }
        } catch (Exception e) {
            d.handleError(e);
        }
    }

    /** Stops watching everything and completes the run. */
    private void finish(Throwable error) {
        if (timer != null) {
            timer.cancel();
        }
        waiting = false;
        for (Dispatcher d : watched) {
            if (d.watchLoop == loop) {
                d.unwatch();
            }
        }
        watched.clear();
        if (!done.done()) {
            if (error == null) {
                done.setResult(null);
            } else {
                done.setException(error);
            }
        }
    }

    /** The run was cancelled from outside (its future). */
    void cancelled() {
        finish(null);
    }
}
