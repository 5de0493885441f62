package org.coursebatch.core.exhaust;

import akka.NotUsed;
import akka.stream.javadsl.Source;
import akka.util.ByteString;

/** Reads finished report files, in pieces, from wherever any node of the cluster can reach them. */
public interface ExhaustFiles {

  /** The bytes of the job's file, read piece by piece as the stream wants them; empty when there is none. */
  Source<ByteString, NotUsed> open(String requestId);
}
