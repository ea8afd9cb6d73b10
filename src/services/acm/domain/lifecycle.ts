/**
 * A certificate's life on the virtual clock, with one timer per certificate for its next step:
 *
 * - issuance once validation completes (pending certificates, see AcmState.refresh);
 * - managed renewal: an ISSUED certificate ACM issued (AMAZON_ISSUED, PRIVATE) that is eligible
 *   for renewal is renewed RENEWAL_WINDOW (60 days) before NotAfter — a new key and certificate
 *   valid from then, RenewalSummary SUCCESS;
 * - "ACM Certificate Approaching Expiration" events to EventBridge, once a day from
 *   DaysBeforeExpiry (account configuration, default 45) days before NotAfter until it passes,
 *   for every ISSUED certificate (imported ones too), with DaysToExpiry and CommonName;
 * - EXPIRED once NotAfter has passed.
 *
 * Timers are re-armed from state when the service starts; what came due while gureum was stopped
 * happens on the first firing (one expiry event for the current day, not one per missed day).
 */
import type { Scope } from '../../../state/store.js';
import type { Timer } from '../../../core/clock.js';
import type { AcmState } from '../state.js';
import { DAY, RENEWAL_WINDOW, type CertRecord } from './model.js';

const idOf = (rec: CertRecord) => rec.arn.slice(rec.arn.lastIndexOf('/') + 1);

export function renewalEligibility(rec: CertRecord): string {
  if (rec.type === 'IMPORTED' || rec.status !== 'ISSUED') return 'INELIGIBLE';
  if (rec.type === 'PRIVATE') return 'ELIGIBLE';
  return rec.inUseBy.length > 0 || rec.exported || rec.options.Export === 'ENABLED' ? 'ELIGIBLE' : 'INELIGIBLE';
}

export class CertificateClock {
  private readonly timers = new Map<string, Timer>();

  constructor(private readonly st: AcmState) {}

  /** (Re)arm the timer of one certificate for its next step. */
  arm(scope: Scope, rec: CertRecord): void {
    const key = `${scope.account}/${scope.region}/${idOf(rec)}`;
    this.timers.get(key)?.cancel();
    this.timers.delete(key);
    const at = this.nextStep(scope, rec);
    if (at === undefined) return;
    this.timers.set(key, this.st.rt.clock.at(Math.max(at, this.st.now()), () => {
      this.timers.delete(key);
      this.step(scope, idOf(rec));
    }));
  }

  armAll(scope?: Scope): void {
    for (const [sc, m] of this.st.certs.allScopes()) {
      if (scope && (sc.account !== scope.account || sc.region !== scope.region)) continue;
      for (const rec of m.values()) this.arm(sc, rec);
    }
  }

  forgetArn(scope: Scope, arn: string): void {
    const key = `${scope.account}/${scope.region}/${arn.slice(arn.lastIndexOf('/') + 1)}`;
    this.timers.get(key)?.cancel();
    this.timers.delete(key);
  }

  stop(): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }

  /** When this certificate next needs attention (undefined: never). */
  private nextStep(scope: Scope, rec: CertRecord): number | undefined {
    if (rec.status === 'PENDING_VALIDATION') return rec.issueAt;
    if (rec.status !== 'ISSUED' || rec.notAfter === undefined) return undefined;
    const times = [rec.notAfter + 1];
    if (rec.type !== 'IMPORTED' && renewalEligibility(rec) === 'ELIGIBLE') times.push(rec.notAfter - RENEWAL_WINDOW);
    const start = rec.notAfter - this.st.daysBeforeExpiry(scope) * DAY;
    const nextEvent = rec.expiryEventAt === undefined ? start : Math.max(start, rec.expiryEventAt + DAY);
    if (nextEvent < rec.notAfter) times.push(nextEvent);
    return Math.min(...times);
  }

  private step(scope: Scope, id: string): void {
    const stored = this.st.certs.get(scope, id);
    if (!stored) return;
    const rec = this.st.refresh(scope, stored); // issuance, expiry
    const now = this.st.now();
    if (rec.status === 'ISSUED' && rec.notAfter !== undefined) {
      if (rec.type !== 'IMPORTED' && renewalEligibility(rec) === 'ELIGIBLE' && now >= rec.notAfter - RENEWAL_WINDOW) {
        this.st.issueNow(rec, now);
        rec.renewal = { status: 'SUCCESS', updatedAt: now };
        delete rec.expiryEventAt;
        this.st.save(scope, rec);
      }
      const start = rec.notAfter - this.st.daysBeforeExpiry(scope) * DAY;
      const due = rec.expiryEventAt === undefined || now >= rec.expiryEventAt + DAY;
      if (now >= start && now < rec.notAfter && due) {
        rec.expiryEventAt = now;
        this.st.save(scope, rec);
        this.expiryEvent(scope, rec, now);
      }
    }
    this.arm(scope, rec);
  }

  private expiryEvent(scope: Scope, rec: CertRecord, now: number): void {
    const detail = { DaysToExpiry: Math.ceil((rec.notAfter! - now) / DAY), CommonName: rec.domainName };
    this.st.rt.call('events', 'PutEvents', {
      Entries: [{ Source: 'aws.acm', DetailType: 'ACM Certificate Approaching Expiration', Detail: JSON.stringify(detail), Resources: [rec.arn], Time: new Date(now) }],
    }, scope).catch(() => { /* best effort, as AWS's events */ });
  }
}
