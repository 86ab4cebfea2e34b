// `mqtt5-xs pub` and `mqtt5-xs sub` against a real mosquitto, run in-process through runCli().
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMosquitto, type Mosquitto } from "../support/mosquitto";
import { testCerts } from "../support/certs";
import { cli, startCli, type CliRun } from "./run-cli";
import { TIMEOUT_EXIT } from "../../src/platform/host/cli/sub";

let broker: Mosquitto;
let tlsBroker: Mosquitto;
let authBroker: Mosquitto;

beforeAll(async () => {
  [broker, tlsBroker, authBroker] = await Promise.all([
    startMosquitto(),
    startMosquitto({ tls: true }),
    startMosquitto({ users: { alice: "secret" } }),
  ]);
});
afterAll(async () => {
  await Promise.all([broker, tlsBroker, authBroker].map((b) => b?.close()));
});

const at = (b: Mosquitto) => ["-h", "127.0.0.1", "-p", String(b.port)];
let topicCount = 0;
const freshTopic = () => `cli-test/${process.pid}/${topicCount++}`;

/** Starts `sub` on `topic`/# and returns once it receives (a probe proves the subscription is in place). */
async function subscribed(topic: string, flags: string[], b: Mosquitto = broker, connection: string[] = at(b)): Promise<CliRun> {
  const run = startCli(["sub", ...connection, "-t", `${topic}/#`, ...flags]);
  const probing = setInterval(() => void cli(["pub", ...connection, "-t", `${topic}/probe`, "-m", "probe"]), 100);
  try {
    await run.waitFor(/probe/);
  } finally {
    clearInterval(probing);
  }
  return run;
}

