// Walks the SDK's static schemas (through the SDK's own NormalizedSchema) and builds the
// operations and named shapes of a gureum ServiceModel (see src/protocol/model.ts).

const TIMESTAMP_FORMATS = { 5: 'date-time', 6: 'http-date', 7: 'epoch-seconds' };
const SIMPLE = {
  0: 'string', 1: 'number', 2: 'boolean', 4: 'timestamp', 5: 'timestamp', 6: 'timestamp', 7: 'timestamp',
  15: 'document', 17: 'bigInteger', 19: 'bigDecimal', 21: 'blob', 42: 'streamingBlob',
};

const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * @param {object} sdk result of loadSdk()
 * @param {(msg: string) => void} warn
 */
export function buildShapes(sdk, warn) {
  const { NormalizedSchema, translateTraits, deref } = sdk.schemaLib;
  /** @type {Map<string, object>} */ const shapes = new Map();
  /** @type {Map<unknown, string>} */ const rawToName = new Map();
  /** names codegen made up for anonymous lists/maps; must never meet a real shape name */
  const syntheticNames = new Set();
  const isRest = sdk.protocol === 'rest-json' || sdk.protocol === 'rest-xml';

  /** Named shape for a struct/union/error/list/map static schema array. */
  function named(raw) {
    const known = rawToName.get(raw);
    if (known) return known;
    const name = raw[2];
    if (syntheticNames.has(name)) throw new Error(`${sdk.pkgName}: shape ${name} clashes with a synthesized name`);
    if (shapes.has(name)) {
      // The SDK inlines some named maps/lists at each use; accept identical copies only.
      rawToName.set(raw, name);
      const again = convertAggregate(raw, name, false);
      if (JSON.stringify(again) !== JSON.stringify(shapes.get(name))) {
        warn(`${sdk.pkgName}: two different schemas named ${name}; keeping the first`);
      }
      return name;
    }
    rawToName.set(raw, name);
    shapes.set(name, { type: 'pending' });
    shapes.set(name, convertAggregate(raw, name, true));
    return name;
  }

  function convertAggregate(raw, name, register) {
    const ns = NormalizedSchema.of(raw);
    const own = ns.getOwnTraits();
    if (ns.isStructSchema()) {
      const shape = { type: ns.isUnionSchema() ? 'union' : 'structure', members: {} };
      const requiredCount = raw[0] === 3 || raw[0] === -3 ? (raw[6] ?? 0) : 0;
      let i = 0;
      for (const [memberName, ms] of ns.structIterator()) {
        const m = member(ms, memberName, register);
        if (i++ < requiredCount) m.required = true;
        shape.members[memberName] = m;
      }
      if (own.xmlName != null && own.xmlName !== name) shape.xmlName = own.xmlName;
      if (own.xmlNamespace != null) shape.xmlNamespace = xmlNs(own.xmlNamespace);
      if (raw[0] === -3 || own.error) {
        const error = { fault: own.error === 'server' ? 'server' : 'client' };
        if (own.httpError != null) error.httpStatus = Number(own.httpError);
        if (Array.isArray(own.awsQueryError)) {
          error.queryCode = String(own.awsQueryError[0]);
          if (own.awsQueryError[1] != null) error.queryStatus = Number(own.awsQueryError[1]);
        }
        shape.error = error;
      }
      return shape;
    }
    if (ns.isListSchema()) {
      const shape = { type: 'list', member: member(ns.getValueSchema(), 'member', register) };
      if (own.sparse) shape.sparse = true;
      return shape;
    }
    if (ns.isMapSchema()) {
      const shape = {
        type: 'map',
        key: member(ns.getKeySchema(), 'key', register),
        value: member(ns.getValueSchema(), 'value', register),
      };
      if (own.sparse) shape.sparse = true;
      return shape;
    }
    throw new Error(`${sdk.pkgName}: ${name} is not an aggregate schema`);
  }

  /** Synthesized name for the SDK's anonymous `64 | x` lists and `128 | x` maps of simple types. */
  function synthetic(code) {
    const kind = code & 0b1100_0000;
    const inner = code & 0b0011_1111;
    const prim = SIMPLE[inner];
    if (!prim) throw new Error(`${sdk.pkgName}: unknown simple schema ${inner} in ${code}`);
    const fmt = TIMESTAMP_FORMATS[inner];
    const name = `__${kind === 64 ? 'listOf' : 'mapOf'}${cap(prim)}${fmt ? cap(fmt.replace(/-(\w)/g, (_, c) => c.toUpperCase())) : ''}`;
    if (shapes.has(name) && !syntheticNames.has(name)) throw new Error(`${sdk.pkgName}: shape ${name} clashes with a synthesized name`);
    if (!shapes.has(name)) {
      syntheticNames.add(name);
      const value = { target: prim };
      if (fmt) value.timestampFormat = fmt;
      shapes.set(name, kind === 64 ? { type: 'list', member: value } : { type: 'map', key: { target: 'string' }, value });
    }
    return name;
  }

  function targetOf(ms, register) {
    const sc = ms.getSchema();
    if (typeof sc === 'number') {
      if (sc >= 64) return synthetic(sc);
      if (sc === 21 && ms.isStreaming()) return 'streamingBlob';
      const prim = SIMPLE[sc];
      if (!prim) throw new Error(`${sdk.pkgName}: unknown simple schema ${sc}`);
      return prim;
    }
    if (typeof sc === 'string') {
      if (sc === 'unit') return undefined;
      throw new Error(`${sdk.pkgName}: unknown schema ${sc}`);
    }
    if (!Array.isArray(sc)) throw new Error(`${sdk.pkgName}: unexpected schema ${String(sc)}`);
    if (!register) return sc[2];
    return named(sc);
  }

  /** Member (of a structure, list or map) → model Member. */
  function member(ms, memberName, register) {
    const target = targetOf(ms, register);
    const aggregate = ms.isStructSchema() || ms.isListSchema() || ms.isMapSchema();
    const own = ms.getOwnTraits();
    // Traits of a named simple schema (sensitive, streaming) belong to the member, since simple
    // types are inlined; traits of an aggregate stay on its shape.
    const t = aggregate ? ms.getMemberTraits() : { ...own, ...ms.getMemberTraits() };
    const m = { target };
    const sc = ms.getSchema();
    if (typeof sc === 'number' && TIMESTAMP_FORMATS[sc]) m.timestampFormat = TIMESTAMP_FORMATS[sc];
    if (t.httpLabel) m.location = 'uri';
    if (t.httpHeader != null) { m.location = 'header'; m.locationName = String(t.httpHeader); }
    if (t.httpPrefixHeaders != null) { m.location = 'headers'; m.locationName = String(t.httpPrefixHeaders); }
    if (t.httpQuery != null) { m.location = 'query'; m.locationName = String(t.httpQuery); }
    if (t.httpQueryParams) m.location = 'queryParams';
    if (t.httpPayload) m.location = 'payload';
    if (t.httpResponseCode) m.location = 'statusCode';
    if (t.hostLabel) m.location = 'hostLabel';
    if (t.xmlName != null && t.xmlName !== memberName) m.xmlName = String(t.xmlName);
    if (t.xmlAttribute) m.xmlAttribute = true;
    if (t.xmlFlattened) m.xmlFlattened = true;
    if (t.xmlNamespace != null) m.xmlNamespace = xmlNs(t.xmlNamespace);
    if (t.jsonName != null && t.jsonName !== memberName) m.jsonName = String(t.jsonName);
    if (t.ec2QueryName != null) {
      // Emit unless it is exactly what the ec2 rule would derive and equals the member name.
      const derived = cap(t.xmlName ?? memberName);
      if (t.ec2QueryName !== memberName || derived !== memberName) m.ec2QueryName = String(t.ec2QueryName);
    }
    if (t.idempotencyToken) m.idempotencyToken = true;
    if (t.sensitive) m.sensitive = true;
    if (ms.isUnionSchema() && own.streaming) m.eventStream = true;
    if (t.eventPayload) m.eventPayload = true;
    if (t.eventHeader) m.eventHeader = true;
    if (t.mediaType != null) m.mediaType = String(t.mediaType);
    if (t.timestampFormat != null && !m.timestampFormat) m.timestampFormat = String(t.timestampFormat);
    return m;
  }

  function structRef(thunk) {
    const sc = deref(thunk);
    if (sc == null || sc === 'unit') return undefined;
    if (!Array.isArray(sc) || !NormalizedSchema.of(sc).isStructSchema()) {
      throw new Error(`${sdk.pkgName}: operation input/output is not a structure`);
    }
    return named(sc);
  }

  function hasStreamingBlob(shapeName) {
    const s = shapeName && shapes.get(shapeName);
    return !!s && Object.values(s.members).some((m) => m.target === 'streamingBlob');
  }

  /** @type {Record<string, object>} */ const operations = {};
  for (const raw of sdk.operations) {
    const name = raw[2];
    const traits = translateTraits(raw[3]);
    const op = {};
    const input = structRef(raw[4]);
    const output = structRef(raw[5]);
    if (input) op.input = input;
    if (output) op.output = output;
    if (Array.isArray(traits.http)) {
      const [method, uri, code] = traits.http;
      op.http = { method, uri: restoreUri(uri, input && shapes.get(input), warn, `${sdk.pkgName} ${name}`), code: Number(code ?? 200) };
    } else if (isRest) {
      throw new Error(`${sdk.pkgName}: ${name} has no http trait`);
    }
    if (Array.isArray(traits.endpoint) && traits.endpoint[0]) op.endpointPrefix = String(traits.endpoint[0]);
    if (traits.idempotent) op.idempotent = true;
    if (traits.readonly) op.readonly = true;
    if (hasStreamingBlob(input)) op.streamingInput = true;
    if (hasStreamingBlob(output)) op.streamingOutput = true;
    if (traits.httpChecksumRequired) op.checksumRequired = true;
    operations[name] = op;
  }

  const errors = new Set();
  for (const raw of sdk.errors) errors.add(named(raw));

  return { operations, shapes: Object.fromEntries(shapes), errors: [...errors].sort() };
}

