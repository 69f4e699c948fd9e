package io.courtier.broker.config;

/**
 * mosquitto-go-auth's {@code http} backend: {@code auth_opt_http_*}. Defaults are go-auth's:
 * POST, JSON parameters, the status code decides, 5 s timeout.
 *
 * @param superuserUri null when not set: nobody is a superuser
 */
public record HttpBackendConfig(String host, int port, boolean withTls, String getuserUri, String superuserUri,
                                String aclcheckUri, String paramsMode, String responseMode, int timeoutSeconds,
                                String method) {
}
