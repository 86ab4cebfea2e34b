// What a command reads and writes, so the commands run the same from the `mqtt5-xs` binary (main.ts) and
// from a test in the same process.
import type { Readable } from "node:stream";

export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  stdin: Readable;
  /** Aborted on Ctrl-C, SIGTERM or SIGHUP: a long-running command (sub, bench) stops and says goodbye. */
  stop: AbortSignal;
}

/** A failure the command explains in one line; the exit code says which kind. */
export class CliFailure extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = "CliFailure";
  }
}
