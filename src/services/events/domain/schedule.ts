/**
 * Schedule expressions as EventBridge rules and EventBridge Scheduler write them:
 * `rate(5 minutes)`, `cron(min hour day-of-month month day-of-week year)` (AWS's six fields,
 * Quartz-like: `?`, `L`, `W`, `#`, day-of-week 1–7 = SUN–SAT) and Scheduler's
 * `at(yyyy-mm-ddThh:mm:ss)`. Next fire times are computed in a time zone (IANA name).
 *
 * cron-parser does the minute/hour/day/month/day-of-week search (with time zones and DST);
 * this file validates AWS's syntax, translates day-of-week numbering (AWS 1 = Sunday,
 * cron-parser 0 = Sunday; `L` alone = Saturday), and filters what cron-parser lacks: the year
 * field and `W` (nearest weekday).
 */
import { CronExpressionParser } from 'cron-parser';

export type ParsedSchedule =
  | { kind: 'rate'; ms: number }
  | { kind: 'cron'; cron: AwsCron }
  | { kind: 'at'; local: LocalTime };

export interface LocalTime { y: number; mo: number; d: number; h: number; mi: number; s: number }

export interface AwsCron {
  /** cron-parser expression (with a leading seconds field) */
  expr: string;
  /** allowed years, undefined = any */
  years?: number[];
  /** day-of-month W rule: a day number or 'L' (last weekday) */
  weekday?: number | 'L';
}

const UNIT_MS: Record<string, number> = { minute: 60_000, minutes: 60_000, hour: 3_600_000, hours: 3_600_000, day: 86_400_000, days: 86_400_000 };

/** `rate(value unit)`: value ≥ 1; `strictPlural` (EventBridge rules): 1 takes the singular, > 1 the plural. */
export function parseRate(body: string, strictPlural: boolean): number | undefined {
  const m = /^\s*(\d+)\s+([a-z]+)\s*$/.exec(body);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2]!;
  if (!(n >= 1) || !Number.isSafeInteger(n) || !(unit in UNIT_MS)) return undefined;
  if (strictPlural && (n === 1) !== !unit.endsWith('s')) return undefined;
  return n * UNIT_MS[unit]!;
}

export function parseAt(body: string): LocalTime | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(body.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return undefined;
  return { y, mo, d, h, mi, s };
}

/** Parses `rate(…)`, `cron(…)` and (when allowed) `at(…)`; undefined when not valid. */
export function parseScheduleExpression(expr: string, opts: { allowAt: boolean; strictPlural: boolean }): ParsedSchedule | undefined {
  const m = /^(rate|cron|at)\((.*)\)$/.exec(expr.trim());
  if (!m) return undefined;
  const body = m[2]!;
  if (m[1] === 'rate') {
    const ms = parseRate(body, opts.strictPlural);
    return ms === undefined ? undefined : { kind: 'rate', ms };
  }
  if (m[1] === 'cron') {
    const cron = parseAwsCron(body);
    return cron && { kind: 'cron', cron };
  }
  if (!opts.allowAt) return undefined;
  const local = parseAt(body);
  return local && { kind: 'at', local };
}

// ---- cron

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** A list of `*`, `n`, `a-b`, with optional `/step` — the common field grammar. */
function simpleField(f: string, min: number, max: number, names?: string[]): boolean {
  const value = (v: string): number | undefined => {
    if (names) {
      const i = names.indexOf(v.toUpperCase());
      if (i >= 0) return i + min;
    }
    if (!/^\d+$/.test(v)) return undefined;
    const n = Number(v);
    return n >= min && n <= max ? n : undefined;
  };
  return f.split(',').every((part) => {
    const [range, step, extra] = part.split('/');
    if (extra !== undefined) return false;
    if (step !== undefined && !(/^\d+$/.test(step) && Number(step) >= 1 && Number(step) <= max)) return false;
    if (range === '*') return true;
    const [a, b, c] = range!.split('-');
    if (c !== undefined) return false;
    const va = value(a!);
    if (va === undefined) return false;
    if (b === undefined) return true;
    const vb = value(b);
    return vb !== undefined;
  });
}

