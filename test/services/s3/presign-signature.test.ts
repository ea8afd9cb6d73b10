// covers: s3.GetObject s3.PutObject s3.CreateBucket
/** Presigned URLs signed with keys gureum knows the secret of (IAM users, STS sessions): signatures verified, tampering refused. */
import { describe, it, expect, beforeAll } from 'vitest';
import { request } from 'node:http';
import { S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { IAMClient, CreateUserCommand, CreateAccessKeyCommand } from '@aws-sdk/client-iam';
import { STSClient, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { useGureum, clientConfig, boto3, HAS_PYTHON_BOTO3 } from '../../helpers.js';

const h = useGureum({ freezeClock: true });
const Bucket = 'signed-urls';
type Keys = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
let user: Keys;

/** A client whose clock is the virtual clock (presigned URLs carry their signing time). */
const signer = (credentials: Keys, extra: Record<string, unknown> = {}) =>
  new S3Client(clientConfig(h.g, { forcePathStyle: true, credentials, systemClockOffset: h.g.clock.now().getTime() - Date.now(), ...extra }));

async function fetchText(url: string | URL, init: RequestInit = {}): Promise<{ status: number; text: string }> {
  const res = await fetch(url, init);
  return { status: res.status, text: await res.text() };
}

beforeAll(async () => {
  const iam = new IAMClient(clientConfig(h.g));
  await iam.send(new CreateUserCommand({ UserName: 'uploader' }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'uploader' }))).AccessKey!;
  user = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
  const s3 = new S3Client(clientConfig(h.g, { forcePathStyle: true }));
  await s3.send(new CreateBucketCommand({ Bucket }));
  await s3.send(new PutObjectCommand({ Bucket, Key: 'report 2024.txt', Body: 'numbers' }));
});

describe('SigV4 presigned URLs with an IAM user key', () => {
  it('a correctly signed URL works; any change to it is SignatureDoesNotMatch', async () => {
    const url = new URL(await getSignedUrl(signer(user), new GetObjectCommand({ Bucket, Key: 'report 2024.txt', ResponseContentType: 'text/csv' }), { expiresIn: 300 }));
    const ok = await fetch(url);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('text/csv');
    expect(await ok.text()).toBe('numbers');

    const tampered = [
      new URL(url.href.replace('report%202024.txt', 'report%202025.txt')),
      (() => { const u = new URL(url); u.searchParams.set('response-content-type', 'text/html'); return u; })(),
      (() => { const u = new URL(url); u.searchParams.set('X-Amz-Expires', '600'); return u; })(),
      (() => { const u = new URL(url); u.searchParams.set('X-Amz-Signature', '0'.repeat(64)); return u; })(),
    ];
    for (const u of tampered) {
      const r = await fetchText(u);
      expect(r.status, u.href).toBe(403);
      expect(r.text).toContain('<Code>SignatureDoesNotMatch</Code>');
      expect(r.text).toContain('<Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message>');
      expect(r.text).toContain(`<AWSAccessKeyId>${user.accessKeyId}</AWSAccessKeyId>`);
      expect(r.text).toContain('<StringToSign>AWS4-HMAC-SHA256\n');
    }
  });

  it('signed with the wrong secret: SignatureDoesNotMatch; the expiry is checked first', async () => {
    const wrong = await getSignedUrl(signer({ ...user, secretAccessKey: 'not-the-secret' }), new GetObjectCommand({ Bucket, Key: 'report 2024.txt' }), { expiresIn: 60 });
    expect((await fetchText(wrong)).text).toContain('<Code>SignatureDoesNotMatch</Code>');
    const good = await getSignedUrl(signer(user), new GetObjectCommand({ Bucket, Key: 'report 2024.txt' }), { expiresIn: 60 });
    // the presigner signs with the real time: expire the URL relative to its X-Amz-Date
    const d = /X-Amz-Date=(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z/.exec(good)!;
    h.g.clock.set(Date.UTC(+d[1]!, +d[2]! - 1, +d[3]!, +d[4]!, +d[5]!, +d[6]!) + 61_000);
    const expired = await fetchText(good);
    expect(expired.status).toBe(403);
    expect(expired.text).toContain('<Message>Request has expired</Message>');
  });

  it('presigned PUT, and a URL signed for a virtual-host style Host', async () => {
    h.g.clock.set(Date.now());
    const put = await getSignedUrl(signer(user), new PutObjectCommand({ Bucket, Key: 'upload.bin' }), { expiresIn: 60 });
    expect((await fetchText(put, { method: 'PUT', body: 'payload' })).status).toBe(200);

    const port = Number(new URL(h.g.endpoint).port);
    const vhost = signer(user, { forcePathStyle: false, endpoint: `http://s3.localhost.localstack.cloud:${port}` });
    const url = new URL(await getSignedUrl(vhost, new GetObjectCommand({ Bucket, Key: 'upload.bin' }), { expiresIn: 60 }));
    expect(url.host).toBe(`${Bucket}.s3.localhost.localstack.cloud:${port}`);
    const get = (host: string) => new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: url.pathname + url.search, headers: { host } }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve({ status: res.statusCode!, text }));
      });
      req.on('error', reject).end();
    });
    expect(await get(url.host)).toEqual({ status: 200, text: 'payload' });
    expect((await get(`${Bucket}.s3.localhost:${port}`)).status).toBe(403);
  });
});

