#!/usr/bin/env node
// The `mqtt5-xs` binary: runs the command line with this process's streams. Ctrl-C, SIGTERM and SIGHUP
// stop a running `sub` or `bench` cleanly (it disconnects and prints its summary); a second one exits at once.
import { createRequire } from "node:module";
import { runCli } from "./program";


function packageVersion(): string {
  try {
    return (createRequire(import.meta.url)("../package.json") as { version: string }).version;
  } catch {
    return "0.0.0";
  }
}

async function main(): Promise<void> {
  const stop = new AbortController();
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      if (stop.signal.aborted) process.exit(130);
      stop.abort();
    });
  }
  const io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, stop: stop.signal };
  process.exitCode = await runCli(process.argv.slice(2), io, packageVersion());
}

await main();
