// Runs the `mqtt5-xs` command line in this process (runCli from src/platform/host/cli), with captured
// output, a standard input the test writes, and a stop signal standing in for Ctrl-C.
import { PassThrough } from "node:stream";
import { runCli } from "../../src/platform/host/cli/program";

export interface CliRun {
  /** Resolves with the exit status. */
  status: Promise<number>;
  readonly stdout: string;
  readonly stderr: string;
  stdin: PassThrough;
  /** Ctrl-C. */
  stop(): void;
  /** Resolves once stdout holds a line matching `pattern` (rejects if the command ends first). */
  waitFor(pattern: RegExp): Promise<void>;
}

export function startCli(argv: string[]): CliRun {
  let stdout = "";
  let stderr = "";
  const watchers: { pattern: RegExp; resolve: () => void }[] = [];
  const stdin = new PassThrough();
  const abort = new AbortController();
  const check = () => {
    for (const w of watchers.splice(0)) (w.pattern.test(stdout) ? w.resolve() : watchers.push(w));
  };
  const status = runCli(argv, {
    stdout: { write: (s: string) => { stdout += s; check(); } },
    stderr: { write: (s: string) => { stderr += s; } },
    stdin,
    stop: abort.signal,
  });
  return {
    status,
    get stdout() { return stdout; },
    get stderr() { return stderr; },
    stdin,
    stop: () => abort.abort(),
    waitFor: (pattern) => new Promise<void>((resolve, reject) => {
      watchers.push({ pattern, resolve });
      check();
      void status.then(() => (pattern.test(stdout) ? resolve() : reject(new Error(`ended without ${pattern}: ${stdout} ${stderr}`))));
    }),
  };
}

/** Runs a command to its end. */
export async function cli(argv: string[], stdin?: string): Promise<{ status: number; stdout: string; stderr: string }> {
  const run = startCli(argv);
  if (stdin !== undefined) run.stdin.end(stdin);
  const status = await run.status;
  return { status, stdout: run.stdout, stderr: run.stderr };
}
