package io.courtier.broker.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courtier.broker.Broker;
import io.courtier.broker.testing.TestBroker;
import org.junit.jupiter.api.Test;

/** A port already taken stops start-up with the system's reason, in mosquitto's words. */
class ListenerBindErrorTest {

    @Test
    void aPortInUseIsReportedAsMosquittoDoes() {
        try (TestBroker first = TestBroker.start()) {
            int taken = first.broker().port();
            assertThatThrownBy(() -> Broker.start(TestBroker.config(b -> b.listener(taken)), TestBroker.VERSION))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Cannot listen on ")
                    .hasMessageEndingWith(":" + taken + ": Address already in use");
        }
    }

    @Test
    void nativeSyscallPrefixIsDropped() {
        assertThat(Listeners.bindError(new Exception("bind(..) failed with error(-98): Address already in use")))
                .isEqualTo("Address already in use");
        assertThat(Listeners.bindError(new Exception("Cannot assign requested address")))
                .isEqualTo("Cannot assign requested address");
    }
}
