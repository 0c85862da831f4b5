package jp.clinsgateway.keycloak;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client's private key, for signing its client assertions: with the algorithm its type implies
 * (RSA: RS384, EC P-384: ES384) and the key id the realm knows it by (the JWK's {@code kid}, or the
 * RFC 7638 thumbprint of the public key, which is what {@link RealmProvisioning} registers for a key
 * declared without one).
 */
public record SigningKey(JWK key, String algorithm) {

    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");

    public SigningKey {
        if (!key.isPrivate()) {
            throw new IllegalArgumentException("A signing key must hold the private key");
        }
    }

    /** The key id the assertion's header names. */
    public String kid() {
        return key.getKeyID();
    }

    /** The public half, as a JWK to register ({@code "publicKey"} in the realm description). */
    public JWK publicJwk() {
        return key.toPublicJWK();
    }

    /** A key pair made by the caller (tests, key generation), under its thumbprint. */
    public static SigningKey of(KeyPair pair) {
        if (pair.getPublic() instanceof RSAPublicKey rsa) {
            return identified(new RSAKey.Builder(rsa).privateKey(pair.getPrivate()).build(), Optional.empty());
        }
        if (pair.getPublic() instanceof ECPublicKey ec && Curve.forECParameterSpec(ec.getParams()) != null) {
            return identified(new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).privateKey(pair.getPrivate()).build(),
                    Optional.empty());
        }
        throw new IllegalArgumentException("Neither an RSA nor an elliptic curve key: " + pair.getPublic().getAlgorithm());
    }

    /** A new key pair: RSA 3072 bits for RS384, P-384 for ES384. */
    public static SigningKey generate(String algorithm, Optional<String> kid) {
        try {
            KeyPairGenerator generator;
            switch (algorithm) {
                case "RS384" -> {
                    generator = KeyPairGenerator.getInstance("RSA");
                    generator.initialize(3072);
                }
                case "ES384" -> {
                    generator = KeyPairGenerator.getInstance("EC");
                    generator.initialize(new ECGenParameterSpec("secp384r1"));
                }
                default -> throw new IllegalArgumentException("RS384 or ES384, not " + algorithm);
            }
            SigningKey key = of(generator.generateKeyPair());
            return kid.map(id -> identified(key.key(), Optional.of(id))).orElse(key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM cannot make " + algorithm + " keys", e);
        }
    }

    /** Writes the private JWK to a new file only its owner can read. */
    public void writeTo(Path file) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        Path written = Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(written, key.toJSONString());
    }

    /**
     * Reads a private JWK (JSON) or a PEM file: a PKCS#8 {@code PRIVATE KEY} block (from {@code openssl genpkey}
     * or {@code openssl pkcs8 -topk8 -nocrypt}), and for an EC key also its {@code PUBLIC KEY} block or a kid.
     *
     * @param kid the key id to sign with, where the file names none
     */
    public static SigningKey read(Path file, Optional<String> kid) throws IOException {
        try {
            return parse(Files.readString(file), kid);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** As {@link #read}, from the file's text. */
    public static SigningKey parse(String text, Optional<String> kid) {
        try {
            if (text.strip().startsWith("{")) {
                return identified(JWK.parse(text), kid);
            }
            return identified(pem(text), kid);
        } catch (ParseException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("no usable private key (a private JWK, or PEM PKCS#8 'PRIVATE KEY'): " + e.getMessage(), e);
        }
    }

    private static JWK pem(String text) throws GeneralSecurityException {
        byte[] privateKey = null;
        byte[] publicKey = null;
        for (Matcher block = PEM.matcher(text); block.find(); ) {
            switch (block.group(1)) {
                case "PRIVATE KEY" -> privateKey = Base64.getMimeDecoder().decode(block.group(2));
                case "PUBLIC KEY" -> publicKey = Base64.getMimeDecoder().decode(block.group(2));
                case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw new IllegalArgumentException("a " + block.group(1)
                        + " block: convert it to PKCS#8 with openssl pkcs8 -topk8 -nocrypt");
                case "ENCRYPTED PRIVATE KEY" -> throw new IllegalArgumentException("an encrypted key: decrypt it with openssl pkcs8 first");
                default -> {
                    // another block (a certificate, a comment's neighbour): not needed to sign
                }
            }
        }
        if (privateKey == null) {
            throw new IllegalArgumentException("no PRIVATE KEY block");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(privateKey);
        PrivateKey key;
        try {
            key = KeyFactory.getInstance("RSA").generatePrivate(spec);
        } catch (GeneralSecurityException notRsa) {
            key = KeyFactory.getInstance("EC").generatePrivate(spec);
        }
        if (key instanceof RSAPrivateCrtKey rsa) {
            RSAPublicKey pub = (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
            return new RSAKey.Builder(pub).privateKey(rsa).build();
        }
        if (key instanceof ECPrivateKey ec) {
            if (publicKey == null) {
                throw new IllegalArgumentException("an EC private key needs its PUBLIC KEY block beside it (openssl pkey -pubout)");
            }
            ECPublicKey pub = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(publicKey));
            if (Curve.forECParameterSpec(pub.getParams()) == null) {
                throw new IllegalArgumentException("an elliptic curve key on an unknown curve");
            }
            return new ECKey.Builder(Curve.forECParameterSpec(pub.getParams()), pub).privateKey(ec).build();
        }
        throw new IllegalArgumentException("a " + key.getAlgorithm() + " key");
    }

    private static SigningKey identified(JWK key, Optional<String> kid) {
        try {
            String id = kid.orElse(key.getKeyID() != null ? key.getKeyID() : key.computeThumbprint().toString());
            if (key instanceof RSAKey rsa) {
                return new SigningKey(new RSAKey.Builder(rsa).keyID(id).build(), "RS384");
            }
            if (key instanceof ECKey ec && Curve.P_384.equals(ec.getCurve())) {
                return new SigningKey(new ECKey.Builder(ec).keyID(id).build(), "ES384");
            }
        } catch (JOSEException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        throw new IllegalArgumentException("neither an RSA key (RS384) nor an EC P-384 key (ES384): " + key.getKeyType()
                + (key instanceof ECKey ec ? " " + ec.getCurve() : ""));
    }
}
