/**
 * Amazon DynamoDB. Tables and items live in scoped tables (see state.ts); items are kept per
 * table in key order (N numerically, S and B by bytes) for O(log n) point access and
 * O(log n + page) range reads. Table status changes, TTL deletion and stream retention run on
 * the virtual clock.
 */
import { defineService } from '../service.js';
import type { DynamoDBHandlers } from './generated/types.js';
import { DynamoState } from './state.js';
import { register } from './internal.js';
import { tableHandlers } from './operations/tables.js';
import { updateTableHandlers } from './operations/update-table.js';
import { itemHandlers } from './operations/items.js';
import { queryHandlers } from './operations/query.js';
import { batchHandlers } from './operations/batch.js';
import { backupHandlers } from './operations/backups.js';
import { globalTableHandlers } from './operations/global-tables.js';
import { accountHandlers } from './operations/account.js';
import { lazyHandlers } from '../lazy.js';

export default defineService({
  id: 'dynamodb',
  create(rt) {
    const state = new DynamoState(rt);
    register(rt.store, state);
    const handlers: DynamoDBHandlers = {
      ...tableHandlers(state), ...updateTableHandlers(state), ...itemHandlers(state), ...queryHandlers(state), ...batchHandlers(state),
      ...backupHandlers(state), ...globalTableHandlers(state), ...accountHandlers(state),
      // PartiQL's parser (chevrotain) and the export/import formats (ion-js, csv-parse) load on first use
      ...lazyHandlers<DynamoDBHandlers, 'ExecuteStatement' | 'BatchExecuteStatement' | 'ExecuteTransaction'>(['ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction'], async () =>
        (await import('./operations/partiql.js')).partiqlHandlers(state),
      ),
      ...lazyHandlers<DynamoDBHandlers, 'ExportTableToPointInTime' | 'DescribeExport' | 'ListExports'>(['ExportTableToPointInTime', 'DescribeExport', 'ListExports'], async () =>
        (await import('./operations/exports.js')).exportHandlers(state),
      ),
      ...lazyHandlers<DynamoDBHandlers, 'ImportTable' | 'DescribeImport' | 'ListImports'>(['ImportTable', 'DescribeImport', 'ListImports'], async () =>
        (await import('./operations/imports.js')).importHandlers(state),
      ),
    };
    return {
      handlers: handlers as never,
      stop() {
        state.stop();
        register(rt.store, undefined);
      },
    };
  },
});
