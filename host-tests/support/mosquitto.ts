// The broker harness lives in tools/broker so the simulator and the benchmarks use the same code.
export { Mosquitto, startMosquitto, findMosquitto, freePort } from "../../tools/broker/mosquitto";
export type { MosquittoOptions, MosquittoTlsOptions } from "../../tools/broker/mosquitto";
