// Second model source, for the few services whose @aws-sdk/client-* package on our registry
// predates the static schemas (services.mjs BOTOCORE_SERVICES): botocore's JSON service model
// (data/<name>/<date>/service-2.json[.gz]) from the Python botocore installed on the machine,
// pinned to BOTOCORE_VERSION. It is converted into the same { operations, shapes, errors } and
// metadata that sdk.mjs + shapes.mjs produce, under the same naming rules, and then goes through
// the same buildModel / renderTypes as every SDK-sourced service.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { restoreUri } from './shapes.mjs';

/** The botocore release the committed botocore-sourced models were generated from. */
export const BOTOCORE_VERSION = '1.43.11';

/**
 * The installed botocore: { version, dir } or { error }. GUREUM_PYTHON overrides the interpreter.
 * @returns {{ version?: string, dir?: string, error?: string }}
 */
export function locateBotocore() {
  const python = process.env.GUREUM_PYTHON || 'python3';
  const r = spawnSync(python, ['-c', 'import botocore, os; print(botocore.__version__); print(os.path.dirname(botocore.__file__))'],
    { encoding: 'utf8', timeout: 30_000 });
  if (r.error || r.status !== 0) return { error: `${python} cannot import botocore (${r.error?.message ?? r.stderr.trim().split('\n').pop()})` };
  const [version, dir] = r.stdout.trim().split('\n');
  return { version, dir };
}

