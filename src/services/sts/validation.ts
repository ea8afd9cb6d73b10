/**
 * STS's request validation, worded as AWS words it: code `ValidationError` (the query
 * services' name for it) and "N validation error(s) detected: Value 'x' at 'member' failed
 * to satisfy constraint: …".
 */
import { AwsError } from '../../core/errors.js';

export class Constraints {
  private readonly list: string[] = [];

  length(member: string, value: string | undefined, min: number, max: number): this {
    if (value === undefined) return this;
    if (value.length < min) this.fail(member, value, `Member must have length greater than or equal to ${min}`);
    else if (value.length > max) this.fail(member, value, `Member must have length less than or equal to ${max}`);
    return this;
  }

  pattern(member: string, value: string | undefined, re: RegExp, source: string): this {
    if (value !== undefined && !re.test(value)) this.fail(member, value, `Member must satisfy regular expression pattern: ${source}`);
    return this;
  }

  range(member: string, value: number | undefined, min: number, max: number): this {
    if (value === undefined) return this;
    if (value < min) this.fail(member, String(value), `Member must have value greater than or equal to ${min}`);
    else if (value > max) this.fail(member, String(value), `Member must have value less than or equal to ${max}`);
    return this;
  }

  count(member: string, value: unknown[] | undefined, max: number): this {
    if (value && value.length > max) this.fail(member, `[${value.length} items]`, `Member must have length less than or equal to ${max}`);
    return this;
  }

  throwIfAny(): void {
    const n = this.list.length;
    if (n) throw new AwsError('ValidationError', `${n} validation error${n > 1 ? 's' : ''} detected: ${this.list.join('; ')}`, 400);
  }

  private fail(member: string, value: string, constraint: string): void {
    this.list.push(`Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`);
  }
}

/** `[\w+=,.@-]*` — role session names, source identities. */
export const NAME_PATTERN = /^[\w+=,.@-]*$/;
export const NAME_PATTERN_SOURCE = '[\\w+=,.@-]*';
