// The `mqtt5-xs` command line (commander): pub, sub and bench. runCli() returns the exit status instead of
// exiting, so tests run it in-process. Bad flags print one line and where the help is, and exit with 2.
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { MqttArgumentError } from "../../../codec/errors";
import { CliFailure, type CliIo } from "./cli-io";
import { addBenchCommand, runBench } from "./bench";
import { addPubCommand, runPub } from "./pub";
import { addSubCommand, runSub } from "./sub";

export const USAGE_EXIT = 2;

export async function runCli(argv: readonly string[], io: CliIo, version = "0.0.0"): Promise<number> {
  let status = 0;
  const program = new Command("mqtt5-xs")
    .description("MQTT 5.0 / 3.1.1 command line client: publish, subscribe, benchmark")
    .version(version, "--version")
    .helpOption("--help", "show the options")
    .helpCommand(false)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError("(mqtt5-xs --help lists the commands)");
  // The subcommands' status and failures come back through these wrappers.
  const wrap = <F>(name: string, run: (flags: F, io: CliIo) => Promise<number | void>) => async (flags: F) => {
    try {
      status = (await run(flags, io)) ?? 0;
    } catch (error) {
      status = report(name, error, io);
    }
  };
  addPubCommand(program, wrap("pub", runPub));
  addSubCommand(program, wrap("sub", runSub));
  addBenchCommand(program, wrap("bench", runBench));
  for (const command of program.commands) {
    command.helpOption("--help", "show the options").exitOverride()
      .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
      .showHelpAfterError(`(mqtt5-xs ${command.name()} --help lists the options)`);
  }
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : USAGE_EXIT;
    throw error;
  }
  return status;
}

/** One line on stderr for a failure; the exit status for it. */
function report(command: string, error: unknown, io: CliIo): number {
  if (error instanceof InvalidArgumentError || error instanceof MqttArgumentError) {
    io.stderr.write(`error: ${error.message}\n(mqtt5-xs ${command} --help lists the options)\n`);
    return USAGE_EXIT;
  }
  if (error instanceof CliFailure) {
    io.stderr.write(`mqtt5-xs ${command}: ${error.message}\n`);
    return error.exitCode;
  }
  io.stderr.write(`mqtt5-xs ${command}: ${error instanceof Error ? error.message : String(error)}\n`);
  return 1;
}
