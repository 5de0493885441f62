package org.coursebatch.core.journal;

import akka.actor.ExtendedActorSystem;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import akka.serialization.SerializerWithStringManifest;
import akka.serialization.Serializers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.UncheckedIOException;

/**
 * Stores a {@link ChainedSnapshot}: the chain's head, then the state as its own serializer writes
 * it (id, manifest, bytes), so the state keeps its format and its Jackson migrations.
 */
public final class ChainedSnapshotSerializer extends SerializerWithStringManifest {

  public static final int IDENTIFIER = 7303;
  private static final String MANIFEST = "1";

  private final ExtendedActorSystem system;
  private volatile Serialization serialization;

  public ChainedSnapshotSerializer(ExtendedActorSystem system) {
    this.system = system;
  }

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  @Override
  public String manifest(Object o) {
    return MANIFEST;
  }

  @Override
  public byte[] toBinary(Object o) {
    if (!(o instanceof ChainedSnapshot snapshot)) {
      throw new IllegalArgumentException("Not a ChainedSnapshot: " + o.getClass().getName());
    }
    Serializer inner = serialization().findSerializerFor(snapshot.state());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeUTF(snapshot.head() == null ? "" : snapshot.head());
      out.writeInt(inner.identifier());
      out.writeUTF(Serializers.manifestFor(inner, snapshot.state()));
      out.write(inner.toBinary(snapshot.state()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    if (!MANIFEST.equals(manifest)) {
      throw new NotSerializableException("Unknown chained snapshot format [" + manifest + "]");
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      String head = in.readUTF();
      int innerId = in.readInt();
      String innerManifest = in.readUTF();
      byte[] state = in.readAllBytes();
      return new ChainedSnapshot(head.isEmpty() ? null : head,
          serialization().deserialize(state, innerId, innerManifest).get());
    } catch (IOException e) {
      throw new NotSerializableException("Broken chained snapshot: " + e);
    }
  }

  private Serialization serialization() {
    Serialization s = serialization;
    if (s == null) {
      s = SerializationExtension.get(system);
      serialization = s;
    }
    return s;
  }
}
