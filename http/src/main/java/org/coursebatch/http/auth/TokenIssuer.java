package org.coursebatch.http.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Mints tokens a node with the same keys accepts (for trying the API and for tests): issued now
 * ({@code iat}), valid for {@code ttl} ({@code exp}), which a node takes up to its
 * {@code max-token-ttl}.
 */
public final class TokenIssuer {

  private final JwtKeys keys;
  private final String rolesClaim;
  private final Clock clock;

  public TokenIssuer(JwtKeys keys, String rolesClaim) {
    this(keys, rolesClaim, Clock.systemUTC());
  }

  public TokenIssuer(JwtKeys keys, String rolesClaim, Clock clock) {
    this.keys = keys;
    this.rolesClaim = rolesClaim;
    this.clock = clock;
  }

  public String issue(String userId, List<String> roles, Duration ttl, String issuer) {
    return sign(claims(userId, ttl, issuer).claim(rolesClaim, roles));
  }

  /**
   * A managed user's token for the {@code x-authenticated-for} header: valid only next to the
   * token of {@code parentId}, whose session the managed user acts through.
   */
  public String issueManagedUser(String managedUserId, String parentId, Duration ttl, String issuer) {
    return sign(claims(managedUserId, ttl, issuer).claim(Authenticator.PARENT_ID_CLAIM, parentId));
  }

  private JWTClaimsSet.Builder claims(String subject, Duration ttl, String issuer) {
    Instant now = clock.instant();
    var claims = new JWTClaimsSet.Builder()
        .subject(subject)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(ttl)))
        .jwtID(UUID.randomUUID().toString());
    if (issuer != null && !issuer.isBlank()) {
      claims.issuer(issuer);
    }
    return claims;
  }

  private String sign(JWTClaimsSet.Builder claims) {
    var signer = keys.signer().orElseThrow(() -> new IllegalStateException(
        "Tokens cannot be minted with only a public key; mint them with the identity provider that holds the private key"));
    var header = new JWSHeader.Builder(keys.algorithm());
    keys.keyId().ifPresent(header::keyID);
    SignedJWT jwt = new SignedJWT(header.build(), claims.build());
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("Cannot sign the token", e);
    }
    return jwt.serialize();
  }
}
