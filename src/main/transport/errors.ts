/** Why a link could not be opened or used; `code` is stable for callers, `message` names the port and the cause. */
export type TransportErrorCode = 'missing' | 'ambiguous' | 'busy' | 'permission' | 'notOpen' | 'closed' | 'io';

export class TransportError extends Error {
  constructor(
    readonly code: TransportErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

/** Map an OS error (errno code or the serialport binding's message) to a typed, readable error. */
export function classifyOsError(description: string, err: unknown): TransportError {
  if (err instanceof TransportError) return err;
  const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : '';
  const text = err instanceof Error ? err.message : String(err);
  if (code === 'ENOENT' || /no such file|ENOENT/i.test(text)) {
    return new TransportError('missing', `${description}: no such device (unplugged, or wrong path?)`);
  }
  if (code === 'EBUSY' || code === 'EAGAIN' || /cannot lock port|resource temporarily unavailable|busy/i.test(text)) {
    return new TransportError('busy', `${description}: port is busy (another program has it open: stop it first)`);
  }
  if (code === 'EACCES' || code === 'EPERM' || /permission denied|EACCES/i.test(text)) {
    return new TransportError('permission', `${description}: permission denied (is the user in the dialout group?)`);
  }
  if (code === 'ECONNREFUSED') return new TransportError('missing', `${description}: connection refused`);
  if (code === 'ENODEV' || code === 'ENXIO' || code === 'EIO') {
    return new TransportError('missing', `${description}: device went away (${code})`);
  }
  return new TransportError('io', `${description}: ${text}`);
}
