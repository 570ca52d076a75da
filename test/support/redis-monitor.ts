import { connect, type Socket } from 'node:net';

/** One command a Redis server ran, as MONITOR reports it. */
export interface MonitoredCommand {
  time: number;
  /** The client that sent it (`127.0.0.1:41216`), or `lua` for a script's own commands. */
  source: string;
  args: string[];
}

export interface RedisMonitor {
  close(): void;
}

/** `"a\"b" "\x00"` (redis' sdscatrepr quoting) as its strings. */
function unquote(text: string): string[] {
  const args: string[] = [];
  const quoted = /"((?:[^"\\]|\\.)*)"/g;
  for (const [, body] of text.matchAll(quoted))
    args.push(
      body!.replace(/\\(x[0-9a-fA-F]{2}|.)/g, (_all, escaped: string) => {
        if (escaped.startsWith('x') && escaped.length === 3)
          return String.fromCharCode(parseInt(escaped.slice(1), 16));
        return { n: '\n', r: '\r', t: '\t', a: '\x07', b: '\b' }[escaped] ?? escaped;
      }),
    );
  return args;
}

/**
 * MONITOR on a connection of its own, read line by line. ioredis' `monitor()` enters its
 * monitoring state a microtask after MONITOR's OK, so a busy server's first monitored command
 * arriving in the same read as the OK is taken for a reply to nothing ("Command queue state
 * error"), which fails whatever test shares the process. Resolves once the server monitors.
 */
export function monitorRedis(
  host: string,
  port: number,
  onCommand: (command: MonitoredCommand) => void,
): Promise<RedisMonitor> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host, port });
    let buffered = '';
    let monitoring = false;
    socket.setEncoding('latin1');
    socket.once('error', reject);
    socket.on('connect', () => socket.write('MONITOR\r\n'));
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      let end: number;
      while ((end = buffered.indexOf('\r\n')) >= 0) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        if (!monitoring) {
          if (line !== '+OK') return reject(new Error(`MONITOR refused: ${line}`));
          monitoring = true;
          resolve({ close: () => socket.destroy() });
          continue;
        }
        // +1339518083.107412 [0 127.0.0.1:60866] "keys" "*"
        const match = /^\+(\d+\.\d+) \[\d+ ([^\]]+)\] (.*)$/.exec(line);
        if (match)
          onCommand({
            time: Number(match[1]),
            source: match[2]!,
            args: unquote(Buffer.from(match[3]!, 'latin1').toString('utf8')),
          });
      }
    });
  });
}
