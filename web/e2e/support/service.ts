/** Where the service under test listens and what it owns; one run at a time per port. */
const port = Number(process.env.WEB_TEST_PORT ?? 3961);
const suffix = String(port);

export const WEB_TEST = {
  port,
  url: `http://127.0.0.1:${port}`,
  database: `cyberstall_webtest_${suffix}`,
  redisPrefix: `cswebtest${suffix}`,
  pidFile: `test-results/web-service-${suffix}.pid`,
};
