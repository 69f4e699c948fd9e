package io.courtier.broker.config;

import java.nio.file.Path;

/**
 * The settings that Mosquitto makes per listener under {@code per_listener_settings true}
 * and global otherwise. {@code allowAnonymous} null means "not set": Mosquitto 2 then allows
 * anonymous clients only in local-only mode.
 */
public record SecurityConfig(Boolean allowAnonymous, Path passwordFile, Path aclFile,
                             boolean allowZeroLengthClientid, String autoIdPrefix) {

    public static final SecurityConfig DEFAULT = new SecurityConfig(null, null, null, true, "auto-");

    public SecurityConfig withAllowAnonymous(Boolean value) {
        return new SecurityConfig(value, passwordFile, aclFile, allowZeroLengthClientid, autoIdPrefix);
    }

    public SecurityConfig withPasswordFile(Path value) {
        return new SecurityConfig(allowAnonymous, value, aclFile, allowZeroLengthClientid, autoIdPrefix);
    }

    public SecurityConfig withAclFile(Path value) {
        return new SecurityConfig(allowAnonymous, passwordFile, value, allowZeroLengthClientid, autoIdPrefix);
    }

    public SecurityConfig withAllowZeroLengthClientid(boolean value) {
        return new SecurityConfig(allowAnonymous, passwordFile, aclFile, value, autoIdPrefix);
    }

    public SecurityConfig withAutoIdPrefix(String value) {
        return new SecurityConfig(allowAnonymous, passwordFile, aclFile, allowZeroLengthClientid, value);
    }
}
