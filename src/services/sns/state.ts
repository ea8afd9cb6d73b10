/**
 * SNS state: topics and subscriptions in scoped tables (the topic's account × region), the
 * signing key (one per data directory), the outbox of captured deliveries, SMS settings.
 * In memory: subscriptions by topic, confirmation tokens, FIFO deduplication windows,
 * pending HTTP retry timers.
 */
import type { ServiceRuntime } from '../service.js';
import type { Scope } from '../../state/store.js';
import type { Timer } from '../../core/clock.js';
import type { RequestLog } from '../../gateway/request-log.js';
import { generateSigningKey, type SigningKey } from './domain/signing.js';

export interface Tag { Key: string; Value: string }

export interface TopicRecord {
  arn: string;
  name: string;
  account: string;
  region: string;
  fifo: boolean;
  /** attributes the user set (computed ones are added on read) */
  attributes: Record<string, string>;
  tags: Tag[];
  /** SubscriptionsDeleted */
  deleted: number;
  /** FIFO SequenceNumber counter */
  seq: number;
  dataProtectionPolicy?: string;
  createdAt: number;
}

export interface SubscriptionRecord {
  arn: string;
  topicArn: string;
  protocol: string;
  endpoint: string;
  owner: string;
  attributes: Record<string, string>;
  pending: boolean;
  authenticated: boolean;
  token: string;
  createdAt: number;
}

/** A mobile push platform application (CreatePlatformApplication). */
export interface PlatformAppRecord {
  arn: string;
  name: string;
  platform: string;
  account: string;
  region: string;
  /** attributes as set; PlatformCredential / PlatformPrincipal are kept but never shown */
  attributes: Record<string, string>;
  createdAt: number;
}

/** A device endpoint of a platform application (CreatePlatformEndpoint). */
export interface EndpointRecord {
  arn: string;
  appArn: string;
  /** Token, Enabled, CustomUserData */
  attributes: Record<string, string>;
  createdAt: number;
}

/** A destination number in the SMS sandbox; `otp` is the last one-time password sent to it. */
export interface SandboxNumberRecord {
  phoneNumber: string;
  status: 'Pending' | 'Verified';
  otp: string;
  languageCode: string;
  createdAt: number;
}

export interface OutboxEntry {
  id: number;
  type: string;
  time: string;
  topicArn?: string;
  subscriptionArn?: string;
  messageId?: string;
  [k: string]: unknown;
}

const GLOBAL: Scope = { account: '', region: '' };
const OUTBOX_LIMIT = 10_000;

export const scopeOfArn = (r: { account: string; region: string }): Scope => ({ account: r.account, region: r.region });

export class SnsState {
  readonly topics;
  readonly subs;
  readonly outboxTable;
  readonly sms;
  readonly optedOut;
  readonly platformApps;
  readonly endpoints;
  readonly sandboxNumbers;
  private readonly signing;
  /** topic ARN → subscription ARNs */
  private readonly byTopic = new Map<string, Set<string>>();
  /** confirmation token → subscription ARN */
  readonly tokens = new Map<string, string>();
  /** FIFO dedup: topic ARN → dedup id → first publish */
  readonly dedup = new Map<string, Map<string, { messageId: string; seq: string; until: number }>>();
  readonly timers = new Set<Timer>();
  private outboxSeq = 0;
  private key: SigningKey | undefined;
  /** the runtime's request log (known after the first request) */
  requestLog: RequestLog | undefined;

  constructor(readonly rt: ServiceRuntime) {
    this.topics = rt.table<TopicRecord>('topics');
    this.subs = rt.table<SubscriptionRecord>('subscriptions');
    this.outboxTable = rt.table<OutboxEntry>('outbox');
    this.sms = rt.table<Record<string, string>>('sms-attributes');
    this.optedOut = rt.table<{ phoneNumber: string; at: number }>('opted-out');
    this.signing = rt.table<SigningKey>('signing');
    this.platformApps = rt.table<PlatformAppRecord>('platform-applications');
    this.endpoints = rt.table<EndpointRecord>('platform-endpoints');
    this.sandboxNumbers = rt.table<SandboxNumberRecord>('sms-sandbox');
    for (const [, m] of this.subs.allScopes()) for (const s of m.values()) this.index(s);
    for (const e of this.outboxTable.values(GLOBAL)) this.outboxSeq = Math.max(this.outboxSeq, e.id);
  }

