/** Key pairs: CreateKeyPair (rsa/ed25519, pem/ppk), ImportKeyPair, DescribeKeyPairs, DeleteKeyPair. */
import type { RequestContext } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import type { Scope } from '../../../state/store.js';
import { applyFilters, dryRun } from '../common.js';
import { generateKey, importKey } from '../domain/keys.js';
import { newId, tagsFor, tagsOut, type Ec2State, type KeyPairRec } from '../state.js';

function checkName(name: string | undefined): string {
  if (!name) throw new AwsError('MissingParameter', 'The request must contain the parameter KeyName', 400);
  if (name.length > 255 || !/^[\x20-\x7e]+$/.test(name)) throw new AwsError('InvalidParameterValue', `Value (${name}) for parameter keyName is invalid. Expected a string of ASCII characters up to 255 characters long.`, 400);
  return name;
}

function duplicate(st: Ec2State, scope: Scope, name: string): void {
  if (st.keyPairs.get(scope, name)) throw new AwsError('InvalidKeyPair.Duplicate', `The keypair '${name}' already exists.`, 400);
}

function render(k: KeyPairRec, includePublic: boolean): T.KeyPairInfo {
  return { KeyPairId: k.id, KeyFingerprint: k.fingerprint, KeyName: k.name, KeyType: k.type, Tags: tagsOut(k.tags) ?? [], CreateTime: new Date(k.createdAt), PublicKey: includePublic ? k.publicKey : undefined };
}

export function keyPairOperations(st: Ec2State) {
  return {
    CreateKeyPair(input: T.CreateKeyPairRequest, ctx: RequestContext): T.KeyPair {
      const scope = st.scope(ctx);
      const name = checkName(input.KeyName);
      const type = input.KeyType ?? 'rsa';
      const format = input.KeyFormat ?? 'pem';
      if (type !== 'rsa' && type !== 'ed25519') throw new AwsError('InvalidParameterValue', `Value (${type}) for parameter keyType is invalid. Valid values are: rsa | ed25519`, 400);
      if (format !== 'pem' && format !== 'ppk') throw new AwsError('InvalidParameterValue', `Value (${format}) for parameter keyFormat is invalid. Valid values are: pem | ppk`, 400);
      const tags = tagsFor(input.TagSpecifications, 'key-pair');
      duplicate(st, scope, name);
      dryRun(input);
      const g = generateKey(type, format, name);
      const k: KeyPairRec = { id: newId('key'), name, type, fingerprint: g.fingerprint, publicKey: g.publicKey, createdAt: st.now(), tags };
      st.keyPairs.put(scope, name, k);
      return { KeyPairId: k.id, KeyName: name, KeyFingerprint: k.fingerprint, KeyMaterial: g.material, Tags: tagsOut(tags) };
    },

    ImportKeyPair(input: T.ImportKeyPairRequest, ctx: RequestContext): T.ImportKeyPairResult {
      const scope = st.scope(ctx);
      const name = checkName(input.KeyName);
      if (!input.PublicKeyMaterial) throw new AwsError('MissingParameter', 'The request must contain the parameter PublicKeyMaterial', 400);
      const material = Buffer.isBuffer(input.PublicKeyMaterial) ? input.PublicKeyMaterial : Buffer.from(input.PublicKeyMaterial as unknown as string);
      const parsed = importKey(material, name);
      if (!parsed) throw new AwsError('InvalidKey.Format', 'Key is not in valid OpenSSH public key format', 400);
      const tags = tagsFor(input.TagSpecifications, 'key-pair');
      duplicate(st, scope, name);
      dryRun(input);
      const k: KeyPairRec = { id: newId('key'), name, type: parsed.type, fingerprint: parsed.fingerprint, publicKey: parsed.publicKey, createdAt: st.now(), tags };
      st.keyPairs.put(scope, name, k);
      return { KeyPairId: k.id, KeyName: name, KeyFingerprint: k.fingerprint, Tags: tagsOut(tags) };
    },

    DescribeKeyPairs(input: T.DescribeKeyPairsRequest, ctx: RequestContext): T.DescribeKeyPairsResult {
      const scope = st.scope(ctx);
      dryRun(input);
      let all = [...st.keyPairs.values(scope)];
      if (input.KeyNames?.length) {
        const missing = input.KeyNames.find((n) => !st.keyPairs.get(scope, n));
        if (missing) throw new AwsError('InvalidKeyPair.NotFound', `The key pair '${missing}' does not exist`, 400);
        all = all.filter((k) => input.KeyNames!.includes(k.name));
      }
      if (input.KeyPairIds?.length) {
        const missing = input.KeyPairIds.find((id) => !all.some((k) => k.id === id));
        if (missing) throw new AwsError('InvalidKeyPair.NotFound', `The key pair '${missing}' does not exist`, 400);
        all = all.filter((k) => input.KeyPairIds!.includes(k.id));
      }
      const out = applyFilters(all, input.Filters, { 'key-pair-id': (k) => k.id, 'key-name': (k) => k.name, fingerprint: (k) => k.fingerprint, 'key-type': (k) => k.type }, (k) => k.tags);
      return { KeyPairs: out.map((k) => render(k, !!input.IncludePublicKey)) };
    },

    DeleteKeyPair(input: T.DeleteKeyPairRequest, ctx: RequestContext): T.DeleteKeyPairResult {
      const scope = st.scope(ctx);
      dryRun(input);
      let k = input.KeyName ? st.keyPairs.get(scope, input.KeyName) : undefined;
      if (!k && input.KeyPairId) {
        k = [...st.keyPairs.values(scope)].find((x) => x.id === input.KeyPairId);
        if (!k) throw new AwsError('InvalidKeyPair.NotFound', `The key pair '${input.KeyPairId}' does not exist`, 400);
      }
      if (!input.KeyName && !input.KeyPairId) throw new AwsError('MissingParameter', 'The request must contain the parameter KeyName or KeyPairId', 400);
      // Deleting a key pair that does not exist (by name) succeeds, as on AWS.
      if (k) st.keyPairs.delete(scope, k.name);
      return { Return: true, KeyPairId: k?.id };
    },
  };
}
