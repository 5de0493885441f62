package org.coursebatch.core.request;

/**
 * What a write knows of the client request it serves: the instant the client must have its answer
 * by ({@code answerBy}; null: no bound beyond each ask's own timeout, as for the items of a
 * response that is already streaming) and the client's idempotency key (null: none).
 */
public record ClientRequest(java.time.Instant answerBy, String idempotencyKey) {

  public ClientRequest {
    if (idempotencyKey != null && !RequestKey.acceptable(idempotencyKey)) {
      throw new IllegalArgumentException("Not an idempotency key: " + idempotencyKey.length() + " characters");
    }
  }

  /** No bound and no key: internal writes, and tests. */
  public static ClientRequest none() {
    return new ClientRequest(null, null);
  }

  /** The same key, without the request's answer-by instant (for work that outlives the response's start). */
  public ClientRequest keyOnly() {
    return new ClientRequest(null, idempotencyKey);
  }

  /**
   * How a retry of {@code operation} with these parameters by {@code callerId} is recognised, or
   * null when the request has no key.
   */
  public RequestKey key(String callerId, String operation, Object... parameters) {
    return idempotencyKey == null ? null : RequestKey.of(idempotencyKey, callerId, operation, parameters);
  }
}
