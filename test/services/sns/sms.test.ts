// covers: sns.Publish sns.SetSMSAttributes sns.GetSMSAttributes sns.CheckIfPhoneNumberIsOptedOut sns.ListPhoneNumbersOptedOut sns.OptInPhoneNumber sns.CreateSMSSandboxPhoneNumber sns.VerifySMSSandboxPhoneNumber sns.ListSMSSandboxPhoneNumbers sns.DeleteSMSSandboxPhoneNumber sns.GetSMSSandboxAccountStatus sns.ListOriginationNumbers
/** SMS: direct publishes with SMS attributes, opt-outs, the SMS sandbox's numbers and one-time passwords. */
import { describe, expect, it } from 'vitest';
import {
  SNSClient, PublishCommand, SetSMSAttributesCommand, GetSMSAttributesCommand, CheckIfPhoneNumberIsOptedOutCommand, ListPhoneNumbersOptedOutCommand,
  OptInPhoneNumberCommand, CreateSMSSandboxPhoneNumberCommand, VerifySMSSandboxPhoneNumberCommand, ListSMSSandboxPhoneNumbersCommand,
  DeleteSMSSandboxPhoneNumberCommand, GetSMSSandboxAccountStatusCommand, ListOriginationNumbersCommand,
} from '@aws-sdk/client-sns';
import { awsCli, clientConfig, failure, HAS_AWS_CLI, raw, useGureum } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true });
const sns = () => new SNSClient(clientConfig(ctx.g));

async function texts(phoneNumber: string): Promise<Record<string, unknown>[]> {
  const all = JSON.parse((await raw(ctx.g, '/_gureum/sns/messages?type=sms')).text).messages as Record<string, unknown>[];
  return all.filter((m) => m.phoneNumber === phoneNumber);
}
const optOut = (phoneNumber: string) => raw(ctx.g, '/_gureum/sns/opt-out', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phoneNumber }) });

describe('SMS publishing', () => {
  it('delivers to a phone number with SNS\'s SMS attributes; not to an opted-out number', async () => {
    const { MessageId } = await sns().send(new PublishCommand({
      PhoneNumber: '+15555550100', Message: 'Your code is 1234',
      MessageAttributes: {
        'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
        'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'MyApp' },
      },
    }));
    const [sms] = await texts('+15555550100');
    expect(sms).toMatchObject({ messageId: MessageId, message: 'Your code is 1234', messageAttributes: { 'AWS.SNS.SMS.SMSType': { Type: 'String', Value: 'Transactional' } } });
    expect((await failure(sns().send(new PublishCommand({ PhoneNumber: '+15555550100', Message: 'x', MessageAttributes: { 'AWS.Other': { DataType: 'String', StringValue: 'v' } } })))).name)
      .toBe('InvalidParameterValueException');
    await optOut('+15555550101');
    expect((await sns().send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: '+15555550101' }))).isOptedOut).toBe(true);
    expect((await sns().send(new ListPhoneNumbersOptedOutCommand({}))).phoneNumbers).toContain('+15555550101');
    await sns().send(new PublishCommand({ PhoneNumber: '+15555550101', Message: 'dropped' }));
    expect(await texts('+15555550101')).toEqual([]);
    await sns().send(new OptInPhoneNumberCommand({ phoneNumber: '+15555550101' }));
    expect((await sns().send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: '+15555550101' }))).isOptedOut).toBe(false);
    await sns().send(new PublishCommand({ PhoneNumber: '+15555550101', Message: 'arrives' }));
    expect((await texts('+15555550101')).map((m) => m.message)).toEqual(['arrives']);
  });

  it('stores and validates the account\'s SMS attributes', async () => {
    await sns().send(new SetSMSAttributesCommand({ attributes: { DefaultSMSType: 'Transactional', DefaultSenderID: 'Gureum', MonthlySpendLimit: '5' } }));
    expect((await sns().send(new GetSMSAttributesCommand({ attributes: ['DefaultSMSType', 'MonthlySpendLimit'] }))).attributes).toEqual({ DefaultSMSType: 'Transactional', MonthlySpendLimit: '5' });
    expect((await failure(sns().send(new SetSMSAttributesCommand({ attributes: { DefaultSMSType: 'Urgent' } })))).name).toBe('InvalidParameterException');
  });
});

