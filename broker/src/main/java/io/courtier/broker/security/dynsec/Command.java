package io.courtier.broker.security.dynsec;

import com.fasterxml.jackson.databind.JsonNode;

/** One {@code $CONTROL/dynamic-security/v1} command: reads its request, changes the state, fills its outcome. */
@FunctionalInterface
interface Command {
    void run(DynsecData d, JsonNode request, Outcome out);
}
