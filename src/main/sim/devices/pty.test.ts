import { describe, expect, it } from 'vitest';
import { SocatLog } from './pty.js';

/** socat 1.7's `-d -d` log of `socat pty pty`, as it appears on stderr. */
const LOG = [
  '2026/11/25 14:34:16 socat[15789] N PTY is /dev/pts/12\n',
  '2026/11/25 14:34:16 socat[15789] N PTY is /dev/pts/13\n',
  '2026/11/25 14:34:16 socat[15789] N starting data transfer loop with FDs [5,5] and [7,7]\n',
].join('');

/** Feed `chunks` one by one; returns after which chunk (index) the log first said ready, or -1. */
function readyAfter(chunks: string[]): { log: SocatLog; index: number } {
  const log = new SocatLog();
  const index = chunks.findIndex((chunk) => log.push(chunk));
  return { log, index };
}

describe('SocatLog: socat readiness from stderr chunks', () => {
  it('is ready after the whole log in one chunk, with the paths in order', () => {
    const { log, index } = readyAfter([LOG]);
    expect(index).toBe(0);
    expect(log.ptyPaths).toEqual(['/dev/pts/12', '/dev/pts/13']);
  });

  it('waits for the transfer-loop line when it arrives in a later chunk than both paths', () => {
    const cut = LOG.indexOf('2026/11/25 14:34:16 socat[15789] N starting');
    const { log, index } = readyAfter([LOG.slice(0, cut), LOG.slice(cut)]);
    expect(log.ptyPaths).toEqual(['/dev/pts/12', '/dev/pts/13']);
    expect(index).toBe(1);
  });

  it('does not read a path cut in the middle as a shorter path', () => {
    const cut = LOG.indexOf('/dev/pts/12') + '/dev/pts/1'.length;
    const { log, index } = readyAfter([LOG.slice(0, cut), LOG.slice(cut)]);
    expect(index).toBe(1);
    expect(log.ptyPaths).toEqual(['/dev/pts/12', '/dev/pts/13']);
  });

  it('is ready whatever the chunk size, down to one character at a time', () => {
    for (const size of [1, 2, 3, 7, 16, 50]) {
      const chunks = Array.from({ length: Math.ceil(LOG.length / size) }, (_, i) => LOG.slice(i * size, (i + 1) * size));
      const { log, index } = readyAfter(chunks);
      expect(index, `chunks of ${size}`).toBe(chunks.length - 1);
      expect(log.ptyPaths, `chunks of ${size}`).toEqual(['/dev/pts/12', '/dev/pts/13']);
    }
  });

  it('is not ready with one path, or without the transfer-loop line, or before that line is complete', () => {
    const lines = LOG.split('\n');
    expect(readyAfter([`${lines[0]}\n${lines[2]}\n`]).index).toBe(-1);
    expect(readyAfter([`${lines[0]}\n${lines[1]}\n`]).index).toBe(-1);
    expect(readyAfter([LOG.slice(0, -1)]).index).toBe(-1);
  });

  it('keeps what socat said for error messages', () => {
    const log = new SocatLog();
    log.push('2026/11/25 14:34:16 socat[1] E openpty: No such file or directory\n');
    expect(log.ready).toBe(false);
    expect(String(log)).toContain('openpty: No such file or directory');
  });
});
