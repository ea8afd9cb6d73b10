// covers: iam.UploadServerCertificate iam.GetServerCertificate iam.ListServerCertificates iam.UpdateServerCertificate iam.DeleteServerCertificate iam.TagServerCertificate iam.UntagServerCertificate iam.ListServerCertificateTags iam.UploadSigningCertificate iam.ListSigningCertificates iam.UpdateSigningCertificate iam.DeleteSigningCertificate iam.GetAccountSummary iam.GenerateCredentialReport iam.GetCredentialReport iam.CreateUser iam.DeleteUser iam.CreateAccessKey
/**
 * Server certificates (PEM parsed with X509Certificate, the key must match, chains in order,
 * Expiration from the certificate) and users' signing certificates, through SDK v3 and the CLI.
 */
import { describe, test, expect, beforeAll } from 'vitest';
import { X509Certificate } from 'node:crypto';
import {
  IAMClient, UploadServerCertificateCommand, GetServerCertificateCommand, ListServerCertificatesCommand, UpdateServerCertificateCommand,
  DeleteServerCertificateCommand, TagServerCertificateCommand, UntagServerCertificateCommand, ListServerCertificateTagsCommand,
  UploadSigningCertificateCommand, ListSigningCertificatesCommand, UpdateSigningCertificateCommand, DeleteSigningCertificateCommand,
  GetAccountSummaryCommand, GenerateCredentialReportCommand, GetCredentialReportCommand, CreateUserCommand, DeleteUserCommand, CreateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { useGureum, clientConfig, failure, awsCli, HAS_AWS_CLI } from '../../helpers.js';
import { issue, type Issued } from './cert-fixtures.js';

const ACCOUNT = '000000000000';
const ctx = useGureum({ freezeClock: true });
const iam = (credentials?: { accessKeyId: string; secretAccessKey: string }) => new IAMClient(clientConfig(ctx.g, credentials ? { credentials } : {}));
const DAY = 86_400_000;

let root: Issued;
let inter: Issued;
let leaf: Issued;
let other: Issued;
let notAfter: number;

beforeAll(() => {
  const now = ctx.g.clock.now().getTime();
  notAfter = Math.floor((now + 90 * DAY) / 1000) * 1000;
  root = issue('Test Root CA', { notBefore: now - DAY, notAfter: now + 3650 * DAY });
  inter = issue('Test Intermediate', { issuer: root, notBefore: now - DAY, notAfter: now + 1000 * DAY });
  leaf = issue('www.example.com', { issuer: inter, notBefore: now - DAY, notAfter });
  other = issue('other.example.com', { notBefore: now - DAY, notAfter: now + 30 * DAY });
});

describe('server certificates', () => {
  test('UploadServerCertificate: metadata with the ARN, an ASCA id and Expiration from the certificate', async () => {
    const out = await iam().send(new UploadServerCertificateCommand({
      ServerCertificateName: 'www', Path: '/cloudfront/', CertificateBody: leaf.pem, PrivateKey: leaf.keyPem,
      CertificateChain: inter.pem + root.pem, Tags: [{ Key: 'env', Value: 'prod' }],
    }));
    const m = out.ServerCertificateMetadata!;
    expect(m).toMatchObject({ ServerCertificateName: 'www', Path: '/cloudfront/', Arn: `arn:aws:iam::${ACCOUNT}:server-certificate/cloudfront/www` });
    expect(m.ServerCertificateId).toMatch(/^ASCA[A-Z2-7]{17}$/);
    expect(m.Expiration).toEqual(new Date(notAfter));
    expect(m.UploadDate).toEqual(new Date(Math.floor(ctx.g.clock.now().getTime() / 1000) * 1000));
    expect(out.Tags).toEqual([{ Key: 'env', Value: 'prod' }]);

    const got = (await iam().send(new GetServerCertificateCommand({ ServerCertificateName: 'www' }))).ServerCertificate!;
    expect(got.ServerCertificateMetadata).toEqual(m);
    expect(new X509Certificate(got.CertificateBody!).subject).toBe('CN=www.example.com');
    expect(got.CertificateChain!.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    expect(JSON.stringify(got)).not.toContain('PRIVATE KEY');
  });

  test('bad input: unparsable body, a key of another certificate, a chain out of order, a duplicate name', async () => {
    const bad = await failure(iam().send(new UploadServerCertificateCommand({ ServerCertificateName: 'x', CertificateBody: 'not a certificate', PrivateKey: leaf.keyPem })));
    expect(bad).toMatchObject({ name: 'MalformedCertificateException', status: 400, message: 'Unable to parse certificate. Please ensure the certificate is in PEM format.' });
    const mismatch = await failure(iam().send(new UploadServerCertificateCommand({ ServerCertificateName: 'x', CertificateBody: leaf.pem, PrivateKey: other.keyPem })));
    expect(mismatch).toMatchObject({ name: 'KeyPairMismatchException', status: 400 });
    const wrongOrder = await failure(iam().send(new UploadServerCertificateCommand({ ServerCertificateName: 'x', CertificateBody: leaf.pem, PrivateKey: leaf.keyPem, CertificateChain: root.pem + inter.pem })));
    expect(wrongOrder).toMatchObject({ name: 'MalformedCertificateException', message: expect.stringContaining('The index within the chain of the invalid certificate is: -1') });
    const brokenMiddle = await failure(iam().send(new UploadServerCertificateCommand({ ServerCertificateName: 'x', CertificateBody: leaf.pem, PrivateKey: leaf.keyPem, CertificateChain: inter.pem + other.pem })));
    expect(brokenMiddle.message).toMatch(/is: 0$/);
    const dup = await failure(iam().send(new UploadServerCertificateCommand({ ServerCertificateName: 'WWW', CertificateBody: other.pem, PrivateKey: other.keyPem })));
    expect(dup).toMatchObject({ name: 'EntityAlreadyExistsException', status: 409, message: 'The Server Certificate with name WWW already exists.' });
  });

  test('list by path prefix, rename/move, tags, summary count, delete', async () => {
    await iam().send(new UploadServerCertificateCommand({ ServerCertificateName: 'other', CertificateBody: other.pem, PrivateKey: other.keyPem }));
    const all = await iam().send(new ListServerCertificatesCommand({}));
    expect(all.ServerCertificateMetadataList!.map((c) => c.ServerCertificateName)).toEqual(['other', 'www']);
    const cf = await iam().send(new ListServerCertificatesCommand({ PathPrefix: '/cloudfront/' }));
    expect(cf.ServerCertificateMetadataList!.map((c) => c.ServerCertificateName)).toEqual(['www']);
    const paged = await iam().send(new ListServerCertificatesCommand({ MaxItems: 1 }));
    expect(paged).toMatchObject({ IsTruncated: true });

    await iam().send(new UpdateServerCertificateCommand({ ServerCertificateName: 'www', NewServerCertificateName: 'web', NewPath: '/elb/' }));
    const moved = (await iam().send(new GetServerCertificateCommand({ ServerCertificateName: 'web' }))).ServerCertificate!.ServerCertificateMetadata!;
    expect(moved.Arn).toBe(`arn:aws:iam::${ACCOUNT}:server-certificate/elb/web`);
    const gone = await failure(iam().send(new GetServerCertificateCommand({ ServerCertificateName: 'www' })));
    expect(gone).toMatchObject({ name: 'NoSuchEntityException', status: 404, message: 'The Server Certificate with name www cannot be found.' });

    await iam().send(new TagServerCertificateCommand({ ServerCertificateName: 'web', Tags: [{ Key: 'team', Value: 'edge' }] }));
    await iam().send(new UntagServerCertificateCommand({ ServerCertificateName: 'web', TagKeys: ['env'] }));
    expect((await iam().send(new ListServerCertificateTagsCommand({ ServerCertificateName: 'web' }))).Tags).toEqual([{ Key: 'team', Value: 'edge' }]);

    expect((await iam().send(new GetAccountSummaryCommand({}))).SummaryMap!.ServerCertificates).toBe(2);
    await iam().send(new DeleteServerCertificateCommand({ ServerCertificateName: 'other' }));
    expect((await iam().send(new GetAccountSummaryCommand({}))).SummaryMap!.ServerCertificates).toBe(1);
  });

  test.skipIf(!HAS_AWS_CLI)('the AWS CLI reads the metadata', async () => {
    const r = await awsCli(ctx.g, ['iam', 'get-server-certificate', '--server-certificate-name', 'web']);
    expect(r.status).toBe(0);
    expect((r.json as { ServerCertificate: { ServerCertificateMetadata: { ServerCertificateName: string } } }).ServerCertificate.ServerCertificateMetadata.ServerCertificateName).toBe('web');
  });
});

describe('signing certificates', () => {
  let keys: { accessKeyId: string; secretAccessKey: string };
  beforeAll(async () => {
    await iam().send(new CreateUserCommand({ UserName: 'signer' }));
    const k = (await iam().send(new CreateAccessKeyCommand({ UserName: 'signer' }))).AccessKey!;
    keys = { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
  });

  test('upload (named user, or the caller), two per user, duplicates refused, status, list, delete', async () => {
    const a = (await iam().send(new UploadSigningCertificateCommand({ UserName: 'signer', CertificateBody: other.pem }))).Certificate!;
    expect(a).toMatchObject({ UserName: 'signer', Status: 'Active' });
    expect(a.CertificateId).toMatch(/^[A-Z0-9]{32}$/);
    const dup = await failure(iam().send(new UploadSigningCertificateCommand({ UserName: 'signer', CertificateBody: other.pem })));
    expect(dup).toMatchObject({ name: 'DuplicateCertificateException', status: 409 });
    // without UserName: the calling user
    const b = (await iam(keys).send(new UploadSigningCertificateCommand({ CertificateBody: root.pem }))).Certificate!;
    expect(b.UserName).toBe('signer');
    const third = await failure(iam().send(new UploadSigningCertificateCommand({ UserName: 'signer', CertificateBody: inter.pem })));
    expect(third).toMatchObject({ name: 'LimitExceededException', message: 'Cannot exceed quota for SigningCertificatesPerUser: 2' });
    const malformed = await failure(iam().send(new UploadSigningCertificateCommand({ UserName: 'signer', CertificateBody: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' })));
    expect(malformed.name).toBe('MalformedCertificateException');

    await iam().send(new UpdateSigningCertificateCommand({ UserName: 'signer', CertificateId: a.CertificateId!, Status: 'Inactive' }));
    const list = (await iam(keys).send(new ListSigningCertificatesCommand({}))).Certificates!;
    expect(list.map((c) => [c.CertificateId, c.Status])).toEqual([[a.CertificateId, 'Inactive'], [b.CertificateId, 'Active']]);

    // the credential report shows them
    await iam().send(new GenerateCredentialReportCommand({}));
    ctx.g.clock.advance('10s');
    const csv = Buffer.from((await iam().send(new GetCredentialReportCommand({}))).Content!).toString();
    const row = csv.split('\n').find((l) => l.startsWith('signer,'))!.split(',');
    expect(row.slice(18)).toEqual(['false', expect.stringMatching(/^\d{4}-/), 'true', expect.stringMatching(/^\d{4}-/)]);

    const conflict = await failure(iam().send(new DeleteUserCommand({ UserName: 'signer' })));
    expect(conflict.name).toBe('DeleteConflictException');
    await iam().send(new DeleteSigningCertificateCommand({ UserName: 'signer', CertificateId: a.CertificateId! }));
    const missing = await failure(iam().send(new DeleteSigningCertificateCommand({ UserName: 'signer', CertificateId: a.CertificateId! })));
    expect(missing).toMatchObject({ name: 'NoSuchEntityException', message: `The Certificate with id ${a.CertificateId} cannot be found.` });
  });
});
