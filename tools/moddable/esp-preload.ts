// targets/esp32 and targets/esp8266 through the JavaScript stages (TypeScript, xsc, xsl preload) without the
// ESP toolchains. These manifests pull in modules the lin build does not (Wi-Fi, the TMP117 driver, the ESP
// sockets), so this is the only check those builds get here.
//
// mcconfig without -m writes the makefile and stops. Its `$(TMP_DIR)/mc.xs.c` target is the whole JavaScript
// side and no C; the makefile only has to get past its checks for the toolchains, which look at the
// environment alone. The stand-ins, in a temporary folder:
// - esp32: IDF_PATH is an empty git repository tagged v6.0, the ESP-IDF version the makefile wants (it asks
//   `git describe` there); sdkconfig.h, which only `idf.py reconfigure` makes and only C needs, is marked old
//   (`make -o`), so make does not try to make it.
// - esp8266: ESP_BASE holds empty esp8266-2.3.0 (ARDUINO_ROOT), ESP8266_RTOS_SDK and toolchain/<OS> folders,
//   and `python` on PATH is a stub that fails if anything runs it (the makefile only checks that it exists).
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, type as osType } from "node:os";
import { join } from "node:path";
import { mcconfigEsp, remove, run, tmpDir, typeCheck, type BuildResult } from "./firmware-build";

export type EspBoard = "esp32" | "esp8266";

export async function espPreload(board: EspBoard): Promise<BuildResult> {
  const standIns = mkdtempSync(join(tmpdir(), `mqtt5-${board}-`));
  try {
    const { env, makeArgs } = board === "esp32" ? esp32StandIns(standIns) : esp8266StandIns(standIns);
    const generated = await mcconfigEsp(board, env);
    if (!generated.ok) return generated;
    const dir = tmpDir(board, false);
    const target = join(dir, "mc.xs.c");
    remove(target);
    const preload = await run("make", ["-f", join(dir, "makefile"), ...makeArgs(dir), target], dir, env);
    if (!preload.ok) return preload;
    const checked = await typeCheck(board, false);
    return { ...checked, output: generated.output + preload.output + checked.output };
  } finally {
    rmSync(standIns, { recursive: true, force: true });
  }
}

interface StandIns {
  env: NodeJS.ProcessEnv;
  makeArgs(dir: string): string[];
}

function esp32StandIns(root: string): StandIns {
  const idf = join(root, "esp-idf");
  mkdirSync(idf);
  const git = (...args: string[]) => execFileSync("git", ["-C", idf, "-c", "user.name=lin-check", "-c", "user.email=lin-check@localhost", "-c", "commit.gpgsign=false", ...args], { stdio: "ignore" });
  git("init", "-q");
  git("commit", "-q", "--allow-empty", "-m", "ESP-IDF stand-in");
  git("tag", "v6.0"); // EXPECTED_ESP_IDF in the makefile
  return { env: { IDF_PATH: idf }, makeArgs: (dir) => ["-o", join(dir, "xsProj-esp32/build/config/sdkconfig.h")] };
}

function esp8266StandIns(root: string): StandIns {
  const base = join(root, "esp");
  for (const folder of ["esp8266-2.3.0", "ESP8266_RTOS_SDK", join("toolchain", osType())]) mkdirSync(join(base, folder), { recursive: true });
  writeFileSync(join(base, "esp8266-2.3.0/platform.txt"), "");
  const bin = join(root, "bin");
  mkdirSync(bin);
  writeFileSync(join(bin, "python"), "#!/bin/sh\necho 'esp8266 preload: python is a stand-in here' >&2\nexit 1\n");
  chmodSync(join(bin, "python"), 0o755);
  return { env: { ESP_BASE: base, PATH: `${bin}:${process.env.PATH}` }, makeArgs: () => [] };
}
