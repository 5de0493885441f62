package org.coursebatch.http.auth;

import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpRequest;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.RejectedException;
import org.coursebatch.core.identity.Caller;
import org.coursebatch.core.identity.EntityIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the caller of a request from a verified JWT. As behind Sunbird's gateway, a present
 * {@code x-authenticated-user-token} carries the user's token and {@code Authorization: Bearer}
 * then carries the gateway's API key (not checked here); without it, {@code Authorization: Bearer}
 * carries the user's token. No plain user-id header is ever trusted.
 *
 * <p>Sunbird's optional {@code x-authenticated-for} header names a managed user (e.g. a child
 * account) acting through their parent's session: a token signed with the same keys whose
 * {@code sub} is the managed user and whose {@code parentId} claim is the authenticated caller.
 *
 * <p>Every token, the managed user's too, must carry {@code exp} within the longest lifetime
 * ({@link TokenLifetime}).
 */
public final class Authenticator {

  public static final String USER_TOKEN_HEADER = "x-authenticated-user-token";
  public static final String REQUESTED_FOR_HEADER = "x-authenticated-for";
  /** The claim of a managed user's token that names the parent account it may be used with. */
  public static final String PARENT_ID_CLAIM = "parentId";

  /** Tolerated clock difference with the token issuer. */
  static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
  /** The default of {@code course-batch.auth.max-token-ttl}: Keycloak's access tokens live minutes. */
  public static final Duration DEFAULT_MAX_TOKEN_TTL = Duration.ofHours(24);

  /** Verified tokens kept (a few MiB at most): more users than a node serves within minutes. */
  static final int VERIFIED_TOKENS = 10_000;

  private static final Logger log = LoggerFactory.getLogger(Authenticator.class);

  /**
   * Tokens whose signature checked out, by their text. A client sends one token with request after
   * request; parsing and verifying it again cost more than the rest of a batch read. Only the
   * signature's verdict is kept: the lifetime and the issuer are judged at every use.
   */
  private final Cache<String, JWTClaimsSet> verified = Caffeine.newBuilder()
      .maximumSize(VERIFIED_TOKENS).expireAfterAccess(Duration.ofMinutes(5)).build();

  private final JwtKeys keys;
  private final String rolesClaim;
  private final Optional<String> issuer;
  private final TokenLifetime lifetime;
  private final Clock clock;

  public Authenticator(JwtKeys keys, String rolesClaim, Optional<String> issuer, Clock clock) {
    this(keys, rolesClaim, issuer, DEFAULT_MAX_TOKEN_TTL, clock);
  }

  /** @param maxTokenTtl the longest a token may be valid, from its {@code iat} (or from now) to its {@code exp} */
  public Authenticator(JwtKeys keys, String rolesClaim, Optional<String> issuer, Duration maxTokenTtl, Clock clock) {
    this.keys = keys;
    this.rolesClaim = rolesClaim;
    this.issuer = issuer.filter(s -> !s.isBlank());
    this.lifetime = new TokenLifetime(CLOCK_SKEW, maxTokenTtl);
    this.clock = clock;
  }

  /** The verified caller, or a {@code UNAUTHORIZED_USER} rejection. */
  public Caller authenticate(HttpRequest request) {
    return verify(userToken(request).orElseThrow(Authenticator::unauthorized));
  }

  /**
   * The user's token as sent (not verified): {@code x-authenticated-user-token}, else the bearer
   * token of {@code Authorization}. Passed on to services that check who asks.
   */
  public static Optional<String> userToken(HttpRequest request) {
    return request.getHeader(USER_TOKEN_HEADER).map(HttpHeader::value).filter(v -> !v.isBlank())
        .or(() -> request.getHeader("Authorization").map(HttpHeader::value)
            .filter(v -> v.regionMatches(true, 0, "Bearer ", 0, 7))
            .map(v -> v.substring(7).trim()));
  }

  public Caller verify(String token) {
    JWTClaimsSet claims = verifiedClaims(token);
    return new Caller(subjectOf(claims), rolesOf(claims));
  }

