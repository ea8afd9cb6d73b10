// covers: s3.PutBucketWebsite s3.GetBucketWebsite s3.DeleteBucketWebsite s3.PutBucketPolicy s3.DeletePublicAccessBlock s3.PutObject s3.CreateBucket
/** Static website hosting: configuration (validated as S3 does) and the website endpoint (index/error documents, redirects, routing rules). */
import { describe, it, expect, beforeAll } from 'vitest';
import { request } from 'node:http';
import {
  S3Client, CreateBucketCommand, PutObjectCommand, PutBucketWebsiteCommand, GetBucketWebsiteCommand, DeleteBucketWebsiteCommand,
  PutBucketPolicyCommand, DeletePublicAccessBlockCommand, type WebsiteConfiguration,
} from '@aws-sdk/client-s3';
import { useGureum, clientConfig, failure, awsCli, HAS_AWS_CLI } from '../../helpers.js';

const h = useGureum();
let s3: S3Client;
let port: number;
const Site = 'www-site';

/** A request to the website endpoint: Host names the bucket (`<bucket>.s3-website-<region>.<domain>`). */
function web(path: string, { host = `${Site}.s3-website-us-east-1.localhost`, method = 'GET', headers = {} }: { host?: string; method?: string; headers?: Record<string, string> } = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { host: `${host}:${port}`, ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
    });
    req.on('error', reject).end();
  });
}

async function publicBucket(Bucket: string, list: boolean): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket }));
  await s3.send(new DeletePublicAccessBlockCommand({ Bucket }));
  const Statement: object[] = [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${Bucket}/*` }];
  if (list) Statement.push({ Effect: 'Allow', Principal: '*', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${Bucket}` });
  await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify({ Version: '2012-10-17', Statement }) }));
}

const page = (Bucket: string, Key: string, Body: string, extra: Record<string, string> = {}) =>
  s3.send(new PutObjectCommand({ Bucket, Key, Body, ContentType: 'text/html', ...extra }));

beforeAll(async () => {
  s3 = new S3Client(clientConfig(h.g, { forcePathStyle: true }));
  port = Number(new URL(h.g.endpoint).port);
  await publicBucket(Site, true);
  await page(Site, 'index.html', '<h1>home</h1>');
  await page(Site, 'error.html', '<h1>oops</h1>');
  await page(Site, 'docs/index.html', '<h1>docs</h1>');
  await page(Site, 'old.html', '', { WebsiteRedirectLocation: '/new.html' });
});

describe('PutBucketWebsite / GetBucketWebsite / DeleteBucketWebsite', () => {
  it('stores and answers the configuration; NoSuchWebsiteConfiguration once deleted', async () => {
    const config: WebsiteConfiguration = {
      IndexDocument: { Suffix: 'index.html' },
      ErrorDocument: { Key: 'error.html' },
      RoutingRules: [{ Condition: { KeyPrefixEquals: 'blog/' }, Redirect: { ReplaceKeyPrefixWith: 'posts/', HttpRedirectCode: '302' } }],
    };
    await s3.send(new PutBucketWebsiteCommand({ Bucket: Site, WebsiteConfiguration: config }));
    const got = await s3.send(new GetBucketWebsiteCommand({ Bucket: Site }));
    expect({ IndexDocument: got.IndexDocument, ErrorDocument: got.ErrorDocument, RoutingRules: got.RoutingRules }).toEqual(config);
    await s3.send(new DeleteBucketWebsiteCommand({ Bucket: Site }));
    expect(await failure(s3.send(new GetBucketWebsiteCommand({ Bucket: Site })))).toEqual({
      name: 'NoSuchWebsiteConfiguration', message: 'The specified bucket does not have a website configuration', status: 404,
    });
  });

  const invalid: [string, WebsiteConfiguration, string, string][] = [
    ['no index document', { ErrorDocument: { Key: 'e.html' } }, 'InvalidArgument', 'A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty'],
    ['a suffix with a slash', { IndexDocument: { Suffix: 'a/index.html' } }, 'InvalidArgument', 'The IndexDocument Suffix is not well formed'],
    ['redirect-all with more', { RedirectAllRequestsTo: { HostName: 'example.com' }, IndexDocument: { Suffix: 'index.html' } }, 'InvalidArgument', 'RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules.'],
    ['a bad protocol', { RedirectAllRequestsTo: { HostName: 'example.com', Protocol: 'ftp' as never /* invalid on purpose */ } }, 'InvalidRequest', 'Invalid protocol, protocol can be http or https. If not defined the protocol will be selected automatically.'],
    ['both key replacements', { IndexDocument: { Suffix: 'index.html' }, RoutingRules: [{ Redirect: { ReplaceKeyWith: 'a', ReplaceKeyPrefixWith: 'b' } }] }, 'InvalidRequest', 'You can only define ReplaceKeyPrefix or ReplaceKey but not both.'],
  ];
  for (const [name, WebsiteConfiguration, code, message] of invalid) {
    it(`refuses ${name}: ${code}`, async () => {
      expect(await failure(s3.send(new PutBucketWebsiteCommand({ Bucket: Site, WebsiteConfiguration })))).toEqual({ name: code, message, status: 400 });
    });
  }
});

