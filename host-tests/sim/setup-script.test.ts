// scripts/setup.sh (run by make test and make sim) says what it installs and why before it installs anything,
// and what make sim needs is less than what make test needs.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../tools/xs/run";

/** Runs setup.sh with a PATH that has bash and id only: every tool looks missing, and there is no apt-get. */
function setupWithoutTools(args: string[]): { status: number | null; output: string } {
  const bin = mkdtempSync(join(tmpdir(), "mqtt5-xs-setup-"));
  try {
    for (const tool of ["bash", "id"]) symlinkSync(spawnSync("bash", ["-c", `command -v ${tool}`]).stdout.toString().trim(), join(bin, tool));
    const result = spawnSync(join(bin, "bash"), [join(ROOT, "scripts/setup.sh"), ...args], { env: { PATH: bin }, encoding: "utf8" });
    return { status: result.status, output: result.stdout + result.stderr };
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
}

describe("scripts/setup.sh", () => {
  it("lists each missing tool with what it is for before installing, and stops with advice where there is no apt-get", () => {
    const { status, output } = setupWithoutTools([]);
    expect(status).toBe(1);
    expect(output).toMatch(/^setup: missing tools, to be installed with apt-get:\n/);
    expect(output).toContain("  openssl: makes the certificates for the TLS tests");
    expect(output).toContain("  build-essential: the C compiler that builds the XS engine host");
    expect(output).toMatch(/setup: no apt-get here: install .*openssl.* with your package manager/);
  });

  it("for make sim asks for no C compiler, unless ENGINE=xs", () => {
    expect(setupWithoutTools(["sim"]).output).not.toContain("build-essential");
    expect(setupWithoutTools(["sim", "xs"]).output).toContain("build-essential");
  });
});
