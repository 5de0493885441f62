package org.coursebatch.core.request;

import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.coursebatch.core.identity.EntityIds;

/**
 * How a retry of a request is recognised: the client's idempotency key, and a digest of who asked
 * for what with it (caller, operation, parameters). An entity journals it with the events the
 * request recorded (see {@link RememberedRequests}); a later command with the same key and digest
 * is the same request again. The same key with other parameters is another request.
 */
public record RequestKey(String key, String digest) {

  /** The longest key a client may send: the length of the id columns. */
  public static final int MAX_LENGTH = EntityIds.MAX_LENGTH;

  // Sorted properties and map keys: the digest of equal parameters never depends on an iteration order.
  private static final JsonMapper CANONICAL = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .addModule(new Jdk8Module())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .build();

  /** 1 to {@value #MAX_LENGTH} characters, none of them a control character, not blank. */
  public static boolean acceptable(String key) {
    return key != null && !key.isBlank() && EntityIds.canExist(key, MAX_LENGTH);
  }

  public static RequestKey of(String key, String callerId, String operation, Object... parameters) {
    if (!acceptable(key)) {
      throw new IllegalArgumentException("Not an idempotency key: " + EntityIds.quoted(key));
    }
    List<Object> all = new ArrayList<>(List.of(callerId, key, operation));
    all.addAll(java.util.Arrays.asList(parameters));
    try {
      byte[] canonical = CANONICAL.writeValueAsBytes(all);
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical);
      // 128 bits: no two requests of a caller ever share one.
      return new RequestKey(key, HexFormat.of().formatHex(hash, 0, 16));
    } catch (com.fasterxml.jackson.core.JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot digest the parameters of " + operation, e);
    }
  }

  /** The digest as {@code digits} decimal digits (its value modulo 10^digits), e.g. for an id derived from the request. */
  public String decimalDigits(int digits) {
    String value = new BigInteger(digest, 16).mod(BigInteger.TEN.pow(digits)).toString();
    return "0".repeat(digits - value.length()) + value;
  }
}
