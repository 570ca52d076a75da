/** Each test file removes its own database and Redis keys; nothing is shared to tear down. */
export default async function globalTeardown(): Promise<void> {}
