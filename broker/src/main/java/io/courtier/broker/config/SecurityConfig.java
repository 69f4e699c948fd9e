package io.courtier.broker.config;

import java.nio.file.Path;

/**
 * The settings that Mosquitto makes per listener under {@code per_listener_settings true}
 * and global otherwise. {@code allowAnonymous} null means "not set": Mosquitto 2 then allows
 * anonymous clients only in local-only mode. {@code dynamicSecurityFile} is the JSON file of
 * Mosquitto's dynamic security plugin ({@code plugin .../mosquitto_dynamic_security.so} with
 * {@code plugin_opt_config_file}), or null when the plugin is not configured.
 */
public record SecurityConfig(Boolean allowAnonymous, Path passwordFile, Path aclFile,
                             boolean allowZeroLengthClientid, String autoIdPrefix, Path dynamicSecurityFile) {

    public static final SecurityConfig DEFAULT = new SecurityConfig(null, null, null, true, "auto-", null);

    public SecurityConfig(Boolean allowAnonymous, Path passwordFile, Path aclFile, boolean allowZeroLengthClientid,
                          String autoIdPrefix) {
        this(allowAnonymous, passwordFile, aclFile, allowZeroLengthClientid, autoIdPrefix, null);
    }

    public SecurityConfig withAllowAnonymous(Boolean value) {
        return new SecurityConfig(value, passwordFile, aclFile, allowZeroLengthClientid, autoIdPrefix, dynamicSecurityFile);
    }

    public SecurityConfig withPasswordFile(Path value) {
        return new SecurityConfig(allowAnonymous, value, aclFile, allowZeroLengthClientid, autoIdPrefix, dynamicSecurityFile);
    }

    public SecurityConfig withAclFile(Path value) {
        return new SecurityConfig(allowAnonymous, passwordFile, value, allowZeroLengthClientid, autoIdPrefix, dynamicSecurityFile);
    }

    public SecurityConfig withAllowZeroLengthClientid(boolean value) {
        return new SecurityConfig(allowAnonymous, passwordFile, aclFile, value, autoIdPrefix, dynamicSecurityFile);
    }

    public SecurityConfig withAutoIdPrefix(String value) {
        return new SecurityConfig(allowAnonymous, passwordFile, aclFile, allowZeroLengthClientid, value,
                dynamicSecurityFile);
    }

    public SecurityConfig withDynamicSecurityFile(Path value) {
        return new SecurityConfig(allowAnonymous, passwordFile, aclFile, allowZeroLengthClientid, autoIdPrefix, value);
    }
}
