// Reconnect delays: exponential backoff with jitter, reset once a connection stayed up long enough, and
// an immediate first try when the server redirected us (Server Reference).

/** Options of {@link ReconnectBackoff}. */
export interface BackoffOptions {
  /** First delay in ms (default 1000). */
  minDelayMs?: number;
  /** Cap in ms (default 60000). */
  maxDelayMs?: number;
  /** Growth per failed attempt (default 2). */
  factor?: number;
  /** Fraction of the delay randomised, 0 to 1 (default 0.5): delay * (1 - jitter * random()). */
  jitter?: number;
  /** A connection that stayed up this long (ms) resets the backoff (default 30000). */
  stableAfterMs?: number;
}

/** Uniform random numbers in [0, 1), for jitter. */
export interface RandomSource {
  /** A number in [0, 1). */
  random(): number;
}

/**
 * Reconnect delays: exponential backoff with jitter, reset once a connection stayed up long enough.
 * The caller owns the timer: it asks nextDelay() and reports connected() / disconnected() / redirected().
 */
export class ReconnectBackoff {
  private readonly min: number;
  private readonly max: number;
  private readonly factor: number;
  private readonly jitter: number;
  private readonly stableAfter: number;
  private readonly random: RandomSource;
  private attempt = 0;
  private upSince = 0;
  private up = false;
  private redirect = false;

  /** `random`: where jitter comes from (a client passes its Platform; an object, not a closure: see
   * docs/ARCHITECTURE.md on what closures cost on XS). */
  constructor(options: BackoffOptions, random: RandomSource) {
    this.min = options.minDelayMs ?? 1000;
    this.max = options.maxDelayMs ?? 60000;
    this.factor = options.factor ?? 2;
    this.jitter = options.jitter ?? 0.5;
    this.stableAfter = options.stableAfterMs ?? 30000;
    this.random = random;
  }

  /** The delay before the next connection attempt; each call counts as one more attempt. */
  nextDelay(): number {
    if (this.redirect) {
      this.redirect = false;
      return 0;
    }
    let delay = this.min;
    for (let i = 0; i < this.attempt && delay < this.max; i++) delay *= this.factor;
    if (delay > this.max) delay = this.max;
    this.attempt++;
    return Math.round(delay * (1 - this.jitter * this.random.random()));
  }

  /** A connection succeeded (CONNACK success) at `now` ms. */
  connected(now: number): void {
    this.up = true;
    this.upSince = now;
  }

  /** The connection ended at `now`; a connection that stayed up for stableAfterMs resets the backoff. */
  disconnected(now: number): void {
    if (this.up && (now - this.upSince) >>> 0 >= this.stableAfter) this.attempt = 0;
    this.up = false;
  }

  /** The server named another server (CONNACK or DISCONNECT 0x9C/0x9D): try it without waiting once. */
  redirected(): void {
    this.redirect = true;
  }

  /** Starts over: the next delay is the first one. */
  reset(): void {
    this.attempt = 0;
    this.redirect = false;
  }
}
