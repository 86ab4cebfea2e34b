// A private mosquitto for tests, benchmarks and the simulator: 127.0.0.1 only, a free port, its own
// generated configuration, password file and persistence in a temporary directory.
//
// Readiness is the listening port accepting a TCP connection (never a fixed sleep). The broker's log is
// kept in memory (bounded) so a failing test can print it.
import { spawn, execFile, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { connect, createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";
import { testCerts, type CertPair, type TestCerts } from "./certs";

const run = promisify(execFile);

export interface MosquittoTlsOptions {
  /** Defaults to the process-wide set from testCerts(). */
  certs?: TestCerts;
  /** Which server certificate the broker presents. */
  serverCert?: "valid" | "expired" | "wrongHost";
  /** Mutual TLS: clients must present a certificate signed by certs.ca. */
  requireCertificate?: boolean;
}

export interface MosquittoOptions {
  tls?: MosquittoTlsOptions | boolean;
  /** username -> password, written with mosquitto_passwd. Anonymous clients are refused when given. */
  users?: Record<string, string>;
  /** Defaults to true without `users`, false with them. */
  allowAnonymous?: boolean;
  /** Keep sessions and messages in the temporary directory across restart(). */
  persistence?: boolean;
  /** Also a `protocol websockets` listener on its own port (`wsPort`, `wsUrl`), with the same TLS setup as
   * the MQTT listener: ws:// without tls, wss:// with it. */
  websockets?: boolean;
  /** More configuration lines for the listener, e.g. { max_inflight_messages: 2, max_packet_size: 1024 }. */
  settings?: Record<string, string | number | boolean>;
  /** Log every packet (log_type all); default logs errors, warnings, notices and information. */
  verbose?: boolean;
  /** How long start() waits for the port; default 10 s. */
  startTimeoutMs?: number;
  /** Listen on this port (default: a free one), e.g. the one a firmware build has in its configuration. */
  port?: number;
  /** The same for the WebSocket listener (with `websockets`). */
  wsPort?: number;
}

const LOG_LIMIT = 256 * 1024;

/** The mosquitto executable: $MOSQUITTO, then PATH, then Debian's /usr/sbin. */
export function findMosquitto(): string | undefined {
  const fromEnv = process.env.MOSQUITTO;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  const dirs = (process.env.PATH ?? "").split(delimiter).concat(["/usr/sbin", "/usr/local/sbin", "/opt/homebrew/sbin"]);
  for (const dir of dirs) {
    const candidate = join(dir, "mosquitto");
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** A port nobody listens on right now (the kernel's choice). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** A broker must never outlive the test process that started it. */
function killOnExit(child: ChildProcess): void {
  live.add(child);
  child.once("exit", () => live.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const c of live) c.kill("SIGKILL");
  });
}

export class Mosquitto {
  readonly host = "127.0.0.1";
  private child: ChildProcess | undefined;
  private logText = "";
  private exited: Promise<number | null> = Promise.resolve(null);

  private constructor(
    readonly port: number,
    /** The WebSocket listener's port (0 without `websockets`). */
    readonly wsPort: number,
    readonly dir: string,
    readonly tls: boolean,
    private readonly configFile: string,
    private readonly timeoutMs: number,
  ) {}

  /** mqtt://127.0.0.1:<port> or mqtts://... */
  get url(): string {
    return `${this.tls ? "mqtts" : "mqtt"}://${this.host}:${this.port}`;
  }

  /** ws://127.0.0.1:<wsPort>/mqtt or wss://..., with the `websockets` option. */
  get wsUrl(): string {
    if (this.wsPort === 0) throw new Error("this broker has no WebSocket listener: start it with websockets: true");
    return `${this.tls ? "wss" : "ws"}://${this.host}:${this.wsPort}/mqtt`;
  }

  /** Everything the broker logged since start (bounded; the newest part is kept). */
  get log(): string {
    return this.logText;
  }

  /** The broker's process id while it runs (benchmarks read its CPU time from /proc). */
  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  static async start(options: MosquittoOptions = {}): Promise<Mosquitto> {
    const dir = await mkdtemp(join(tmpdir(), "mqtt5-xs-mosquitto-"));
    const tls = options.tls ? await tlsLines(options.tls === true ? {} : options.tls) : [];
    const auth = await authLines(dir, options);
    // Another process can take the port between freePort() and the broker's bind: try a few ports.
    for (let attempt = 0; ; attempt++) {
      const port = options.port ?? (await freePort());
      const wsPort = options.websockets ? (options.wsPort ?? (await freePort())) : 0;
      const configFile = join(dir, "mosquitto.conf");
      await writeFile(configFile, configText(port, wsPort, dir, options, tls, auth));
      const broker = new Mosquitto(port, wsPort, dir, tls.length > 0, configFile, options.startTimeoutMs ?? 10_000);
      try {
        await broker.launch();
        return broker;
      } catch (error) {
        const fixed = options.port !== undefined || options.wsPort !== undefined;
        if (attempt < 3 && !fixed && /address already in use/i.test(broker.log)) continue;
        await rm(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }

  /** Stops (SIGTERM: persistence is saved) and starts again on the same port with the same state. */
  async restart(): Promise<void> {
    await this.stop();
    await this.launch();
  }

  /** Orderly stop: mosquitto writes its persistence file and exits. */
  async stop(): Promise<void> {
    await this.signal("SIGTERM");
  }

  /** Abrupt end, as a crash or power loss: nothing more is saved. */
  async kill(): Promise<void> {
    await this.signal("SIGKILL");
  }

  /** Stops the broker and removes its directory. */
  async close(): Promise<void> {
    await this.stop();
    await rm(this.dir, { recursive: true, force: true });
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    if (this.running) this.child!.kill(signal);
    await this.exited;
  }

  private async launch(): Promise<void> {
    const binary = findMosquitto();
    if (!binary) throw new Error("mosquitto not found: run scripts/setup.sh (apt-get install mosquitto)");
    const child = spawn(binary, ["-c", this.configFile], { stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    killOnExit(child);
    const append = (chunk: Buffer) => {
      this.logText = (this.logText + chunk.toString("utf8")).slice(-LOG_LIMIT);
    };
    child.stdout!.on("data", append);
    child.stderr!.on("data", append);
    this.exited = new Promise((resolve) => {
      child.once("exit", (code) => resolve(code));
      child.once("error", (error) => {
        this.logText += `\nspawn failed: ${error.message}\n`;
        resolve(-1);
      });
    });
    await this.waitForPort(child);
  }

  private async waitForPort(child: ChildProcess): Promise<void> {
    const deadline = performance.now() + this.timeoutMs;
    while (performance.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null || !this.running) {
        await this.exited;
        throw new Error(`mosquitto exited during start (code ${child.exitCode}):\n${this.logText}`);
      }
      if ((await canConnect(this.port)) && (this.wsPort === 0 || (await canConnect(this.wsPort)))) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill("SIGKILL");
    throw new Error(`mosquitto did not listen on ${this.port} within ${this.timeoutMs} ms:\n${this.logText}`);
  }
}

function configText(port: number, wsPort: number, dir: string, options: MosquittoOptions, tls: string[], auth: string[]): string {
  const lines = [
    `# generated by tools/broker/mosquitto.ts`,
    // Running as root, mosquitto would switch to the "mosquitto" user and lose access to this directory.
    `user ${userInfo().username}`,
    `log_dest stderr`,
    ...(options.verbose ? ["log_type all"] : ["log_type error", "log_type warning", "log_type notice", "log_type information"]),
    `log_timestamp_format %H:%M:%S`,
    `persistence ${options.persistence ? "true" : "false"}`,
    `persistence_location ${dir}/`,
    ...auth,
    `listener ${port} 127.0.0.1`,
    ...tls,
    ...Object.entries(options.settings ?? {}).map(([key, value]) => `${key} ${value}`),
    // mosquitto 2.0 refuses to start with only WebSocket listeners, so this one always comes second.
    ...(wsPort === 0 ? [] : [`listener ${wsPort} 127.0.0.1`, "protocol websockets", ...tls]),
  ];
  return lines.join("\n") + "\n";
}

async function tlsLines(options: MosquittoTlsOptions): Promise<string[]> {
  const certs = options.certs ?? (await testCerts());
  const which: Record<string, CertPair> = {
    valid: certs.server,
    expired: certs.expiredServer,
    wrongHost: certs.wrongHostServer,
  };
  const server = which[options.serverCert ?? "valid"]!;
  return [
    `cafile ${certs.ca.certFile}`,
    `certfile ${server.certFile}`,
    `keyfile ${server.keyFile}`,
    `require_certificate ${options.requireCertificate ? "true" : "false"}`,
  ];
}

async function authLines(dir: string, options: MosquittoOptions): Promise<string[]> {
  const users = Object.entries(options.users ?? {});
  const anonymous = options.allowAnonymous ?? users.length === 0;
  const lines = [`allow_anonymous ${anonymous}`];
  if (users.length === 0) return lines;
  const file = join(dir, "passwords");
  await writeFile(file, "");
  for (const [user, password] of users) await run("mosquitto_passwd", ["-b", file, user, password]);
  return [...lines, `password_file ${file}`];
}

/** Starts a broker; the same as Mosquitto.start. */
export function startMosquitto(options: MosquittoOptions = {}): Promise<Mosquitto> {
  return Mosquitto.start(options);
}
