package org.coursebatch.http.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key tokens are verified with, from the first configured source: an HMAC secret (HS256), an
 * RSA public key in PEM (RS256, e.g. the identity provider's realm key), or else a development RSA
 * key pair kept in the data directory (generated on first use) so a standalone node and the
 * {@code token} command agree without any setup.
 */
public final class JwtKeys {

  private static final Logger log = LoggerFactory.getLogger(JwtKeys.class);

  /** HS256 needs at least 256 bits of secret. */
  static final int MIN_SECRET_BYTES = 32;

  public enum Source { HMAC_SECRET, RSA_PUBLIC_KEY, DEVELOPMENT_KEY }

  private final Source source;
  private final JWSVerifier verifier;
  private final JWSSigner signer; // null when only a public key is known
  private final JWSAlgorithm algorithm;
  private final String keyId;

  private JwtKeys(Source source, JWSVerifier verifier, JWSSigner signer, JWSAlgorithm algorithm, String keyId) {
    this.source = source;
    this.verifier = verifier;
    this.signer = signer;
    this.algorithm = algorithm;
    this.keyId = keyId;
  }

  /**
   * @param hmacSecret HS256 secret, or blank
   * @param publicKeyPem an RSA public key as PEM text or a path to a PEM file, or blank
   * @param devKeyFile where the development key pair lives when neither is given
   */
  public static JwtKeys load(String hmacSecret, String publicKeyPem, Path devKeyFile) {
    try {
      if (hmacSecret != null && !hmacSecret.isBlank()) {
        byte[] secret = hmacSecret.getBytes(StandardCharsets.UTF_8);
        if (secret.length < MIN_SECRET_BYTES) {
          throw new IllegalArgumentException("The JWT secret must be at least " + MIN_SECRET_BYTES + " bytes long");
        }
        return new JwtKeys(Source.HMAC_SECRET, new MACVerifier(secret), new MACSigner(secret), JWSAlgorithm.HS256, null);
      }
      if (publicKeyPem != null && !publicKeyPem.isBlank()) {
        RSAPublicKey key = parsePem(publicKeyPem);
        return new JwtKeys(Source.RSA_PUBLIC_KEY, new RSASSAVerifier(key), null, JWSAlgorithm.RS256, null);
      }
      RSAKey dev = developmentKey(devKeyFile);
      return new JwtKeys(Source.DEVELOPMENT_KEY, new RSASSAVerifier(dev.toRSAPublicKey()), new RSASSASigner(dev),
          JWSAlgorithm.RS256, dev.getKeyID());
    } catch (JOSEException | IOException | ParseException | java.security.GeneralSecurityException e) {
      throw new IllegalStateException("Cannot load the JWT key: " + e.getMessage(), e);
    }
  }

  private static RSAPublicKey parsePem(String pemOrPath) throws IOException, java.security.GeneralSecurityException {
    String pem = pemOrPath.contains("-----BEGIN") ? pemOrPath : Files.readString(Path.of(pemOrPath.trim()));
    String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    byte[] der = Base64.getDecoder().decode(base64);
    return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
  }

  private static RSAKey developmentKey(Path file) throws IOException, JOSEException, ParseException {
    if (Files.exists(file)) {
      return RSAKey.parse(Files.readString(file));
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    RSAKey key = new RSAKeyGenerator(2048).keyID("course-batch-dev").generate();
    Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "dev-jwt-key", ".tmp");
    Files.writeString(tmp, key.toJSONString());
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // not a POSIX file system
    }
    try {
      Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (java.nio.file.FileAlreadyExistsException raced) {
      Files.deleteIfExists(tmp);
      return RSAKey.parse(Files.readString(file));
    }
    log.warn("Generated a development JWT key at {}; configure BATCH_JWT_PUBLIC_KEY or BATCH_JWT_SECRET in production", file);
    return key;
  }

  public Source source() {
    return source;
  }

  JWSVerifier verifier() {
    return verifier;
  }

  JWSAlgorithm algorithm() {
    return algorithm;
  }

  Optional<String> keyId() {
    return Optional.ofNullable(keyId);
  }

  /** The signer, when this key can issue tokens (secret or development key). */
  Optional<JWSSigner> signer() {
    return Optional.ofNullable(signer);
  }
}
