// covers: s3.CreateBucket s3.GetObject s3.HeadObject s3.PutBucketAcl s3.DeletePublicAccessBlock
/** Browser-form POST uploads: boto3's generate_presigned_post and hand-built forms, policy conditions and signatures enforced. */
import { describe, it, expect, beforeAll } from 'vitest';
import { createHmac } from 'node:crypto';
import { S3Client, CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutBucketAclCommand, DeletePublicAccessBlockCommand } from '@aws-sdk/client-s3';
import { IAMClient, CreateUserCommand, CreateAccessKeyCommand } from '@aws-sdk/client-iam';
import { useGureum, clientConfig, boto3, HAS_PYTHON_BOTO3 } from '../../helpers.js';

const h = useGureum({ freezeClock: true });
let s3: S3Client;
const Bucket = 'form-uploads';

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '.000Z');
const amzDate = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/** A SigV4-signed POST policy and its fields, as a browser form carries them. */
function signedForm(keys: { id: string; secret: string }, conditions: unknown[], expiresAt: number, fields: Record<string, string>): Record<string, string> {
  const now = h.g.clock.now().getTime();
  const date = amzDate(now).slice(0, 8);
  const credential = `${keys.id}/${date}/us-east-1/s3/aws4_request`;
  const all = { ...fields, 'x-amz-algorithm': 'AWS4-HMAC-SHA256', 'x-amz-credential': credential, 'x-amz-date': amzDate(now) };
  const policy = Buffer.from(JSON.stringify({
    expiration: iso(expiresAt),
    conditions: [...conditions, { bucket: Bucket }, { 'x-amz-algorithm': 'AWS4-HMAC-SHA256' }, { 'x-amz-credential': credential }, { 'x-amz-date': all['x-amz-date'] }],
  })).toString('base64');
  const k = ['us-east-1', 's3', 'aws4_request'].reduce((key, part) => createHmac('sha256', key).update(part).digest(), createHmac('sha256', 'AWS4' + keys.secret).update(date).digest());
  return { ...all, policy, 'x-amz-signature': createHmac('sha256', k).update(policy).digest('hex') };
}

async function post(fields: Record<string, string>, file: string | null = 'file body', filename = 'photo.jpg', url = `${h.g.endpoint}/${Bucket}`) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file !== null) form.append('file', new Blob([file], { type: 'image/jpeg' }), filename);
  const res = await fetch(url, { method: 'POST', body: form, redirect: 'manual' });
  // XML text with its entities decoded, for comparing messages
  const text = (await res.text()).replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  return { status: res.status, headers: res.headers, text };
}

let user: { id: string; secret: string };

beforeAll(async () => {
  s3 = new S3Client(clientConfig(h.g, { forcePathStyle: true }));
  await s3.send(new CreateBucketCommand({ Bucket }));
  const iam = new IAMClient(clientConfig(h.g));
  await iam.send(new CreateUserCommand({ UserName: 'browser' }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'browser' }))).AccessKey!;
  user = { id: key.AccessKeyId!, secret: key.SecretAccessKey! };
});

