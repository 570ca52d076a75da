import { Transform, type TransformCallback } from 'node:stream';

/**
 * React Router's <Scripts> puts a `<link rel="modulepreload">` for every chunk of the page
 * (17 on the storefront, ~140 KB compressed) in the head, before the stylesheet. The browser
 * then fetches all the JavaScript at High priority while it still waits for the stylesheet to
 * paint anything, and Lighthouse counts those scripts as render-blocking (its simulation bills
 * every High-priority script finished before the first paint to FCP and LCP: 2.3-3 s on its
 * throttled mobile profile, against about 1 s without them).
 *
 * So the page's head keeps only the stylesheet, and the same chunks are preloaded from a small
 * inline script once the document has been parsed and painted: the JavaScript still arrives
 * in parallel (no import waterfall before hydration), after the page is visible. The module
 * script React Router writes at the end of the body imports the route modules itself.
 */
const PRELOAD = /<link rel="modulepreload"[^>]*?href="([^"]+)"[^>]*>/g;
const HEAD_END = '</head>';

function preloadScript(hrefs: readonly string[], nonce: string | undefined): string {
  if (hrefs.length === 0) return '';
  // After DOMContentLoaded, the next frame, then a task: the first paint has happened.
  const body =
    `(()=>{const h=${JSON.stringify(hrefs)};document.addEventListener('DOMContentLoaded',` +
    `()=>requestAnimationFrame(()=>setTimeout(()=>{for(const u of h){` +
    `const l=document.createElement('link');l.rel='modulepreload';l.href=u;` +
    `document.head.append(l)}})))})()`;
  const nonceAttribute = nonce === undefined ? '' : ` nonce="${nonce}"`;
  return `<script${nonceAttribute}>${body.replace(/</g, '\\u003c')}</script>`;
}

/** The head without its module preloads, and the script preloading them after the paint. */
function deferInHead(head: string, nonce: string | undefined): string {
  const hrefs: string[] = [];
  const stripped = head.replace(PRELOAD, (_tag, href: string) => {
    hrefs.push(href);
    return '';
  });
  return stripped + preloadScript([...new Set(hrefs)], nonce);
}

/** For a document rendered whole (the page cache): the same change on a string. */
export function deferModulePreloads(html: string, nonce?: string): string {
  const end = html.indexOf(HEAD_END);
  if (end < 0) return html;
  return deferInHead(html.slice(0, end), nonce) + html.slice(end);
}

/**
 * For a streamed document: holds the output until the end of the head (the shell's first
 * bytes, a few KB), rewrites the head, then passes everything else through untouched.
 * `</head>` is ASCII, so the bytes before it are whole UTF-8 characters.
 */
export class DeferModulePreloads extends Transform {
  private held: Buffer[] = [];
  private headDone = false;

  constructor(private readonly nonce: string | undefined) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    if (this.headDone) return callback(null, chunk);
    this.held.push(chunk);
    const text = Buffer.concat(this.held);
    const end = text.indexOf(HEAD_END);
    if (end < 0) return callback();
    this.headDone = true;
    this.held = [];
    const head = deferInHead(text.subarray(0, end).toString('utf8'), this.nonce);
    callback(null, Buffer.concat([Buffer.from(head, 'utf8'), text.subarray(end)]));
  }

  override _flush(callback: TransformCallback) {
    callback(null, this.held.length > 0 ? Buffer.concat(this.held) : undefined);
  }
}
