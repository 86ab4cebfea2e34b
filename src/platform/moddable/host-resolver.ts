// The resolver class handed to the SDK's WebSocket client, which always looks its host up through
// `new dns.io(dns).resolve(...)`: IPv4 literals and "localhost" answer at once without a UDP socket, and
// names go to the app's ECMA-419 resolver, which is closed once it has answered (the client never closes
// the resolver it made).

import { literalAddress } from "./address";
import type { Resolver, ResolverClass } from "./socket-io";

/** What HostResolver is constructed with: the client passes its whole `dns` option. */
export interface HostResolverOptions {
  /** The app's resolver, for names; absent when only literals are used. */
  lookup?: { io: ResolverClass; servers: string[]; socket: { io: unknown } };
}

type Request = Parameters<Resolver["resolve"]>[0];

export class HostResolver implements Resolver {
  readonly #lookup: HostResolverOptions["lookup"];
  #resolver: Resolver | undefined = undefined;

  constructor(options: HostResolverOptions) {
    this.#lookup = options.lookup;
  }

  resolve(request: Request): void {
    const address = literalAddress(request.host);
    if (address !== undefined) return request.onResolved(request.host, address);
    const lookup = this.#lookup;
    if (lookup === undefined) return request.onError(request.host);
    const resolver = new lookup.io({ servers: lookup.servers, socket: lookup.socket });
    this.#resolver = resolver;
    resolver.resolve({
      host: request.host,
      onResolved: (host, resolved) => {
        this.close();
        request.onResolved(host, resolved);
      },
      onError: (host) => {
        this.close();
        request.onError(host);
      },
    });
  }

  close(): void {
    const resolver = this.#resolver;
    this.#resolver = undefined;
    resolver?.close();
  }
}
