package org.coursebatch.core.json;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.Rejection;
import org.coursebatch.core.identity.EntityIds;

/**
 * The longest text each kind of request field may hold, and the dates the API takes: one table,
 * so that what a request may carry is decided in one place. Each text maximum is at most the
 * column the value ends up in (see the migrations); a value with no column of its own (a batch's
 * description, a template's signatories, free-form JSON) is held to a maximum here all the same,
 * so that one request cannot store megabytes. openapi.yaml gives each field's {@code maxLength}
 * from this table, and a test sends every documented field at its maximum and one beyond.
 *
 * <p>A value beyond its maximum is refused before anything is looked up or journalled with
 * {@link ErrorCode#VALUE_TOO_LONG}, naming the field by its path in the request
 * ({@code contents[0].contentId}).
 */
public final class FieldLimits {

  /**
   * Ids a request gives to be stored or to name a new thing: batches, users, courses, contents,
   * assessment attempts, questions, certificate templates, organisations, groups (the id columns).
   */
  public static final int ID = EntityIds.MAX_LENGTH;
  /** Names of batches, courses, course nodes and certificate templates (the name columns). */
  public static final int NAME = 1000;
  /**
   * Short texts: names of people and groups, signatories' ids and designations, a question's type,
   * a report request's tag.
   */
  public static final int LABEL = 200;
  /** Free text: a batch's description and terms and conditions, a question's title. */
  public static final int TEXT = 10_000;
  /** Links: a certificate design, a signature image (the url column). */
  public static final int URL = 2000;
  /** A course's status, e.g. Live (its column). */
  public static final int STATUS = 32;
  /** A report's password (sealed, it fills at most the encryption_key column). */
  public static final int ENCRYPTION_KEY = 256;
  /** Another id of an enrolment: it names an entity, whose persistence id holds at most 255 characters. */
  public static final int ALIAS = 200;
  /**
   * Free-form JSON objects a request stores as given (a content's progressdetails, a template's
   * issuer, notifyTemplate and additionalProps, a report's datasetConfig, a question's params and
   * responses), counted as JSON text.
   */
  public static final int JSON_OBJECT = 32_768;

  /** The first day the API takes: nothing it records happened earlier. */
  public static final LocalDate EARLIEST_DATE = LocalDate.of(1970, 1, 1);
  /** The last day the API takes: every later one is a typing error, and would overflow an epoch-millis column. */
  public static final LocalDate LATEST_DATE = LocalDate.of(9999, 12, 31);

  private static final Instant EARLIEST_INSTANT = EARLIEST_DATE.atStartOfDay(ZoneOffset.UTC).toInstant();
  private static final Instant END_OF_LATEST = LATEST_DATE.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();

  private FieldLimits() {}

  /** VALUE_TOO_LONG when {@code value} is longer than {@code max} characters; nothing for null. */
  public static Optional<Rejection> tooLong(String value, String field, int max) {
    if (value != null && value.length() > max) {
      return Optional.of(ErrorCode.VALUE_TOO_LONG.reject(field, max, value.length()));
    }
    return Optional.empty();
  }

  /** {@code value}, or the VALUE_TOO_LONG rejection thrown. */
  public static String requireWithin(String value, String field, int max) {
    tooLong(value, field, max).ifPresent(r -> {
      throw r.asException();
    });
    return value;
  }

  /** DATE_OUT_OF_RANGE when the day is before {@link #EARLIEST_DATE} or after {@link #LATEST_DATE}. */
  public static Optional<Rejection> outOfRange(LocalDate day, String field) {
    if (day != null && (day.isBefore(EARLIEST_DATE) || day.isAfter(LATEST_DATE))) {
      return Optional.of(ErrorCode.DATE_OUT_OF_RANGE.reject(field, day, EARLIEST_DATE, LATEST_DATE));
    }
    return Optional.empty();
  }

  /** DATE_OUT_OF_RANGE when the instant falls outside those days (in UTC). */
  public static Optional<Rejection> outOfRange(Instant instant, String field) {
    if (instant != null && (instant.isBefore(EARLIEST_INSTANT) || !instant.isBefore(END_OF_LATEST))) {
      return Optional.of(ErrorCode.DATE_OUT_OF_RANGE.reject(field, instant, EARLIEST_DATE, LATEST_DATE));
    }
    return Optional.empty();
  }

  /** {@code instant}, or the DATE_OUT_OF_RANGE rejection thrown. */
  public static Instant requireInRange(Instant instant, String field) {
    outOfRange(instant, field).ifPresent(r -> {
      throw r.asException();
    });
    return instant;
  }
}
