/** Organizational units and the tree: parents, children. */
import type { OrganizationsHandlers } from '../generated/types.js';
import { constraint, invalidInput, newOuId, orgError, type OrgRec } from '../state.js';
import {
  attachDefaults, checkId, checkTags, isParent, kindOf, lineage, mgmtOrg, ouShape, paginate, parentOf, readOrg, save,
  type OrgContext,
} from './context.js';

const MAX_DEPTH = 5;

const parentNotFound = () => orgError('ParentNotFoundException', "We can't find a root or OU with the ParentId that you specified.");
const ouNotFound = () => orgError('OrganizationalUnitNotFoundException', "We can't find an OU with the OrganizationalUnitId that you specified.");
const duplicateOu = () => orgError('DuplicateOrganizationalUnitException', 'An OU with the same name already exists.');

function checkName(name: string | undefined): string {
  if (!name) throw invalidInput('INPUT_REQUIRED', 'You must specify a value for Name.');
  if (name.length > 128) throw invalidInput('MAX_LENGTH_EXCEEDED', 'You provided a string parameter that is longer than allowed.');
  if (!/^[\s\S]{1,128}$/.test(name)) throw invalidInput('INVALID_PATTERN', 'You provided a value that does not match the required pattern.');
  return name;
}

const childOus = (o: OrgRec, parent: string) => Object.values(o.ous).filter((x) => x.parent === parent);

export function ouOperations(c: OrgContext): OrganizationsHandlers {
  return {
    CreateOrganizationalUnit(input, ctx) {
      const o = mgmtOrg(c, ctx);
      const parent = checkId('parent', input.ParentId, 'ParentId');
      const name = checkName(input.Name);
      if (!isParent(o, parent)) throw parentNotFound();
      // depth of the new OU = OUs on the parent's lineage (root excluded) + 1
      if (lineage(o, parent).length > MAX_DEPTH) throw constraint('OU_DEPTH_LIMIT_EXCEEDED', 'You attempted to create an OU tree that is too many levels deep.');
      if (Object.keys(o.ous).length >= 1000) throw constraint('OU_NUMBER_LIMIT_EXCEEDED', 'You attempted to exceed the number of OUs that you can have in an organization.');
      if (childOus(o, parent).some((x) => x.name === name)) throw duplicateOu();
      const tags = checkTags(input.Tags);
      const id = newOuId(o.rootId);
      o.ous[id] = { id, name, parent, created: c.now() };
      if (tags.length) o.tags[id] = tags;
      attachDefaults(o, id);
      save(c, o);
      return { OrganizationalUnit: ouShape(o, id) };
    },

    DescribeOrganizationalUnit(input, ctx) {
      const o = readOrg(c, ctx);
      const id = checkId('ou', input.OrganizationalUnitId, 'OrganizationalUnitId');
      if (!o.ous[id]) throw ouNotFound();
      return { OrganizationalUnit: ouShape(o, id) };
    },

    UpdateOrganizationalUnit(input, ctx) {
      const o = mgmtOrg(c, ctx);
      const id = checkId('ou', input.OrganizationalUnitId, 'OrganizationalUnitId');
      const ou = o.ous[id];
      if (!ou) throw ouNotFound();
      if (input.Name !== undefined) {
        const name = checkName(input.Name);
        if (name !== ou.name && childOus(o, ou.parent).some((x) => x.name === name)) throw duplicateOu();
        ou.name = name;
        save(c, o);
      }
      return { OrganizationalUnit: ouShape(o, id) };
    },

    DeleteOrganizationalUnit(input, ctx) {
      const o = mgmtOrg(c, ctx);
      const id = checkId('ou', input.OrganizationalUnitId, 'OrganizationalUnitId');
      if (!o.ous[id]) throw ouNotFound();
      if (childOus(o, id).length || Object.values(o.accounts).some((a) => a.parent === id)) {
        throw orgError('OrganizationalUnitNotEmptyException', 'You must first remove all accounts and child OUs from the OU that you want to delete.');
      }
      delete o.ous[id];
      delete o.attachments[id];
      delete o.tags[id];
      save(c, o);
    },

    ListOrganizationalUnitsForParent(input, ctx) {
      const o = readOrg(c, ctx);
      const parent = checkId('parent', input.ParentId, 'ParentId');
      if (!isParent(o, parent)) throw parentNotFound();
      const { page, NextToken } = paginate(childOus(o, parent).map((x) => ouShape(o, x.id)), input.MaxResults, input.NextToken);
      return { OrganizationalUnits: page, NextToken };
    },

    ListParents(input, ctx) {
      const o = readOrg(c, ctx);
      const child = checkId('child', input.ChildId, 'ChildId');
      const parent = parentOf(o, child);
      if (!parent) throw orgError('ChildNotFoundException', "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.");
      const { page, NextToken } = paginate([{ Id: parent, Type: kindOf(o, parent)! }], input.MaxResults, input.NextToken);
      return { Parents: page, NextToken };
    },

    ListChildren(input, ctx) {
      const o = readOrg(c, ctx);
      const parent = checkId('parent', input.ParentId, 'ParentId');
      if (input.ChildType !== 'ACCOUNT' && input.ChildType !== 'ORGANIZATIONAL_UNIT') throw invalidInput('INVALID_ENUM', 'You specified an invalid value for ChildType.');
      if (!isParent(o, parent)) throw parentNotFound();
      const ids = input.ChildType === 'ACCOUNT'
        ? Object.values(o.accounts).filter((a) => a.parent === parent).map((a) => a.id)
        : childOus(o, parent).map((x) => x.id);
      const { page, NextToken } = paginate(ids.map((Id) => ({ Id, Type: input.ChildType })), input.MaxResults, input.NextToken);
      return { Children: page, NextToken };
    },
  };
}