  /**
   * The managed user the request acts for: the verified {@code x-authenticated-for} token's
   * subject, which must name {@code caller} as its parent; empty when the header is absent or
   * blank. Any other token is a {@code UNAUTHORIZED_USER} rejection, never silently ignored.
   */
  public Optional<String> requestedFor(HttpRequest request, Caller caller) {
    Optional<String> token = request.getHeader(REQUESTED_FOR_HEADER).map(HttpHeader::value).filter(v -> !v.isBlank());
    if (token.isEmpty()) {
      return Optional.empty();
    }
    JWTClaimsSet claims = verifiedClaims(token.get().trim());
    String managedUser = subjectOf(claims);
    if (!(claims.getClaim(PARENT_ID_CLAIM) instanceof String parent) || !caller.userId().equals(userIdOf(parent))) {
      throw unauthorized();
    }
    return Optional.of(managedUser);
  }

  /**
   * The claims of a token signed with the configured key, from the configured issuer, that
   * {@link TokenLifetime} finds usable now: with an {@code exp} within the longest lifetime.
   */
  private JWTClaimsSet verifiedClaims(String token) {
    try {
      JWTClaimsSet claims = verified.getIfPresent(token);
      if (claims == null) {
        SignedJWT jwt = SignedJWT.parse(token);
        if (!jwt.getHeader().getAlgorithm().equals(keys.algorithm()) || !jwt.verify(keys.verifier())) {
          throw unauthorized();
        }
        claims = jwt.getJWTClaimsSet();
        verified.put(token, claims);
      }
      if (lifetime.judge(instant(claims.getIssueTime()), instant(claims.getNotBeforeTime()), instant(claims.getExpirationTime()),
          clock.instant()) instanceof TokenLifetime.Refused refused) {
        log.debug("Token of {} refused: {}", claims.getSubject(), refused.reason());
        throw unauthorized();
      }
      if (issuer.isPresent() && !issuer.get().equals(claims.getIssuer())) {
        throw unauthorized();
      }
      return claims;
    } catch (ParseException | JOSEException | IllegalStateException e) {
      throw unauthorized();
    }
  }

  private static Instant instant(Date date) {
    return date == null ? null : date.toInstant();
  }

  /**
   * The user a token names. One no user can have (over 100 characters, or with a control
   * character) is refused: it would be recorded as the actor of whatever the request changes
   * (created_by, added_by, updated_by columns), which cannot hold it.
   */
  private static String subjectOf(JWTClaimsSet claims) {
    String userId = userIdOf(claims.getSubject());
    if (userId == null || userId.isBlank() || userId.equalsIgnoreCase("anonymous") || !EntityIds.canExist(userId)) {
      throw unauthorized();
    }
    return userId;
  }

  /** Keycloak subjects look like {@code f:<realm-id>:<user-id>}; the user id is the last part. */
  static String userIdOf(String subject) {
    if (subject == null) {
      return null;
    }
    int colon = subject.lastIndexOf(':');
    return colon >= 0 ? subject.substring(colon + 1) : subject;
  }

  /** Roles from the configured claim (a list or a comma-separated string), else Keycloak's {@code realm_access.roles}. */
  private List<String> rolesOf(JWTClaimsSet claims) {
    List<String> roles = new ArrayList<>();
    Object claim = claims.getClaim(rolesClaim);
    if (claim instanceof List<?> list) {
      list.forEach(r -> roles.add(String.valueOf(r)));
    } else if (claim instanceof String s && !s.isBlank()) {
      for (String r : s.split(",")) {
        roles.add(r.trim());
      }
    }
    if (roles.isEmpty() && claims.getClaim("realm_access") instanceof Map<?, ?> realm && realm.get("roles") instanceof List<?> list) {
      list.forEach(r -> roles.add(String.valueOf(r)));
    }
    return roles;
  }

  private static RejectedException unauthorized() {
    return ErrorCode.UNAUTHORIZED_USER.reject().asException();
  }
}