describe('the website endpoint', () => {
  beforeAll(async () => {
    await s3.send(new PutBucketWebsiteCommand({
      Bucket: Site,
      WebsiteConfiguration: {
        IndexDocument: { Suffix: 'index.html' },
        ErrorDocument: { Key: 'error.html' },
        RoutingRules: [
          { Condition: { KeyPrefixEquals: 'manual/' }, Redirect: { ReplaceKeyPrefixWith: 'docs/', HttpRedirectCode: '302' } },
          { Condition: { KeyPrefixEquals: 'shop/', HttpErrorCodeReturnedEquals: '404' }, Redirect: { HostName: 'shop.example.com', Protocol: 'https', ReplaceKeyWith: 'closed.html' } },
        ],
      },
    }));
  });

  it('serves index documents for the root and folders, and 302s a folder without its slash', async () => {
    let r = await web('/');
    expect(r.status).toBe(200);
    expect(r.text).toBe('<h1>home</h1>');
    expect(r.headers['content-type']).toBe('text/html');
    expect(r.headers.etag).toMatch(/^"[0-9a-f]{32}"$/);
    r = await web('/docs/');
    expect(r.text).toBe('<h1>docs</h1>');
    r = await web('/docs');
    expect(r.status).toBe(302);
    expect(r.headers.location).toBe('/docs/');
    r = await web('/index.html', { method: 'HEAD' });
    expect(r.status).toBe(200);
    expect(r.headers['content-length']).toBe('13');
    expect(r.text).toBe('');
    expect((await web('/index.html', { headers: { 'if-none-match': String((await web('/')).headers.etag) } })).status).toBe(304);
    r = await web('/index.html', { headers: { range: 'bytes=4-7' } });
    expect(r.status).toBe(206);
    expect(r.text).toBe('home');
  });

  it('answers a missing key with the error document and 404; redirects and routing rules', async () => {
    let r = await web('/nowhere.html');
    expect(r.status).toBe(404);
    expect(r.text).toBe('<h1>oops</h1>');
    r = await web('/old.html');
    expect(r.status).toBe(301);
    expect(r.headers.location).toBe('/new.html');
    r = await web('/manual/setup.html');
    expect(r.status).toBe(302);
    expect(r.headers.location).toBe(`http://${Site}.s3-website-us-east-1.localhost:${port}/docs/setup.html`);
    r = await web('/shop/item-1');
    expect(r.status).toBe(301);
    expect(r.headers.location).toBe('https://shop.example.com/closed.html');
  });

  it("answers S3's HTML pages when there is no error document, or it is missing", async () => {
    await s3.send(new PutBucketWebsiteCommand({ Bucket: Site, WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' } } }));
    let r = await web('/nowhere.html');
    expect(r.status).toBe(404);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.text).toContain('<title>404 Not Found</title>');
    expect(r.text).toContain('<li>Code: NoSuchKey</li>');
    expect(r.text).toContain('<li>Message: The specified key does not exist.</li>');
    expect(r.text).toContain('<li>Key: nowhere.html</li>');
    await s3.send(new PutBucketWebsiteCommand({ Bucket: Site, WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' }, ErrorDocument: { Key: 'missing-error.html' } } }));
    r = await web('/nowhere.html');
    expect(r.status).toBe(404);
    expect(r.text).toContain('<h3>An Error Occurred While Attempting to Retrieve a Custom Error Document</h3>');
    expect(r.text).toContain('<li>Key: missing-error.html</li>');
    r = await web('/index.html', { method: 'POST' });
    expect(r.status).toBe(405);
    expect(r.text).toContain('<li>Code: MethodNotAllowed</li>');
  });

  it('needs public objects: 403 for private ones, and for missing keys unless the public may list', async () => {
    await publicBucket('www-nolist', false);
    await page('www-nolist', 'index.html', 'hi');
    await s3.send(new PutBucketWebsiteCommand({ Bucket: 'www-nolist', WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' } } }));
    const host = 'www-nolist.s3-website.us-east-1.localhost';
    expect((await web('/', { host })).text).toBe('hi');
    const r = await web('/missing', { host });
    expect(r.status).toBe(403);
    expect(r.text).toContain('<li>Code: AccessDenied</li>');

    await s3.send(new CreateBucketCommand({ Bucket: 'www-private' }));
    await page('www-private', 'index.html', 'secret');
    await s3.send(new PutBucketWebsiteCommand({ Bucket: 'www-private', WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' } } }));
    expect((await web('/', { host: 'www-private.s3-website.localhost' })).status).toBe(403);
  });

  it('redirect-all, a bucket without a website, an unknown bucket', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'www-redirect' }));
    await s3.send(new PutBucketWebsiteCommand({ Bucket: 'www-redirect', WebsiteConfiguration: { RedirectAllRequestsTo: { HostName: 'www.example.com', Protocol: 'https' } } }));
    let r = await web('/a/b.html', { host: 'www-redirect.s3-website-us-east-1.amazonaws.com' });
    expect(r.status).toBe(301);
    expect(r.headers.location).toBe('https://www.example.com/a/b.html');
    r = await web('/', { host: 'www-nowebsite.s3-website.localhost' });
    expect(r.status).toBe(404);
    expect(r.text).toContain('<li>Code: NoSuchBucket</li>');
    await s3.send(new CreateBucketCommand({ Bucket: 'www-plain' }));
    r = await web('/', { host: 'www-plain.s3-website.us-east-1.localhost.localstack.cloud' });
    expect(r.status).toBe(404);
    expect(r.text).toContain('<li>Code: NoSuchWebsiteConfiguration</li>');
    expect(r.text).toContain('<li>BucketName: www-plain</li>');
  });
});

describe.skipIf(!HAS_AWS_CLI)('AWS CLI', () => {
  it('aws s3 website, then s3api get-bucket-website', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'www-cli' }));
    let r = await awsCli(h.g, ['s3', 'website', 's3://www-cli', '--index-document', 'index.html', '--error-document', 'error.html']);
    expect(r.status, r.stderr).toBe(0);
    r = await awsCli(h.g, ['s3api', 'get-bucket-website', '--bucket', 'www-cli']);
    expect(r.json).toEqual({ IndexDocument: { Suffix: 'index.html' }, ErrorDocument: { Key: 'error.html' } });
  });
});
