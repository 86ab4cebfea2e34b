// Our declaration of Moddable's ECMA-419 driver for the TI TMP117 (modules/drivers/sensors/tmp117),
// for which the SDK ships no typings. The board manifests map this folder to
// "embedded:sensor/Temperature/*" for mcconfig's TypeScript build.
declare module "embedded:sensor/Temperature/TMP117" {
  export default class TMP117 {
    constructor(options: { sensor: Record<string, unknown> });
    /** Degrees Celsius. */
    sample(): { temperature: number };
    close(): void;
  }
}
