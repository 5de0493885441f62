package org.coursebatch.http.api;

import akka.NotUsed;
import akka.japi.Pair;
import akka.japi.pf.PFBuilder;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.RejectedException;
import org.coursebatch.core.error.Rejection;
import org.coursebatch.core.error.Rejections;
import org.coursebatch.core.error.ResponseCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The envelope of a streamed result, written as its items arrive. It has the fields of the usual
 * envelope, with {@code result} before {@code params} and {@code responseCode}, because those are
 * only known at the end:
 *
 * <pre>{"id":…,"ver":"v1","ts":…,"result":{"&lt;field&gt;":[item,…],"summary":{"total":N,"succeeded":S,"failed":F}},
 *  "params":{…,"status":"success"},"responseCode":"OK"}</pre>
 *
 * <p>When the items fail part-way the list is closed, the summary counts the items written, and
 * the envelope ends as an error: {@code params.err} and {@code params.status}
 * {@code OPERATION_FAILED}, {@code responseCode} {@code SERVICE_UNAVAILABLE}. The HTTP status
 * stays 200, as it was sent with the first bytes.
 */
public final class StreamedEnvelope {

  private static final Logger log = LoggerFactory.getLogger(StreamedEnvelope.class);

  /** Items are written in groups of up to this many, or what arrived within {@link #GROUP_WITHIN}. */
  static final int GROUP_SIZE = 100;
  static final Duration GROUP_WITHIN = Duration.ofMillis(50);

  private StreamedEnvelope() {}

  /** The bytes of the envelope of {@code result}; nothing runs until they are read. */
  public static Source<ByteString, NotUsed> of(String apiId, String msgId, Instant now, StreamedResult result) {
    String head = "{\"id\":" + quoted(apiId) + ",\"ver\":\"v1\",\"ts\":" + quoted(Envelope.timestamp(now))
        + ",\"result\":{" + quoted(result.field()) + ":[";
    // The failure becomes the last piece before grouping, so the items of a group in the making are written too.
    Source<List<Piece>, NotUsed> groups = result.items()
        .<Piece>map(item -> new Item(item))
        .concat(Source.single(new End(null)))
        .recover(new PFBuilder<Throwable, Piece>().match(Throwable.class, End::new).build())
        .groupedWithin(GROUP_SIZE, GROUP_WITHIN);
    return Source.single(ByteString.fromString(head))
        .concat(groups.statefulMap(Summary::new, (summary, group) -> Pair.create(summary, summary.write(group, apiId, msgId)),
            summary -> Optional.empty()));
  }

  private sealed interface Piece permits Item, End {}

  private record Item(Object value) implements Piece {}

  /** The closing counts of the items written. */
  private record Totals(long total, long succeeded, long failed) {}

  /** The end of the items: {@code failure} null when they all arrived. */
  private record End(Throwable failure) implements Piece {}

  /** What has been written so far, per response. */
  private static final class Summary {
    private long total;
    private long succeeded;
    private long failed;

    ByteString write(List<Piece> group, String apiId, String msgId) {
      StringBuilder out = new StringBuilder();
      for (Piece piece : group) {
        if (piece instanceof Item item) {
          append(out, item.value());
        } else {
          end(out, ((End) piece).failure(), apiId, msgId);
        }
      }
      return ByteString.fromString(out.toString());
    }

    private void append(StringBuilder out, Object item) {
      if (total++ > 0) {
        out.append(',');
      }
      Boolean successful = StreamedResult.successOf(item);
      if (successful != null) {
        if (successful) {
          succeeded++;
        } else {
          failed++;
        }
      }
      out.append(Envelope.text(item));
    }

    private void end(StringBuilder out, Throwable failure, String apiId, String msgId) {
      String summary = Envelope.text(new Totals(total, succeeded, failed));
      Envelope.Params params;
      ResponseCode code;
      if (failure == null) {
        params = Envelope.Params.ok(msgId);
        code = ResponseCode.OK;
      } else {
        Rejection broken = brokenOff(failure, apiId);
        params = Envelope.Params.error(msgId, broken);
        code = broken.code().responseCode();
      }
      out.append("],\"summary\":").append(summary).append("},\"params\":").append(Envelope.text(params))
          .append(",\"responseCode\":").append(quoted(code.name())).append('}');
    }

    private Rejection brokenOff(Throwable failure, String apiId) {
      Throwable cause = Rejections.unwrap(failure);
      if (cause instanceof RejectedException r && r.rejection().code() == ErrorCode.OPERATION_FAILED) {
        log.warn("{}: the results broke off after {} items: {}", apiId, total, r.rejection().message());
        return r.rejection();
      }
      log.warn("{}: the results broke off after {} items", apiId, total, cause);
      String why = cause instanceof RejectedException r ? r.rejection().message() : cause.getClass().getSimpleName();
      return ErrorCode.OPERATION_FAILED.reject("The operation stopped after " + total + " results (" + why + "). Items not"
          + " listed may or may not have been applied; repeat the operation to finish it.");
    }
  }

  private static String quoted(String text) {
    return new TextNode(text).toString();
  }
}
