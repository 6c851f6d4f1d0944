/**
 * @module bench/hist
 * Latency recording with HDR histograms (hdr-histogram-js), in microseconds
 * internally, reported in milliseconds. Every latency in the benchmark is
 * measured from the INTENDED send time of an open-loop schedule, so a stalled
 * system cannot hide its queueing delay (no coordinated omission).
 */
import { build, encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';

/** Percentiles in milliseconds; `n` is the number of samples. */
export interface LatencySummary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export class Latency {
  private readonly h: Histogram = build({ numberOfSignificantValueDigits: 3, autoResize: true });

  recordMs(ms: number): void {
    this.h.recordValue(Math.max(1, Math.round(ms * 1000)));
  }

  get count(): number {
    return this.h.totalCount;
  }

  add(other: Latency): void {
    this.h.add(other.h);
  }

  summary(): LatencySummary {
    const h = this.h;
    if (h.totalCount === 0) return { n: 0, p50: NaN, p95: NaN, p99: NaN, max: NaN, mean: NaN };
    const ms = (us: number): number => Math.round(us) / 1000;
    return {
      n: h.totalCount,
      p50: ms(h.getValueAtPercentile(50)),
      p95: ms(h.getValueAtPercentile(95)),
      p99: ms(h.getValueAtPercentile(99)),
      max: ms(h.maxValue),
      mean: Math.round(h.mean) / 1000,
    };
  }

  /** Compressed base64 HDR encoding (µs), kept in the JSON results for later analysis. */
  encoded(): string {
    return this.h.totalCount === 0 ? '' : encodeIntoCompressedBase64(this.h);
  }
}

/** A summary plus its encoded histogram, as the generator hands results back. */
export interface LatencyResult extends LatencySummary {
  hdr: string;
}

export function latencyResult(lat: Latency): LatencyResult {
  return { ...lat.summary(), hdr: lat.encoded() };
}
