import { inspect } from 'node:util';

/**
 * A setting that must never reach a log: it prints as [redacted] through JSON (pino),
 * util.inspect (console.log) and string conversion; `reveal()` gives the value to the one user.
 */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return '[redacted]';
  }
  toJSON(): string {
    return '[redacted]';
  }
  [inspect.custom](): string {
    return '[redacted]';
  }
}
