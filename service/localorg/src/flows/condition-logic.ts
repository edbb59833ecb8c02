/** Evaluates Flow condition logic: `and`, `or`, or custom such as `1 AND (2 OR NOT 3)`. */
export function evaluateConditionLogic(logic: string, results: boolean[]): boolean {
  if (logic === 'and') return results.every(Boolean);
  if (logic === 'or') return results.some(Boolean);
  const tokens = logic.match(/\d+|AND|OR|NOT|\(|\)/gi) ?? [];
  let pos = 0;
  const next = () => tokens[pos]?.toUpperCase();
  function or(): boolean {
    let value = and();
    while (next() === 'OR') {
      pos++;
      const right = and();
      value = value || right;
    }
    return value;
  }
  function and(): boolean {
    let value = not();
    while (next() === 'AND') {
      pos++;
      const right = not();
      value = value && right;
    }
    return value;
  }
  function not(): boolean {
    if (next() === 'NOT') {
      pos++;
      return !not();
    }
    const token = tokens[pos++];
    if (token === '(') {
      const value = or();
      pos++;
      return value;
    }
    return results[Number(token) - 1] ?? false;
  }
  return or();
}
