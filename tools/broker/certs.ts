// Certificates for TLS tests and the simulator, generated at run time with the openssl command line.
//
// One CA signs the good server and client certificates; a second, unrelated CA signs a client certificate
// the broker must refuse, and is the wrong trust anchor for a client. An expired server certificate and one
// issued for another host name drive the refusal tests. EC P-256 keys keep generation fast (~10 ms each).
import { execFile } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** A PEM certificate and its key, as text and as files (mosquitto reads files, Node takes text). */
export interface CertPair {
  cert: string;
  key: string;
  certFile: string;
  keyFile: string;
}

export interface TestCerts {
  dir: string;
  /** The CA that signs `server`, `client`, `expiredServer` and `wrongHostServer`. */
  ca: { cert: string; certFile: string; key: string; keyFile: string };
  /** An unrelated CA: trusting it alone must fail against `server`. */
  otherCa: { cert: string; certFile: string; key: string; keyFile: string };
  /** For 127.0.0.1 and localhost (SAN IP and DNS). */
  server: CertPair;
  /** Mutual TLS: signed by `ca`. */
  client: CertPair;
  /** Mutual TLS refusal: signed by `otherCa`. */
  untrustedClient: CertPair;
  /** Same names as `server`, but its validity ended yesterday. */
  expiredServer: CertPair;
  /** Valid, signed by `ca`, but only for wrong.example (no IP, no localhost). */
  wrongHostServer: CertPair;
}

const openssl = (args: string[], cwd: string) => run("openssl", args, { cwd });

async function newCa(dir: string, name: string) {
  await openssl(
    ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
      "-keyout", `${name}.key`, "-out", `${name}.pem`, "-subj", `/CN=mqtt5-xs test ${name}`, "-days", "3650",
      "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
    dir,
  );
  return {
    cert: await readFile(join(dir, `${name}.pem`), "utf8"),
    certFile: join(dir, `${name}.pem`),
    key: await readFile(join(dir, `${name}.key`), "utf8"),
    keyFile: join(dir, `${name}.key`),
  };
}

interface LeafSpec {
  name: string;
  ca: string;
  cn: string;
  /** Extension lines (subjectAltName, extendedKeyUsage). */
  ext: string[];
  /** Negative: already expired. */
  days: number;
}

async function newLeaf(dir: string, spec: LeafSpec, serial: number): Promise<CertPair> {
  const { name, ca } = spec;
  await openssl(
    ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
      "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${spec.cn}`],
    dir,
  );
  await writeFile(join(dir, `${name}.ext`), spec.ext.join("\n") + "\n");
  await openssl(
    ["x509", "-req", "-in", `${name}.csr`, "-CA", `${ca}.pem`, "-CAkey", `${ca}.key`, "-set_serial",
      String(serial), "-days", String(spec.days), "-extfile", `${name}.ext`, "-out", `${name}.pem`],
    dir,
  );
  return {
    cert: await readFile(join(dir, `${name}.pem`), "utf8"),
    key: await readFile(join(dir, `${name}.key`), "utf8"),
    certFile: join(dir, `${name}.pem`),
    keyFile: join(dir, `${name}.key`),
  };
}

const SERVER_EXT = ["subjectAltName=IP:127.0.0.1,DNS:localhost", "extendedKeyUsage=serverAuth"];
const CLIENT_EXT = ["extendedKeyUsage=clientAuth"];

/** Generates a fresh set in a new temporary directory (or `dir`). */
export async function generateTestCerts(dir?: string): Promise<TestCerts> {
  const where = dir ?? (await mkdtemp(join(tmpdir(), "mqtt5-xs-certs-")));
  const [ca, otherCa] = await Promise.all([newCa(where, "ca"), newCa(where, "other-ca")]);
  const leaves: LeafSpec[] = [
    { name: "server", ca: "ca", cn: "localhost", ext: SERVER_EXT, days: 3650 },
    { name: "client", ca: "ca", cn: "mqtt5-xs-client", ext: CLIENT_EXT, days: 3650 },
    { name: "untrusted-client", ca: "other-ca", cn: "mqtt5-xs-client", ext: CLIENT_EXT, days: 3650 },
    { name: "expired-server", ca: "ca", cn: "localhost", ext: SERVER_EXT, days: -1 },
    { name: "wrong-host-server", ca: "ca", cn: "wrong.example",
      ext: ["subjectAltName=DNS:wrong.example", "extendedKeyUsage=serverAuth"], days: 3650 },
  ];
  const [server, client, untrustedClient, expiredServer, wrongHostServer] = await Promise.all(
    leaves.map((spec, i) => newLeaf(where, spec, 1000 + i)),
  );
  return { dir: where, ca, otherCa, server, client, untrustedClient, expiredServer, wrongHostServer };
}

let shared: Promise<TestCerts> | undefined;

/** One set per process: tests and tools that only need valid certificates share it. */
export function testCerts(): Promise<TestCerts> {
  shared ??= generateTestCerts();
  return shared;
}
