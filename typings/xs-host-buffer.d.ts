// What the Moddable SDK's own xs.d.ts declares globally that changes how our device code type-checks:
// ArrayBufferLike also means a HostBuffer (memory owned by the host, e.g. a resource in flash), which has
// no slice(). mcconfig compiles src/ against that; tsconfig.device.json includes this file so that our
// device check fails the same way (`view.buffer.slice()` passed ours and failed mcconfig's).
declare class HostBuffer {
  readonly byteLength: number;
  private brand: boolean;
}

interface ArrayBufferTypes {
  HostBuffer: HostBuffer;
}
