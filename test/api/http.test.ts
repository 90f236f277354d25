import { describe, expect, it } from 'vitest';
import { bearerMatches, isJsonContentType } from '../../src/api/http.js';

const TOKEN = 'example-kpi-token-0001';

describe('bearer token', () => {
  it('matches only the exact token, whatever the length of what was sent', () => {
    expect(bearerMatches(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(bearerMatches(`bearer   ${TOKEN} `, TOKEN)).toBe(true);
    for (const h of [undefined, '', 'Bearer', 'Bearer ', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, 'Bearer example-kpi-token-0002', `${TOKEN}`]) {
      expect(bearerMatches(h, TOKEN)).toBe(false);
    }
  });
});

describe('content type', () => {
  it('JSON with any charset, a +json type, or none; nothing else', () => {
    for (const t of [undefined, 'application/json', 'application/json; charset=utf-8', 'Application/JSON;charset=UTF-8', 'application/vnd.api+json']) expect(isJsonContentType(t)).toBe(true);
    for (const t of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/json']) expect(isJsonContentType(t)).toBe(false);
  });
});
