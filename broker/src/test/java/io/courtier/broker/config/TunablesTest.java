package io.courtier.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class TunablesTest {

    @Test
    void withoutPropertiesTheDefaultsApply() {
        assertThat(Tunables.from(new Properties())).isEqualTo(Tunables.DEFAULTS);
    }

    @Test
    void aPropertyOverridesOneValueAndLeavesTheOthers() {
        Properties p = new Properties();
        p.setProperty("courtier.tunable.slowNoProgressMillis", "50");
        p.setProperty("courtier.tunable.memoryWindow", "10");
        Tunables t = Tunables.from(p);
        assertThat(t.slowNoProgress()).isEqualTo(Duration.ofMillis(50));
        assertThat(t.memoryWindow()).isEqualTo(10);
        assertThat(t.inboxHigh()).isEqualTo(Tunables.DEFAULTS.inboxHigh());
    }

    @Test
    void aBadValueNamesTheProperty() {
        Properties p = new Properties();
        p.setProperty("courtier.tunable.inboxHigh", "lots");
        assertThatThrownBy(() -> Tunables.from(p)).hasMessageContaining("-Dcourtier.tunable.inboxHigh=lots");
        Properties q = new Properties();
        q.setProperty("courtier.tunable.inboxLow", "5000");
        assertThatThrownBy(() -> Tunables.from(q)).hasMessageContaining("inboxLow 5000 is above inboxHigh");
    }
}
