package io.courtier.broker.security;

/** Topic permissions, checked on PUBLISH, SUBSCRIBE and at each delivery. */
public interface Authorizer {

    Authorizer ALLOW_ALL = new Authorizer() {
        @Override
        public boolean canPublish(String clientId, String username, String topic) {
            return true;
        }

        @Override
        public boolean canSubscribe(String clientId, String username, String filter) {
            return true;
        }

        @Override
        public boolean canReceive(String clientId, String username, String topic) {
            return true;
        }
    };

    boolean canPublish(String clientId, String username, String topic);

    boolean canSubscribe(String clientId, String username, String filter);

    boolean canReceive(String clientId, String username, String topic);
}