function xmlNs(v) {
  if (Array.isArray(v)) return v[0] ? { prefix: String(v[0]), uri: String(v[1]) } : { uri: String(v[1]) };
  if (typeof v === 'string') return { uri: v };
  return { uri: String(v.uri), ...(v.prefix ? { prefix: String(v.prefix) } : {}) };
}

/**
 * Undo the two rewrites the SDK applies to REST request URIs so the model holds the wire URI:
 * - labels the SDK moved into the endpoint (S3 `{Bucket}`) are put back as a leading path segment;
 * - the `x-id=<Operation>` query literal (only there to disambiguate SDK routing; other clients
 *   do not send it) is dropped.
 */
export function restoreUri(uri, inputShape, warn, where) {
  let [p, q] = splitOnce(uri, '?');
  if (q != null) {
    q = q.split('&').filter((kv) => !kv.startsWith('x-id=')).join('&');
  }
  if (inputShape) {
    for (const [name, m] of Object.entries(inputShape.members)) {
      if (m.location !== 'uri') continue;
      if (p.includes(`{${name}}`) || p.includes(`{${name}+}`)) continue;
      p = `/{${name}}` + (p === '/' ? '' : p);
      warn?.(`${where}: restored label {${name}} to the URI`, true);
    }
  }
  return q ? `${p}?${q}` : p;
}

function splitOnce(s, sep) {
  const i = s.indexOf(sep);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}
