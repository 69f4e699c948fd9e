package io.courtier.broker.security.backends;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Map;
import java.util.function.UnaryOperator;

/** JSON Web Tokens signed here, with nimbus-jose-jwt, for the jwt backend's tests. */
final class Tokens {
    private Tokens() {
    }

    /** Claims for {@code subject} expiring {@code expiresInSeconds} from now, with an optional ACL claim. */
    static JWTClaimsSet.Builder claims(String subject, long expiresInSeconds, Map<String, Object> acl) {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().subject(subject)
                .expirationTime(new Date(System.currentTimeMillis() + expiresInSeconds * 1000));
        if (acl != null) {
            b.claim("acl", acl);
        }
        return b;
    }

    static String hs256(String secret, String subject, long expiresInSeconds, Map<String, Object> acl) {
        return hs256(secret, claims(subject, expiresInSeconds, acl).build());
    }

    static String hs256(String secret, JWTClaimsSet claims) {
        try {
            return sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)), JWSAlgorithm.HS256, claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String rs256(RSAKey key, JWTClaimsSet claims) {
        try {
            return sign(new RSASSASigner(key), JWSAlgorithm.RS256, claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String es256(ECKey key, JWTClaimsSet claims) {
        try {
            return sign(new ECDSASigner(key), JWSAlgorithm.ES256, claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sign(JWSSigner signer, JWSAlgorithm algorithm, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same token with one claim changed and the signature kept: a forgery. */
    static String tampered(String token, UnaryOperator<String> payloadJson) {
        String[] parts = token.split("\\.");
        java.util.Base64.Decoder dec = java.util.Base64.getUrlDecoder();
        java.util.Base64.Encoder enc = java.util.Base64.getUrlEncoder().withoutPadding();
        String payload = new String(dec.decode(parts[1]), StandardCharsets.UTF_8);
        return parts[0] + "." + enc.encodeToString(payloadJson.apply(payload).getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
    }
}
