package io.courtier.broker.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IoThreadsTest {

    @Test
    void leavesOneCoreToTheJvmAndTheKernel() {
        assertThat(IoThreads.parse(null, 8)).isEqualTo(7);
        assertThat(IoThreads.parse("", 4)).isEqualTo(3);
        assertThat(IoThreads.parse(null, 2)).isEqualTo(1);
    }

    @Test
    void neverFewerThanOne() {
        assertThat(IoThreads.parse(null, 1)).isEqualTo(1);
    }

    @Test
    void theOperatorsCountWins() {
        assertThat(IoThreads.parse("6", 2)).isEqualTo(6);
        assertThat(IoThreads.parse(" 1 ", 16)).isEqualTo(1);
    }

    @Test
    void aBadCountSaysWhatIsWrong() {
        assertThatThrownBy(() -> IoThreads.parse("0", 4))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("-Dcourtier.ioThreads must be a whole number of 1 or more, not '0'.");
        assertThatThrownBy(() -> IoThreads.parse("many", 4))
                .hasMessage("-Dcourtier.ioThreads must be a whole number of 1 or more, not 'many'.");
    }
}
