/** What every IAM operation file is given. */
import type { ServiceRuntime } from '../../service.js';
import type { IamTables } from '../state.js';

export interface IamContext {
  rt: ServiceRuntime;
  t: IamTables;
  now(): number;
}
