// Deterministic JSON: keys sorted (a leading "//" banner stays first), objects expanded one key a
// line down to `expandDepth`, everything deeper on one line. One shape or operation a line keeps
// the files small and the diffs readable.

/** @param {unknown} value @param {number} expandDepth */
export function stableJson(value, expandDepth = 2) {
  return write(value, 0, expandDepth) + '\n';
}

function sortedKeys(obj) {
  return Object.keys(obj).filter((k) => obj[k] !== undefined).sort((a, b) => {
    if (a === '//') return -1;
    if (b === '//') return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

function write(value, depth, expandDepth) {
  if (Array.isArray(value)) {
    if (depth < expandDepth && value.length > 0 && value.some((v) => v !== null && typeof v === 'object')) {
      const pad = '  '.repeat(depth + 1);
      return '[\n' + value.map((v) => pad + write(v, expandDepth, expandDepth)).join(',\n') + '\n' + '  '.repeat(depth) + ']';
    }
    return '[' + value.map((v) => write(v, expandDepth, expandDepth)).join(',') + ']';
  }
  if (value !== null && typeof value === 'object') {
    const keys = sortedKeys(value);
    if (depth < expandDepth && keys.length > 0) {
      const pad = '  '.repeat(depth + 1);
      return '{\n' + keys.map((k) => `${pad}${JSON.stringify(k)}: ${write(value[k], depth + 1, expandDepth)}`).join(',\n') +
        '\n' + '  '.repeat(depth) + '}';
    }
    return '{' + keys.map((k) => `${JSON.stringify(k)}:${write(value[k], depth + 1, expandDepth)}`).join(',') + '}';
  }
  return JSON.stringify(value);
}
