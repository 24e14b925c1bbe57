package dev.proxyme.testsupport;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * An agent's DPoP key (RFC 9449): a P-256 key pair that signs proofs ({@code typ} dpop+jwt, ES256, the public key as
 * {@code jwk}; {@code jti}, {@code htm}, {@code htu}, {@code iat}, and {@code ath} when a token goes with it).
 */
public final class DPoPKey {

    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private final KeyPair keys;

    public DPoPKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            keys = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A proof for a request to the token endpoint or {@code delegate}: no token yet. */
    public String proof(String method, String url) {
        return proof(method, url, null, System.currentTimeMillis() / 1000);
    }

    /** A proof for a request to a resource with this access token. */
    public String proof(String method, String url, String accessToken) {
        return proof(method, url, accessToken, System.currentTimeMillis() / 1000);
    }

    public String proof(String method, String url, String accessToken, long issuedAt) {
        return proof(method, url, accessToken, issuedAt, UUID.randomUUID().toString());
    }

    /** A proof with a chosen {@code jti}: the same proof identifier made again for another request. */
    public String proof(String method, String url, String accessToken, long issuedAt, String jti) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("typ", "dpop+jwt");
        header.put("alg", "ES256");
        header.put("jwk", jwk());
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("jti", jti);
        claims.put("htm", method);
        claims.put("htu", url);
        claims.put("iat", issuedAt);
        if (accessToken != null) {
            claims.put("ath", URL.encodeToString(sha256(accessToken.getBytes(StandardCharsets.US_ASCII))));
        }
        String signingInput = URL.encodeToString(ProxymeClient.json(header).getBytes(StandardCharsets.UTF_8)) + "."
                + URL.encodeToString(ProxymeClient.json(claims).getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = Signature.getInstance("SHA256withECDSAinP1363Format");
            signature.initSign(keys.getPrivate());
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + URL.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 7638: the thumbprint tokens bound to this key carry as {@code cnf.jkt}. */
    public String thumbprint() {
        Map<String, Object> jwk = jwk();
        String canonical = "{\"crv\":\"" + jwk.get("crv") + "\",\"kty\":\"" + jwk.get("kty") + "\",\"x\":\""
                + jwk.get("x") + "\",\"y\":\"" + jwk.get("y") + "\"}";
        return URL.encodeToString(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
    }

    private Map<String, Object> jwk() {
        ECPublicKey publicKey = (ECPublicKey) keys.getPublic();
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", "EC");
        jwk.put("crv", "P-256");
        jwk.put("x", URL.encodeToString(coordinate(publicKey.getW().getAffineX())));
        jwk.put("y", URL.encodeToString(coordinate(publicKey.getW().getAffineY())));
        return jwk;
    }

    private static byte[] coordinate(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length == 32) {
            return bytes;
        }
        byte[] fixed = new byte[32];
        int copied = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - copied, fixed, 32 - copied, copied);
        return fixed;
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "DPoPKey[" + thumbprint() + "]";
    }
}
