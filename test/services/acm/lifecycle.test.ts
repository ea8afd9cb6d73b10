// covers: acm.ImportCertificate acm.RequestCertificate acm.DescribeCertificate acm.ListCertificates acm.ExportCertificate acm.RevokeCertificate acm.UpdateCertificateOptions acm.PutAccountConfiguration events.PutRule events.PutTargets
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  ACMClient, DescribeCertificateCommand, ExportCertificateCommand, ImportCertificateCommand, ListCertificatesCommand, PutAccountConfigurationCommand,
  RequestCertificateCommand, RevokeCertificateCommand, UpdateCertificateOptionsCommand,
} from '@aws-sdk/client-acm';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { buildCertificate, keyIdentifier, OID } from '../../../src/services/acm/domain/x509.js';
import { clientConfig, drainQueue, failure, useGureum } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true });
const T0 = Date.parse('2026-09-01T00:00:00Z');
const DAY = 86_400_000;
const PCA = 'arn:aws:acm-pca:us-east-1:000000000000:certificate-authority/12345678-1234-1234-1234-123456789012';
const acm = () => new ACMClient(clientConfig(ctx.g));
const describeCert = async (arn: string) => (await acm().send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate!;

/** A self-signed certificate valid from now for `days` (fixture for ImportCertificate). */
function selfSigned(cn: string, days: number) {
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const name: [string, string][] = [[OID.CN, cn]];
  const now = ctx.g.clock.now().getTime();
  const pem = buildCertificate({
    subject: name, issuer: name, serial: Buffer.from([0x11]), notBefore: now - DAY, notAfter: now + days * DAY, publicKey: key.publicKey,
    signingKey: key.privateKey, ca: false, keyUsage: ['DIGITAL_SIGNATURE'], dnsNames: [cn], authorityKeyId: keyIdentifier(key.publicKey),
  });
  return { Certificate: Buffer.from(pem), PrivateKey: Buffer.from((key.privateKey as KeyObject).export({ type: 'pkcs8', format: 'pem' }).toString()) };
}

interface ExpiryEvent { source: string; 'detail-type': string; time: string; resources: string[]; detail: { DaysToExpiry: number; CommonName: string } }
let queue: string;
const expiryEvents = async () => (await drainQueue(ctx.g, queue)).map((m) => JSON.parse(m.Body!) as ExpiryEvent);

beforeAll(async () => {
  ctx.g.clock.set(T0);
  const sqs = new SQSClient(clientConfig(ctx.g));
  queue = (await sqs.send(new CreateQueueCommand({ QueueName: 'acm-expiry' }))).QueueUrl!;
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const eb = new EventBridgeClient(clientConfig(ctx.g));
  await eb.send(new PutRuleCommand({ Name: 'acm-expiry', EventPattern: JSON.stringify({ source: ['aws.acm'], 'detail-type': ['ACM Certificate Approaching Expiration'] }) }));
  await eb.send(new PutTargetsCommand({ Rule: 'acm-expiry', Targets: [{ Id: 'q', Arn: arn }] }));
});

describe('expiry on the clock', () => {
  test('"ACM Certificate Approaching Expiration" daily from 45 days before NotAfter, then EXPIRED', async () => {
    const { CertificateArn: arn } = await acm().send(new ImportCertificateCommand(selfSigned('expiring.example.com', 50)));
    const notAfter = (await describeCert(arn!)).NotAfter!.getTime();
    ctx.g.clock.advance(notAfter - 45 * DAY - ctx.g.clock.now().getTime() - 1000);
    expect(await expiryEvents()).toEqual([]);
    ctx.g.clock.advance(1000);
    const first = await expiryEvents();
    expect(first).toEqual([expect.objectContaining({
      source: 'aws.acm', 'detail-type': 'ACM Certificate Approaching Expiration', resources: [arn], detail: { DaysToExpiry: 45, CommonName: 'expiring.example.com' },
    })]);
    expect(Date.parse(first[0]!.time)).toBe(notAfter - 45 * DAY);
    ctx.g.clock.advance(DAY);
    expect((await expiryEvents()).map((e) => e.detail.DaysToExpiry)).toEqual([44]);
    // (in steps: the queue keeps messages for 4 days of virtual time)
    const days: number[] = [];
    for (let i = 0; i < 43; i += 3) {
      ctx.g.clock.advance(Math.min(3, 43 - i) * DAY);
      days.push(...(await expiryEvents()).map((e) => e.detail.DaysToExpiry));
    }
    expect(days).toEqual(Array.from({ length: 43 }, (_, i) => 43 - i));
    ctx.g.clock.advance(DAY + 1000);
    expect(await expiryEvents()).toEqual([]);
    expect((await describeCert(arn!)).Status).toBe('EXPIRED');
    expect((await acm().send(new ListCertificatesCommand({ CertificateStatuses: ['EXPIRED'] }))).CertificateSummaryList!.map((c) => c.CertificateArn)).toContain(arn);
  });

  test('PutAccountConfiguration DaysBeforeExpiry moves the first event', async () => {
    await acm().send(new PutAccountConfigurationCommand({ IdempotencyToken: 'cfg1', ExpiryEvents: { DaysBeforeExpiry: 10 } }));
    const { CertificateArn: arn } = await acm().send(new ImportCertificateCommand(selfSigned('ten.example.com', 30)));
    const notAfter = (await describeCert(arn!)).NotAfter!.getTime();
    ctx.g.clock.advance(notAfter - 11 * DAY - ctx.g.clock.now().getTime());
    expect(await expiryEvents()).toEqual([]);
    ctx.g.clock.advance(DAY);
    expect((await expiryEvents()).map((e) => [e.detail.CommonName, e.detail.DaysToExpiry])).toEqual([['ten.example.com', 10]]);
    await acm().send(new PutAccountConfigurationCommand({ IdempotencyToken: 'cfg2', ExpiryEvents: { DaysBeforeExpiry: 45 } }));
  });

  test('managed renewal: an eligible (private) certificate is renewed 60 days before NotAfter and sends no expiry event', async () => {
    const { CertificateArn: arn } = await acm().send(new RequestCertificateCommand({ DomainName: 'svc.internal.example', CertificateAuthorityArn: PCA }));
    const before = await describeCert(arn!);
    expect(before).toMatchObject({ Status: 'ISSUED', RenewalEligibility: 'ELIGIBLE' });
    const renewAt = before.NotAfter!.getTime() - 60 * DAY;
    ctx.g.clock.advance(renewAt - ctx.g.clock.now().getTime());
    const after = await describeCert(arn!);
    expect(after.Serial).not.toBe(before.Serial);
    expect(after.NotBefore!.getTime()).toBe(Math.floor(renewAt / 1000) * 1000);
    expect(after.RenewalSummary).toMatchObject({ RenewalStatus: 'SUCCESS', UpdatedAt: new Date(renewAt) });
    expect(after.Status).toBe('ISSUED');
    expect((await expiryEvents()).filter((e) => e.resources[0] === arn)).toEqual([]);
  });
});

describe('RevokeCertificate and UpdateCertificateOptions', () => {
  test('only an exported certificate can be revoked; it is REVOKED for good', async () => {
    const { CertificateArn: arn } = await acm().send(new RequestCertificateCommand({ DomainName: 'revoke.internal.example', CertificateAuthorityArn: PCA }));
    expect((await failure(acm().send(new RevokeCertificateCommand({ CertificateArn: arn, RevocationReason: 'KEY_COMPROMISE' })))).name).toBe('ValidationException');
    await acm().send(new ExportCertificateCommand({ CertificateArn: arn, Passphrase: Buffer.from('secret-pass') }));
    // not a RevocationReason on purpose: the service must reject it
    expect((await failure(acm().send(new RevokeCertificateCommand({ CertificateArn: arn, RevocationReason: 'BECAUSE' as never })))).name).toBe('ValidationException');
    expect(await acm().send(new RevokeCertificateCommand({ CertificateArn: arn, RevocationReason: 'KEY_COMPROMISE' }))).toMatchObject({ CertificateArn: arn });
    const d = await describeCert(arn!);
    expect(d).toMatchObject({ Status: 'REVOKED', RevocationReason: 'KEY_COMPROMISE', RevokedAt: ctx.g.clock.now(), RenewalEligibility: 'INELIGIBLE' });
    expect((await failure(acm().send(new RevokeCertificateCommand({ CertificateArn: arn, RevocationReason: 'UNSPECIFIED' })))).name).toBe('ConflictException');
    expect((await acm().send(new ListCertificatesCommand({ CertificateStatuses: ['REVOKED'] }))).CertificateSummaryList!.map((c) => c.CertificateArn)).toEqual([arn]);
  });

  test('UpdateCertificateOptions: transparency logging and validation method; not for imported certificates; Export is fixed', async () => {
    const { CertificateArn: arn } = await acm().send(new RequestCertificateCommand({ DomainName: 'opts.example.com', ValidationMethod: 'EMAIL' }));
    await acm().send(new UpdateCertificateOptionsCommand({ CertificateArn: arn, Options: { CertificateTransparencyLoggingPreference: 'DISABLED', ValidationMethod: 'DNS' } }));
    ctx.g.clock.advance(10_000);
    const d = await describeCert(arn!);
    expect(d.Options).toMatchObject({ CertificateTransparencyLoggingPreference: 'DISABLED' });
    expect(d.DomainValidationOptions![0]).toMatchObject({ ValidationMethod: 'DNS', ResourceRecord: expect.objectContaining({ Type: 'CNAME' }) });
    expect((await failure(acm().send(new UpdateCertificateOptionsCommand({ CertificateArn: arn, Options: { Export: 'ENABLED' } })))).name).toBe('ValidationException');
    const imported = (await acm().send(new ImportCertificateCommand(selfSigned('imp.example.com', 100)))).CertificateArn!;
    expect((await failure(acm().send(new UpdateCertificateOptionsCommand({ CertificateArn: imported, Options: { CertificateTransparencyLoggingPreference: 'ENABLED' } })))).name)
      .toBe('InvalidStateException');
  });
});
