import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { climbsOut } from './safe-path';

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

/** One encoding of a file, with the entity tag that names exactly these bytes. */
export interface Representation {
  body: Buffer;
  etag: string;
  encoding?: 'br' | 'gzip';
}

export interface Asset {
  type: string;
  /** Vite's content-hashed files under /assets/ never change; everything else is checked on every load. */
  cacheControl: string;
  identity: Representation;
  gzip?: Representation;
  br?: Representation;
}

/**
 * The built web app, read into memory once at start (it is small: about
 * 1 MB, 300 KB compressed), each text file compressed ahead with Brotli and
 * gzip. Only these files are ever served, so no request path can reach
 * anything else on the disk.
 */
export class StaticAssets {
  private constructor(private readonly files: ReadonlyMap<string, Asset>) {}

  /** Throws when `dir` holds no index.html: a console without its app would answer every page with a 404. */
  static load(dir: string): StaticAssets {
    if (!existsSync(join(dir, 'index.html'))) {
      throw new Error(`CONSOLE_ASSETS_DIR ${dir} holds no index.html: build the console first (nx run console:build)`);
    }
    const files = new Map<string, Asset>();
    for (const path of walk(dir)) {
      const urlPath = `/${relative(dir, path).split(sep).join('/')}`;
      const extension = extname(path);
      const bytes = readFileSync(path);
      const tag = createHash('sha256').update(bytes).digest('base64url').slice(0, 22);
      const compress = COMPRESSIBLE.has(extension) && bytes.length > 512;
      files.set(urlPath, {
        type: TYPES[extension] ?? 'application/octet-stream',
        cacheControl: urlPath.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        identity: { body: bytes, etag: `"${tag}"` },
        gzip: compress ? { body: gzipSync(bytes, { level: 9 }), etag: `"${tag}-gz"`, encoding: 'gzip' } : undefined,
        br: compress ? { body: brotliCompressSync(bytes), etag: `"${tag}-br"`, encoding: 'br' } : undefined,
      });
    }
    return new StaticAssets(files);
  }

  /**
   * The file for a request path (without its query); index.html for an app
   * page (the single-page app routes itself: /reports?… must load it);
   * nothing for a missing asset or a path that tries to climb out.
   */
  find(pathname: string): Asset | undefined {
    let path: string;
    try {
      path = decodeURIComponent(pathname);
    } catch {
      return undefined;
    }
    if (climbsOut(path)) return undefined;
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

/** The best encoding of an asset the client accepts (`br;q=0` refuses Brotli). */
export function representationFor(asset: Asset, acceptEncoding: string | undefined): Representation {
  const accepted = new Set(
    (acceptEncoding ?? '')
      .split(',')
      .map((part) => part.trim().toLowerCase().split(/\s*;\s*/))
      .filter(([, weight]) => !weight || !/^q=0(\.0*)?$/.test(weight))
      .map(([coding]) => coding),
  );
  if (asset.br && accepted.has('br')) return asset.br;
  if (asset.gzip && accepted.has('gzip')) return asset.gzip;
  return asset.identity;
}

/** Whether the browser's copy (If-None-Match) is this representation, so a 304 will do. */
export function isFresh(representation: Representation, ifNoneMatch: string | undefined): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === representation.etag;
  });
}
