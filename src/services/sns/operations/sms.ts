/** SMS settings and opt-outs: Get/SetSMSAttributes, CheckIfPhoneNumberIsOptedOut, ListPhoneNumbersOptedOut, OptInPhoneNumber, sandbox status. */
import { scopeOf } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import type { SnsState } from '../state.js';
import { invalidParameter } from '../domain/errors.js';
import { page } from './paging.js';

const SMS_ATTRIBUTES = new Set(['MonthlySpendLimit', 'DeliveryStatusIAMRole', 'DeliveryStatusSuccessSamplingRate', 'DefaultSenderID', 'DefaultSMSType', 'UsageReportS3Bucket']);
const E164 = /^\+?[1-9]\d{1,14}$/;

export function smsHandlers(state: SnsState): T.SNSHandlers {
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
      return { IsInSandbox: false };
    },
  };
}
