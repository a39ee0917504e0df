import { describe, expect, it } from 'vitest';
import { describeTarget, parseMariadbUrl, redactUrl } from './url.js';

describe('MariaDB URL', () => {
  it('reads user, password, host, port and database, decoding escapes', () => {
    expect(parseMariadbUrl('mysql://solar:p%40ss%3Aword@db.lan:3307/axpert')).toEqual({
      ok: true,
      value: { host: 'db.lan', port: 3307, user: 'solar', password: 'p@ss:word', database: 'axpert' },
    });
    expect(parseMariadbUrl('mariadb://solar@127.0.0.1/voltmon')).toEqual({
      ok: true,
      value: { host: '127.0.0.1', port: 3306, user: 'solar', password: '', database: 'voltmon' },
    });
  });

  it('refuses what it cannot use, naming the problem without the password', () => {
    const cases = [
      ['postgres://u:topsecret@h/db', /unsupported scheme postgres:/],
      ['mysql://u:topsecret@h:3306/', /expected a database name/],
      ['mysql://u:topsecret@h/db?ssl=true', /query parameters are not supported/],
      ['mysql://:topsecret@h/db', /no user/],
      ['not a url topsecret', /not a URL/],
    ] as const;
    for (const [url, why] of cases) {
      const result = parseMariadbUrl(url);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error).toMatch(why);
        expect(result.error).not.toContain('topsecret');
      }
    }
  });

  it('hides the password when a URL is shown', () => {
    expect(redactUrl('mysql://solar:hunter2@db:3306/axpert')).toBe('mysql://solar:***@db:3306/axpert');
    expect(redactUrl('mysql://solar@db/axpert')).toBe('mysql://solar@db/axpert');
    expect(describeTarget({ host: 'db', port: 3306, user: 'solar', password: 'hunter2', database: 'axpert' })).toBe('solar@db:3306/axpert');
  });
});
