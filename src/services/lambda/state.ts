/**
 * Lambda state: one record per function in the scoped table `functions` (account × region),
 * keyed by function name. The configuration is stored as AWS returns it; code bytes, once
 * CreateFunction exists, go to blob files referenced from `code`.
 */
import type { Table } from '../../state/store.js';
import type { ServiceRuntime } from '../service.js';
import type { FunctionConfiguration } from './generated/types.js';

export interface FunctionRecord {
  configuration: FunctionConfiguration;
  code?: { blob: string; size: number; sha256: string };
}

export class LambdaState {
  readonly functions: Table<FunctionRecord>;

  constructor(readonly rt: ServiceRuntime) {
    this.functions = rt.table<FunctionRecord>('functions');
  }
}
