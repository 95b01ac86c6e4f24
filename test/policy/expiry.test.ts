// parseExpiry: the calendar and the instant of an exception's expiry, without the local time zone.

import { describe, expect, it } from 'vitest';
import { parseExpiry } from '../../src/policy/expiry.js';

const iso = (text: string) => parseExpiry(text)?.toISOString();

describe('parseExpiry', () => {
  it('a date alone is 00:00 UTC that day', () => {
    expect(iso('2026-06-01')).toBe('2026-06-01T00:00:00.000Z');
    expect(iso('2026-12-31')).toBe('2026-12-31T00:00:00.000Z');
  });

  it('a date-time keeps its hours, minutes, seconds and milliseconds (truncated)', () => {
    expect(iso('2026-06-01T12:34:56.789Z')).toBe('2026-06-01T12:34:56.789Z');
    expect(iso('2026-06-01T12:34Z')).toBe('2026-06-01T12:34:00.000Z');
    expect(iso('2026-06-01T12:34:56Z')).toBe('2026-06-01T12:34:56.000Z');
    expect(iso('2026-06-01T12:34:56.5Z')).toBe('2026-06-01T12:34:56.500Z');
    expect(iso('2026-06-01T12:34:56.123999999Z')).toBe('2026-06-01T12:34:56.123Z');
  });

  it('an offset moves the instant: east is earlier, west later', () => {
    expect(iso('2026-06-01T12:34:56+02:30')).toBe('2026-06-01T10:04:56.000Z');
    expect(iso('2026-06-01T12:34:56-02:30')).toBe('2026-06-01T15:04:56.000Z');
    expect(iso('2026-06-01T00:00+23:59')).toBe('2026-05-31T00:01:00.000Z');
    expect(iso('2026-06-01T00:00-00:00')).toBe('2026-06-01T00:00:00.000Z');
  });

  it('the last day of each month, leap years included', () => {
    expect(iso('2026-01-31')).toBe('2026-01-31T00:00:00.000Z');
    expect(iso('2028-02-29')).toBe('2028-02-29T00:00:00.000Z');
    expect(iso('2026-02-28')).toBe('2026-02-28T00:00:00.000Z');
    expect(iso('2026-04-30')).toBe('2026-04-30T00:00:00.000Z');
    expect(iso('2026-06-01T23:59:59Z')).toBe('2026-06-01T23:59:59.000Z');
  });

  it('refuses what is not a real date and time', () => {
    for (const text of [
      '2026-00-10', '2026-13-01', '2026-01-00', '2026-01-32', '2026-02-29', '2026-04-31',
      '2026-06-01T24:00Z', '2026-06-01T12:60Z', '2026-06-01T12:00:60Z', '2026-06-01T12:00+24:00', '2026-06-01T12:00+01:60',
      '2026-06-01T12:00', '2026-6-01', ' 2026-06-01', '2026-06-01x', 'next week',
    ]) {
      expect(parseExpiry(text), text).toBeUndefined();
    }
  });
});
