import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class SpoolInUseError extends Error {
  constructor(dir: string, pid: number) {
    super(`spool directory ${dir} is in use by process ${pid}; give every instance a directory of its own`);
    this.name = 'SpoolInUseError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One process per spool directory: two writers would interleave frames and
 * replay each other's messages. A lock left by a process that died (kill -9,
 * power cut) is taken over; so is one carrying our own pid, which is what a
 * restarted container running as pid 1 finds.
 */
export function lockSpool(dir: string): () => void {
  const path = join(dir, 'spool.lock');
  try {
    writeFileSync(path, String(process.pid), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const holder = Number(readFileSync(path, 'utf8').trim());
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) {
      throw new SpoolInUseError(dir, holder);
    }
    writeFileSync(path, String(process.pid));
  }
  return () => {
    try {
      unlinkSync(path);
    } catch {
      // already gone: nothing to release
    }
  };
}
