package org.coursebatch.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples the used heap of this JVM every 20 ms; the peak is what a run needed at most (GC
 * permitting). {@link #reset} starts a new peak, for measuring one phase of a run.
 */
final class HeapSampler implements AutoCloseable {
  private final AtomicLong peak = new AtomicLong();
  private final Thread thread;

  private HeapSampler() {
    thread = new Thread(() -> {
      List<MemoryPoolMXBean> pools = heapPools();
      while (!Thread.currentThread().isInterrupted()) {
        long used = used(pools);
        peak.accumulateAndGet(used, Math::max);
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "heap-sampler");
    thread.setDaemon(true);
  }

  static HeapSampler start() {
    HeapSampler s = new HeapSampler();
    s.thread.start();
    return s;
  }

  /** Forgets the peak so far: the next {@link #peakMiB} is the peak from now on. */
  void reset() {
    peak.set(0);
  }

  long peakMiB() {
    return peak.get() >> 20;
  }

  /** The used heap of this JVM now, garbage included. */
  static long usedMiB() {
    return used(heapPools()) >> 20;
  }

  private static List<MemoryPoolMXBean> heapPools() {
    return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
  }

  private static long used(List<MemoryPoolMXBean> pools) {
    return pools.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
  }

  static long maxMiB() {
    return Runtime.getRuntime().maxMemory() >> 20;
  }

  @Override
  public void close() {
    thread.interrupt();
  }
}
