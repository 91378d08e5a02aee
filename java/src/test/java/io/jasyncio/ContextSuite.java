package io.jasyncio;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** contextvars semantics: callbacks and tasks carry the context of their creation. */
@Tag("tasks")
abstract class ContextSuite extends LoopTestBase {
    private static final ContextVar<String> REQUEST = new ContextVar<>("request", "none");

    @Test
    void contextVarGetSetReset() {
        ContextVar<Integer> noDefault = new ContextVar<>("n");
        Context ctx = new Context();
        ctx.run(() -> {
            assertThrows(NoSuchElementException.class, noDefault::get);
            assertEquals(7, noDefault.get(7));
            ContextVar.Token<Integer> t1 = noDefault.set(1);
            assertFalse(t1.hadOldValue());
            ContextVar.Token<Integer> t2 = noDefault.set(2);
            assertEquals(1, t2.oldValue());
            assertEquals(2, noDefault.get());
            noDefault.reset(t2);
            assertEquals(1, noDefault.get());
            assertThrows(IllegalStateException.class, () -> noDefault.reset(t2));
            noDefault.reset(t1);
            assertThrows(NoSuchElementException.class, noDefault::get);
            assertEquals("none", REQUEST.get());
        });
        assertEquals(0, ctx.size());
        assertThrows(IllegalStateException.class, () -> ctx.run(() -> ctx.run(() -> { })), "entered twice");
    }

    @Test
    void aTokenFromAnotherContextIsRefused() {
        ContextVar.Token<String>[] token = new ContextVar.Token[1];
        new Context().run(() -> {
            token[0] = REQUEST.set("a");
        });
        new Context().run(() -> {
            assertThrows(IllegalArgumentException.class, () -> REQUEST.reset(token[0]));
        });
    }

    @Test
    void callbacksRunInTheContextTheyWereScheduledIn() {
        List<String> seen = new ArrayList<>();
        Context a = new Context();
        a.run(() -> {
            REQUEST.set("A");
            loop.callSoon(() -> seen.add(REQUEST.get()));
            loop.callLater(0.001, () -> seen.add("timer " + REQUEST.get()));
        });
        loop.callSoon(() -> seen.add(REQUEST.get()));
        Context b = new Context();
        b.run(() -> {
            REQUEST.set("B");
        });
        loop.callSoon(() -> seen.add(REQUEST.get()), b);
        loop.callLater(0.002, loop::stop);
        loop.runForever();
        assertEquals(List.of("A", "none", "B", "timer A"), seen);
    }

    @Test
    void aTaskRunsInACopyOfItsCreatorsContext() {
        Context outer = new Context();
        String[] afterTask = new String[1];
        List<String> seen = run(() -> outer.call(() -> {
            REQUEST.set("outer");
            Task<List<String>> child = Asyncio.createTask(() -> {
                List<String> in = new ArrayList<>();
                in.add(REQUEST.get());
                REQUEST.set("child");
                Asyncio.sleep(0).await();
                in.add(REQUEST.get());
                Future<String> f = Asyncio.getRunningLoop().createFuture();
                f.addDoneCallback(x -> in.add("callback " + REQUEST.get()));
                f.setResult("x");
                Asyncio.sleep(0).await();
                Asyncio.sleep(0).await();
                return in;
            });
            List<String> r = child.await();
            afterTask[0] = REQUEST.get();
            assertSame(child.getContext().get(REQUEST), "child");
            return r;
        }));
        assertEquals(List.of("outer", "child", "callback child"), seen);
        assertEquals("outer", afterTask[0], "a task's changes stay inside it");
        assertNull(outer.get(new ContextVar<String>("other")));
        assertTrue(outer.containsKey(REQUEST));
    }

    @Test
    void createTaskWithAnExplicitContext() {
        Context given = new Context();
        given.run(() -> {
            REQUEST.set("given");
        });
        Task<String> t = loop.createTask(() -> REQUEST.get(), "t", given);
        assertEquals("given", run(t));
        assertSame(given, t.getContext());
    }
}
