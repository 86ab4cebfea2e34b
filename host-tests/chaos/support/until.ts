// Waiting in real time for what real sockets will bring. Five chaos files each carried their own copy of
// this deadline loop; one copy gives every wait a limit and a failure that names what did not happen.
// (Waits in virtual time are VirtualClock.until.)

/** Polls `check` every 2 ms until it holds; throws, naming `what`, once `ms` of real time have passed. */
export async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`${what} not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 2));
  }
}
