import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.map', '.svg', '.txt']);

export interface Asset {
  type: string;
  /** Vite's content-hashed files under /assets/ never change; everything else is checked on every load. */
  cacheControl: string;
  identity: Buffer;
  gzip?: Buffer;
  br?: Buffer;
}

/**
 * The built web app, read into memory once at start (it is small: about
 * 1 MB, 300 KB compressed), each text file compressed ahead with Brotli and
 * gzip. Only these files are ever served, so no request path can reach
 * anything else on the disk.
 */
export class StaticAssets {
  private constructor(private readonly files: ReadonlyMap<string, Asset>) {}

  static load(dir: string): StaticAssets {
    if (!existsSync(join(dir, 'index.html'))) {
      throw new Error(`CONSOLE_ASSETS_DIR ${dir} holds no index.html: build the console first (nx run console:build)`);
    }
    const files = new Map<string, Asset>();
    for (const path of walk(dir)) {
      const urlPath = `/${relative(dir, path).split(sep).join('/')}`;
      const extension = extname(path);
      const identity = readFileSync(path);
      const compress = COMPRESSIBLE.has(extension) && identity.length > 512;
      files.set(urlPath, {
        type: TYPES[extension] ?? 'application/octet-stream',
        cacheControl: urlPath.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        identity,
        gzip: compress ? gzipSync(identity, { level: 9 }) : undefined,
        br: compress ? brotliCompressSync(identity) : undefined,
      });
    }
    return new StaticAssets(files);
  }

  /**
   * The file for a request path; index.html for an app page (the single-page
   * app routes itself: /reports?… must load it), nothing for a missing asset.
   */
  find(pathname: string): Asset | undefined {
    let path: string;
    try {
      path = decodeURIComponent(pathname);
    } catch {
      return undefined;
    }
    const file = this.files.get(path);
    if (file) return file;
    if (path.startsWith('/assets/') || extname(path) !== '') return undefined;
    return this.files.get('/index.html');
  }
}

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}

/** The best encoding of an asset the client accepts. */
export function encodingFor(asset: Asset, acceptEncoding: string | undefined): { body: Buffer; encoding?: 'br' | 'gzip' } {
  const accepted = new Set((acceptEncoding ?? '').split(',').map((part) => part.split(';')[0].trim().toLowerCase()));
  if (asset.br && accepted.has('br')) return { body: asset.br, encoding: 'br' };
  if (asset.gzip && accepted.has('gzip')) return { body: asset.gzip, encoding: 'gzip' };
  return { body: asset.identity };
}
