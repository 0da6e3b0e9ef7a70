import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { type Asset, isFresh, representationFor, StaticAssets } from './static-assets';

describe('StaticAssets', () => {
  let dir: string;
  let assets: StaticAssets;
  const script = `console.log(${JSON.stringify('x'.repeat(2000))});`;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'console-assets-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html>');
    writeFileSync(join(dir, 'assets', 'app-1a2b.js'), script);
    writeFileSync(join(dir, 'assets', 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    writeFileSync(join(dir, 'robots.txt'), 'User-agent: *');
    assets = StaticAssets.load(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function compressedScript(): Asset {
    const asset = assets.find('/assets/app-1a2b.js');
    if (!asset?.gzip || !asset.br) throw new Error('the script was not loaded with its compressed copies');
    return asset;
  }

  it('finds files with their type, hashed ones cached for a year and the rest revalidated', () => {
    expect(assets.find('/assets/app-1a2b.js')).toMatchObject({ type: 'text/javascript; charset=utf-8', cacheControl: 'public, max-age=31536000, immutable' });
    expect(assets.find('/assets/logo.png')).toMatchObject({ type: 'image/png' });
    expect(assets.find('/robots.txt')).toMatchObject({ type: 'text/plain; charset=utf-8', cacheControl: 'no-cache' });
  });

  it('answers an app page with index.html, a missing asset with nothing', () => {
    const index = assets.find('/index.html');
    expect(assets.find('/')).toBe(index);
    expect(assets.find('/reports')).toBe(index);
    expect(assets.find('/offers/7/edit')).toBe(index);
    expect(assets.find('/assets/app-gone.js')).toBeUndefined();
    expect(assets.find('/favicon.ico')).toBeUndefined();
  });

  it.each(['/../etc/passwd', '/assets/../index.html', '/%2e%2e/x', '/a/%2E%2E/b', '/./reports', '/..%5cx', '/a\\b', '/%00', '/reports%00', '/%E0%A4%A'])(
    'answers nothing for %s',
    (path) => {
      expect(assets.find(path)).toBeUndefined();
    },
  );

  it('refuses a directory without index.html, naming the setting', () => {
    expect(() => StaticAssets.load(join(dir, 'assets'))).toThrow(/^CONSOLE_ASSETS_DIR .*assets holds no index\.html/);
  });

  it('picks the smallest encoding the browser takes, each with its own entity tag', () => {
    const asset = compressedScript();
    expect(representationFor(asset, 'gzip, deflate, br').encoding).toBe('br');
    expect(representationFor(asset, 'gzip, br;q=0').encoding).toBe('gzip');
    expect(representationFor(asset, undefined).encoding).toBeUndefined();
    expect(gunzipSync(representationFor(asset, 'gzip').body).toString()).toBe(script);
    const tags = new Set([asset.identity.etag, asset.gzip?.etag, asset.br?.etag]);
    expect(tags.size).toBe(3);
  });

  it('is fresh only for the browser’s copy of the same representation', () => {
    const asset = compressedScript();
    expect(isFresh(asset.identity, asset.identity.etag)).toBe(true);
    expect(isFresh(asset.identity, `"other", W/${asset.identity.etag}`)).toBe(true);
    expect(isFresh(asset.identity, asset.gzip?.etag)).toBe(false);
    expect(isFresh(asset.identity, undefined)).toBe(false);
  });
});
