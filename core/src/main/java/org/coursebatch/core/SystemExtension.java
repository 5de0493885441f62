package org.coursebatch.core;

import akka.actor.AbstractExtensionId;
import akka.actor.ExtendedActorSystem;
import akka.actor.Extension;
import akka.actor.ExtensionIdProvider;
import java.util.function.Function;

/**
 * The id of an Akka extension: one {@code T} per actor system, made by {@code create} on first use.
 * Akka keys extensions by their id's identity, so each extension keeps its one id in a constant.
 */
public final class SystemExtension<T extends Extension> extends AbstractExtensionId<T> implements ExtensionIdProvider {

  private final Function<ExtendedActorSystem, T> create;

  public SystemExtension(Function<ExtendedActorSystem, T> create) {
    this.create = create;
  }

  @Override
  public T createExtension(ExtendedActorSystem system) {
    return create.apply(system);
  }

  @Override
  public SystemExtension<T> lookup() {
    return this;
  }
}
