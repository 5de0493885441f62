package org.coursebatch.http.api;

import akka.NotUsed;
import akka.stream.javadsl.Source;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A result whose items are written as they arrive: {@code result.<field>} is the list of
 * {@code items}, followed by a summary of how many had {@code "successful": true} and {@code false}.
 */
public record StreamedResult(String field, Source<JsonNode, NotUsed> items) {}
