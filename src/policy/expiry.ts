// Exception expiry dates. The schema's pattern fixes the shape; this checks the calendar (no
// 2026-02-30, no 24:00) and fixes the instant without the local time zone: a date alone means
// 00:00 UTC that day, a date-time must carry `Z` or an offset.

const EXPIRY = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):(\d{2})))?$/;

// Returns the instant an expiry denotes, or undefined when it is not a real date and time.
export function parseExpiry(text: string): Date | undefined {
  const m = EXPIRY.exec(text);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const millis = Math.floor(Number(`0.${m[7] ?? '0'}`) * 1000);
  const offsetHours = Number(m[10] ?? '0');
  const offsetMinutes = Number(m[11] ?? '0');
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return undefined;
  const offset = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes);
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis) - offset * 60_000);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
