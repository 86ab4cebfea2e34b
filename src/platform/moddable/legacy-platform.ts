// Platform for Moddable apps using the legacy socket modules:
//
//   import { Socket } from "socket";
//   import SecureSocket from "securesocket";
//   new LegacySocketPlatform({ io: { Socket, SecureSocket } })

import type { Platform, Transport, TransportHandler, TransportOptions } from "../../client/transport";
import type { LegacyIo } from "./legacy-transport";
import { LegacySocketTransport } from "./legacy-transport";
import { ModdableClock } from "./clock";
import type { TransportContext } from "./ecma419-transport";

/** The {@link Platform} for Moddable apps on the older `socket` / `securesocket` modules. */
export class LegacySocketPlatform extends ModdableClock implements Platform, TransportContext {
  readonly #io: LegacyIo;
  #empty: Uint8Array | undefined = undefined;

  constructor(options: { io: LegacyIo }) {
    super();
    this.#io = options.io;
  }

  /** Legacy sockets hand over received chunks as their own ArrayBuffers: no receive buffer to share. */
  get receiveBuffer(): Uint8Array {
    return (this.#empty ??= new Uint8Array(0));
  }

  connect(options: TransportOptions, handler: TransportHandler): Transport {
    return new LegacySocketTransport(this.#io, options, handler, this);
  }
}
