package io.courtier.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** The skip rule itself: an absent program skips a test outside CI (under CI it fails instead). */
class ExternalTest {

    @Test
    void anAbsentProgramSkipsOutsideCi() {
        assumeFalse(External.underCi(), "under CI an absent program fails the test, by design");
        assertThat(External.find("no-such-mosquitto-tool")).isEmpty();
        assertThatThrownBy(() -> External.require("no-such-mosquitto-tool"))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("no-such-mosquitto-tool is not installed");
        assertThatThrownBy(() -> External.requirePresent(false, "a browser"))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("a browser is not installed");
    }

    @Test
    void anAbsentProgramFailsUnderCi() {
        assumeTrue(External.underCi(), "only meaningful with CI set");
        assertThatThrownBy(() -> External.require("no-such-mosquitto-tool"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("CI is set");
        assertThatThrownBy(() -> External.requirePresent(false, "a browser"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("CI is set");
    }

    @Test
    void aPresentProgramIsFoundAndRuns() {
        // sh is part of every system these tests run on, so this checks the lookup and the run.
        assertThat(External.require("sh")).isExecutable();
        External.Result r = External.run("sh", "-c", "echo out; echo err >&2; exit 3");
        assertThat(r).isEqualTo(new External.Result(3, "out\n", "err\n"));
        assertThat(External.run(java.util.List.of("cat"), "from stdin").stdout()).isEqualTo("from stdin");
    }
}
