/**
 * SMS: Get/SetSMSAttributes, opt-outs (CheckIfPhoneNumberIsOptedOut, ListPhoneNumbersOptedOut,
 * OptInPhoneNumber), the SMS sandbox's destination numbers (Create/Verify/List/Delete
 * SMSSandboxPhoneNumber, GetSMSSandboxAccountStatus) and ListOriginationNumbers.
 */
import { randomInt } from 'node:crypto';
import { AwsError } from '../../../core/errors.js';
import { scopeOf } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import type { SnsState } from '../state.js';
import type { Delivery } from '../delivery.js';
import { invalidParameter } from '../domain/errors.js';
import { page } from './paging.js';

const SMS_ATTRIBUTES = new Set(['MonthlySpendLimit', 'DeliveryStatusIAMRole', 'DeliveryStatusSuccessSamplingRate', 'DefaultSenderID', 'DefaultSMSType', 'UsageReportS3Bucket']);
const E164 = /^\+?[1-9]\d{1,14}$/;
/** CreateSMSSandboxPhoneNumber's LanguageCode values (the language of the OTP message). */
const LANGUAGES = new Set(['en-US', 'en-GB', 'es-419', 'es-ES', 'de-DE', 'fr-CA', 'fr-FR', 'it-IT', 'ja-JP', 'pt-BR', 'kr-KR', 'zh-CN', 'zh-TW']);
const MAX_SANDBOX_NUMBERS = 10;

const sandboxNumberNotFound = () => new AwsError('ResourceNotFoundException', 'Can\'t find the phone number in the SMS sandbox of this account.', 404);

function checkMaxResults(value: number | undefined, max: number): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > max)) throw invalidParameter(`Invalid parameter: MaxResults Reason: must be between 1 and ${max}`);
}

export function smsHandlers(state: SnsState, delivery: Delivery): T.SNSHandlers {
  const clock = state.rt.clock;
  return {
    SetSMSAttributes(input, ctx) {
      const scope = scopeOf(ctx);
      const current = { ...(state.sms.get(scope, 'attributes') ?? {}) };
      for (const [k, v] of Object.entries(input.attributes ?? {})) {
        if (!SMS_ATTRIBUTES.has(k)) throw invalidParameter(`Invalid parameter: ${k}`);
        if (k === 'DefaultSMSType' && v !== 'Promotional' && v !== 'Transactional') throw invalidParameter('Invalid parameter: DefaultSMSType');
        if (k === 'MonthlySpendLimit' && !/^\d+$/.test(v)) throw invalidParameter('Invalid parameter: MonthlySpendLimit');
        if (k === 'DeliveryStatusSuccessSamplingRate' && (!/^\d+$/.test(v) || Number(v) > 100)) throw invalidParameter('Invalid parameter: DeliveryStatusSuccessSamplingRate');
        if (k === 'DefaultSenderID' && !/^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/.test(v)) throw invalidParameter('Invalid parameter: DefaultSenderID');
        current[k] = v;
      }
      state.sms.put(scope, 'attributes', current);
      return {};
    },

    GetSMSAttributes(input, ctx) {
      const all = state.sms.get(scopeOf(ctx), 'attributes') ?? {};
      if (!input.attributes?.length) return { attributes: all };
      const out: Record<string, string> = {};
      for (const k of input.attributes) if (k in all) out[k] = all[k]!;
      return { attributes: out };
    },

    CheckIfPhoneNumberIsOptedOut(input, ctx) {
      if (!E164.test(input.phoneNumber ?? '')) throw invalidParameter('Invalid parameter: PhoneNumber Reason: input incorrectly formatted');
      return { isOptedOut: state.optedOut.has(scopeOf(ctx), input.phoneNumber) };
    },

    ListPhoneNumbersOptedOut(input, ctx) {
      const all = [...state.optedOut.values(scopeOf(ctx))].map((x) => x.phoneNumber);
      const { items, next } = page(all, input.nextToken, (x) => x);
      return { phoneNumbers: items, nextToken: next };
    },

    OptInPhoneNumber(input, ctx) {
      if (!E164.test(input.phoneNumber ?? '')) throw invalidParameter('Invalid parameter: PhoneNumber Reason: input incorrectly formatted');
      state.optedOut.delete(scopeOf(ctx), input.phoneNumber);
      return {};
    },

    GetSMSSandboxAccountStatus() {
      // gureum's accounts have left the sandbox: SMS go to any number (see README).
      return { IsInSandbox: false };
    },

    CreateSMSSandboxPhoneNumber(input, ctx) {
      const scope = scopeOf(ctx);
      const phone = input.PhoneNumber ?? '';
      if (!E164.test(phone) || !phone.startsWith('+')) throw invalidParameter('Invalid parameter: PhoneNumber Reason: input incorrectly formatted');
      const languageCode = input.LanguageCode ?? 'en-US';
      if (!LANGUAGES.has(languageCode)) throw invalidParameter('Invalid parameter: LanguageCode');
      if (state.optedOut.has(scope, phone)) throw new AwsError('OptedOutException', 'Phone number is opted out.', 400);
      const existing = state.sandboxNumbers.get(scope, phone);
      if (!existing && state.sandboxNumbers.count(scope) >= MAX_SANDBOX_NUMBERS) {
        throw new AwsError('UserErrorException', `The SMS sandbox of this account already has ${MAX_SANDBOX_NUMBERS} destination phone numbers.`, 400);
      }
      if (existing?.status === 'Verified') return {};
      // A new one-time password each time; the text message carrying it lands in the outbox.
      const otp = String(randomInt(0, 1_000_000)).padStart(6, '0');
      state.sandboxNumbers.put(scope, phone, { phoneNumber: phone, status: 'Pending', otp, languageCode, createdAt: existing?.createdAt ?? clock.now() });
      delivery.sandboxOtp(phone, otp, scope);
      return {};
    },

    VerifySMSSandboxPhoneNumber(input, ctx) {
      const scope = scopeOf(ctx);
      if (!/^\d{5,8}$/.test(input.OneTimePassword ?? '')) throw invalidParameter('Invalid parameter: OneTimePassword');
      const n = state.sandboxNumbers.get(scope, input.PhoneNumber ?? '');
      if (!n) throw sandboxNumberNotFound();
      if (n.otp !== input.OneTimePassword) {
        throw new AwsError('VerificationException', 'Invalid one-time password (OTP).', 400, { fields: { Status: n.status } });
      }
      if (n.status !== 'Verified') state.sandboxNumbers.put(scope, n.phoneNumber, { ...n, status: 'Verified' });
      return {};
    },

    ListSMSSandboxPhoneNumbers(input, ctx) {
      checkMaxResults(input.MaxResults, 100);
      const all = [...state.sandboxNumbers.values(scopeOf(ctx))];
      const { items, next } = page(all, input.NextToken, (n) => n.phoneNumber, input.MaxResults ?? 100);
      return { PhoneNumbers: items.map((n) => ({ PhoneNumber: n.phoneNumber, Status: n.status })), NextToken: next };
    },

    DeleteSMSSandboxPhoneNumber(input, ctx) {
      if (!state.sandboxNumbers.delete(scopeOf(ctx), input.PhoneNumber ?? '')) throw sandboxNumberNotFound();
      return {};
    },

    ListOriginationNumbers(input) {
      // Origination numbers are bought outside SNS (the console / AWS End User Messaging); an
      // emulated account owns none, so the list is always empty.
      checkMaxResults(input.MaxResults, 30);
      if (input.NextToken) throw invalidParameter('Invalid parameter: NextToken');
      return { PhoneNumbers: [] };
    },
  };
}
