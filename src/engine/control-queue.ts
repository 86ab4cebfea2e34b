// Acknowledgements (and PINGREQ) that did not fit in the transmit buffer when they were due, in a fixed
// ring of (type, packet id, reason); they are written before any queued publish once room appears. A server
// may send more acknowledgeable packets than any limit (resends after a resume, PUBRELs, misbehaviour), so
// the bound is kept by the engine: it stops reading while this ring is full (see Engine.receive).

export class ControlQueue {
  private readonly types: Uint8Array;
  private readonly ids: Uint16Array;
  private readonly reasons: Uint8Array;
  private head = 0;
  private size = 0;

  constructor(capacity: number) {
    this.types = new Uint8Array(capacity);
    this.ids = new Uint16Array(capacity);
    this.reasons = new Uint8Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  full(): boolean {
    return this.size === this.types.length;
  }

  /** False when full. */
  push(type: number, packetId: number, reasonCode: number): boolean {
    if (this.size === this.types.length) return false;
    const i = (this.head + this.size) % this.types.length;
    this.types[i] = type;
    this.ids[i] = packetId;
    this.reasons[i] = reasonCode;
    this.size++;
    return true;
  }

  peekType(): number { return this.types[this.head]; }
  peekId(): number { return this.ids[this.head]; }
  peekReason(): number { return this.reasons[this.head]; }

  shift(): void {
    this.head = (this.head + 1) % this.types.length;
    this.size--;
  }

  clear(): void {
    this.head = this.size = 0;
  }
}
