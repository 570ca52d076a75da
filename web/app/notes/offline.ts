/**
 * Registers the service worker and has it keep this page and the files it runs on, so the
 * composer opens without a network. Resolves true once they are stored.
 */
export async function keepPageOffline(): Promise<boolean> {
  if (!('serviceWorker' in navigator)) return false;
  try {
    await navigator.serviceWorker.register('/sw.js', { scope: '/' });
    const registration = await navigator.serviceWorker.ready;
    const worker = registration.active;
    if (!worker) return false;
    const assets = new Set<string>();
    document
      .querySelectorAll<HTMLLinkElement>('link[rel="modulepreload"], link[rel="stylesheet"]')
      .forEach((link) => assets.add(link.href));
    document
      .querySelectorAll<HTMLScriptElement>('script[src]')
      .forEach((script) => assets.add(script.src));
    for (const entry of performance.getEntriesByType('resource'))
      if (new URL(entry.name).pathname.startsWith('/assets/')) assets.add(entry.name);
    const channel = new MessageChannel();
    const answer = new Promise<boolean>((resolve) => {
      channel.port1.onmessage = (event: MessageEvent<{ cached?: boolean }>) =>
        resolve(event.data.cached === true);
    });
    worker.postMessage({ type: 'keep-page', page: location.pathname, assets: [...assets] }, [
      channel.port2,
    ]);
    return await answer;
  } catch {
    return false;
  }
}