  stopped = false;

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) t.cancel();
    this.timers.clear();
  }

  // ---- topics

  topic(ref: { account: string; region: string; name: string }): TopicRecord | undefined {
    return this.topics.get(scopeOfArn(ref), ref.name);
  }

  saveTopic(t: TopicRecord): void {
    this.topics.put(scopeOfArn(t), t.name, t);
  }

  deleteTopic(t: TopicRecord): void {
    for (const arn of [...this.subscriptionArns(t.arn)]) {
      const s = this.subs.get(scopeOfArn(t), arn);
      if (s) this.removeSubscription(s, false);
    }
    this.byTopic.delete(t.arn);
    this.dedup.delete(t.arn);
    this.topics.delete(scopeOfArn(t), t.name);
  }

  // ---- subscriptions

  subscriptionArns(topicArn: string): ReadonlySet<string> {
    return this.byTopic.get(topicArn) ?? new Set();
  }

  subscriptionsOf(t: TopicRecord): SubscriptionRecord[] {
    const out: SubscriptionRecord[] = [];
    for (const arn of this.subscriptionArns(t.arn)) {
      const s = this.subs.get(scopeOfArn(t), arn);
      if (s) out.push(s);
    }
    return out;
  }

  subscription(scope: Scope, arn: string): SubscriptionRecord | undefined {
    return this.subs.get(scope, arn);
  }

  saveSubscription(scope: Scope, s: SubscriptionRecord): void {
    this.subs.put(scope, s.arn, s);
    this.index(s);
  }

  removeSubscription(s: SubscriptionRecord, countDeleted = true): void {
    const p = s.arn.split(':');
    const scope = { account: p[4]!, region: p[3]! };
    this.subs.delete(scope, s.arn);
    this.byTopic.get(s.topicArn)?.delete(s.arn);
    this.tokens.delete(s.token);
    if (countDeleted) {
      const t = this.topic({ ...scope, name: p[5]! });
      if (t) {
        t.deleted++;
        this.saveTopic(t);
      }
    }
  }

  private index(s: SubscriptionRecord): void {
    let set = this.byTopic.get(s.topicArn);
    if (!set) this.byTopic.set(s.topicArn, (set = new Set()));
    set.add(s.arn);
    this.tokens.set(s.token, s.arn);
  }

  // ---- signing key (generated on first use, kept with the data)

  signingKey(): SigningKey {
    if (this.key) return this.key;
    let k = this.signing.get(GLOBAL, 'key');
    if (!k) {
      k = generateSigningKey(this.rt.clock.now());
      this.signing.put(GLOBAL, 'key', k);
    }
    return (this.key = k);
  }

  // ---- outbox

  record(entry: Omit<OutboxEntry, 'id' | 'time'>): OutboxEntry {
    const e = { ...entry, id: ++this.outboxSeq, time: new Date(this.rt.clock.now()).toISOString() } as OutboxEntry;
    this.outboxTable.put(GLOBAL, String(e.id).padStart(12, '0'), e);
    const stale = e.id - OUTBOX_LIMIT;
    if (stale > 0) this.outboxTable.delete(GLOBAL, String(stale).padStart(12, '0'));
    this.requestLog?.add({
      time: e.time, requestId: String(e.messageId ?? e.id), service: 'sns', operation: `Deliver.${e.type}`,
      account: e.topicArn?.split(':')[4] ?? '', region: e.topicArn?.split(':')[3] ?? '',
      status: e.status === 'failed' ? 500 : 200, ms: 0, ...(e.status === 'failed' ? { error: 'DeliveryFailed' } : {}),
    });
    return e;
  }

  updateRecord(e: OutboxEntry): void {
    this.outboxTable.put(GLOBAL, String(e.id).padStart(12, '0'), e);
  }

  outbox(type?: string): OutboxEntry[] {
    const all = [...this.outboxTable.values(GLOBAL)];
    return type ? all.filter((e) => e.type === type || (type === 'email' && e.type === 'email-json') || (type === 'http' && e.type === 'https')) : all;
  }

  clearOutbox(): void {
    for (const [k] of [...this.outboxTable.entries(GLOBAL)]) this.outboxTable.delete(GLOBAL, k);
  }
}