describe('SMS sandbox', () => {
  it('adds a number, texts it a one-time password, verifies it, lists and deletes it', async () => {
    expect((await sns().send(new GetSMSSandboxAccountStatusCommand({}))).IsInSandbox).toBe(false);
    await sns().send(new CreateSMSSandboxPhoneNumberCommand({ PhoneNumber: '+15555550123', LanguageCode: 'en-US' }));
    expect((await sns().send(new ListSMSSandboxPhoneNumbersCommand({}))).PhoneNumbers).toEqual([{ PhoneNumber: '+15555550123', Status: 'Pending' }]);
    const [text] = await texts('+15555550123');
    const otp = text!.otp as string;
    expect(otp).toMatch(/^\d{6}$/);
    expect(text!.message).toContain(otp);
    const wrong = otp === '000000' ? '111111' : '000000';
    expect(await failure(sns().send(new VerifySMSSandboxPhoneNumberCommand({ PhoneNumber: '+15555550123', OneTimePassword: wrong })))).toMatchObject({ name: 'VerificationException', status: 400 });
    await sns().send(new VerifySMSSandboxPhoneNumberCommand({ PhoneNumber: '+15555550123', OneTimePassword: otp }));
    expect((await sns().send(new ListSMSSandboxPhoneNumbersCommand({}))).PhoneNumbers).toEqual([{ PhoneNumber: '+15555550123', Status: 'Verified' }]);
    expect((await failure(sns().send(new VerifySMSSandboxPhoneNumberCommand({ PhoneNumber: '+15555550199', OneTimePassword: '123456' })))).name).toBe('ResourceNotFoundException');
    await sns().send(new DeleteSMSSandboxPhoneNumberCommand({ PhoneNumber: '+15555550123' }));
    expect((await sns().send(new ListSMSSandboxPhoneNumbersCommand({}))).PhoneNumbers).toEqual([]);
    expect(await failure(sns().send(new DeleteSMSSandboxPhoneNumberCommand({ PhoneNumber: '+15555550123' })))).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
  });

  it('sends a new password on each Create, refuses opted-out and malformed numbers, caps at 10, pages', async () => {
    await sns().send(new CreateSMSSandboxPhoneNumberCommand({ PhoneNumber: '+15555550130' }));
    await sns().send(new CreateSMSSandboxPhoneNumberCommand({ PhoneNumber: '+15555550130' }));
    const sent = (await texts('+15555550130')).map((m) => m.otp as string);
    expect(sent).toHaveLength(2);
    await sns().send(new VerifySMSSandboxPhoneNumberCommand({ PhoneNumber: '+15555550130', OneTimePassword: sent[1]! }));
    expect((await failure(sns().send(new CreateSMSSandboxPhoneNumberCommand({ PhoneNumber: '555' })))).name).toBe('InvalidParameterException');
    await optOut('+15555550131');
    expect(await failure(sns().send(new CreateSMSSandboxPhoneNumberCommand({ PhoneNumber: '+15555550131' })))).toMatchObject({ name: 'OptedOutException', status: 400 });
    for (let i = 0; i < 9; i++) await sns().send(new CreateSMSSandboxPhoneNumberCommand({ PhoneNumber: `+1555555014${i}` }));
    expect((await failure(sns().send(new CreateSMSSandboxPhoneNumberCommand({ PhoneNumber: '+15555550160' })))).name).toBe('UserErrorException');
    const p1 = await sns().send(new ListSMSSandboxPhoneNumbersCommand({ MaxResults: 4 }));
    expect(p1.PhoneNumbers).toHaveLength(4);
    const p2 = await sns().send(new ListSMSSandboxPhoneNumbersCommand({ MaxResults: 100, NextToken: p1.NextToken }));
    expect([...p1.PhoneNumbers!, ...p2.PhoneNumbers!].map((n) => n.PhoneNumber)).toHaveLength(10);
    expect(p2.NextToken).toBeUndefined();
  });

  it('ListOriginationNumbers: an emulated account owns none', async () => {
    expect((await sns().send(new ListOriginationNumbersCommand({ MaxResults: 30 }))).PhoneNumbers).toEqual([]);
    expect((await failure(sns().send(new ListOriginationNumbersCommand({ MaxResults: 31 })))).name).toBe('InvalidParameterException');
  });
});

describe.skipIf(!HAS_AWS_CLI)('AWS CLI', () => {
  it('create-sms-sandbox-phone-number and list-sms-sandbox-phone-numbers', async () => {
    // eu-west-1: each region has its own sandbox (us-east-1's is full after the tests above).
    const created = await awsCli(ctx.g, ['sns', 'create-sms-sandbox-phone-number', '--phone-number', '+15555550170', '--region', 'eu-west-1']);
    expect(created.status, created.stderr).toBe(0);
    const listed = await awsCli(ctx.g, ['sns', 'list-sms-sandbox-phone-numbers', '--region', 'eu-west-1']);
    expect(listed.status, listed.stderr).toBe(0);
    expect((listed.json as { PhoneNumbers: unknown[] }).PhoneNumbers).toEqual([{ PhoneNumber: '+15555550170', Status: 'Pending' }]);
  });
});
