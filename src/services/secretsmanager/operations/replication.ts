/** ReplicateSecretToRegions, RemoveRegionsFromReplication, StopReplicationToReplica (see domain/replication.ts). */
import type {
  RemoveRegionsFromReplicationRequest, RemoveRegionsFromReplicationResponse, ReplicateSecretToRegionsRequest, ReplicateSecretToRegionsResponse,
} from '../generated/types.js';
import type { Scope } from '../../../state/store.js';
import type { SecretsState } from '../state.js';
import { constraint, invalidParameter, invalidRequest } from '../domain/model.js';
import { replicateTo, replicaScope, replicationStatus } from '../domain/replication.js';

export function replicateSecretToRegions(st: SecretsState, scope: Scope, input: ReplicateSecretToRegionsRequest): ReplicateSecretToRegionsResponse {
  if (!input.AddReplicaRegions?.length) throw constraint('[]', 'addReplicaRegions', 'Member must have length greater than or equal to 1');
  const s = st.writable(scope, input.SecretId);
  replicateTo(st, scope, s, input.AddReplicaRegions, input.ForceOverwriteReplicaSecret ?? false);
  const added = new Set(input.AddReplicaRegions.map((r) => r.Region));
  return { ARN: s.arn, ReplicationStatus: replicationStatus(st, scope, s).filter((r) => added.has(r.Region)) };
}

export function removeRegionsFromReplication(st: SecretsState, scope: Scope, input: RemoveRegionsFromReplicationRequest): RemoveRegionsFromReplicationResponse {
  if (!input.RemoveReplicaRegions?.length) throw constraint('[]', 'removeReplicaRegions', 'Member must have length greater than or equal to 1');
  const s = st.writable(scope, input.SecretId);
  for (const region of input.RemoveReplicaRegions) {
    if (!s.replicas?.some((r) => r.region === region)) throw invalidParameter(`The secret is not replicated to ${region}.`);
  }
  for (const region of input.RemoveReplicaRegions) {
    const target = replicaScope(scope, region);
    const rec = st.secrets.get(target, s.name);
    if (rec?.primaryRegion === scope.region) st.secrets.delete(target, s.name);
  }
  s.replicas = s.replicas!.filter((r) => !input.RemoveReplicaRegions.includes(r.region));
  if (!s.replicas.length) delete s.replicas;
  st.save(scope, s);
  return { ARN: s.arn, ReplicationStatus: replicationStatus(st, scope, s) };
}

/** Called in the replica's Region: the replica becomes a standalone secret. */
export function stopReplicationToReplica(st: SecretsState, scope: Scope, id: string): { ARN: string } {
  const s = st.get(scope, id);
  if (s.primaryRegion === undefined) throw invalidRequest(`${s.arn} is not a replica secret: call StopReplicationToReplica in a replica's Region.`);
  const primaryScope = replicaScope(scope, s.primaryRegion);
  const primary = st.secrets.get(primaryScope, s.name);
  if (primary?.replicas) {
    primary.replicas = primary.replicas.filter((r) => r.region !== scope.region);
    if (!primary.replicas.length) delete primary.replicas;
    st.secrets.put(primaryScope, primary.name, primary);
  }
  delete s.primaryRegion;
  s.lastChangedDate = st.now();
  st.save(scope, s);
  return { ARN: s.arn };
}
