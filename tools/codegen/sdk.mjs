// Loads one pinned @aws-sdk/client-* package and reads what it knows about its service:
// the exported static schemas, the error registries, and the client's resolved runtime config.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROTOCOLS } from './services.mjs';

const REGION = 'us-east-1';

// The SDK warns about the Node version on first client construction; that is noise here.
const emitWarning = process.emitWarning;
process.emitWarning = function (warning, ...rest) {
  const name = typeof rest[0] === 'string' ? rest[0] : rest[0]?.type;
  if (name === 'NodeVersionSupportWarning' || String(warning).includes('NodeVersionSupportWarning')) return;
  return emitWarning.call(process, warning, ...rest);
};

/**
 * @param {string} root project root (holds package.json and node_modules)
 * @param {string} pkgName e.g. "@aws-sdk/client-sqs"
 */
export async function loadSdk(root, pkgName) {
  const rootRequire = createRequire(path.join(root, 'package.json'));
  const pkgJsonPath = rootRequire.resolve(`${pkgName}/package.json`);
  const pkgJson = JSON.parse(readFileSync(pkgJsonPath, 'utf8'));
  // Resolve the schema runtime relative to the client package, so trait decoding is exactly the
  // one this client ships with.
  const pkgRequire = createRequire(pkgJsonPath);
  const schemaLib = pkgRequire('@smithy/core/schema');
  const mod = pkgRequire(pkgName);

  const clientEntry = Object.entries(mod).find(([k, v]) =>
    k.endsWith('Client') && k !== '__Client' && typeof v === 'function' && typeof v.prototype?.send === 'function');
  if (!clientEntry) throw new Error(`${pkgName}: no client class exported`);
  const client = new clientEntry[1]({ region: REGION, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  const cfg = client.config;
  const protocolShapeId = cfg.protocol?.getShapeId?.();
  const proto = PROTOCOLS[protocolShapeId];
  if (!proto) throw new Error(`${pkgName}: unknown protocol ${protocolShapeId}`);
  const settings = cfg.protocolSettings ?? {};

  let endpointUrl;
  try {
    const ep = await cfg.endpointProvider({ Region: REGION, UseFIPS: false, UseDualStack: false }, {});
    endpointUrl = ep?.url?.href;
  } catch {
    endpointUrl = undefined;
  }
  client.destroy?.();

  /** @type {unknown[]} */ const operations = [];
  /** @type {unknown[]} */ const exportedErrors = [];
  for (const k of Object.keys(mod).sort()) {
    if (!k.endsWith('$')) continue;
    const s = mod[k];
    if (!Array.isArray(s)) continue;
    if (s[0] === 9) operations.push(s);
    else if (s[0] === -3 && !String(s[1]).startsWith('smithy.ts.sdk.synthetic.')) exportedErrors.push(s);
  }
  const commands = Object.keys(mod).filter((k) => k.endsWith('Command') && k !== '$Command')
    .map((k) => k.slice(0, -'Command'.length)).sort();

  const namespace = settings.defaultNamespace;
  /** error schemas from the client's own registries, skipping the synthetic base exception */
  const registryErrors = [];
  for (const reg of mod.errorTypeRegistries ?? settings.errorTypeRegistries ?? []) {
    for (const es of reg.exceptions?.keys?.() ?? []) {
      if (Array.isArray(es) && !String(es[1]).startsWith('smithy.ts.sdk.synthetic.')) registryErrors.push(es);
    }
  }

  return {
    pkgName,
    version: pkgJson.version,
    schemaLib,
    sdkId: cfg.serviceId,
    namespace,
    protocol: proto.protocol,
    jsonVersion: proto.jsonVersion,
    serviceTarget: settings.serviceTarget,
    apiVersion: settings.version,
    xmlNamespace: settings.xmlNamespace,
    awsQueryCompatible: !!settings.awsQueryCompatible,
    signingName: cfg.defaultSigningName,
    endpointPrefix: endpointPrefixFromUrl(endpointUrl),
    endpointUrl,
    operations,
    commands,
    errors: [...registryErrors, ...exportedErrors],
  };
}

/** "https://streams.dynamodb.us-east-1.amazonaws.com/" → "streams.dynamodb" */
export function endpointPrefixFromUrl(url) {
  if (!url) return undefined;
  const host = new URL(url).hostname;
  const m = host.match(new RegExp(`^(.+?)\\.(?:${REGION}\\.)?amazonaws\\.com$`));
  return m ? m[1] : undefined;
}
