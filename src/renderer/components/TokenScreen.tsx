/** Without a valid token nothing can be shown: say so plainly, and take one. */
import { useEffect, useState, type FormEvent } from 'react';
import type { HealthResponse } from '../../shared/api';
import { ApiClient } from '../api/client';
import { isPlausibleToken } from '../lib/token';

export function TokenScreen({ refused, onToken }: { refused: boolean; onToken(token: string): void }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [health, setHealth] = useState<HealthResponse | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    new ApiClient('', '').health(controller.signal).then((r) => {
      if (r.ok) setHealth(r.value);
    });
    return () => controller.abort();
  }, []);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const token = text.trim();
    if (!isPlausibleToken(token)) {
      setError('That does not look like a voltmon token (they start with vmt_ and are about 50 characters long).');
      return;
    }
    onToken(token);
  };

  return (
    <div className="gate">
      <form className="card" onSubmit={submit}>
        <h1>⚡ voltmon{health ? ` · ${health.site}` : ''}</h1>
        {refused ? (
          <p className="error-text" role="alert">
            This instance refused the access token (401 Unauthorized): it was removed, mistyped or belongs to another instance. Enter a valid token.
          </p>
        ) : (
          <p>This screen needs an access token to show the installation.</p>
        )}
        <label className="field">
          Access token
          <input type="password" autoComplete="off" spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} placeholder="vmt_…" />
        </label>
        {error && <p className="error-text">{error}</p>}
        <div className="button-row">
          <button type="submit" className="button primary">
            Open
          </button>
        </div>
        <p className="muted small">
          Create a token on the device with <code>voltmon token add --role viewer</code> (or <code>--role operator</code> to use the Control page), then open this page as{' '}
          <code>http://&lt;host&gt;:48211/#token=&lt;token&gt;</code>. The token is kept in this browser and removed from the address bar.
        </p>
      </form>
    </div>
  );
}
