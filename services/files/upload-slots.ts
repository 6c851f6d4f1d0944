/**
 * @module services/files/upload-slots
 * Bounded concurrent uploads on one gateway node: at most `perIp` uploads in
 * progress per client IP and `perNode` in all. An upload holds its slot from
 * the moment its request arrives (before its body is read, so a crowd of slow
 * or stalled uploads cannot hold `perNode × UPLOAD_MAX_BYTES` of buffers)
 * until it is answered or its client goes away.
 * Must not import: gateway, Temporal.
 */

export class UploadSlots {
  readonly #perIp = new Map<string, number>();
  #total = 0;

  constructor(private readonly limits: { perIp: number; perNode: number }) {}

  /** Take a slot for `ip`: the function that gives it back (idempotent), or undefined when either bound is reached. */
  acquire(ip: string): (() => void) | undefined {
    const held = this.#perIp.get(ip) ?? 0;
    if (held >= this.limits.perIp || this.#total >= this.limits.perNode) return undefined;
    this.#perIp.set(ip, held + 1);
    this.#total++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#total--;
      const left = (this.#perIp.get(ip) ?? 1) - 1;
      if (left <= 0) this.#perIp.delete(ip);
      else this.#perIp.set(ip, left);
    };
  }

  /** Uploads in progress on this node (for tests and metrics). */
  get inProgress(): number {
    return this.#total;
  }
}
