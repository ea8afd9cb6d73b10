/**
 * ACM state: certificates per account × region, idempotency tokens, account configuration and
 * the local CA (one per data directory). Status changes on the virtual clock are applied when a
 * certificate is next read (issuance of a pending certificate once `issueAt` has passed, EXPIRED
 * after NotAfter), so they are deterministic and survive a restart without timers.
 */
import type { ServiceRuntime } from '../service.js';
import type { Scope, Table } from '../../state/store.js';
import { createCa, issue, type CaMaterial } from './domain/ca.js';
import { inspect, pemBlocks } from './domain/x509.js';
import { checkArn, notFound, type CertRecord } from './domain/model.js';

const GLOBAL: Scope = { account: '', region: '' };

export interface TokenRecord { arn: string; at: number }

export class AcmState {
  readonly certs: Table<CertRecord>;
  readonly tokens: Table<TokenRecord>;
  readonly config: Table<{ daysBeforeExpiry: number }>;
  private readonly caTable: Table<CaMaterial>;
  private caCache: CaMaterial | undefined;

  constructor(readonly rt: ServiceRuntime) {
    this.certs = rt.table('certificates');
    this.tokens = rt.table('tokens');
    this.config = rt.table('config');
    this.caTable = rt.table('ca');
  }

  now(): number {
    return this.rt.clock.now();
  }

  ca(): CaMaterial {
    if (this.caCache) return this.caCache;
    let ca = this.caTable.get(GLOBAL, 'local');
    if (!ca) {
      ca = createCa(this.now());
      this.caTable.put(GLOBAL, 'local', ca);
    }
    return (this.caCache = ca);
  }

  /** The certificate of `arn` (validated), brought up to date with the clock, or ResourceNotFoundException. */
  get(scope: Scope, arn: string | undefined): CertRecord {
    const a = checkArn(arn);
    const id = a.slice(a.lastIndexOf('/') + 1);
    const rec = this.certs.get(scope, id);
    if (!rec || rec.arn !== a) throw notFound(a);
    return this.refresh(scope, rec);
  }

  all(scope: Scope): CertRecord[] {
    return [...this.certs.values(scope)].map((c) => this.refresh(scope, c));
  }

  save(scope: Scope, rec: CertRecord): void {
    this.certs.put(scope, rec.arn.slice(rec.arn.lastIndexOf('/') + 1), rec);
  }

  /** Apply what the clock says has happened: issuance after validation, expiry. */
  refresh(scope: Scope, rec: CertRecord): CertRecord {
    const now = this.now();
    let changed = false;
    if (rec.status === 'PENDING_VALIDATION' && rec.issueAt !== undefined && now >= rec.issueAt) {
      this.issueNow(rec, rec.issueAt);
      changed = true;
    }
    if (rec.status === 'ISSUED' && rec.notAfter !== undefined && now > rec.notAfter) {
      rec.status = 'EXPIRED';
      changed = true;
    }
    if (changed) this.save(scope, rec);
    return rec;
  }

  /** Generate the key pair and certificate of `rec` from the local CA, valid from `at`. */
  issueNow(rec: CertRecord, at: number): void {
    const out = issue(this.ca(), rec.keyAlgorithm, [rec.domainName, ...rec.sans.filter((d) => d !== rec.domainName)], at);
    const info = inspect(pemBlocks(out.certificatePem)[0]!.der);
    Object.assign(rec, {
      status: 'ISSUED',
      issuedAt: at,
      certificatePem: out.certificatePem,
      chainPem: out.chainPem,
      privateKeyPem: out.privateKeyPem,
      subject: info.subject,
      issuer: info.issuer,
      serial: info.serial,
      notBefore: info.notBefore,
      notAfter: info.notAfter,
      signatureAlgorithm: info.signatureAlgorithm,
      keyUsages: info.keyUsages,
      extendedKeyUsages: info.extendedKeyUsages,
    });
    delete rec.issueAt;
  }

  daysBeforeExpiry(scope: Scope): number {
    return this.config.get(scope, 'account')?.daysBeforeExpiry ?? 45;
  }
}
