package io.jasyncio.examples.seed;

import io.jasyncio.Asyncio;
import io.jasyncio.Stdio;
import io.jasyncio.Subprocess;
import io.jasyncio.SubprocessOptions;

import java.nio.charset.StandardCharsets;

/**
 * asyncio's subprocess example ({@code run('ls /zzz')} with {@code create_subprocess_shell}):
 * runs a shell command, prints how it exited and what it wrote to stdout and stderr.
 */
public final class SubprocessShellLs {
    private SubprocessShellLs() {
    }

    static Void run(String cmd) throws Exception {
        Subprocess proc = Asyncio.createSubprocessShell(cmd,
                new SubprocessOptions().stdout(Stdio.PIPE).stderr(Stdio.PIPE)).await();
        Subprocess.Output out = proc.communicate().await();
        System.out.println("[" + cmd + " exited with " + proc.returncode() + "]");
        if (out.stdout().length > 0) {
            System.out.println("[stdout]\n" + new String(out.stdout(), StandardCharsets.UTF_8).stripTrailing());
        }
        if (out.stderr().length > 0) {
            System.out.println("[stderr]\n" + new String(out.stderr(), StandardCharsets.UTF_8).stripTrailing());
        }
        return null;
    }

    public static void main(String[] args) {
        Asyncio.run(() -> run(args.length > 0 ? String.join(" ", args) : "ls /zzz"));
    }
}
