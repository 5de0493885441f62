package org.coursebatch.http.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.headers.RawHeader;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.RejectedException;
import org.coursebatch.core.identity.Caller;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthenticatorTest {

  private static final String SECRET = "a-shared-secret-of-at-least-32-bytes!";
  private static final String OTHER_SECRET = "another-shared-secret-of-32-bytes-plus";
  private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final String ISSUER = "https://idp.example.org/realms/sunbird";

  private static KeyPair rsa;
  private static KeyPair otherRsa;

  @TempDir
  Path tmp;

  @BeforeAll
  static void generateKeys() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    rsa = generator.generateKeyPair();
    otherRsa = generator.generateKeyPair();
  }

  private JwtKeys hmacKeys() {
    return JwtKeys.load(SECRET, "", tmp.resolve("unused.json"));
  }

  private JwtKeys rsaKeys() {
    return JwtKeys.load("", pem(rsa), tmp.resolve("unused.json"));
  }

  private static String pem(KeyPair pair) {
    String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPublic().getEncoded());
    return "-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----\n";
  }

  private static Authenticator authenticator(JwtKeys keys) {
    return new Authenticator(keys, "roles", Optional.empty(), CLOCK);
  }

  /** Claims valid at {@link #NOW} for {@code subject}, adjusted by {@code more}. */
  private static JWTClaimsSet claims(String subject, Consumer<JWTClaimsSet.Builder> more) {
    var b = new JWTClaimsSet.Builder()
        .subject(subject)
        .issueTime(Date.from(NOW.minusSeconds(60)))
        .expirationTime(Date.from(NOW.plus(Duration.ofHours(1))));
    more.accept(b);
    return b.build();
  }

  private static JWTClaimsSet claims(String subject) {
    return claims(subject, b -> {});
  }

  private static String sign(JWSSigner signer, JWSAlgorithm alg, JWTClaimsSet claims) {
    SignedJWT jwt = new SignedJWT(new JWSHeader(alg), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  private static String hs256(String secret, JWTClaimsSet claims) throws JOSEException {
    return sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)), JWSAlgorithm.HS256, claims);
  }

  private static String rs256(KeyPair pair, JWTClaimsSet claims) {
    return sign(new RSASSASigner(pair.getPrivate()), JWSAlgorithm.RS256, claims);
  }

  private static void assertUnauthorized(Runnable call) {
    RejectedException e = assertThrows(RejectedException.class, call::run);
    assertEquals(ErrorCode.UNAUTHORIZED_USER, e.rejection().code());
    assertEquals("You are not authorized.", e.rejection().message());
  }

  private static HttpRequest withHeaders(String... namesAndValues) {
    HttpRequest r = HttpRequest.create();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      r = r.addHeader(RawHeader.create(namesAndValues[i], namesAndValues[i + 1]));
    }
    return r;
  }

  // --- key sources ---

  @Test
  void hmacSecretVerifiesTokensSignedWithIt() throws Exception {
    JwtKeys keys = hmacKeys();
    assertEquals(JwtKeys.Source.HMAC_SECRET, keys.source());
    String token = hs256(SECRET, claims("user-1", b -> b.claim("roles", List.of("CONTENT_CREATOR", "COURSE_MENTOR"))));
    assertEquals(new Caller("user-1", List.of("CONTENT_CREATOR", "COURSE_MENTOR")), authenticator(keys).verify(token));
  }

  @Test
  void tokenIssuerMintsTokensTheSameKeysAccept() {
    JwtKeys keys = hmacKeys();
    String token = new TokenIssuer(keys, "roles").issue("user-2", List.of("ORG_ADMIN"), Duration.ofMinutes(5), null);
    var auth = new Authenticator(keys, "roles", Optional.empty(), Clock.systemUTC());
    assertEquals(new Caller("user-2", List.of("ORG_ADMIN")), auth.verify(token));
  }

  @Test
  void secretShorterThan32BytesIsRefusedAtLoad() {
    var e = assertThrows(IllegalArgumentException.class, () -> JwtKeys.load("too-short-secret", "", tmp.resolve("k.json")));
    assertTrue(e.getMessage().contains("32"), e.getMessage());
    // 31 bytes is still too short; 32 is enough.
    assertThrows(IllegalArgumentException.class, () -> JwtKeys.load("x".repeat(31), "", tmp.resolve("k.json")));
    assertEquals(JwtKeys.Source.HMAC_SECRET, JwtKeys.load("x".repeat(32), "", tmp.resolve("k.json")).source());
  }

  @Test
  void developmentKeyIsGeneratedOnceAndReadBackOnTheNextLoad() throws Exception {
    Path file = tmp.resolve("data").resolve("dev-jwt-key.json");
    JwtKeys first = JwtKeys.load("", "", file);
    assertEquals(JwtKeys.Source.DEVELOPMENT_KEY, first.source());
    assertTrue(Files.exists(file), "the key is kept in the data directory");
    String stored = Files.readString(file);

    JwtKeys second = JwtKeys.load("", "", file);
    assertEquals(stored, Files.readString(file), "the second load does not replace the key");
    String token = new TokenIssuer(first, "roles").issue("user-3", List.of(), Duration.ofMinutes(5), null);
    var auth = new Authenticator(second, "roles", Optional.empty(), Clock.systemUTC());
    assertEquals(new Caller("user-3", List.of()), auth.verify(token));

    // A different development key does not accept it.
    JwtKeys elsewhere = JwtKeys.load("", "", tmp.resolve("other").resolve("dev-jwt-key.json"));
    assertUnauthorized(() -> new Authenticator(elsewhere, "roles", Optional.empty(), Clock.systemUTC()).verify(token));
  }

  @Test
  void rsaPublicKeyPemVerifiesTokensSignedWithThePrivateKey() {
    JwtKeys keys = rsaKeys();
    assertEquals(JwtKeys.Source.RSA_PUBLIC_KEY, keys.source());
    String token = rs256(rsa, claims("user-4", b -> b.claim("roles", List.of("PUBLIC"))));
    assertEquals(new Caller("user-4", List.of("PUBLIC")), authenticator(keys).verify(token));
  }

  @Test
  void rsaPublicKeyCanBeAPathToAPemFile() throws Exception {
    Path pemFile = tmp.resolve("realm.pem");
    Files.writeString(pemFile, pem(rsa));
    JwtKeys keys = JwtKeys.load("", pemFile.toString(), tmp.resolve("unused.json"));
    assertEquals(JwtKeys.Source.RSA_PUBLIC_KEY, keys.source());
    assertEquals("user-5", authenticator(keys).verify(rs256(rsa, claims("user-5"))).userId());
  }

  @Test
  void publicKeyAloneCannotMintTokens() {
    assertThrows(IllegalStateException.class,
        () -> new TokenIssuer(rsaKeys(), "roles").issue("user", List.of(), Duration.ofMinutes(1), null));
  }

  // --- claims ---

  @Test
  void keycloakSubjectGivesTheLastPart() throws Exception {
    String token = hs256(SECRET, claims("f:5a8a3f2b-3409-42e0-9001-f913bc0fde31:user-1"));
    assertEquals("user-1", authenticator(hmacKeys()).verify(token).userId());
  }

  @Test
  void rolesFromACommaSeparatedString() throws Exception {
    String token = hs256(SECRET, claims("user-1", b -> b.claim("roles", "CONTENT_CREATOR, ORG_ADMIN")));
    assertEquals(List.of("CONTENT_CREATOR", "ORG_ADMIN"), authenticator(hmacKeys()).verify(token).roles());
  }

  @Test
  void rolesFromKeycloakRealmAccessWhenTheClaimIsAbsent() throws Exception {
    String token = hs256(SECRET, claims("user-1", b -> b.claim("realm_access", Map.of("roles", List.of("offline_access", "ORG_ADMIN")))));
    assertEquals(List.of("offline_access", "ORG_ADMIN"), authenticator(hmacKeys()).verify(token).roles());
  }

  @Test
  void configuredRolesClaimWinsOverRealmAccess() throws Exception {
    String token = hs256(SECRET, claims("user-1", b -> b
        .claim("groups", List.of("COURSE_MENTOR"))
        .claim("realm_access", Map.of("roles", List.of("ORG_ADMIN")))));
    var auth = new Authenticator(hmacKeys(), "groups", Optional.empty(), CLOCK);
    assertEquals(List.of("COURSE_MENTOR"), auth.verify(token).roles());
  }

  @Test
  void noRolesIsAnEmptyList() throws Exception {
    assertEquals(List.of(), authenticator(hmacKeys()).verify(hs256(SECRET, claims("user-1"))).roles());
  }

  // --- rejections ---

  @Test
  void aTokenVerifiedBeforeIsJudgedAgainAtEveryUse() throws Exception {
    Instant[] now = {NOW};
    Clock moving = new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now[0];
      }
    };
    Authenticator auth = new Authenticator(hmacKeys(), "roles", Optional.empty(), moving);
    String token = hs256(SECRET, claims("user-1"));
    assertEquals("user-1", auth.verify(token).userId());
    assertEquals("user-1", auth.verify(token).userId());
    now[0] = NOW.plus(Duration.ofHours(2)); // past its exp
    assertUnauthorized(() -> auth.verify(token));
  }

  @Test
  void aVerifiedTokenVouchesForNoOtherText() throws Exception {
    Authenticator auth = authenticator(hmacKeys());
    String token = hs256(SECRET, claims("user-1"));
    assertEquals("user-1", auth.verify(token).userId());
    String[] parts = token.split("\\.");
    String otherClaims = Base64.getUrlEncoder().withoutPadding().encodeToString(
        claims("admin-1").toString().getBytes(StandardCharsets.UTF_8));
    assertUnauthorized(() -> auth.verify(parts[0] + "." + otherClaims + "." + parts[2]));
  }

  @Test
  void expiredTokenIsRejectedBeyondTheClockSkew() throws Exception {
    Authenticator auth = authenticator(hmacKeys());
    String expired = hs256(SECRET, claims("user-1", b -> b.expirationTime(Date.from(NOW.minusSeconds(120)))));
    assertUnauthorized(() -> auth.verify(expired));
    String justExpired = hs256(SECRET, claims("user-1", b -> b.expirationTime(Date.from(NOW.minusSeconds(30)))));
    assertEquals("user-1", auth.verify(justExpired).userId(), "60 s of clock skew are tolerated");
  }

  @Test
  void tokenNotYetValidIsRejected() throws Exception {
    String future = hs256(SECRET, claims("user-1", b -> b.notBeforeTime(Date.from(NOW.plusSeconds(300)))));
    assertUnauthorized(() -> authenticator(hmacKeys()).verify(future));
    String soon = hs256(SECRET, claims("user-1", b -> b.notBeforeTime(Date.from(NOW.plusSeconds(30)))));
    assertEquals("user-1", authenticator(hmacKeys()).verify(soon).userId(), "60 s of clock skew are tolerated");
  }

  @Test
  void tokenWithoutExpIsRejected() throws Exception {
    String forEver = hs256(SECRET, claims("user-1", b -> b.expirationTime(null)));
    assertUnauthorized(() -> authenticator(hmacKeys()).verify(forEver));
    String forEverWithoutIat = hs256(SECRET, claims("user-1", b -> b.expirationTime(null).issueTime(null)));
    assertUnauthorized(() -> authenticator(hmacKeys()).verify(forEverWithoutIat));
  }

  @Test
  void tokenIssuedInTheFutureIsRejected() throws Exception {
    String future = hs256(SECRET, claims("user-1", b -> b.issueTime(Date.from(NOW.plusSeconds(300)))));
    assertUnauthorized(() -> authenticator(hmacKeys()).verify(future));
    String soon = hs256(SECRET, claims("user-1", b -> b.issueTime(Date.from(NOW.plusSeconds(30)))));
    assertEquals("user-1", authenticator(hmacKeys()).verify(soon).userId(), "60 s of clock skew are tolerated");
  }

  @Test
  void tokenLivingLongerThanTheMaximumIsRejected() throws Exception {
    var auth = new Authenticator(hmacKeys(), "roles", Optional.empty(), Duration.ofHours(2), CLOCK);
    // From its iat: issued an hour ago, valid for 2 h 1 min.
    Instant issued = NOW.minus(Duration.ofHours(1));
    String tooLong = hs256(SECRET, claims("user-1", b -> b.issueTime(Date.from(issued))
        .expirationTime(Date.from(issued.plus(Duration.ofMinutes(121))))));
    assertUnauthorized(() -> auth.verify(tooLong));
    String longest = hs256(SECRET, claims("user-1", b -> b.issueTime(Date.from(issued))
        .expirationTime(Date.from(issued.plus(Duration.ofHours(2))))));
    assertEquals("user-1", auth.verify(longest).userId());
    // Without iat, from now.
    String fromNow = hs256(SECRET, claims("user-1", b -> b.issueTime(null).expirationTime(Date.from(NOW.plus(Duration.ofHours(3))))));
    assertUnauthorized(() -> auth.verify(fromNow));
    String withinFromNow = hs256(SECRET, claims("user-1", b -> b.issueTime(null).expirationTime(Date.from(NOW.plus(Duration.ofHours(2))))));
    assertEquals("user-1", auth.verify(withinFromNow).userId());
    // The default: 24 h.
    String aYear = hs256(SECRET, claims("user-1", b -> b.expirationTime(Date.from(NOW.plus(Duration.ofDays(365))))));
    assertUnauthorized(() -> authenticator(hmacKeys()).verify(aYear));
  }

  @Test
  void aValidTokenWithIatNbfAndExpIsAccepted() throws Exception {
    String valid = hs256(SECRET, claims("user-1", b -> b.notBeforeTime(Date.from(NOW.minusSeconds(60)))));
    assertEquals("user-1", authenticator(hmacKeys()).verify(valid).userId());
  }

  @Test
  void tokenIssuerMintsIatAndExpFromItsClock() throws Exception {
    String token = new TokenIssuer(hmacKeys(), "roles", CLOCK).issue("user-1", List.of(), Duration.ofMinutes(30), null);
    var claims = com.nimbusds.jwt.SignedJWT.parse(token).getJWTClaimsSet();
    assertEquals(NOW, claims.getIssueTime().toInstant());
    assertEquals(NOW.plus(Duration.ofMinutes(30)), claims.getExpirationTime().toInstant());
    assertEquals("user-1", authenticator(hmacKeys()).verify(token).userId());
  }

  @Test
  void tokenSignedByAnotherKeyIsRejected() throws Exception {
    String otherSecret = hs256(OTHER_SECRET, claims("user-1"));
    assertUnauthorized(() -> authenticator(hmacKeys()).verify(otherSecret));
    String otherRsaKey = rs256(otherRsa, claims("user-1"));
    assertUnauthorized(() -> authenticator(rsaKeys()).verify(otherRsaKey));
  }

  @Test
  void tamperedTokenIsRejected() throws Exception {
    String token = hs256(SECRET, claims("user-1"));
    String[] parts = token.split("\\.");
    String forged = parts[0] + "." + Base64URL.encode(claims("admin").toString()) + "." + parts[2];
    assertUnauthorized(() -> authenticator(hmacKeys()).verify(forged));
  }

  @Test
  void hs256TokenPresentedToAnRsaKeyIsRejected() throws Exception {
    // Algorithm confusion: HMAC "signed" with the public key's bytes, which an attacker knows.
    String confused = sign(new MACSigner(rsa.getPublic().getEncoded()), JWSAlgorithm.HS256, claims("user-1"));
    assertUnauthorized(() -> authenticator(rsaKeys()).verify(confused));
    String pemAsSecret = sign(new MACSigner(pem(rsa).getBytes(StandardCharsets.UTF_8)), JWSAlgorithm.HS256, claims("user-1"));
    assertUnauthorized(() -> authenticator(rsaKeys()).verify(pemAsSecret));
  }

  @Test
  void rs256TokenPresentedToAnHmacKeyIsRejected() {
    String token = rs256(rsa, claims("user-1"));
    assertUnauthorized(() -> authenticator(hmacKeys()).verify(token));
  }

  @Test
  void unsignedTokenIsRejected() {
    String header = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}").toString();
    String payload = Base64URL.encode(claims("user-1").toString()).toString();
    assertUnauthorized(() -> authenticator(hmacKeys()).verify(header + "." + payload + "."));
    assertUnauthorized(() -> authenticator(rsaKeys()).verify(header + "." + payload + "."));
    assertUnauthorized(() -> authenticator(hmacKeys()).verify(header + "." + payload));
  }

  @Test
  void garbageIsRejected() {
    Authenticator auth = authenticator(hmacKeys());
    for (String garbage : List.of("garbage", "", "a.b.c", "not.a.jwt.at.all", "eyJhbGciOiJIUzI1NiJ9.e30.", "Bearer x")) {
      assertUnauthorized(() -> auth.verify(garbage));
    }
  }

  @Test
  void missingOrAnonymousSubjectIsRejected() throws Exception {
    Authenticator auth = authenticator(hmacKeys());
    String noSubject = hs256(SECRET, claims(null));
    assertUnauthorized(() -> auth.verify(noSubject));
    for (String subject : List.of("anonymous", "Anonymous", "", "  ", "f:realm:", "f:realm:anonymous", "u".repeat(101),
        "f:realm:" + "u".repeat(101), "user\u0000")) {
      String token = hs256(SECRET, claims(subject));
      assertUnauthorized(() -> auth.verify(token));
    }
    assertEquals("u".repeat(100), auth.verify(hs256(SECRET, claims("f:realm:" + "u".repeat(100)))).userId());
  }

  @Test
  void issuerIsCheckedWhenConfigured() throws Exception {
    var auth = new Authenticator(hmacKeys(), "roles", Optional.of(ISSUER), CLOCK);
    assertEquals("user-1", auth.verify(hs256(SECRET, claims("user-1", b -> b.issuer(ISSUER)))).userId());
    String wrong = hs256(SECRET, claims("user-1", b -> b.issuer("https://evil.example.org/realms/sunbird")));
    assertUnauthorized(() -> auth.verify(wrong));
    String none = hs256(SECRET, claims("user-1"));
    assertUnauthorized(() -> auth.verify(none));

    var blank = new Authenticator(hmacKeys(), "roles", Optional.of(" "), CLOCK);
    assertEquals("user-1", blank.verify(none).userId(), "a blank issuer setting checks nothing");
  }

  // --- headers ---

  @Test
  void userTokenHeaderTakesPrecedenceAndAuthorizationMayHoldAnApiKey() throws Exception {
    String token = hs256(SECRET, claims("user-1"));
    var request = withHeaders("x-authenticated-user-token", token, "Authorization", "Bearer gateway-api-key-not-a-jwt");
    assertEquals("user-1", authenticator(hmacKeys()).authenticate(request).userId());
  }

  @Test
  void userTokenHeaderIsNotBypassedByAValidBearer() throws Exception {
    String valid = hs256(SECRET, claims("user-1"));
    var request = withHeaders("x-authenticated-user-token", "forged", "Authorization", "Bearer " + valid);
    assertUnauthorized(() -> authenticator(hmacKeys()).authenticate(request));
  }

  @Test
  void bearerAloneCarriesTheUserToken() throws Exception {
    String token = hs256(SECRET, claims("user-1"));
    assertEquals("user-1", authenticator(hmacKeys()).authenticate(withHeaders("Authorization", "Bearer " + token)).userId());
    assertEquals("user-1", authenticator(hmacKeys()).authenticate(withHeaders("authorization", "bearer " + token)).userId());
    var blankUserToken = withHeaders("x-authenticated-user-token", " ", "Authorization", "Bearer " + token);
    assertEquals("user-1", authenticator(hmacKeys()).authenticate(blankUserToken).userId());
  }

  @Test
  void noUsableHeaderIsUnauthorized() throws Exception {
    Authenticator auth = authenticator(hmacKeys());
    String token = hs256(SECRET, claims("user-1"));
    assertUnauthorized(() -> auth.authenticate(HttpRequest.create()));
    assertUnauthorized(() -> auth.authenticate(withHeaders("Authorization", "Basic dXNlcjpwYXNz")));
    assertUnauthorized(() -> auth.authenticate(withHeaders("Authorization", token)));
    assertUnauthorized(() -> auth.authenticate(withHeaders("x-authenticated-userid", "user-1")));
    assertUnauthorized(() -> auth.authenticate(withHeaders("Authorization", "Bearer gateway-api-key-not-a-jwt")));
  }

  // --- x-authenticated-for (managed users) ---

  private static final Caller PARENT = Caller.of("parent-1", "PUBLIC");

  private static HttpRequest actingFor(String managedToken) throws Exception {
    return withHeaders("Authorization", "Bearer " + hs256(SECRET, claims(PARENT.userId(), b -> b.claim("roles", PARENT.roles()))),
        "x-authenticated-for", managedToken);
  }

  @Test
  void managedUserTokenNamingTheCallerAsParentGivesTheManagedUser() throws Exception {
    Authenticator auth = authenticator(hmacKeys());
    HttpRequest request = actingFor(hs256(SECRET, claims("child-1", b -> b.claim("parentId", "parent-1"))));
    Caller caller = auth.authenticate(request);
    assertEquals(PARENT, caller, "the caller stays the parent, with the parent's roles");
    assertEquals(Optional.of("child-1"), auth.requestedFor(request, caller));
  }

  @Test
  void noOrBlankRequestedForHeaderActsForNobody() throws Exception {
    Authenticator auth = authenticator(hmacKeys());
    assertEquals(Optional.empty(), auth.requestedFor(withHeaders("Authorization", "Bearer x"), PARENT));
    assertEquals(Optional.empty(), auth.requestedFor(withHeaders("x-authenticated-for", "  "), PARENT));
  }

  @Test
  void managedUserTokenMustNameTheCallerAsParent() throws Exception {
    Authenticator auth = authenticator(hmacKeys());
    String otherParent = hs256(SECRET, claims("child-1", b -> b.claim("parentId", "parent-2")));
    assertUnauthorized(() -> auth.requestedFor(withHeaders("x-authenticated-for", otherParent), PARENT));
    String noParent = hs256(SECRET, claims("child-1"));
    assertUnauthorized(() -> auth.requestedFor(withHeaders("x-authenticated-for", noParent), PARENT));
    String parentNotAString = hs256(SECRET, claims("child-1", b -> b.claim("parentId", List.of("parent-1"))));
    assertUnauthorized(() -> auth.requestedFor(withHeaders("x-authenticated-for", parentNotAString), PARENT));
    String keycloakParent = hs256(SECRET, claims("f:realm:child-1", b -> b.claim("parentId", "f:realm:parent-1")));
    assertEquals(Optional.of("child-1"), auth.requestedFor(withHeaders("x-authenticated-for", keycloakParent), PARENT));
  }

  @Test
  void managedUserTokenIsVerifiedLikeTheCallersOwn() throws Exception {
    Authenticator auth = authenticator(hmacKeys());
    List<String> bad = List.of(
        hs256(OTHER_SECRET, claims("child-1", b -> b.claim("parentId", "parent-1"))),
        hs256(SECRET, claims("child-1", b -> b.claim("parentId", "parent-1").expirationTime(Date.from(NOW.minusSeconds(120))))),
        hs256(SECRET, claims("child-1", b -> b.claim("parentId", "parent-1").expirationTime(null))),
        hs256(SECRET, claims("child-1", b -> b.claim("parentId", "parent-1").expirationTime(Date.from(NOW.plus(Duration.ofDays(30)))))),
        hs256(SECRET, claims("child-1", b -> b.claim("parentId", "parent-1").issueTime(Date.from(NOW.plusSeconds(600))))),
        hs256(SECRET, claims("anonymous", b -> b.claim("parentId", "parent-1"))),
        hs256(SECRET, claims(null, b -> b.claim("parentId", "parent-1"))),
        rs256(rsa, claims("child-1", b -> b.claim("parentId", "parent-1"))),
        "child-1",
        "garbage.token.here");
    for (String token : bad) {
      assertUnauthorized(() -> auth.requestedFor(withHeaders("x-authenticated-for", token), PARENT));
    }
  }

  @Test
  void tokenIssuerMintsManagedUserTokens() {
    JwtKeys keys = hmacKeys();
    var issuer = new TokenIssuer(keys, "roles");
    String parent = issuer.issue("parent-1", List.of("PUBLIC"), Duration.ofMinutes(5), ISSUER);
    String child = issuer.issueManagedUser("child-1", "parent-1", Duration.ofMinutes(5), ISSUER);
    var auth = new Authenticator(keys, "roles", Optional.of(ISSUER), Clock.systemUTC());
    HttpRequest request = withHeaders("x-authenticated-user-token", parent, "x-authenticated-for", child);
    Caller caller = auth.authenticate(request);
    assertEquals("parent-1", caller.userId());
    assertEquals(Optional.of("child-1"), auth.requestedFor(request, caller));
    assertUnauthorized(() -> auth.requestedFor(request, Caller.of("someone-else")));
  }

  @Test
  void userIdOfKeepsPlainSubjects() {
    assertEquals("user-1", Authenticator.userIdOf("user-1"));
    assertEquals("user-1", Authenticator.userIdOf("f:realm:user-1"));
    assertEquals(null, Authenticator.userIdOf(null));
  }
}
