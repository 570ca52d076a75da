import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';

/** IPC between an API process and the cluster primary (src/cluster.ts) for /metrics. */
export const METRICS_REQUEST = 'cyberstall:metrics-request';
export const METRICS_ANSWER = 'cyberstall:metrics-answer';

export interface MetricsMessage {
  type: string;
  id: number;
  text?: string;
  error?: string;
}

let nextRequest = 0;

/**
 * Metrics of every API process summed, asked of the primary (prom-client's aggregator); in a
 * process that is not a cluster child, its own registry.
 */
export function clusterMetrics(registry: Registry): Promise<string> {
  if (!cluster.isWorker || !process.send) return registry.metrics();
  const id = nextRequest++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      process.off('message', onAnswer);
      reject(new Error('the primary did not answer with metrics'));
    }, 6000);
    const onAnswer = (message: MetricsMessage) => {
      if (message?.type !== METRICS_ANSWER || message.id !== id) return;
      clearTimeout(timer);
      process.off('message', onAnswer);
      if (message.error !== undefined) reject(new Error(message.error));
      else resolve(message.text ?? '');
    };
    process.on('message', onAnswer);
    process.send!({ type: METRICS_REQUEST, id });
  });
}

/** In a cluster child, the registry the primary's aggregator collects from. */
export function shareMetrics(registry: Registry): void {
  if (!cluster.isWorker) return;
  // The constructor installs prom-client's child-side listener for the primary's requests.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
}
