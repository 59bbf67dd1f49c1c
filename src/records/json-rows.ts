/**
 * Rows of a JSON sample: each object in an array of objects is one row, its nested values
 * flattened into it ({"name": {...}, "contact": {"phone": …}} is one person); arrays of
 * objects inside it are tables of their own. A single top-level object is one row.
 */
export function jsonRows(value: unknown, onRow: (row: string[]) => void, depth = 0): void {
  if (depth > 32) return;
  if (Array.isArray(value)) {
    for (const v of value) {
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) emitObject(v as Record<string, unknown>, onRow, depth);
      else if (Array.isArray(v)) {
        // An array of arrays of scalars: a table with positional columns.
        if (v.every((x) => x === null || typeof x !== 'object')) onRow(v.filter((x) => x !== null && x !== undefined).map((x) => String(x)));
        else jsonRows(v, onRow, depth + 1);
      }
    }
    return;
  }
  if (value !== null && typeof value === 'object') emitObject(value as Record<string, unknown>, onRow, depth);
}

function emitObject(obj: Record<string, unknown>, onRow: (row: string[]) => void, depth: number): void {
  const row: string[] = [];
  const walk = (v: unknown, d: number): void => {
    if (d > 32) return;
    if (v === null || v === undefined) return;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') row.push(String(v));
    else if (Array.isArray(v)) {
      if (v.some((x) => x !== null && typeof x === 'object' && !Array.isArray(x))) jsonRows(v, onRow, depth + 1);
      else for (const x of v) walk(x, d + 1);
    } else if (typeof v === 'object') for (const x of Object.values(v as Record<string, unknown>)) walk(x, d + 1);
  };
  walk(obj, 0);
  if (row.length) onRow(row);
}