function jsonLines(text: string): Record<string, unknown>[] {
  return text.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("mqtt5-xs pub and sub", () => {
  it("pub sends a QoS 1 message with the -D properties, and sub -j prints it as one JSON line with them", async () => {
    const topic = freshTopic();
    const sub = await subscribed(topic, ["-j", "-q", "1"]);
    const pub = await cli(["pub", ...at(broker), "-t", `${topic}/x`, "-m", "21.5", "-q", "1",
      "-D", "publish", "user-property", "unit", "C", "-D", "publish", "content-type", "text/plain",
      "-D", "publish", "message-expiry-interval", "60", "-D", "publish", "response-topic", "replies/here",
      "-D", "publish", "correlation-data", "abc"]);
    expect(pub).toEqual({ status: 0, stdout: "", stderr: "" });
    await sub.waitFor(/21\.5/);
    sub.stop();
    expect(await sub.status).toBe(0);
    const message = jsonLines(sub.stdout).find((m) => m.topic === `${topic}/x`)!;
    expect(message).toMatchObject({ topic: `${topic}/x`, payload: "21.5", qos: 1, retain: false });
    expect(message.properties).toMatchObject({
      contentType: "text/plain",
      responseTopic: "replies/here",
      correlationData: "616263",
      userProperties: [["unit", "C"]],
    });
    // The broker forwards what is left of the expiry interval.
    expect((message.properties as { messageExpiryInterval: number }).messageExpiryInterval).toBeLessThanOrEqual(60);
  });

  it("sub -v prints topic and payload, -F the mosquitto format codes, and -C exits after that many messages", async () => {
    const topic = freshTopic();
    const verbose = await subscribed(topic, ["-v"]);
    const formatted = await subscribed(topic, ["-F", "%t|%p|%q|%r|%l", "-C", "3"]);
    for (const payload of ["one", "two"]) await cli(["pub", ...at(broker), "-t", `${topic}/m`, "-m", payload]);
    expect(await formatted.status).toBe(0);
    expect(formatted.stdout.trim().split("\n").filter((l) => !l.includes("probe"))).toEqual([`${topic}/m|one|0|0|3`, `${topic}/m|two|0|0|3`]);
    await verbose.waitFor(/two/);
    verbose.stop();
    await verbose.status;
    expect(verbose.stdout).toContain(`${topic}/m one\n${topic}/m two\n`);
  });

  it("pub -l sends each line of standard input as a message, -s all of it as one, -f a file", async () => {
    const topic = freshTopic();
    const sub = await subscribed(topic, ["-F", "%p"]);
    expect((await cli(["pub", ...at(broker), "-t", `${topic}/l`, "-l", "-q", "1"], "first\nsecond\n")).status).toBe(0);
    expect((await cli(["pub", ...at(broker), "-t", `${topic}/s`, "-s", "-q", "1"], "whole\ninput")).status).toBe(0);
    expect((await cli(["pub", ...at(broker), "-t", `${topic}/f`, "-f", "LICENSE", "-q", "1"])).status).toBe(0);
    await sub.waitFor(/MIT License/);
    sub.stop();
    await sub.status;
    expect(sub.stdout).toContain("first\nsecond\nwhole\ninput\nMIT License");
  });

  it("pub -f sends a 200 KB file whole and sub receives it whole (buffers sized for the message, not a device)", async () => {
    const topic = freshTopic();
    const dir = await mkdtemp(join(tmpdir(), "mqtt5-xs-cli-"));
    try {
      const file = join(dir, "big.bin");
      await writeFile(file, new Uint8Array(200_000).fill(0x61));
      expect((await cli(["pub", ...at(broker), "-t", topic, "-f", file, "-r", "-q", "1"])).status).toBe(0);
      expect(await cli(["sub", ...at(broker), "-t", topic, "-C", "1", "-F", "%l"])).toEqual({ status: 0, stdout: "200000\n", stderr: "" });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("pub -r leaves a retained message that a later sub receives; sub -R does not print retained messages", async () => {
    const topic = freshTopic();
    expect((await cli(["pub", ...at(broker), "-t", topic, "-m", "kept", "-r", "-q", "1"])).status).toBe(0);
    const got = await cli(["sub", ...at(broker), "-t", topic, "-C", "1", "-j"]);
    expect(got.status).toBe(0);
    expect(jsonLines(got.stdout)[0]).toMatchObject({ payload: "kept", retain: true });
    const skipped = await cli(["sub", ...at(broker), "-t", topic, "-R", "-W", "1"]);
    expect(skipped).toMatchObject({ status: TIMEOUT_EXIT, stdout: "" });
  });

  it("connects with --url (user, password and topic in the URL) and speaks MQTT 3.1.1 with -V 311", async () => {
    const topic = freshTopic();
    const url = `mqtt://alice:secret@127.0.0.1:${authBroker.port}/${topic}`;
    expect((await cli(["pub", "--url", url, "-m", "via url", "-r", "-V", "311", "-q", "1"])).status).toBe(0);
    const got = await cli(["sub", "--url", url, "-C", "1", "-V", "mqttv311"]);
    expect(got).toEqual({ status: 0, stdout: "via url\n", stderr: "" });
  });

  it("pub and sub over TLS with --cafile", async () => {
    const topic = freshTopic();
    const tls = [...at(tlsBroker), "--cafile", (await testCerts()).ca.certFile];
    expect((await cli(["pub", ...tls, "-t", topic, "-m", "secure", "-r", "-q", "1"])).status).toBe(0);
    expect(await cli(["sub", ...tls, "-t", topic, "-C", "1"])).toEqual({ status: 0, stdout: "secure\n", stderr: "" });
  });
});

describe("mqtt5-xs failures", () => {
  it("a wrong password: one line saying the broker refused the connection and why, status 1", async () => {
    const result = await cli(["pub", ...at(authBroker), "-u", "alice", "-P", "wrong", "-t", "x", "-m", "y"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`mqtt5-xs pub: the broker at 127.0.0.1:${authBroker.port} refused the connection: Not authorized (0x87)\n`);
  });

  it("nobody listening: one line saying it cannot connect, status 1", async () => {
    const closed = await startMosquitto();
    const port = closed.port;
    await closed.close();
    const result = await cli(["sub", "-h", "127.0.0.1", "-p", String(port), "-t", "x"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^mqtt5-xs sub: cannot connect to 127\\.0\\.0\\.1:${port}: .*ECONNREFUSED.*\\n$`));
  });

  it("sub -W ends with status 27 when no message came in time", async () => {
    expect(await cli(["sub", ...at(broker), "-t", freshTopic(), "-W", "1"])).toEqual({ status: TIMEOUT_EXIT, stdout: "", stderr: "" });
  });

  it.each([
    [["pub", "--bogus"], "error: unknown option '--bogus'"],
    [["pub", "-t", "x", "-m", "y", "-q", "3"], "error: option '-q, --qos <qos>' argument '3' is invalid. QoS is 0, 1 or 2"],
    [["pub", "-m", "y"], "error: a topic is needed: -t TOPIC (or a path in --url)"],
    [["pub", "-t", "x"], "error: give exactly one of -m, -f, -n, -s, -l"],
    [["pub", "-t", "a/+", "-m", "y", "-p", "1"], "error: -t: must not contain wildcards"],
    [["sub", "-t", "a/#/b", "-p", "1"], "error: -t: "],
    [["sub", "-t", "x", "-D", "publish", "nonsense", "1"], "error: -D: unknown property 'nonsense'"],
    [["sub", "-t", "x", "-D", "connect", "content-type", "a"], "error: -D: content-type is not allowed on connect (only on publish, will)"],
    [["sub", "-t", "x", "-p", "99999"], "error: option '-p, --port <port>' argument '99999' is invalid. expected a whole number from 1 to 65535"],
    [["frobnicate"], "error: unknown command 'frobnicate'"],
  ])("bad flags %j: one line naming the problem, then where the help is, status 2", async (argv, line) => {
    const result = await cli(argv);
    expect(result.status).toBe(2);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(2);
    if (line !== null) expect(lines[0]).toContain(line);
    expect(lines[1]).toMatch(/^\(mqtt5-xs( \w+)? --help lists the (options|commands)\)$/);
  });

  it("--help lists every flag of a command and exits 0", async () => {
    const result = await cli(["sub", "--help"]);
    expect(result.status).toBe(0);
    for (const flag of ["-h, --host", "-p, --port", "-t, --topic", "-C, --count", "-v, --verbose", "-F, --format", "-j, --json", "-D, --property", "--cafile", "-V, --protocol-version"]) {
      expect(result.stdout).toContain(flag);
    }
  });
});
