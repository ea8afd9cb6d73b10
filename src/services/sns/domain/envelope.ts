/** The JSON documents SNS delivers: notifications and (un)subscribe confirmations, signed. */
import type { MessageAttributeValue } from '../generated/types.js';
import { signMessage, type SigningKey } from './signing.js';

export const CERT_PATH = '/_gureum/sns/SimpleNotificationService.pem';
export const SNS_VERSION = '2010-03-31';

export interface EnvelopeInput {
  type: 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
  messageId: string;
  topicArn: string;
  message: string;
  timestamp: string;
  subject?: string;
  sequenceNumber?: string;
  token?: string;
  subscriptionArn?: string;
  attributes?: Record<string, MessageAttributeValue>;
  signatureVersion: string;
  baseUrl: string;
}

export const subscribeUrl = (base: string, topicArn: string, token: string) =>
  `${base}/?Action=ConfirmSubscription&Version=${SNS_VERSION}&TopicArn=${encodeURIComponent(topicArn)}&Token=${token}`;
export const unsubscribeUrl = (base: string, subscriptionArn: string) =>
  `${base}/?Action=Unsubscribe&Version=${SNS_VERSION}&SubscriptionArn=${encodeURIComponent(subscriptionArn)}`;

/** Message attributes as notifications carry them: {"name": {"Type": "String", "Value": "v"}} (binary in base64). */
export function envelopeAttributes(attrs: Record<string, MessageAttributeValue> | undefined): Record<string, { Type: string; Value: string }> | undefined {
  if (!attrs || !Object.keys(attrs).length) return undefined;
  const out: Record<string, { Type: string; Value: string }> = {};
  for (const [k, v] of Object.entries(attrs)) {
    out[k] = { Type: v.DataType, Value: v.DataType.startsWith('Binary') ? Buffer.from(v.BinaryValue ?? new Uint8Array()).toString('base64') : (v.StringValue ?? '') };
  }
  return out;
}

/** The document, fields in AWS's order, signed over AWS's canonical string. */
export function buildEnvelope(e: EnvelopeInput, key: SigningKey): Record<string, unknown> {
  const doc: Record<string, unknown> = { Type: e.type, MessageId: e.messageId };
  if (e.token) doc.Token = e.token;
  if (e.sequenceNumber) doc.SequenceNumber = e.sequenceNumber;
  doc.TopicArn = e.topicArn;
  if (e.subject !== undefined && e.type === 'Notification') doc.Subject = e.subject;
  doc.Message = e.message;
  if (e.token) doc.SubscribeURL = subscribeUrl(e.baseUrl, e.topicArn, e.token);
  doc.Timestamp = e.timestamp;
  doc.SignatureVersion = e.signatureVersion;
  doc.Signature = signMessage(key, doc, e.signatureVersion);
  doc.SigningCertURL = e.baseUrl + CERT_PATH;
  if (e.type === 'Notification' && e.subscriptionArn) doc.UnsubscribeURL = unsubscribeUrl(e.baseUrl, e.subscriptionArn);
  const attrs = e.type === 'Notification' ? envelopeAttributes(e.attributes) : undefined;
  if (attrs) doc.MessageAttributes = attrs;
  return doc;
}

/** AWS's layout: one `"Key" : value` per line, two-space indent. */
export function envelopeText(doc: Record<string, unknown>): string {
  const lines = Object.entries(doc).map(([k, v]) => {
    if (k === 'MessageAttributes' && v && typeof v === 'object') {
      const inner = Object.entries(v as Record<string, unknown>).map(([n, a]) => `    ${JSON.stringify(n)} : ${JSON.stringify(a)}`);
      return `  "MessageAttributes" : {\n${inner.join(',\n')}\n  }`;
    }
    return `  ${JSON.stringify(k)} : ${JSON.stringify(v)}`;
  });
  return `{\n${lines.join(',\n')}\n}`;
}
