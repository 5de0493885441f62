package org.coursebatch.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.coursebatch.persistence.db.DatabaseSettings;

/**
 * A TCP proxy on a loopback port in front of a server (the test's PostgreSQL), which a test cuts
 * to make the server unreachable the way an outage looks from the node: every open connection is
 * closed, and new ones are held without an answer (a network that drops packets) or reset (a
 * server that is down). Restored, it forwards again, held connections included, as a partition
 * that heals delivers what the client kept sending.
 */
final class TcpProxy implements AutoCloseable {

  /** What a cut does with new connections. */
  enum Cut {
    /** Accepted and held unanswered until the proxy is restored. */
    BLACKHOLE,
    /** Reset at once. */
    REFUSE
  }

  private final InetSocketAddress target;
  private final ServerSocket server;
  private final Thread acceptor;
  /** Both sockets of every forwarded connection, to close them on a cut. */
  private final List<Socket> forwarded = new ArrayList<>();
  /** Connections accepted while cut in {@link Cut#BLACKHOLE} mode. */
  private final List<Socket> held = new ArrayList<>();
  private Cut cut; // null: forwarding
  private volatile boolean closed;

  TcpProxy(String targetHost, int targetPort) throws IOException {
    this.target = new InetSocketAddress(targetHost, targetPort);
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::accept, "tcp-proxy-accept-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A proxy in front of the PostgreSQL server {@code database} is on. */
  static TcpProxy before(DatabaseSettings database) throws IOException {
    URI server = URI.create(database.url().substring("jdbc:".length()));
    return new TcpProxy(server.getHost(), server.getPort());
  }

  /** The same database, reached through this proxy. */
  DatabaseSettings through(DatabaseSettings database) {
    URI server = URI.create(database.url().substring("jdbc:".length()));
    String url = "jdbc:postgresql://127.0.0.1:" + port() + server.getRawPath()
        + (server.getRawQuery() == null ? "" : "?" + server.getRawQuery());
    return new DatabaseSettings(database.vendor(), url, database.user(), database.password(), database.maxPoolSize(),
        database.readJournalPoolSize());
  }

  int port() {
    return server.getLocalPort();
  }

  /** Closes every open connection; new ones are held or reset until {@link #restore()}. */
  void cut(Cut how) {
    List<Socket> open;
    synchronized (this) {
      cut = how;
      open = new ArrayList<>(forwarded);
      forwarded.clear();
    }
    open.forEach(TcpProxy::closeQuietly);
  }

  /** Forwards again, starting with the connections held during the cut. */
  void restore() {
    List<Socket> waiting;
    synchronized (this) {
      cut = null;
      waiting = new ArrayList<>(held);
      held.clear();
    }
    waiting.forEach(this::forward);
  }

  private void accept() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      Cut now;
      synchronized (this) {
        now = cut;
        if (now == Cut.BLACKHOLE) {
          held.add(client);
        }
      }
      if (now == null) {
        forward(client);
      } else if (now == Cut.REFUSE) {
        reset(client);
      }
    }
  }

  private void forward(Socket client) {
    Socket upstream = new Socket();
    try {
      upstream.connect(target, 5_000);
    } catch (IOException e) {
      closeQuietly(upstream);
      reset(client);
      return;
    }
    synchronized (this) {
      if (cut != null) { // cut while connecting
        closeQuietly(upstream);
        closeQuietly(client);
        return;
      }
      forwarded.add(client);
      forwarded.add(upstream);
    }
    pump(client, upstream);
    pump(upstream, client);
  }

  private void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException endOfEitherSide) {
        // closed by a cut or by either end
      } finally {
        closeQuietly(from);
        closeQuietly(to);
        synchronized (this) {
          forwarded.remove(from);
          forwarded.remove(to);
        }
      }
    }, "tcp-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  /** Closes with a reset (RST), as a port nobody listens on answers. */
  private static void reset(Socket s) {
    try {
      s.setSoLinger(true, 0);
    } catch (SocketException ignored) {
      // closed already
    }
    closeQuietly(s);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // nothing to do
    }
    cut(Cut.REFUSE);
    List<Socket> waiting;
    synchronized (this) {
      waiting = new ArrayList<>(held);
      held.clear();
    }
    waiting.forEach(TcpProxy::closeQuietly);
  }
}
