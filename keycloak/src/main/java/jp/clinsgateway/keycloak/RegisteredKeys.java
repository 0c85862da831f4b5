package jp.clinsgateway.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Registered public keys: parsed, checked against the algorithm, each given a key id. */
final class RegisteredKeys {

    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");

    private RegisteredKeys() {
    }

    static Optional<JWKSet> read(JsonNode declared, String algorithm, String path, List<String> problems) {
        int before = problems.size();
        List<JWK> keys = new ArrayList<>();
        try {
            if (declared.isObject()) {
                keys.addAll(jwks(declared.toString()));
            } else if (declared.isTextual() && declared.asText().strip().startsWith("{")) {
                keys.addAll(jwks(declared.asText()));
            } else if (declared.isTextual()) {
                keys.addAll(pem(declared.asText(), path, problems));
            } else {
                problems.add(path + ": a PEM public key or certificate, a JWK or a JWK Set");
            }
        } catch (ParseException e) {
            problems.add(path + ": not a JWK or JWK Set: " + e.getMessage());
        }
        if (keys.isEmpty() && problems.size() == before) {
            problems.add(path + ": no key in it");
        }
        List<JWK> registered = new ArrayList<>();
        Set<String> kids = new HashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            String place = keys.size() == 1 ? path : path + "[" + i + "]";
            JWK key = keys.get(i);
            if (key.isPrivate()) {
                problems.add(place + ": holds a private key; register only the public key and keep the private one at the client");
                continue;
            }
            Optional<JWK> checked = fitting(key, algorithm, place, problems);
            if (checked.isPresent() && !kids.add(checked.get().getKeyID())) {
                problems.add(place + ": the key id '" + checked.get().getKeyID() + "' is used twice");
            }
            checked.ifPresent(registered::add);
        }
        return problems.size() > before ? Optional.empty() : Optional.of(new JWKSet(registered));
    }

    private static List<JWK> jwks(String json) throws ParseException {
        return json.contains("\"keys\"") ? JWKSet.parse(json).getKeys() : List.of(JWK.parse(json));
    }

    private static List<JWK> pem(String text, String path, List<String> problems) {
        List<JWK> keys = new ArrayList<>();
        Matcher block = PEM.matcher(text);
        while (block.find()) {
            String type = block.group(1);
            byte[] der = Base64.getMimeDecoder().decode(block.group(2));
            try {
                switch (type) {
                    case "PUBLIC KEY" -> keys.add(jwk(publicKey(der)));
                    case "CERTIFICATE" -> keys.add(jwk(CertificateFactory.getInstance("X.509")
                            .generateCertificate(new ByteArrayInputStream(der)).getPublicKey()));
                    default -> problems.add(path + ": a " + type + " block" + (type.contains("PRIVATE") ? " is a private key; register"
                            + " only the public key (openssl pkey -pubout) and keep the private one at the client" : " is not a public key"));
                }
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                problems.add(path + ": the " + type + " cannot be read: " + e.getMessage());
            }
        }
        if (keys.isEmpty() && !text.contains("-----BEGIN")) {
            problems.add(path + ": a PEM public key (-----BEGIN PUBLIC KEY-----) or certificate, a JWK or a JWK Set");
        }
        return keys;
    }

    private static PublicKey publicKey(byte[] der) throws GeneralSecurityException {
        X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
        try {
            return KeyFactory.getInstance("RSA").generatePublic(spec);
        } catch (GeneralSecurityException notRsa) {
            return KeyFactory.getInstance("EC").generatePublic(spec);
        }
    }

    private static JWK jwk(PublicKey key) throws GeneralSecurityException {
        if (key instanceof RSAPublicKey rsa) {
            return new RSAKey.Builder(rsa).build();
        }
        if (key instanceof ECPublicKey ec) {
            Curve curve = Curve.forECParameterSpec(ec.getParams());
            if (curve == null) {
                throw new GeneralSecurityException("an elliptic curve key on an unknown curve");
            }
            return new ECKey.Builder(curve, ec).build();
        }
        throw new GeneralSecurityException("a " + key.getAlgorithm() + " key, neither RSA nor EC");
    }

    /** The public key as registered: its own kid, or its RFC 7638 thumbprint; for signatures with the algorithm only. */
    private static Optional<JWK> fitting(JWK key, String algorithm, String place, List<String> problems) {
        if (algorithm.equals("RS384") && !(key instanceof RSAKey rsa && rsa.size() >= 2048)) {
            problems.add(place + ": RS384 needs an RSA key of 2048 bits or more" + description(key));
            return Optional.empty();
        }
        if (algorithm.equals("ES384") && !(key instanceof ECKey ec && Curve.P_384.equals(ec.getCurve()))) {
            problems.add(place + ": ES384 needs an elliptic curve key on P-384" + description(key));
            return Optional.empty();
        }
        if (key.getAlgorithm() != null && !key.getAlgorithm().getName().equals(algorithm)) {
            problems.add(place + ": the key says alg " + key.getAlgorithm() + ", the client's algorithm is " + algorithm);
            return Optional.empty();
        }
        if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
            problems.add(place + ": a key for use '" + key.getKeyUse() + "', not for signatures");
            return Optional.empty();
        }
        try {
            String kid = key.getKeyID() != null ? key.getKeyID() : key.computeThumbprint().toString();
            JWSAlgorithm alg = JWSAlgorithm.parse(algorithm);
            JWK registered = key instanceof RSAKey rsa
                    ? new RSAKey.Builder(rsa).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(alg).build()
                    : new ECKey.Builder((ECKey) key).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(alg).build();
            return Optional.of(registered.toPublicJWK());
        } catch (JOSEException e) {
            problems.add(place + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    private static String description(JWK key) {
        if (key instanceof RSAKey rsa) {
            return ", not RSA " + rsa.size() + " bits";
        }
        if (key instanceof ECKey ec) {
            return ", not EC " + ec.getCurve();
        }
        return ", not " + key.getKeyType();
    }
}
