import { describe, expect, it } from 'vitest';
import { ApiClient, type FetchLike } from './client';

function fakeFetch(status: number, body: unknown, seen: Array<{ url: string; init?: RequestInit }> = []): FetchLike {
  return async (url, init) => {
    seen.push({ url, init });
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  };
}

describe('the API client', () => {
  it('sends the token on every request but health', async () => {
    const seen: Array<{ url: string; init?: RequestInit }> = [];
    const client = new ApiClient('http://pi:48211', 'vm_tok_123', fakeFetch(200, {}, seen));
    await client.health();
    await client.live();
    expect((seen[0]!.init!.headers as Record<string, string>).Authorization).toBeUndefined();
    expect((seen[1]!.init!.headers as Record<string, string>).Authorization).toBe('Bearer vm_tok_123');
    expect(seen[1]!.url).toBe('http://pi:48211/api/v1/live');
  });

  it('builds history queries with whole milliseconds', async () => {
    const seen: Array<{ url: string; init?: RequestInit }> = [];
    await new ApiClient('', 't', fakeFetch(200, {}, seen)).history({ series: ['inverter.batteryVoltageV', 'bms.socPct'], from: 1000.4, to: 2000.6, points: 640 });
    const url = new URL(seen[0]!.url, 'http://x');
    expect(url.pathname).toBe('/api/v1/history');
    expect(Object.fromEntries(url.searchParams)).toEqual({ series: 'inverter.batteryVoltageV,bms.socPct', from: '1000', to: '2001', points: '640' });
  });

  it('a refused token is unauthorized, a viewer acting is forbidden, with the server message', async () => {
    const r401 = await new ApiClient('', 't', fakeFetch(401, { error: 'unauthorized', message: 'the token is not valid' })).live();
    expect(r401).toEqual({ ok: false, error: { kind: 'unauthorized', status: 401, code: 'unauthorized', message: 'the token is not valid' } });
    const r403 = await new ApiClient('', 't', fakeFetch(403, { error: 'forbidden', message: 'viewer token' })).control({ action: 'setController', value: 'on' });
    expect(r403.ok === false && r403.error.kind).toBe('forbidden');
  });

  it('refused input is badRequest with the reason', async () => {
    const r = await new ApiClient('', 't', fakeFetch(400, { error: 'badRequest', message: 'control: value: expected number' })).control({ action: 'setBulkVoltage', value: 1 });
    expect(r.ok === false && r.error).toMatchObject({ kind: 'badRequest', message: 'control: value: expected number' });
  });

  it('an unreachable daemon is a network failure, not an exception', async () => {
    const r = await new ApiClient('http://gone:1', 't', async () => {
      throw new TypeError('Failed to fetch');
    }).live();
    expect(r.ok === false && r.error.kind).toBe('network');
  });

  it('a cancelled request is aborted (shown nowhere)', async () => {
    const controller = new AbortController();
    controller.abort();
    const r = await new ApiClient('', 't', async () => {
      throw new DOMException('aborted', 'AbortError');
    }).live(controller.signal);
    expect(r.ok === false && r.error.kind).toBe('aborted');
  });

  it('sends the kiosk PIN on acting requests only', async () => {
    const seen: Array<{ url: string; init?: RequestInit }> = [];
    const client = new ApiClient('', 't', fakeFetch(200, {}, seen));
    client.pin = '4711';
    await client.live();
    await client.control({ action: 'setGridRelay', value: 'connected' });
    expect((seen[0]!.init!.headers as Record<string, string>)['X-Voltmon-Pin']).toBeUndefined();
    expect((seen[1]!.init!.headers as Record<string, string>)['X-Voltmon-Pin']).toBe('4711');
    expect(JSON.parse(String(seen[1]!.init!.body))).toEqual({ action: 'setGridRelay', value: 'connected' });
  });

  it('the stream address follows the page or the instance, with the token escaped', () => {
    const page = { protocol: 'https:', host: 'pi.local:48211', pathname: '/index.html' };
    expect(new ApiClient('', 'a+b', fakeFetch(200, {})).streamUrl(page)).toBe('wss://pi.local:48211/api/v1/stream?token=a%2Bb');
    expect(new ApiClient('http://gb:48211', 't', fakeFetch(200, {})).streamUrl(page)).toBe('ws://gb:48211/api/v1/stream?token=t');
  });
});