describe('hand-built forms', () => {
  const hour = () => h.g.clock.now().getTime() + 3_600_000;
  const conditions = [['starts-with', '$key', 'uploads/'], ['content-length-range', 1, 64], ['starts-with', '$Content-Type', 'image/'], ['starts-with', '$x-amz-meta-album', '']];

  it('stores the file with the form\'s metadata and answers 204 with ETag and Location', async () => {
    const r = await post(signedForm(user, conditions, hour(), { key: 'uploads/${filename}', 'Content-Type': 'image/jpeg', 'x-amz-meta-album': 'summer' }));
    expect(r.status, r.text).toBe(204);
    expect(r.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
    expect(r.headers.get('location')).toBe(`${h.g.endpoint}/${Bucket}/uploads/photo.jpg`);
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'uploads/photo.jpg' }));
    expect(head.ContentType).toBe('image/jpeg');
    expect(head.Metadata).toEqual({ album: 'summer' });
    expect(head.ETag).toBe(r.headers.get('etag'));
    expect(await (await s3.send(new GetObjectCommand({ Bucket, Key: 'uploads/photo.jpg' }))).Body!.transformToString()).toBe('file body');
  });

  it('success_action_status 201 answers a PostResponse; success_action_redirect a 303', async () => {
    const c = [...conditions, { success_action_status: '201' }];
    let r = await post(signedForm(user, c, hour(), { key: 'uploads/a.jpg', 'Content-Type': 'image/jpeg', 'x-amz-meta-album': '', success_action_status: '201' }));
    expect(r.status).toBe(201);
    expect(r.text).toMatch(/<PostResponse><Location>.*\/form-uploads\/uploads\/a\.jpg<\/Location><Bucket>form-uploads<\/Bucket><Key>uploads\/a\.jpg<\/Key><ETag>"[0-9a-f]{32}"<\/ETag><\/PostResponse>/);
    const d = [...conditions, ['starts-with', '$success_action_redirect', 'https://app.example.com/']];
    r = await post(signedForm(user, d, hour(), { key: 'uploads/b.jpg', 'Content-Type': 'image/png', 'x-amz-meta-album': '', success_action_redirect: 'https://app.example.com/done?x=1' }));
    expect(r.status).toBe(303);
    const loc = new URL(r.headers.get('location')!);
    expect(loc.origin + loc.pathname).toBe('https://app.example.com/done');
    expect(Object.fromEntries(loc.searchParams)).toMatchObject({ x: '1', bucket: Bucket, key: 'uploads/b.jpg' });
    expect(loc.searchParams.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
  });

  it('every condition is enforced, with S3\'s messages', async () => {
    const base = { 'Content-Type': 'image/jpeg', 'x-amz-meta-album': '' };
    const denied = async (fields: Record<string, string>, message: string, file?: string) => {
      const r = await post(fields, file);
      expect(r.status, r.text).toBe(403);
      expect(r.text).toContain('<Code>AccessDenied</Code>');
      expect(r.text).toContain(`<Message>${message}</Message>`);
    };
    await denied(signedForm(user, conditions, hour(), { ...base, key: 'elsewhere/x.jpg' }), 'Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "uploads/"]');
    await denied(signedForm(user, conditions, hour(), { ...base, key: 'uploads/x.jpg', 'Content-Type': 'text/html' }), 'Invalid according to Policy: Policy Condition failed: ["starts-with", "$Content-Type", "image/"]');
    await denied(signedForm(user, conditions, hour(), { ...base, key: 'uploads/x.jpg', 'x-amz-meta-extra': '1' }), 'Invalid according to Policy: Extra input fields: x-amz-meta-extra');
    await denied(signedForm(user, conditions, h.g.clock.now().getTime() - 1000, { ...base, key: 'uploads/x.jpg' }), 'Invalid according to Policy: Policy expired.');

    let r = await post(signedForm(user, conditions, hour(), { ...base, key: 'uploads/big.jpg' }), 'x'.repeat(65));
    expect(r.status).toBe(400);
    expect(r.text).toContain('<Code>EntityTooLarge</Code>');
    expect(r.text).toContain('<MaxSizeAllowed>64</MaxSizeAllowed>');
    r = await post(signedForm(user, conditions, hour(), { ...base, key: 'uploads/empty.jpg' }), '');
    expect(r.text).toContain('<Code>EntityTooSmall</Code>');
    expect((await s3.send(new HeadObjectCommand({ Bucket, Key: 'uploads/big.jpg' })).catch((e: Error) => e.name))).toBe('NotFound');

    const forged = signedForm(user, conditions, hour(), { ...base, key: 'uploads/x.jpg' });
    forged.policy = Buffer.from(JSON.stringify({ expiration: iso(hour()), conditions: [] })).toString('base64');
    r = await post(forged);
    expect(r.status).toBe(403);
    expect(r.text).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('a form without a key, or without a file, is InvalidArgument; without a policy it is anonymous', async () => {
    let r = await post(signedForm(user, conditions, hour(), { 'Content-Type': 'image/jpeg', 'x-amz-meta-album': '' }));
    expect(r.status).toBe(400);
    expect(r.text).toContain("<Message>Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.</Message>");
    r = await post({ key: 'uploads/x.jpg' }, null);
    expect(r.text).toContain('<ArgumentName>file</ArgumentName>');
    r = await post({ key: 'anonymous.txt' });
    expect(r.status).toBe(403);
    expect(r.text).toContain('<Code>AccessDenied</Code>');
    r = await post({ key: 'x' }, 'x', 'x', `${h.g.endpoint}/no-such-form-bucket`);
    expect(r.status).toBe(404);
  });

  it('anonymous uploads work to a bucket whose ACL grants public write', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'form-public-drop', ObjectOwnership: 'ObjectWriter' }));
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: 'form-public-drop' }));
    await s3.send(new PutBucketAclCommand({ Bucket: 'form-public-drop', ACL: 'public-read-write' }));
    const r = await post({ key: 'dropped/${filename}', success_action_status: '200' }, 'anon', 'note.txt', `${h.g.endpoint}/form-public-drop`);
    expect(r.status).toBe(200);
    expect(await (await s3.send(new GetObjectCommand({ Bucket: 'form-public-drop', Key: 'dropped/note.txt' }))).Body!.transformToString()).toBe('anon');
    // a form cut off in the file: MalformedPOSTRequest, nothing stored (the public may list: 404)
    const cut = await fetch(`${h.g.endpoint}/form-public-drop`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
      body: '--xyz\r\nContent-Disposition: form-data; name="key"\r\n\r\ncut.txt\r\n--xyz\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nhal',
    });
    expect(cut.status).toBe(400);
    expect(await cut.text()).toContain('<Code>MalformedPOSTRequest</Code>');
    expect((await fetch(`${h.g.endpoint}/form-public-drop/cut.txt`)).status).toBe(404);
  });
});

describe.skipIf(!HAS_PYTHON_BOTO3)('boto3 generate_presigned_post', () => {
  it('fields and URL that a browser form posts as they are', async () => {
    h.g.clock.set(Date.now());
    const r = await boto3(h.g, `from botocore.config import Config
s3 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='us-east-1', aws_access_key_id='${user.id}', aws_secret_access_key='${user.secret}', config=Config(signature_version='s3v4', s3={'addressing_style': 'path'}))
p = s3.generate_presigned_post('${Bucket}', 'boto/\${filename}', Fields={'Content-Type': 'text/plain'}, Conditions=[['starts-with', '$key', 'boto/'], {'Content-Type': 'text/plain'}, ['content-length-range', 1, 1024]], ExpiresIn=600)
print(json.dumps(p))`);
    expect(r.status, r.stderr).toBe(0);
    const p = r.json as { url: string; fields: Record<string, string> };
    expect(p.url).toBe(`${h.g.endpoint}/${Bucket}`);
    let res = await post(p.fields, 'from boto3', 'notes.txt', p.url);
    expect(res.status, res.text).toBe(204);
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'boto/notes.txt' }));
    expect(got.ContentType).toBe('text/plain');
    expect(await got.Body!.transformToString()).toBe('from boto3');
    res = await post({ ...p.fields, 'Content-Type': 'text/html' }, 'x', 'x.txt', p.url);
    expect(res.status).toBe(403);
    h.g.clock.advance(700_000);
    res = await post(p.fields, 'late', 'late.txt', p.url);
    expect(res.text).toContain('Policy expired.');
  });
});
