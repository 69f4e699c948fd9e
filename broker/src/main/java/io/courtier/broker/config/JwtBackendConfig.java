package io.courtier.broker.config;

import java.nio.file.Path;

/**
 * The {@code jwt} backend: a token verified locally ({@code auth_opt_jwt_*}). Exactly one key
 * source is set: a shared secret (HS256), a PEM public key file (RS256, ES256) or a JWKS file.
 *
 * @param tokenInUsername {@code auth_opt_jwt_token_from username}: the token is the user name,
 *                        not the password (go-auth's default is the password)
 * @param usernameClaim   the claim that must equal the CONNECT's user name when the token is the
 *                        password ({@code auth_opt_jwt_username_claim}, default {@code sub})
 * @param aclClaim        the claim with the client's ACL ({@code {"read":[...],"write":[...]}}),
 *                        or null: ACL checks defer to the other links (the ACL file)
 * @param keyWhere        {@code FILE:LINE} of the key option, for errors found reading it
 */
public record JwtBackendConfig(boolean tokenInUsername, String secret, Path publicKeyFile, Path jwksFile,
                               String issuer, String audience, String usernameClaim, String aclClaim,
                               String keyWhere) {
}