function translateDow(f: string): string | undefined {
  const num = (v: string): number | undefined => {
    const i = DAYS.indexOf(v.toUpperCase());
    if (i >= 0) return i + 1;
    if (!/^\d$/.test(v)) return undefined;
    const n = Number(v);
    return n >= 1 && n <= 7 ? n : undefined;
  };
  const out: string[] = [];
  for (const part of f.split(',')) {
    let m: RegExpExecArray | null;
    if (part === '*') out.push('*');
    else if (part === 'L') out.push('6');
    else if ((m = /^([A-Za-z]{3}|\d)L$/.exec(part))) {
      const n = num(m[1]!);
      if (n === undefined) return undefined;
      out.push(`${n - 1}L`);
    } else if ((m = /^([A-Za-z]{3}|\d)#([1-5])$/.exec(part))) {
      const n = num(m[1]!);
      if (n === undefined) return undefined;
      out.push(`${n - 1}#${m[2]}`);
    } else if ((m = /^(\*|[A-Za-z]{3}|\d)(?:-([A-Za-z]{3}|\d))?(?:\/(\d+))?$/.exec(part))) {
      const step = m[3] !== undefined ? `/${m[3]}` : '';
      if (m[3] !== undefined && Number(m[3]) < 1) return undefined;
      if (m[1] === '*') {
        if (m[2] !== undefined) return undefined;
        out.push(`*${step}`);
        continue;
      }
      const a = num(m[1]!);
      if (a === undefined) return undefined;
      if (m[2] === undefined) out.push(step ? `${a - 1}-6${step}` : `${a - 1}`);
      else {
        const b = num(m[2]);
        if (b === undefined) return undefined;
        out.push(`${a - 1}-${b - 1}${step}`);
      }
    } else return undefined;
  }
  return out.join(',');
}

/** AWS's six-field cron; undefined when not valid. */
export function parseAwsCron(body: string): AwsCron | undefined {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) return undefined;
  const [min, hour, dom, month, dow, year] = fields as [string, string, string, string, string, string];
  // Exactly one of day-of-month and day-of-week is '?'.
  if ((dom === '?') === (dow === '?')) return undefined;
  if (!simpleField(min, 0, 59) || !simpleField(hour, 0, 23) || !simpleField(month, 1, 12, MONTHS)) return undefined;
  let years: number[] | undefined;
  if (year !== '*') {
    if (!simpleField(year, 1970, 2199)) return undefined;
    years = expandYears(year);
  }
  let domX = '*';
  let weekday: number | 'L' | undefined;
  if (dom !== '?') {
    let m: RegExpExecArray | null;
    if (dom === 'LW') weekday = 'L';
    else if ((m = /^(\d{1,2})W$/.exec(dom))) {
      weekday = Number(m[1]);
      if (weekday < 1 || weekday > 31) return undefined;
    } else if (dom === 'L') domX = 'L';
    else if (simpleField(dom, 1, 31)) domX = dom;
    else return undefined;
  }
  let dowX = '*';
  if (dow !== '?') {
    const t = translateDow(dow);
    if (t === undefined) return undefined;
    dowX = t;
  }
  const monthX = month.replace(/[A-Za-z]{3}/g, (n) => String(MONTHS.indexOf(n.toUpperCase()) + 1));
  const expr = `0 ${min} ${hour} ${domX} ${monthX} ${dowX}`;
  try {
    CronExpressionParser.parse(expr, { tz: 'UTC', currentDate: 0 });
  } catch {
    return undefined;
  }
  return { expr, ...(years ? { years } : {}), ...(weekday !== undefined ? { weekday } : {}) };
}

function expandYears(f: string): number[] {
  const set = new Set<number>();
  for (const part of f.split(',')) {
    const [range, stepS] = part.split('/');
    const step = stepS ? Number(stepS) : 1;
    let a: number, b: number;
    if (range === '*') [a, b] = [1970, 2199];
    else {
      const [x, y] = range!.split('-');
      a = Number(x);
      b = y !== undefined ? Number(y) : stepS ? 2199 : a;
    }
    for (let v = a; v <= b; v += step) set.add(v);
  }
  return [...set].sort((x, y) => x - y);
}

/** The first fire time strictly after `afterMs` (epoch ms) in time zone `tz`, or undefined. */
export function nextCronTime(c: AwsCron, afterMs: number, tz = 'UTC'): number | undefined {
  let from = afterMs;
  for (let restarts = 0; restarts < 300; restarts++) {
    const it = CronExpressionParser.parse(c.expr, { tz, currentDate: new Date(from) });
    let jumped = false;
    for (let i = 0; i < 5000; i++) {
      let t: number;
      try {
        t = it.next().getTime();
      } catch {
        return undefined;
      }
      const p = localParts(t, tz);
      if (c.years && !c.years.includes(p.y)) {
        const ny = c.years.find((y) => y > p.y);
        if (ny === undefined) return undefined;
        from = zonedToUtc({ y: ny, mo: 1, d: 1, h: 0, mi: 0, s: 0 }, tz) - 1000;
        jumped = true;
        break;
      }
      if (c.weekday !== undefined && p.d !== weekdayOf(c.weekday, p.y, p.mo)) continue;
      if (t > afterMs) return t;
    }
    if (!jumped) return undefined;
  }
  return undefined;
}

/** Day of month of the `W` rule in a month (0 when the day does not exist that month). */
function weekdayOf(rule: number | 'L', y: number, mo: number): number {
  const last = daysInMonth(y, mo);
  const dow = (d: number) => new Date(Date.UTC(y, mo - 1, d)).getUTCDay();
  if (rule === 'L') {
    let d = last;
    while (dow(d) === 0 || dow(d) === 6) d--;
    return d;
  }
  if (rule > last) return 0;
  const w = dow(rule);
  if (w === 6) return rule === 1 ? 3 : rule - 1;
  if (w === 0) return rule === last ? rule - 2 : rule + 1;
  return rule;
}

export function daysInMonth(y: number, mo: number): number {
  return new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

// ---- time zones (Intl only)

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(tz, f);
  }
  return f;
}

export function isValidTimeZone(tz: string): boolean {
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

export function localParts(ms: number, tz: string): LocalTime {
  const o: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(new Date(ms))) if (p.type !== 'literal') o[p.type] = Number(p.value);
  return { y: o.year!, mo: o.month!, d: o.day!, h: o.hour! % 24, mi: o.minute!, s: o.second! };
}

/** Wall-clock time in `tz` → epoch ms (a time in a DST gap moves forward by the gap). */
export function zonedToUtc(t: LocalTime, tz: string): number {
  const guess = Date.UTC(t.y, t.mo - 1, t.d, t.h, t.mi, t.s);
  const offset = (ms: number) => {
    const p = localParts(ms, tz);
    return Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s) - Math.floor(ms / 1000) * 1000;
  };
  const o1 = offset(guess);
  let r = guess - o1;
  const o2 = offset(r);
  if (o2 !== o1) r = guess - o2;
  return r;
}
