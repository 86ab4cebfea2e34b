// Enhanced authentication (MQTT 5 AUTH): the engine carries the bytes, an Authenticator decides them.
//
// A SCRAM-style exchange maps onto it: initialData() is the client-first message, respond() turns the
// server-first message into the client-final one, and verify() checks the server's final signature that
// arrives in CONNACK (or in AUTH 0x00 after re-authentication).

/** Enhanced authentication (MQTT 5 AUTH): the engine carries the bytes, an Authenticator decides them. */
export interface Authenticator {
  /** The Authentication Method sent in CONNECT and in every AUTH. */
  readonly method: string;
  /** Authentication Data for CONNECT, or for AUTH 0x19 when re-authenticating; undefined for none. */
  initialData(reauthenticating: boolean): Uint8Array | undefined;
  /** The server sent AUTH 0x18 (Continue) with this data: return the data for our AUTH 0x18, or null to
   * give up (the engine then sends DISCONNECT 0x80 and closes, reporting LocalReason.AUTH_FAILED). */
  respond(data: Uint8Array | undefined): Uint8Array | undefined | null;
  /** The server declared success (CONNACK 0x00 or AUTH 0x00) with this data; return false to reject it. */
  verify?(data: Uint8Array | undefined): boolean;
}
