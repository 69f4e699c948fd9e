package io.courtier.broker.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.junit.jupiter.api.Test;

/** The reasons users read when a file cannot be opened: strerror's words, as Mosquitto prints them. */
class IoErrorTextTest {

    @Test
    void javasTypedErrorsReadAsStrerror() {
        assertThat(IoErrorText.of(new NoSuchFileException("/etc/x"))).isEqualTo("No such file or directory");
        assertThat(IoErrorText.of(new AccessDeniedException("/etc/x"))).isEqualTo("Permission denied");
        assertThat(IoErrorText.of(new NotDirectoryException("/etc/x"))).isEqualTo("Not a directory");
    }

    @Test
    void inASentenceTheyStartLowerCase() {
        assertThat(IoErrorText.inSentence(new NoSuchFileException("/etc/x"))).isEqualTo("no such file or directory");
        assertThat(IoErrorText.inSentence(new AccessDeniedException("/etc/x"))).isEqualTo("permission denied");
    }

    @Test
    void anotherErrorKeepsItsOwnMessageOrItsTypeName() {
        assertThat(IoErrorText.of(new IOException("Disk quota exceeded"))).isEqualTo("Disk quota exceeded");
        assertThat(IoErrorText.inSentence(new IOException("Disk quota exceeded"))).isEqualTo("Disk quota exceeded");
        assertThat(IoErrorText.of(new IOException())).isEqualTo("IOException");
    }
}
