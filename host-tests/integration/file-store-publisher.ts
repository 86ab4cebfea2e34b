// The process that host-tests/integration/file-session-store.test.ts kills: a Node client whose session lives
// in a FlashSessionStore over a file. It publishes "<seq>" to its topic every few ms and prints
// "accepted <seq>" once publish() returned a token (the message is on disk then), until it is killed.
// With "drain" it publishes nothing and prints "drained" once the store holds no message, then ends.
//   node --import tsx file-store-publisher.ts <port> <clientId> <file> <topic> <first seq> <qos> [drain]
import { FileFlashArea, FlashSessionStore, connect } from "../../src/platform/host/public-api";

const [port, clientId, file, topic, first, qos, mode] = process.argv.slice(2) as [string, string, string, string, string, string, string?];
const store = FlashSessionStore.open(new FileFlashArea(file, { byteLength: 32768 }), { records: 64 });
console.log(`restored ${store.count()}`);
const client = connect(`mqtt://127.0.0.1:${port}`, {
  clientId, clean: false, properties: { sessionExpiryInterval: 600 }, sessionStore: store, reconnectPeriod: 100,
});
let seq = Number(first);
const timer = setInterval(() => {
  if (mode === "drain") {
    if (store.count() > 0) return;
    clearInterval(timer);
    console.log("drained");
    client.end();
    return;
  }
  if (client.publish(topic, String(seq), { qos: Number(qos) as 1 | 2 }) > 0) console.log(`accepted ${seq++}`);
}, 3);
