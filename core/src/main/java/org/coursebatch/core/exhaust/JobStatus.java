package org.coursebatch.core.exhaust;

/**
 * Where a job request stands: waiting for a worker, being generated, done with a file, or given up
 * after its last attempt. A failed attempt before the last goes back to {@link #SUBMITTED}.
 */
public enum JobStatus {
  SUBMITTED,
  PROCESSING,
  SUCCESS,
  FAILED;

  public boolean finished() {
    return this == SUCCESS || this == FAILED;
  }
}
