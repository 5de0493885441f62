package org.coursebatch.core.error;

/** Carries a {@link Rejection} through a failed future to the API layer. */
public final class RejectedException extends RuntimeException {
  private final Rejection rejection;

  public RejectedException(Rejection rejection) {
    super(rejection.code().code() + ": " + rejection.message(), null, false, false);
    this.rejection = rejection;
  }

  public Rejection rejection() {
    return rejection;
  }
}
