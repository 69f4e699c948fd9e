package io.courtier.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Mosquitto's try_private: a bridge's CONNECT carries protocol level 0x84 (or 0x83 for 3.1). */
class BridgeBitTest {

    @Test
    void aBridgesConnectRoundTripsWithTheTopBitOfItsLevel() {
        for (MqttVersion v : new MqttVersion[] {MqttVersion.V3_1, MqttVersion.V3_1_1}) {
            Connect c = new Connect(v, "local.pi42", false, 60, null, null, null, Properties.NONE, true);
            byte[] bytes = Wire.encode(c, v);
            int levelAt = 2 + 2 + v.protocolName().length();
            assertThat(bytes[levelAt] & 0xFF).isEqualTo(v.level() | 0x80);
            Connect back = (Connect) Wire.decodeOne(null, bytes);
            assertThat(back).isEqualTo(c);
            assertThat(back.bridge()).isTrue();
            assertThat(back.version()).isEqualTo(v);
        }
    }

    @Test
    void anOrdinaryConnectHasNoBridgeBitAndMqtt5CannotCarryOne() {
        Connect c = new Connect(MqttVersion.V3_1_1, "c", true, 0, null, null, null, Properties.NONE);
        assertThat(((Connect) Wire.decodeOne(null, Wire.encode(c, MqttVersion.V3_1_1))).bridge()).isFalse();
        assertThatThrownBy(() -> new Connect(MqttVersion.V5, "c", true, 0, null, null, null, Properties.NONE, true))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
