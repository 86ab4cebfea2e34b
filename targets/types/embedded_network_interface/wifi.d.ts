// Host-only declaration of the part of Moddable's ECMA-419 Wi-Fi interface that network-wifi.ts uses.
// mcconfig compiles against the SDK's own typings for this module, so no manifest maps this file.
declare module "embedded:network/interface/wifi" {
  export default class WiFi {
    constructor(options: { onChanged?: (property: "connection" | "address") => void });
    /** Above 500 once an IP address is assigned; 400s connected without address; 200 and below down. */
    readonly connection: number;
    close(): void;
  }
}
