/**
 * Organizations' state: one plain record per organization, kept in the management account's
 * scope (region "" — Organizations is global), plus a membership index in every member
 * account's scope that names its management account. Handshakes live in the inviting
 * organization; invited accounts find theirs by scanning organizations (few per runtime).
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { Scope, Store, Table } from '../../state/store.js';
import { AwsError } from '../../core/errors.js';
import type { Tag } from './generated/types.js';

export type { Tag };

export interface OuRec { id: string; name: string; parent: string; created: number }

export interface AccountRec {
  id: string;
  name: string;
  email: string;
  parent: string;
  joinedMethod: 'CREATED' | 'INVITED';
  joined: number;
  status: 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE';
  /** PENDING_CLOSURE until then, SUSPENDED after */
  closingUntil?: number;
}

export interface CreateRequestRec {
  id: string;
  accountId: string;
  name: string;
  email: string;
  requested: number;
  completeAt: number;
  failure?: string;
  /** the account was added to the organization (after completeAt) */
  settled?: boolean;
  tags: Tag[];
}

export interface PolicyRec { id: string; name: string; description: string; type: string; content: string; created: number }

export interface HandshakeRec {
  id: string;
  action: 'INVITE' | 'ENABLE_ALL_FEATURES' | 'APPROVE_ALL_FEATURES' | 'ADD_ORGANIZATIONS_SERVICE';
  target: { Id: string; Type: string };
  notes?: string;
  state: 'REQUESTED' | 'OPEN' | 'CANCELED' | 'ACCEPTED' | 'DECLINED' | 'EXPIRED';
  requested: number;
  expires: number;
  /** the ENABLE_ALL_FEATURES round a member's or the approval handshake belongs to */
  parent?: string;
}

export interface OrgRec {
  id: string;
  mgmt: string;
  mgmtEmail: string;
  featureSet: 'ALL' | 'CONSOLIDATED_BILLING';
  rootId: string;
  /** policy types enabled on the root, in the order they were enabled */
  enabledTypes: string[];
  ous: Record<string, OuRec>;
  accounts: Record<string, AccountRec>;
  createRequests: Record<string, CreateRequestRec>;
  policies: Record<string, PolicyRec>;
  /** target id (root, OU, account) → attached policy ids, in attachment order */
  attachments: Record<string, string[]>;
  /** policy type → last time a policy of that type changed or was (de)attached (epoch ms) */
  policyChanged: Record<string, number>;
  handshakes: Record<string, HandshakeRec>;
  /** account → service principal → date registered */
  delegated: Record<string, Record<string, number>>;
  /** trusted service access: principal → date enabled */
  services: Record<string, number>;
  /** resource id → tags */
  tags: Record<string, Tag[]>;
  /** the organization's resource-based policy (PutResourcePolicy) */
  resourcePolicy?: { id: string; content: string };
  created: number;
}

export interface OrgTables {
  orgs: Table<OrgRec>;
  /** member account → management account */
  members: Table<string>;
}

export function orgTables(store: Store): OrgTables {
  return { orgs: store.table('organizations', 'orgs'), members: store.table('organizations', 'members') };
}

export const accountScope = (account: string): Scope => ({ account, region: '' });
export const ORG_KEY = 'org';

/** Timings on the virtual clock. */
export const CREATE_ACCOUNT_DELAY_MS = 5_000;
export const CLOSE_ACCOUNT_DELAY_MS = 60_000;
export const HANDSHAKE_TTL_MS = 15 * 24 * 3600_000;

// ---- ids and ARNs ----

const LOWER = 'abcdefghijklmnopqrstuvwxyz0123456789';
export function rid(n: number, alphabet = LOWER): string {
  const b = randomBytes(n);
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[b[i]! % alphabet.length];
  return s;
}
export const newOrgId = () => 'o-' + rid(10);
export const newRootId = () => 'r-' + rid(4);
export const newOuId = (rootId: string) => `ou-${rootId.slice(2)}-${rid(8)}`;
export const newPolicyId = () => 'p-' + rid(8);
export const newCreateRequestId = () => 'car-' + rid(32);
export const newHandshakeId = () => 'h-' + rid(10);
export const newAccountId = () => String(randomInt(100_000_000_000, 1_000_000_000_000)).padStart(12, '0');

const base = (o: OrgRec) => `arn:aws:organizations::${o.mgmt}`;
export const orgArn = (o: OrgRec) => `${base(o)}:organization/${o.id}`;
export const rootArn = (o: OrgRec) => `${base(o)}:root/${o.id}/${o.rootId}`;
export const ouArn = (o: OrgRec, id: string) => `${base(o)}:ou/${o.id}/${id}`;
export const accountArn = (o: OrgRec, id: string) => `${base(o)}:account/${o.id}/${id}`;
export const handshakeArn = (o: OrgRec, h: HandshakeRec) => `${base(o)}:handshake/${o.id}/${h.action.toLowerCase()}/${h.id}`;
export function policyArn(o: OrgRec, p: { id: string; type: string }, awsManaged = false): string {
  return awsManaged
    ? `arn:aws:organizations::aws:policy/${p.type.toLowerCase()}/${p.id}`
    : `${base(o)}:policy/${o.id}/${p.type.toLowerCase()}/${p.id}`;
}

// ---- errors (codes and statuses from the model; messages are AWS's) ----

const STATUS: Record<string, number> = {
  AWSOrganizationsNotInUseException: 404, ResourcePolicyNotFoundException: 404, AccessDeniedException: 403, AccountAlreadyClosedException: 409,
  AccountAlreadyRegisteredException: 409, AccountNotFoundException: 404, AccountNotRegisteredException: 409,
  AlreadyInOrganizationException: 409, ChildNotFoundException: 404, ConstraintViolationException: 409,
  CreateAccountStatusNotFoundException: 404, DestinationParentNotFoundException: 404, DuplicateAccountException: 409,
  DuplicateHandshakeException: 409, DuplicateOrganizationalUnitException: 409, DuplicatePolicyAttachmentException: 409,
  DuplicatePolicyException: 409, EffectivePolicyNotFoundException: 400, HandshakeAlreadyInStateException: 409,
  HandshakeConstraintViolationException: 409, HandshakeNotFoundException: 404, InvalidHandshakeTransitionException: 409,
  InvalidInputException: 400, MalformedPolicyDocumentException: 400, MasterCannotLeaveOrganizationException: 409,
  OrganizationNotEmptyException: 409, OrganizationalUnitNotEmptyException: 409, OrganizationalUnitNotFoundException: 404,
  ParentNotFoundException: 404, PolicyInUseException: 409, PolicyNotAttachedException: 409, PolicyNotFoundException: 404,
  PolicyTypeAlreadyEnabledException: 409, PolicyTypeNotAvailableForOrganizationException: 409,
  PolicyTypeNotEnabledException: 409, RootNotFoundException: 404, SourceParentNotFoundException: 404, TargetNotFoundException: 404,
};

export function orgError(code: string, message: string, reason?: string): AwsError {
  return new AwsError(code, message, STATUS[code] ?? 400, reason ? { fields: { Reason: reason } } : {});
}

export const invalidInput = (reason: string, message: string) => orgError('InvalidInputException', message, reason);
export const constraint = (reason: string, message: string) => orgError('ConstraintViolationException', message, reason);
