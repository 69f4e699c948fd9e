package io.courtier.broker.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code include_dir}: which files, in which order, and what may not be included. */
class IncludeDirTest {

    @TempDir
    Path tmp;
    ConfigFiles files;

    @BeforeEach
    void setUp() {
        files = new ConfigFiles(tmp);
    }

    @Test
    void readsConfFilesInMosquittosOrder() throws Exception {
        // Debian's mosquitto 2.0.11 opens these in the order 00, 01, A, a, B, b (its man page agrees).
        String[] names = {"b", "A", "01", "a", "B", "00"};
        for (int i = 0; i < names.length; i++) {
            files.write("conf.d/" + names[i] + ".conf", "listener " + (10001 + i));
        }
        files.write("conf.d/ignored.txt", "listener 1");
        files.write("conf.d/README", "not a directive");
        BrokerConfig c = files.config("include_dir " + files.path("conf.d"));
        assertThat(c.listeners()).extracting(ListenerConfig::port)
                .containsExactly(10006, 10003, 10002, 10004, 10005, 10001);
    }

    @Test
    void eachIncludeDirIsReadCompletelyInTurn() throws Exception {
        files.write("one.d/B.conf", "listener 2");
        files.write("one.d/C.conf", "listener 3");
        files.write("two.d/A.conf", "listener 1");
        files.write("two.d/D.conf", "listener 4");
        BrokerConfig c = files.config("include_dir " + files.path("one.d"), "include_dir " + files.path("two.d"));
        assertThat(c.listeners()).extracting(ListenerConfig::port).containsExactly(2, 3, 1, 4);
    }

    @Test
    void includedFilesContinueTheMainFilesState() throws Exception {
        files.write("conf.d/10-lan.conf", "allow_anonymous true", "max_connections 5");
        BrokerConfig c = files.config("listener 1883", "include_dir " + files.path("conf.d"), "sys_interval 3");
        assertThat(c.listeners()).singleElement().extracting(ListenerConfig::maxConnections).isEqualTo(5);
        assertThat(c.allowAnonymous(c.listeners().get(0))).isTrue();
        assertThat(c.sysInterval()).isEqualTo(3);
    }

    @Test
    void errorsNameTheIncludedFileAndLine() throws Exception {
        files.write("conf.d/a.conf", "# first", "max_qos 7");
        assertThat(files.error("listener 0", "include_dir " + files.path("conf.d")))
                .isEqualTo("conf.d/a.conf:2: Invalid max_qos value (7): must be between 0 and 2.");
    }

    @Test
    void includeDirOnlyFromTheMainFile() throws Exception {
        files.write("conf.d/a.conf", "include_dir " + files.path("other.d"));
        Files.createDirectories(tmp.resolve("other.d"));
        assertThat(files.error("listener 0", "include_dir " + files.path("conf.d")))
                .isEqualTo("conf.d/a.conf:1: include_dir is only read from the main configuration file.");
    }

    @Test
    void unreadableIncludeIsAnError() throws Exception {
        files.write("notadir", "x");
        assertThat(files.error("listener 0", "include_dir " + files.path("notadir")))
                .isEqualTo("test.conf:2: Unable to open include_dir 'notadir' (not a directory).");
    }

    @Test
    void theMainFileMayNotBeInTheIncludedDirectory() throws Exception {
        assertThat(files.error("listener 0", "include_dir " + tmp))
                .isEqualTo("test.conf:2: include_dir '" + tmp + "' contains the main configuration file "
                        + "test.conf.");
    }

    @Test
    void emptyIncludeDirIsFine() throws Exception {
        Files.createDirectories(tmp.resolve("empty.d"));
        assertThat(files.config("include_dir " + files.path("empty.d")).localOnly()).isTrue();
    }
}
