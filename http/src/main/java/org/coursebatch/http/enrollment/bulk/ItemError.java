package org.coursebatch.http.enrollment.bulk;

import org.coursebatch.core.error.Rejection;

/** An item's error: the code and message the envelope would have, and its response code. */
public record ItemError(String err, String errmsg, String responseCode) {

  public static ItemError of(Rejection rejection) {
    return new ItemError(rejection.code().code(), rejection.message(), rejection.code().responseCode().name());
  }
}