/** Newest data/<name>/<date>/service-2.json[.gz] of a botocore installation. */
export function readServiceJson(botocoreDir, name) {
  const base = path.join(botocoreDir, 'data', name);
  if (!existsSync(base)) throw new Error(`botocore has no data/${name}`);
  const date = readdirSync(base).filter((d) => /^\d{4}-\d\d-\d\d$/.test(d)).sort().pop();
  for (const f of ['service-2.json', 'service-2.json.gz']) {
    const file = path.join(base, date ?? '', f);
    if (!existsSync(file)) continue;
    const raw = readFileSync(file);
    return { json: JSON.parse((f.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8')), rel: `data/${name}/${date}/${f}` };
  }
  throw new Error(`botocore data/${name}: no service-2.json`);
}

const PROTOCOLS = {
  json: 'json', 'rest-json': 'rest-json', 'smithy-rpc-v2-cbor': 'smithy-rpc-v2-cbor',
  query: 'query', ec2: 'ec2', 'rest-xml': 'rest-xml', // rejected below
};
const NUMBER = new Set(['integer', 'long', 'float', 'double', 'short', 'byte']);
const TIMESTAMP = { iso8601: 'date-time', rfc822: 'http-date', unixTimestamp: 'epoch-seconds' };
const LOCATIONS = { header: 'header', headers: 'headers', querystring: 'query', uri: 'uri', statusCode: 'statusCode' };
const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * botocore service-2.json → the `sdk`-like object buildModel() takes (sdk.built holds the
 * converted operations/shapes/errors instead of SDK schemas).
 * @param {object} json parsed service-2.json
 * @param {{ version: string, rel: string }} src botocore version and data file
 * @param {(msg: string, info?: boolean) => void} warn
 */
export function fromBotocore(json, src, warn) {
  const meta = json.metadata;
  const where = `botocore ${meta.serviceId}`;
  // SDK v3 prefers awsJson over rpcv2Cbor when a model lists both (CloudWatch at our pin speaks
  // json), so the first non-CBOR protocol is the "SDK" protocol; the others stay, in botocore order.
  const listed = (meta.protocols ?? [meta.protocol]).map((p) => {
    if (!PROTOCOLS[p]) throw new Error(`${where}: unknown protocol ${p}`);
    return PROTOCOLS[p];
  });
  const protocol = listed.find((p) => p !== 'smithy-rpc-v2-cbor') ?? listed[0];
  const protocols = [protocol, ...listed.filter((p) => p !== protocol)];
  // Only the JSON family is converted: botocore's JSON models drop the XML traits (xmlName,
  // flattened, awsQueryError codes) that query/ec2/rest-xml need, so those stay SDK-only.
  if (protocols.some((p) => p === 'query' || p === 'ec2' || p === 'rest-xml')) {
    throw new Error(`${where}: protocols ${protocols.join(', ')}: only json, rest-json and smithy-rpc-v2-cbor are supported`);
  }
  const isRest = protocol.startsWith('rest-');

  const defs = json.shapes;
  const out = new Map();
  const synthetic = new Set();

  const def = (name) => {
    const d = defs[name];
    if (!d) throw new Error(`${where}: no shape ${name}`);
    return d;
  };
  /** primitive name for a simple botocore shape, undefined for aggregates */
  const primitive = (d) => {
    if (d.type === 'structure' && d.document) return 'document';
    if (d.type === 'string' || d.type === 'boolean' || d.type === 'timestamp') return d.type;
    if (NUMBER.has(d.type)) return 'number';
    if (d.type === 'bigInteger' || d.type === 'bigDecimal') return d.type;
    if (d.type === 'blob') return d.streaming ? 'streamingBlob' : 'blob';
    return undefined;
  };

  /** botocore member ref (+ the member's name) → model Member; registers aggregate targets */
  function member(ref, memberName, ctx = {}) {
    const d = def(ref.shape);
    const prim = primitive(d);
    const m = { target: prim ?? named(ref.shape) };
    // Traits of a simple target shape belong to the member (simple types are inlined).
    const t = prim ? { ...d, ...ref } : ref;
    const fmt = t.timestampFormat && TIMESTAMP[t.timestampFormat];
    if (prim === 'timestamp' && t.timestampFormat && !fmt) throw new Error(`${where}: timestampFormat ${t.timestampFormat}`);
    if (ref.location) {
      const loc = LOCATIONS[ref.location];
      if (!loc) throw new Error(`${where}: unknown location ${ref.location}`);
      m.location = loc === 'query' && d.type === 'map' ? 'queryParams' : loc;
      if (m.location === 'header' || m.location === 'headers' || m.location === 'query') m.locationName = ref.locationName ?? memberName;
    } else if (ctx.payload) {
      m.location = 'payload';
    }
    if (ref.hostLabel) m.location = 'hostLabel';
    // In botocore's JSON models a body member's locationName is its JSON name.
    if (!ref.location && ref.locationName != null && ref.locationName !== memberName) m.jsonName = ref.locationName;
    if (ref.idempotencyToken) m.idempotencyToken = true;
    if (t.sensitive) m.sensitive = true;
    if (d.type === 'structure' && d.eventstream) m.eventStream = true;
    if (ref.eventpayload) m.eventPayload = true;
    if (ref.eventheader) m.eventHeader = true;
    if (fmt) m.timestampFormat = fmt;
    return m;
  }

  /** A list/map of simple members without traits is anonymous in the SDK (`64|x`, `128|x`). */
  function syntheticName(shape) {
    const v = shape.type === 'list' ? shape.member : shape.value;
    const plain = (m) => Object.keys(m).every((k) => k === 'target' || k === 'timestampFormat');
    if (shape.sparse || !plain(v) || v.target === 'streamingBlob' || out.has(v.target) || synthetic.has(v.target)) return undefined;
    if (shape.type === 'map' && (!plain(shape.key) || shape.key.target !== 'string')) return undefined;
    const fmt = v.timestampFormat ? cap(v.timestampFormat.replace(/-(\w)/g, (_, c) => c.toUpperCase())) : '';
    return `__${shape.type === 'list' ? 'listOf' : 'mapOf'}${cap(v.target)}${fmt}`;
  }

  const renamed = new Map();
  function named(name) {
    if (renamed.has(name)) return renamed.get(name);
    if (out.has(name)) return name;
    if (synthetic.has(name)) throw new Error(`${where}: shape ${name} clashes with a synthesized name`);
    const d = def(name);
    out.set(name, { type: 'pending' });
    let shape;
    if (d.type === 'structure') {
      // Event streams are unions in Smithy (botocore: eventstream structures); union members are
      // never required, whatever botocore's `required` says.
      const union = !!(d.union || d.eventstream);
      shape = { type: union ? 'union' : 'structure', members: {} };
      const required = new Set(union ? [] : d.required ?? []);
      for (const [mn, ref] of Object.entries(d.members ?? {})) {
        const m = member(ref, mn, { payload: isRest && d.payload === mn });
        // SDK v3 makes idempotency tokens optional (it fills them in), so they are not required there.
        if (required.has(mn) && !m.idempotencyToken) m.required = true;
        shape.members[mn] = m;
      }
      if (d.exception) {
        // botocore writes `fault` only sometimes (EFS's 5xx errors lack it); a 5xx status is a server fault.
        const server = d.fault || (!d.error?.senderFault && Number(d.error?.httpStatusCode) >= 500);
        const error = { fault: server ? 'server' : 'client' };
        if (d.error?.httpStatusCode != null) error.httpStatus = Number(d.error.httpStatusCode);
        if (d.error?.code != null) {
          error.queryCode = String(d.error.code);
          if (d.error.httpStatusCode != null) error.queryStatus = Number(d.error.httpStatusCode);
        }
        shape.error = error;
      }
    } else if (d.type === 'list') {
      shape = { type: 'list', member: member(d.member, 'member') };
      if (d.sparse) shape.sparse = true;
    } else if (d.type === 'map') {
      shape = { type: 'map', key: member(d.key, 'key'), value: member(d.value, 'value') };
      if (d.sparse) shape.sparse = true;
    } else {
      throw new Error(`${where}: ${name} (${d.type}) is not an aggregate`);
    }
    // A list/map with traits of its own (botocore: sensitive) stays named, as in the SDK.
    const syn = (shape.type === 'list' || shape.type === 'map') && !d.sensitive && syntheticName(shape);
    if (syn) {
      if (defs[syn]) throw new Error(`${where}: shape ${syn} clashes with a synthesized name`);
      out.delete(name);
      renamed.set(name, syn);
      synthetic.add(syn);
      out.set(syn, shape);
      return syn;
    }
    out.set(name, shape);
    return name;
  }

  const operations = {};
  for (const opName of Object.keys(json.operations).sort()) {
    const o = json.operations[opName];
    const op = {};
    if (o.input) op.input = named(o.input.shape);
    if (o.output) op.output = named(o.output.shape);
    if (o.http) {
      // The SDK's URI patterns have no trailing "/" after a label or literal (EFS /tags/{FileSystemId}/).
      let uri = o.http.requestUri.replace(/(.)\/(\?|$)/, '$1$2');
      // botocore labels use the member's locationName (API Gateway {restapi_id}); the SDK's use the member name.
      for (const [mn, ref] of Object.entries((o.input && def(o.input.shape).members) ?? {})) {
        if (ref.location === 'uri' && ref.locationName && ref.locationName !== mn) uri = uri.replace(new RegExp(`\\{${ref.locationName}(\\+?)\\}`), `{${mn}$1}`);
      }
      op.http = { method: o.http.method, uri: restoreUri(uri, op.input && out.get(op.input), warn, `${where} ${opName}`), code: Number(o.http.responseCode ?? 200) };
    } else if (isRest) {
      throw new Error(`${where}: ${opName} has no http`);
    }
    if (o.endpoint?.hostPrefix) op.endpointPrefix = String(o.endpoint.hostPrefix);
    // The SDK schemas carry @idempotent only for RPC protocols (no SDK-sourced REST model has it).
    if (o.idempotent && !isRest) op.idempotent = true;
    // readonly / httpChecksumRequired are not in the SDK schemas, so SDK-sourced models never
    // carry them; leave them out here too, so both sources mean the same thing.
    const streams = (s) => !!s && Object.values(out.get(s).members).some((m) => m.target === 'streamingBlob');
    if (streams(op.input)) op.streamingInput = true;
    if (streams(op.output)) op.streamingOutput = true;
    operations[opName] = op;
  }
  const errors = Object.keys(defs).filter((n) => defs[n].exception).map(named).sort();

  return {
    pkgName: 'botocore',
    version: src.version,
    source: `botocore@${src.version} ${src.rel}`,
    sdkId: meta.serviceId,
    // Every SDK-sourced model's namespace is com.amazonaws.<sdkId, lower-case alphanumerics>.
    namespace: `com.amazonaws.${meta.serviceId.toLowerCase().replace(/[^a-z0-9]/g, '')}`,
    protocol,
    protocols,
    jsonVersion: protocols.includes('json') ? meta.jsonVersion : undefined,
    serviceTarget: meta.targetPrefix,
    apiVersion: meta.apiVersion,
    awsQueryCompatible: !!meta.awsQueryCompatible,
    signingName: meta.signingName ?? meta.endpointPrefix,
    endpointPrefix: meta.endpointPrefix,
    commands: Object.keys(operations),
    built: { operations, shapes: Object.fromEntries(out), errors },
  };
}
