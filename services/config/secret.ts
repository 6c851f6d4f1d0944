/**
 * @module services/config/secret
 * Wrapper that keeps secrets out of logs: it serialises and inspects as `[secret]`.
 */

/** A string that prints as `[secret]` in logs, JSON and inspection. */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return '[secret]';
  }
  toJSON(): string {
    return '[secret]';
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return '[secret]';
  }
}
