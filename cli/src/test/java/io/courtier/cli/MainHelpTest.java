package io.courtier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code courtier -h}: a mosquitto user's first try must show how to start the broker. */
class MainHelpTest {

    @Test
    void topLevelHelpShowsTheBrokersFlags() {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            status = Main.run("-h");
        } finally {
            System.setOut(saved);
        }
        assertThat(status).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("pub", "sub", "passwd")
                .contains("courtier [-c FILE] [-p PORT] [-d] [-v]");
    }
}
