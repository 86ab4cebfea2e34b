// Server byte streams that once broke the receive path (found by receive-fuzz.test.ts). Each is fed to a
// connected engine on every run. Add the hex the fuzz prints, with a line saying what it broke.
export const FUZZ_REGRESSIONS: readonly { found: string; hex: string }[] = [];
