package org.coursebatch.node;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The part of a Kubernetes API server that Akka's Kubernetes discovery uses: {@code GET
 * /api/v1/namespaces/{namespace}/pods?labelSelector=...} over HTTPS with a bearer token, answered
 * with a pod list of the given pods, each a node on loopback whose container port
 * {@code management} is that node's management port. It also writes what a pod finds in
 * /var/run/secrets/kubernetes.io/serviceaccount: the CA certificate, the token and the namespace.
 */
final class FakeKubernetesApi implements AutoCloseable {

  static final String TOKEN = "fake-service-account-token";

  /** A pod-list request as the server saw it. */
  record Request(String path, String labelSelector, String authorization) {}

  /** A pod: its name, labels ("k=v") and management port. */
  record Pod(String name, String label, int managementPort) {}

  private final HttpsServer server;
  private final Path serviceAccount;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile List<Pod> pods = List.of();

  FakeKubernetesApi(Path dir, String namespace) throws Exception {
    serviceAccount = Files.createDirectories(dir.resolve("serviceaccount"));
    SSLContext tls = selfSignedTls(dir);
    Files.writeString(serviceAccount.resolve("token"), TOKEN);
    Files.writeString(serviceAccount.resolve("namespace"), namespace);
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.createContext("/api/v1/namespaces/", exchange -> answer(exchange, namespace));
    server.start();
  }

  /** The pods in the namespace, of any app. */
  void pods(List<Pod> pods) {
    this.pods = List.copyOf(pods);
  }

  /** The JVM options that point the discovery at this server's service account files instead of the pod's. */
  List<String> jvmOptions() {
    return List.of(
        "-Dakka.discovery.kubernetes-api.api-ca-path=" + serviceAccount.resolve("ca.crt"),
        "-Dakka.discovery.kubernetes-api.api-token-path=" + serviceAccount.resolve("token"),
        "-Dakka.discovery.kubernetes-api.pod-namespace-path=" + serviceAccount.resolve("namespace"));
  }

  /** What a pod's environment says about where the API server is. */
  int port() {
    return server.getAddress().getPort();
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  private void answer(HttpExchange exchange, String namespace) {
    try (exchange) {
      String query = exchange.getRequestURI().getRawQuery();
      String selector = query == null ? "" : URLDecoder.decode(query.replaceFirst("^labelSelector=", ""), StandardCharsets.UTF_8);
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      requests.add(new Request(exchange.getRequestURI().getPath(), selector, authorization));
      boolean allowed = ("Bearer " + TOKEN).equals(authorization);
      boolean podList = exchange.getRequestURI().getPath().equals("/api/v1/namespaces/" + namespace + "/pods");
      byte[] body = (allowed && podList ? podList(pods.stream().filter(p -> p.label().equals(selector)).toList()) : "{}")
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(!allowed ? 401 : podList ? 200 : 404, body.length);
      exchange.getResponseBody().write(body);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A v1 PodList with the fields the discovery reads: the pod IP, phase, containers and their ports. */
  private static String podList(List<Pod> pods) {
    ObjectNode list = ApiClient.JSON.createObjectNode().put("kind", "PodList").put("apiVersion", "v1");
    ArrayNode items = list.putArray("items");
    for (Pod pod : pods) {
      ObjectNode item = items.addObject();
      ObjectNode metadata = item.putObject("metadata").put("name", pod.name());
      String[] label = pod.label().split("=", 2);
      metadata.putObject("labels").put(label[0], label[1]);
      ObjectNode container = item.putObject("spec").putArray("containers").addObject().put("name", "course-batch");
      container.putArray("ports").addObject().put("name", "management").put("containerPort", pod.managementPort()).put("protocol", "TCP");
      ObjectNode status = item.putObject("status").put("phase", "Running").put("podIP", "127.0.0.1");
      status.putArray("containerStatuses").addObject().put("name", "course-batch").put("ready", true)
          .putObject("state").putObject("running");
    }
    return list.toString();
  }

  /**
   * A TLS key and self-signed certificate for 127.0.0.1, made with the JDK's keytool; the
   * certificate is also the CA file the discovery trusts.
   */
  private SSLContext selfSignedTls(Path dir) throws Exception {
    Path keystore = dir.resolve("api-server.p12");
    char[] password = "changeit".toCharArray();
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    run(keytool, "-genkeypair", "-alias", "api", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
        "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit");
    run(keytool, "-exportcert", "-rfc", "-alias", "api", "-keystore", keystore.toString(), "-storepass", "changeit",
        "-file", serviceAccount.resolve("ca.crt").toString());
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, password);
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(ks, password);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keys.getKeyManagers(), null, null);
    return tls;
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
