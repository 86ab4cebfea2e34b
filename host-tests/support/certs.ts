// Test certificates, generated with openssl at run time (see tools/broker/certs.ts).
export { generateTestCerts, testCerts } from "../../tools/broker/certs";
export type { CertPair, TestCerts } from "../../tools/broker/certs";
