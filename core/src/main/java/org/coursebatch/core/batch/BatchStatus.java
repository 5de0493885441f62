package org.coursebatch.core.batch;

/** The batch lifecycle; the wire value is Sunbird's number (0, 1, 2). */
public enum BatchStatus {
  UPCOMING(0),
  IN_PROGRESS(1),
  ENDED(2);

  private final int code;

  BatchStatus(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static BatchStatus ofCode(int code) {
    for (BatchStatus s : values()) {
      if (s.code == code) {
        return s;
      }
    }
    throw new IllegalArgumentException("No batch status " + code);
  }
}
