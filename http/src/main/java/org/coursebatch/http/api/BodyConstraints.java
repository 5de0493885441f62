package org.coursebatch.http.api;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.Rejection;

/**
 * What the body size limit does not bound in a JSON body, checked by Jackson's parser as it reads:
 * how deep it nests (everything that reads a body walks it recursively, so a megabyte of {@code [}
 * would overflow the stack), how many digits a number has (a million digits take seconds to read
 * as a BigInteger), and how long a string or a property name is. The limits are Jackson's defaults,
 * so what a request stores the service's own mappers (Akka's for the journal, snapshots and
 * documents, on the defaults) can read back. A body beyond one is refused with the service's
 * answer ({@link Exceeded#rejection}), not Jackson's message.
 */
final class BodyConstraints extends StreamReadConstraints {

  static final int MAX_DEPTH = DEFAULT_MAX_DEPTH;
  static final int MAX_NUMBER_LENGTH = DEFAULT_MAX_NUM_LEN;

  private static final long serialVersionUID = 1L;

  BodyConstraints() {
    super(MAX_DEPTH, DEFAULT_MAX_DOC_LEN, MAX_NUMBER_LENGTH, DEFAULT_MAX_STRING_LEN, DEFAULT_MAX_NAME_LEN,
        DEFAULT_MAX_TOKEN_COUNT);
  }

  /** A body beyond a limit: the refusal the client gets. */
  static final class Exceeded extends StreamConstraintsException {

    private static final long serialVersionUID = 1L;
    private final transient Rejection rejection;

    Exceeded(Rejection rejection) {
      super(rejection.message());
      this.rejection = rejection;
    }

    Rejection rejection() {
      return rejection;
    }
  }

  @Override
  public void validateNestingDepth(int depth) throws StreamConstraintsException {
    if (depth > _maxNestingDepth) {
      throw new Exceeded(ErrorCode.JSON_TOO_DEEP.reject(_maxNestingDepth));
    }
  }

  /** {@code length} counts the digits: of the integer part, the fraction and the exponent. */
  @Override
  public void validateFPLength(int length) throws StreamConstraintsException {
    validateIntegerLength(length);
  }

  @Override
  public void validateIntegerLength(int length) throws StreamConstraintsException {
    if (length > _maxNumLen) {
      throw new Exceeded(ErrorCode.JSON_NUMBER_TOO_LONG.reject(length, _maxNumLen));
    }
  }

  /** The parser checks as a string grows, so {@code length} is where it stopped, not the whole. */
  @Override
  public void validateStringLength(int length) throws StreamConstraintsException {
    if (length > _maxStringLen) {
      throw new Exceeded(ErrorCode.JSON_STRING_TOO_LONG.reject(_maxStringLen));
    }
  }

  @Override
  public void validateNameLength(int length) throws StreamConstraintsException {
    if (length > _maxNameLen) {
      throw new Exceeded(ErrorCode.JSON_NAME_TOO_LONG.reject(_maxNameLen));
    }
  }
}
