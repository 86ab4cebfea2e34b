// Moddable socket calls take a whole view (no offset/length arguments), so writing bytes[start, end) of
// a caller's buffer needs a view of exactly that window. Steady-state traffic repeats the same window
// (the same packet size from the same transmit buffer), so the last view is kept and reused: no
// allocation per packet once the sizes settle.

export class ViewCache {
  #source: Uint8Array | undefined = undefined;
  #start = 0;
  #end = 0;
  #view: Uint8Array | undefined = undefined;

  /** A view of source[start, end); the source itself when the window is all of it. */
  view(source: Uint8Array, start: number, end: number): Uint8Array {
    if (start === 0 && end === source.length) return source;
    if (this.#view === undefined || this.#source !== source || this.#start !== start || this.#end !== end) {
      this.#view = source.subarray(start, end);
      this.#source = source;
      this.#start = start;
      this.#end = end;
    }
    return this.#view;
  }

  /** Drops the cached view so the caller's buffer is not kept alive by the transport. */
  clear(): void {
    this.#source = this.#view = undefined;
  }
}