describe('other keys', () => {
  it('STS session credentials are verified too (with their session token)', async () => {
    h.g.clock.set(Date.now());
    const creds = (await new STSClient(clientConfig(h.g, { credentials: user })).send(new GetSessionTokenCommand({}))).Credentials!;
    const session = { accessKeyId: creds.AccessKeyId!, secretAccessKey: creds.SecretAccessKey!, sessionToken: creds.SessionToken! };
    const url = await getSignedUrl(signer(session), new GetObjectCommand({ Bucket, Key: 'report 2024.txt' }), { expiresIn: 60 });
    expect(url).toContain('X-Amz-Security-Token=');
    expect((await fetchText(url)).text).toBe('numbers');
    expect((await fetchText(url.replace('report%202024.txt', 'upload.bin'))).status).toBe(403);
  });

  it("keys gureum did not mint (the default `test`) are accepted without verification, as the README says", async () => {
    const url = new URL(await getSignedUrl(signer({ accessKeyId: 'test', secretAccessKey: 'anything' }), new GetObjectCommand({ Bucket, Key: 'report 2024.txt' }), { expiresIn: 60 }));
    url.searchParams.set('X-Amz-Signature', 'f'.repeat(64));
    expect((await fetchText(url)).text).toBe('numbers');
  });
});

describe.skipIf(!HAS_PYTHON_BOTO3)('boto3 generate_presigned_url', () => {
  for (const version of ['s3v4', 's3']) {
    it(`signature_version=${version}: verified, tampering refused`, async () => {
      h.g.clock.set(Date.now());
      const r = await boto3(h.g, `from botocore.config import Config
s3 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='us-east-1', aws_access_key_id='${user.accessKeyId}', aws_secret_access_key='${user.secretAccessKey}', config=Config(signature_version='${version}'))
print(json.dumps(s3.generate_presigned_url('get_object', Params={'Bucket': '${Bucket}', 'Key': 'report 2024.txt'}, ExpiresIn=120)))`);
      expect(r.status, r.stderr).toBe(0);
      const url = r.json as string;
      expect(url).toContain(version === 's3' ? 'Signature=' : 'X-Amz-Signature=');
      expect(await fetchText(url)).toEqual({ status: 200, text: 'numbers' });
      const bad = await fetchText(url.replace('report%202024.txt', 'upload.bin'));
      expect(bad.status).toBe(403);
      expect(bad.text).toContain('<Code>SignatureDoesNotMatch</Code>');
    });
  }
});
