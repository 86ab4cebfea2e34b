// `make soak-power`: the power-cut soak (power-soak.ts). POWER_CUTS=N sets how many cuts (default 1,000,
// several minutes). Its last line is exactly
//   power cuts: N, readings accepted: A, delivered: D, lost: L, qos2 duplicates: Q
// and it fails (exit 1) unless L and Q are 0 and no device's engine stopped by itself.
import { passed, resultLine, runPowerSoak } from "./power-soak";

const cuts = Number(process.env.POWER_CUTS ?? 1000);
if (!Number.isInteger(cuts) || cuts < 1) {
  console.error(`soak-power: POWER_CUTS=${process.env.POWER_CUTS} is not a whole number of cuts`);
  process.exit(2);
}
console.log(`soak-power: 4 sleeping XS devices (QoS 1 and QoS 2) against mosquitto with persistence, until ${cuts} power cuts`);
const result = await runPowerSoak({ cuts, log: (line) => console.log(`soak-power: ${line}`) });
for (const crash of result.crashes) console.log(`soak-power: FAIL ${crash}`);
console.log(`soak-power: ${result.cutsInFlash} of the cuts inside a flash write or erase; ${result.wakes} wakes ran to their sleep; ` +
  `${result.refused} readings refused (store full); ${result.seconds} s`);
console.log(`soak-power: per reading (wakes that ran to their sleep): ${result.flashBytesPerReading} flash bytes written, ` +
  `${result.erasesPerReading} blocks erased, awake ${result.awakeMsPerWake} ms`);
console.log(resultLine(result));
process.exitCode = passed(result) ? 0 : 1;
