package io.courtier.cli.client;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The tools' stdout: buffered, flushed once per message so a pipe sees every message as it
 * arrives without a system call per byte. Written from the client's event loop; the lock is
 * uncontended (the main thread only flushes at exit).
 */
public final class Output {

    private final OutputStream out;

    /** Wraps the current {@code System.out} (tests swap it before running a command). */
    public Output(PrintStream stdout) {
        this.out = new BufferedOutputStream(stdout, 1 << 16);
    }

    public synchronized void write(ByteArrayOutputStream bytes) {
        try {
            bytes.writeTo(out);
            out.flush();
        } catch (IOException e) {
            // stdout is gone (a closed pipe): nothing left to tell anyone.
        }
    }

    public synchronized void line(String text) {
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            // As above.
        }
    }

    public synchronized void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            // As above.
        }
    }
}
