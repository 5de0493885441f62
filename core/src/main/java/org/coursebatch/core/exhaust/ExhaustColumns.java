package org.coursebatch.core.exhaust;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.coursebatch.core.batch.Batch;
import org.coursebatch.core.catalog.Course;

/**
 * What the three reports share: the columns that name the course, the batch and the learner, and
 * how dates and percentages are written (as Sunbird's reports write them).
 */
public final class ExhaustColumns {

  /** The first five columns of every report. */
  public static final List<String> SUBJECT = List.of("Collection Id", "Collection Name", "Batch Id", "Batch Name", "User UUID");

  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy");
  private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private ExhaustColumns() {}

  /** {@link #SUBJECT} followed by {@code rest}. */
  static List<String> header(List<String> rest) {
    List<String> out = new ArrayList<>(SUBJECT);
    out.addAll(rest);
    return out;
  }

  /** A row that starts with the course, the batch and the learner. */
  static List<String> row(Course course, Batch batch, String userId) {
    List<String> out = new ArrayList<>();
    out.add(course.identifier());
    out.add(course.name());
    out.add(batch.batchId());
    out.add(batch.name());
    out.add(userId);
    return out;
  }

  /** {@code dd/MM/yyyy} in the batch's zone; empty for no instant. */
  static String date(Instant at, ZoneId zone) {
    return at == null ? "" : DATE.format(at.atZone(zone));
  }

  /** {@code yyyy-MM-dd HH:mm:ss} in the batch's zone; empty for no instant. */
  static String dateTime(Instant at, ZoneId zone) {
    return at == null ? "" : DATE_TIME.format(at.atZone(zone));
  }

  /** A score as a whole percentage rounded up, e.g. {@code 67%}; empty when there is no maximum. */
  static String percent(double score, double max) {
    return max <= 0 ? "" : (long) Math.ceil(score * 100.0 / max) + "%";
  }

  /** A number without a trailing {@code .0} when it is whole: 2, 1.5. */
  static String number(double value) {
    return value == Math.rint(value) && !Double.isInfinite(value) ? Long.toString((long) value) : Double.toString(value);
  }

  static String orEmpty(String value) {
    return value == null ? "" : value;
  }
}
