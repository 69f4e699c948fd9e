package io.courtier.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidFileTest {

    @Test
    void holdsThisProcessIdUntilRemoved(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("courtier.pid");
        PidFile pid = PidFile.write(file);
        assertThat(Files.readString(file)).isEqualTo(ProcessHandle.current().pid() + "\n");
        pid.remove();
        assertThat(file).doesNotExist();
    }

    @Test
    void aFileRewrittenByAnotherProcessIsLeftToIt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("courtier.pid");
        PidFile pid = PidFile.write(file);
        Files.writeString(file, "1\n"); // the broker that owns the file now
        pid.remove();
        assertThat(file).hasContent("1\n");
    }

    @Test
    void unwritableLocationStopsStartUp(@TempDir Path dir) {
        assertThatThrownBy(() -> PidFile.write(dir.resolve("missing/courtier.pid"))).isInstanceOf(IOException.class);
    }

    @Test
    void noPidFileConfiguredWritesNothing() throws IOException {
        // Without pid_file the broker gets the do-nothing PidFile, whose removal touches no file.
        PidFile none = PidFile.write(null);
        assertThat(none).isSameAs(PidFile.NONE);
        none.remove();
    }
}
