package io.courtier.broker.security.chain;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.courtier.broker.config.JwtBackendConfig;
import io.courtier.broker.security.AclFile;
import io.courtier.broker.security.SecurityFileException;
import io.courtier.plugin.Access;
import io.courtier.plugin.ClientInfo;
import io.courtier.plugin.Decision;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.text.ParseException;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code jwt} backend: the CONNECT's password (or user name) is a JSON Web Token, verified
 * here with nimbus-jose-jwt against a shared secret (HS256/384/512), a PEM public key or a JWKS
 * file (RS*, PS*, ES*): signature, {@code exp} (required), {@code nbf}, and {@code iss} and
 * {@code aud} where configured, with nimbus' 60 s clock skew; when the token is the password, its
 * {@code sub} (or {@code auth_opt_jwt_username_claim}) must be the CONNECT's user name, if it
 * sent one. A client without a token (no
 * password) is deferred to the next link; a bad token is denied. With
 * {@code auth_opt_jwt_acl_claim NAME}, the token's claim {@code {"read": [...], "write": [...]}}
 * lists the topic filters the client may read (and subscribe to) and publish to; without it,
 * ACL checks defer (to the ACL file). The chain disconnects the client when the token expires.
 */
final class JwtBackend implements AuthLink {

    private static final Logger LOG = LoggerFactory.getLogger("courtier");

    private static final Set<JWSAlgorithm> PUBLIC_KEY_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512);
    private static final Set<JWSAlgorithm> SECRET_ALGORITHMS = Set.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384,
            JWSAlgorithm.HS512);

    /** What a verified token gave a client id, until it expires. */
    private record Grant(long expiresAtMillis, List<String> read, List<String> write) {
    }

    private final JwtBackendConfig config;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final Map<String, Grant> byClientId = new ConcurrentHashMap<>();
    private volatile int sweepAt = 1024;

    JwtBackend(JwtBackendConfig config) {
        this.config = config;
        JWKSource<SecurityContext> keys;
        Set<JWSAlgorithm> algorithms;
        try {
            if (config.secret() != null) {
                byte[] secret = config.secret().getBytes(StandardCharsets.UTF_8);
                if (secret.length < 32) {
                    throw new SecurityFileException(config.keyWhere()
                            + ": auth_opt_jwt_secret must be at least 32 bytes (256 bits) for HS256.");
                }
                keys = new ImmutableSecret<>(secret);
                algorithms = SECRET_ALGORITHMS;
            } else if (config.publicKeyFile() != null) {
                String pem = Files.readString(config.publicKeyFile(), StandardCharsets.US_ASCII);
                JWK key = JWK.parseFromPEMEncodedObjects(pem);
                keys = new ImmutableJWKSet<>(new JWKSet(key.toPublicJWK()));
                algorithms = PUBLIC_KEY_ALGORITHMS;
            } else {
                keys = new ImmutableJWKSet<>(JWKSet.load(config.jwksFile().toFile()));
                algorithms = PUBLIC_KEY_ALGORITHMS;
            }
        } catch (IOException | ParseException | JOSEException | RuntimeException e) {
            if (e instanceof SecurityFileException s) {
                throw s;
            }
            throw new SecurityFileException(config.keyWhere() + ": the JWT key cannot be read: " + e.getMessage(), e);
        }
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        if (config.issuer() != null) {
            exact.issuer(config.issuer());
        }
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(config.audience(), exact.build(),
                Set.of("exp")));
    }

    @Override
    public String name() {
        return "jwt";
    }

    @Override
    public CompletableFuture<Decision> authenticate(ClientInfo client, byte[] password) {
        String token = config.tokenInUsername() ? client.username()
                : password == null ? null : new String(password, StandardCharsets.UTF_8);
        if (token == null || token.isEmpty()) {
            return CompletableFuture.completedFuture(Decision.DEFER);
        }
        try {
            JWTClaimsSet claims = processor.process(token, null);
            if (!config.tokenInUsername() && client.username() != null) {
                // Else a token issued to one user would open another user's ACL file rules.
                Object owner = claims.getClaim(config.usernameClaim());
                if (!client.username().equals(owner)) {
                    LOG.info("JWT of client {} refused: its {} claim is not the user name {}", client.clientId(),
                            config.usernameClaim(), client.username());
                    return CompletableFuture.completedFuture(Decision.DENY);
                }
            }
            Date exp = claims.getExpirationTime();
            Map<String, Object> acl = config.aclClaim() == null ? null : claims.getJSONObjectClaim(config.aclClaim());
            forgetExpired();
            byClientId.put(client.clientId(), new Grant(exp.getTime(), strings(acl, "read"), strings(acl, "write")));
            return CompletableFuture.completedFuture(Decision.ALLOW);
        } catch (ParseException | BadJOSEException | JOSEException e) {
            LOG.info("JWT of client {} refused: {}", client.clientId(), e.getMessage());
            return CompletableFuture.completedFuture(Decision.DENY);
        }
    }

    private static List<String> strings(Map<String, Object> acl, String key) {
        if (acl == null || !(acl.get(key) instanceof List<?> list)) {
            return List.of();
        }
        return list.stream().filter(String.class::isInstance).map(String.class::cast).toList();
    }

    @Override
    public long validUntilMillis(ClientInfo client) {
        Grant g = byClientId.get(client.clientId());
        return g == null ? 0 : g.expiresAtMillis();
    }

    @Override
    public CompletableFuture<Decision> authorise(ClientInfo client, Access access, String topic) {
        return CompletableFuture.completedFuture(authoriseNow(client, access, topic));
    }

    @Override
    public Decision authoriseNow(ClientInfo client, Access access, String topic) {
        Grant g = config.aclClaim() == null ? null : byClientId.get(client.clientId());
        if (g == null || g.expiresAtMillis() <= System.currentTimeMillis()) {
            return Decision.DEFER;
        }
        List<String> filters = access == Access.WRITE ? g.write() : g.read();
        for (String f : filters) {
            if (AclFile.matches(f, topic, client.clientId(), client.username())) {
                return Decision.ALLOW;
            }
        }
        return Decision.DENY;
    }

    /**
     * Grants stay until their token expires (the client is disconnected then), not until a
     * disconnection: a client that takes over the same id must keep the grant its own token gave.
     * Expired ones are dropped once the map has doubled since the last sweep.
     */
    private void forgetExpired() {
        if (byClientId.size() < sweepAt) {
            return;
        }
        long now = System.currentTimeMillis();
        byClientId.values().removeIf(g -> g.expiresAtMillis() <= now);
        sweepAt = Math.max(1024, 2 * byClientId.size());
    }
}
