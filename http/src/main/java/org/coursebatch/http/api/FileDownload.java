package org.coursebatch.http.api;

import akka.NotUsed;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import java.util.OptionalLong;

/**
 * A file to send as the whole response body (not an envelope): its content type (e.g.
 * {@code application/zip}), the name the client saves it under, its length when known, and its
 * bytes, streamed as the client reads them.
 */
public record FileDownload(String contentType, String fileName, OptionalLong length, Source<ByteString, NotUsed> bytes) {}
