package org.coursebatch.http.wire;

import akka.NotUsed;
import akka.japi.Pair;
import akka.stream.javadsl.Flow;
import akka.util.ByteString;
import akka.util.ByteStringBuilder;
import java.util.Optional;

/**
 * UTF-8 lead bytes (0xC0–0xF7) that the continuation bytes (0x80–0xBF) they announce do not
 * follow. Akka HTTP 10.5's header parser takes such a byte in a header value as the start of a
 * sequence and steps over the bytes it announces whatever they are, a CR LF included: the next
 * header line (a Content-Length, say) becomes part of the value, a head may never end, and what
 * follows is framed otherwise than the client (or a proxy in front) framed it. Each such byte is
 * replaced by {@link #REFUSED}, which that parser refuses in a header value, a header name and a
 * request line alike: 400, and the connection is closed. Well-formed UTF-8 passes as it is (in a
 * header value it is refused once the head is read; in a JSON body it is text), and so does
 * everything else: a body that held a lone lead byte was not UTF-8, so not JSON, before.
 *
 * <p>A lead byte whose sequence the bytes received so far cut short is held back until the rest
 * arrives, so that it is judged whole.
 */
public final class LeadBytes {

  /** What a lone lead byte becomes: never UTF-8, refused by Akka's parser wherever it stands in a head. */
  static final byte REFUSED = (byte) 0xFF;

  /** What may be passed on now, and what is held back until more bytes arrive. */
  record Scanned(ByteString out, ByteString held) {}

  private LeadBytes() {}

  /** The inbound byte stream of one connection with every lone lead byte replaced. */
  public static Flow<ByteString, ByteString, NotUsed> guard() {
    return Flow.<ByteString>create()
        .statefulMap(ByteString::emptyByteString,
            (ByteString held, ByteString chunk) -> {
              Scanned scanned = scan(held, chunk);
              return Pair.create(scanned.held(), scanned.out());
            },
            held -> held.isEmpty() ? Optional.empty() : Optional.of(held))
        .filter(bytes -> !bytes.isEmpty());
  }

  /** {@code chunk}, after the {@code held} bytes of the chunks before, with its lone lead bytes replaced. */
  static Scanned scan(ByteString held, ByteString chunk) {
    ByteString in = held.isEmpty() ? chunk : held.concat(chunk);
    int n = in.size();
    ByteStringBuilder replaced = null;
    int passedUpTo = 0;
    int i = 0;
    while (i < n) {
      int b = in.apply(i) & 0xFF;
      if (b < 0xC0 || b > 0xF7) {
        i++;
        continue;
      }
      int announced = b < 0xE0 ? 1 : b < 0xF0 ? 2 : 3;
      int seen = 0;
      while (seen < announced && i + 1 + seen < n && isContinuation(in.apply(i + 1 + seen))) {
        seen++;
      }
      if (seen == announced) {
        i += 1 + announced;
      } else if (i + 1 + seen == n) {
        // Cut short by the end of what has arrived: judged when the rest is here.
        return new Scanned(passed(replaced, in, passedUpTo, i), in.drop(i));
      } else {
        if (replaced == null) {
          replaced = new ByteStringBuilder();
        }
        replaced.append(in.slice(passedUpTo, i)).putByte(REFUSED);
        passedUpTo = i + 1;
        i++;
      }
    }
    return new Scanned(passed(replaced, in, passedUpTo, n), ByteString.emptyByteString());
  }

  private static ByteString passed(ByteStringBuilder replaced, ByteString in, int from, int to) {
    if (replaced == null) {
      return from == 0 && to == in.size() ? in : in.slice(from, to);
    }
    return replaced.append(in.slice(from, to)).result();
  }

  private static boolean isContinuation(byte b) {
    return (b & 0xC0) == 0x80;
  }
}
