// Our declaration of Moddable's ECMA-419 TLS socket (examples/io/tcp/tlssocket), for which the SDK
// ships no typings. manifest_device.json maps this folder to "embedded:io/socket/tcp/*" so mcconfig's
// TypeScript build finds it; the host type check finds it through tsconfig.json's include.
declare module "embedded:io/socket/tcp/tls" {
  export default class TLSSocket {
    /** TCP socket options plus host (SNI), secure (TLS session options) and TCP: {io: TCP class}. */
    constructor(options: Record<string, unknown>);
    read(into: ArrayBufferView): number;
    /** Returns the bytes still writable. */
    write(bytes: ArrayBufferView): number;
    close(): void;
  }
}
