package io.courtier.broker.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** The skip rule itself: an absent program skips a test outside CI (under CI it fails instead). */
class MosquittoToolsTest {

    @Test
    void anAbsentProgramSkipsOutsideCi() {
        assumeFalse(MosquittoTools.underCi(), "under CI an absent program fails the test, by design");
        assertThat(MosquittoTools.find("no-such-mosquitto-tool")).isEmpty();
        assertThatThrownBy(() -> MosquittoTools.require("no-such-mosquitto-tool"))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("no-such-mosquitto-tool is not installed");
    }

    @Test
    void anAbsentProgramFailsUnderCi() {
        org.junit.jupiter.api.Assumptions.assumeTrue(MosquittoTools.underCi(), "only meaningful with CI set");
        assertThatThrownBy(() -> MosquittoTools.require("no-such-mosquitto-tool"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("CI is set");
    }
}
