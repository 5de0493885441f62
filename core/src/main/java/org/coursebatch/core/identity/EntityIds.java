package org.coursebatch.core.identity;

/**
 * Which ids a batch, an enrolment or an alias can have: 1 to {@value #MAX_LENGTH} characters (the
 * id columns of the journal's read models), none of them a control character. An id outside these
 * names nothing, so a request naming one is answered without asking an entity: an entity started
 * for it would only fail in the journal (PostgreSQL refuses a NUL byte) and keep restarting, and
 * enough such failures open the journal's circuit breaker for every other entity of the node.
 */
public final class EntityIds {

  public static final int MAX_LENGTH = 100;

  private EntityIds() {}

  public static boolean canExist(String id) {
    return canExist(id, MAX_LENGTH);
  }

  /** For ids of their own length: 1 to {@code maxLength} characters, none a control character. */
  public static boolean canExist(String id, int maxLength) {
    if (id == null || id.isEmpty() || id.length() > maxLength) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      if (Character.isISOControl(id.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code id} as a message may quote it: control characters as {@code \\uXXXX}, and at most
   * {@value #MAX_LENGTH} characters followed by an ellipsis, so a hostile id neither breaks a log
   * line nor fills an answer.
   */
  public static String quoted(String id) {
    if (id == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder();
    int shown = Math.min(id.length(), MAX_LENGTH);
    for (int i = 0; i < shown; i++) {
      char c = id.charAt(i);
      if (Character.isISOControl(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (id.length() > MAX_LENGTH) {
      out.append("… (").append(id.length()).append(" characters)");
    }
    return out.toString();
  }
}
