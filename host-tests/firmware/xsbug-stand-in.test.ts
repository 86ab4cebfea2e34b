// The xsbug stand-in of `make lin-check` (tools/moddable/xsbug.ts), driven by a scripted machine that speaks
// xsbug's protocol as xs/sources/xsDebug.c writes it, so its parsing is checked without the Moddable SDK.
import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { XsbugStandIn } from "../../tools/moddable/xsbug";

const open: { standIn: XsbugStandIn; machine: Socket }[] = [];

async function machine(): Promise<{ standIn: XsbugStandIn; machine: Socket; heard: () => string; send: (body: string) => void }> {
  const standIn = await XsbugStandIn.listen();
  const socket = connect(standIn.port, "127.0.0.1");
  await new Promise((resolve) => socket.once("connect", resolve));
  open.push({ standIn, machine: socket });
  let heard = "";
  socket.on("data", (data) => (heard += data.toString()));
  return { standIn, machine: socket, heard: () => heard, send: (body) => socket.write(`\r\n<xsbug>${body}</xsbug>\r\n`) };
}

async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(done()).toBe(true);
}

afterEach(() => {
  for (const { standIn, machine } of open.splice(0)) {
    machine.destroy();
    standIn.close();
  }
});

describe("xsbug stand-in", () => {
  it("lets the machine run after its login and reads the pointer size", async () => {
    const m = await machine();
    m.send('<login name="mcsim" value="XS 17.3.0 64-bit LE 32-bit ID" flags="e"/>');
    await until(() => m.heard().includes("<go/>"));
    expect(m.standIn.pointerBits).toBe(64);
  });

  it("keeps trace lines unescaped and samples by instrument name", async () => {
    const m = await machine();
    m.send('<instruments><instrument name="Chunk used" value=" / "/><instrument name="Slot used" value=" / "/></instruments>');
    m.send("<samples>1024,2048</samples>");
    m.send('<log path="main.ts" line="3">a &lt;b&gt; &amp; &#169;\n</log>');
    await until(() => m.standIn.log.length === 1);
    expect(m.standIn.log[0]!.text).toBe("a <b> & ©");
    expect(m.standIn.samples.map((s) => s.values)).toEqual([{ "Chunk used": 1024, "Slot used": 2048 }]);
  });

  it("asks for a break to collect garbage and keeps the sample the idle machine sends before stopping", async () => {
    const m = await machine();
    m.send('<instruments><instrument name="Slot used" value=" / "/></instruments>');
    m.send("<samples>100</samples>");
    m.standIn.collect();
    await until(() => m.heard().includes("<step/>"));
    m.send("<samples>64</samples>"); // mcsim's debugBreak: collect, then sample
    m.send("<frames></frames><break># Break: C: xsDebugger!\n</break>");
    await until(() => m.standIn.collected.length === 1);
    expect(m.standIn.collected[0]!.values["Slot used"]).toBe(64);
    m.send('<samples>70</samples><break path="main.ts" line="9"># Break: step!\n</break>'); // the step it was asked for
    await until(() => m.heard().split("<go/>").length === 3); // let go after both stops
    expect(m.standIn.collected).toHaveLength(1);
    expect(m.standIn.unexpectedBreaks).toEqual([]);
  });

  it("reports a stop it did not ask for, and lets the machine go on", async () => {
    const m = await machine();
    m.send('<break path="main.ts" line="4"># Break: debugger!\n</break>');
    await until(() => m.standIn.unexpectedBreaks.length === 1);
    expect(m.standIn.unexpectedBreaks).toEqual(["debugger"]);
    await until(() => m.heard().includes("<go/>"));
  });

  it("reads a message split across packets", async () => {
    const m = await machine();
    m.machine.write("\r\n<xsbug><log>hal");
    await new Promise((resolve) => setTimeout(resolve, 20));
    m.machine.write("f</log></xsbug>\r\n");
    await until(() => m.standIn.log.length === 1);
    expect(m.standIn.log[0]!.text).toBe("half");
  });
});
