package io.courtier.broker.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The keep-alive deadline is 1.5 x the client's keep-alive [MQTT-3.1.2-24]; 0 turns it off. */
class KeepAliveTest {

    @ParameterizedTest(name = "keepalive {0} s -> closed after {1} ms of silence")
    @CsvSource({"0, 0", "1, 1500", "2, 3000", "60, 90000", "65535, 98302500"})
    void closesAfterOneAndAHalfKeepAlives(int keepAliveSeconds, long expectedMillis) {
        assertThat(KeepAlive.timeoutMillis(keepAliveSeconds)).isEqualTo(expectedMillis);
    }
}
