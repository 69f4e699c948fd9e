package io.courtier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.broker.config.BrokerConfig;
import org.junit.jupiter.api.Test;

class UserDirectiveTest {

    @Test
    void userDirectivePointsToSystemdUser() {
        BrokerConfig.Builder b = BrokerConfig.builder();
        b.user = "mosquitto";
        assertThat(UserDirective.warning(b.build())).hasValueSatisfying(w -> assertThat(w)
                .startsWith("Warning: \"user mosquitto\" has no effect").contains("User=mosquitto"));
    }

    @Test
    void noUserDirectiveNoWarning() {
        assertThat(UserDirective.warning(BrokerConfig.defaults())).isEmpty();
    }
}
