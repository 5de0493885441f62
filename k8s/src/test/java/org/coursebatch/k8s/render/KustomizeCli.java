package org.coursebatch.k8s.render;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.coursebatch.k8s.manifest.Manifests;

/** The real kustomize: {@code kustomize build DIR}, or else {@code kubectl kustomize DIR}. */
public final class KustomizeCli implements Kustomizer {
  private final List<String> command;

  private KustomizeCli(List<String> command) {
    this.command = List.copyOf(command);
  }

  /** The kustomize or kubectl on the PATH, if there is one. */
  public static Optional<KustomizeCli> onPath() {
    return executable("kustomize").map(k -> new KustomizeCli(List.of(k.toString(), "build")))
        .or(() -> executable("kubectl").map(k -> new KustomizeCli(List.of(k.toString(), "kustomize"))));
  }

  private static Optional<Path> executable(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  @Override
  public List<ObjectNode> build(Path kustomizationDir) {
    List<String> args = new ArrayList<>(command);
    args.add(kustomizationDir.toString());
    try {
      Path out = Files.createTempFile("kustomize", ".yaml");
      Path err = Files.createTempFile("kustomize", ".err");
      try {
        Process process = new ProcessBuilder(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException(String.join(" ", args) + " took longer than 60 s");
        }
        if (process.exitValue() != 0) {
          throw new IllegalStateException(String.join(" ", args) + " failed: " + Files.readString(err));
        }
        return Manifests.parse(Files.readString(out), String.join(" ", args));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String describe() {
    return String.join(" ", command);
  }
}
