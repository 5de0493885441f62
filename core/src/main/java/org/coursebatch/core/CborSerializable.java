package org.coursebatch.core;

/**
 * Marker for messages, replies and snapshots that cross node boundaries. Bound to Akka's
 * jackson-cbor serializer in this module's reference.conf.
 */
public interface CborSerializable {}
