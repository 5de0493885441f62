package org.coursebatch.core.error;

/** The envelope's {@code responseCode} and the HTTP status that goes with it. */
public enum ResponseCode {
  OK(200),
  CLIENT_ERROR(400),
  UNAUTHORIZED(401),
  FORBIDDEN(403),
  RESOURCE_NOT_FOUND(404),
  METHOD_NOT_ALLOWED(405),
  REQUEST_TIMEOUT(408),
  REQUEST_ENTITY_TOO_LARGE(413),
  URI_TOO_LONG(414),
  UNSUPPORTED_MEDIA_TYPE(415),
  REQUEST_HEADER_FIELDS_TOO_LARGE(431),
  SERVER_ERROR(500),
  SERVICE_UNAVAILABLE(503);

  private final int httpStatus;

  ResponseCode(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  public int httpStatus() {
    return httpStatus;
  }
}
