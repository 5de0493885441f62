package org.coursebatch.http.webhook;

import akka.actor.typed.ActorSystem;
import java.util.List;
import java.util.Optional;
import org.coursebatch.core.publish.EventSink;

/** The webhook sinks a node feeds: one per receiver, so a receiver that is down holds up its own events only. */
public final class WebhookSinks {

  private WebhookSinks() {}

  /** A sink per configured url (none without webhook settings), each named {@link WebhookSink#receiverName}. */
  public static List<EventSink> fromSettings(ActorSystem<?> system, Optional<WebhookSettings> settings) {
    return settings.<List<EventSink>>map(s -> s.urls().stream().<EventSink>map(url -> new WebhookSink(system, s, url)).toList())
        .orElse(List.of());
  }
}
