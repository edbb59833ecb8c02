/**
 * The subset of Salesforce's formula language that the package's Flows use: IF, ISNEW,
 * ISCHANGED, PRIORVALUE, NOT, AND, OR, TEXT, ISBLANK, ISNULL, `&`, comparisons, string and
 * number literals, TRUE/FALSE/NULL and merge fields `{!$Record.X}`, `{!$Record__Prior.X}`,
 * `{!$Permission.X}`, `{!$User.Id}`, `{!$Flow.CurrentDateTime}` or another formula's name.
 * Formulas are parsed when Flows load, so anything else fails at start.
 */
export type FormulaValue = string | number | boolean | null;

export type FormulaNode =
  | { kind: 'literal'; value: FormulaValue }
  | { kind: 'ref'; ref: string }
  | { kind: 'call'; name: string; args: FormulaNode[] }
  | { kind: 'binary'; op: string; left: FormulaNode; right: FormulaNode }
  | { kind: 'negate'; operand: FormulaNode };

/** What a formula or a Flow condition can read while it runs. */
export interface FormulaScope {
  /** Value of a reference such as `$Record.Name` or a formula's name. */
  resolve(ref: string): FormulaValue;
  isNew(): boolean;
  /** True when the field of `$Record.<field>` differs from its prior value. */
  isChanged(ref: string): boolean;
  prior(ref: string): FormulaValue;
}

export const SUPPORTED_FUNCTIONS = [
  'IF',
  'ISNEW',
  'ISCHANGED',
  'PRIORVALUE',
  'NOT',
  'AND',
  'OR',
  'TEXT',
  'ISBLANK',
  'ISNULL',
] as const;

export class FormulaError extends Error {}

type Token =
  | { type: 'string'; value: string }
  | { type: 'number'; value: number }
  | { type: 'ident'; value: string }
  | { type: 'merge'; value: string }
  | { type: 'op'; value: string };

const OPERATORS = [
  '&&',
  '||',
  '<>',
  '!=',
  '==',
  '<=',
  '>=',
  '=',
  '<',
  '>',
  '&',
  '+',
  '-',
  '*',
  '/',
  '(',
  ')',
  ',',
];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '"' || ch === "'") {
      let value = '';
      i++;
      while (i < source.length && source[i] !== ch) {
        if (source[i] === '\\' && i + 1 < source.length) i++;
        value += source[i];
        i++;
      }
      if (i >= source.length) throw new FormulaError('Unterminated string literal');
      i++;
      tokens.push({ type: 'string', value });
    } else if (source.startsWith('{!', i)) {
      const end = source.indexOf('}', i);
      if (end < 0) throw new FormulaError('Unterminated merge field');
      tokens.push({ type: 'merge', value: source.slice(i + 2, end).trim() });
      i = end + 1;
    } else if (/[0-9.]/.test(ch)) {
      const match = /^[0-9]*\.?[0-9]+/.exec(source.slice(i))!;
      tokens.push({ type: 'number', value: Number(match[0]) });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i))!;
      tokens.push({ type: 'ident', value: match[0] });
      i += match[0].length;
    } else {
      const op = OPERATORS.find((o) => source.startsWith(o, i));
      if (!op) throw new FormulaError(`Unexpected character '${ch}'`);
      tokens.push({ type: 'op', value: op });
      i += op.length;
    }
  }
  return tokens;
}

const PRECEDENCE: string[][] = [
  ['||'],
  ['&&'],
  ['=', '==', '!=', '<>', '<', '>', '<=', '>='],
  ['&', '+', '-'],
  ['*', '/'],
];

/** Parses a formula expression; throws FormulaError on anything outside the subset. */
export function parseFormula(source: string): FormulaNode {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = () => tokens[pos];
  const isOp = (value: string) => peek()?.type === 'op' && peek()!.value === value;
  const expectOp = (value: string) => {
    if (!isOp(value)) throw new FormulaError(`Expected '${value}'`);
    pos++;
  };

  function binary(level: number): FormulaNode {
    if (level === PRECEDENCE.length) return unary();
    let left = binary(level + 1);
    for (;;) {
      const token = peek();
      if (token?.type !== 'op' || !PRECEDENCE[level]!.includes(token.value)) return left;
      pos++;
      left = { kind: 'binary', op: token.value, left, right: binary(level + 1) };
    }
  }

  function unary(): FormulaNode {
    if (isOp('-')) {
      pos++;
      return { kind: 'negate', operand: unary() };
    }
    return primary();
  }

  function primary(): FormulaNode {
    const token = tokens[pos++];
    if (!token) throw new FormulaError('Unexpected end of formula');
    if (token.type === 'string' || token.type === 'number')
      return { kind: 'literal', value: token.value };
    if (token.type === 'merge') return { kind: 'ref', ref: token.value };
    if (token.type === 'op' && token.value === '(') {
      const inner = binary(0);
      expectOp(')');
      return inner;
    }
    if (token.type === 'ident') {
      const upper = token.value.toUpperCase();
      if (upper === 'TRUE' || upper === 'FALSE')
        return { kind: 'literal', value: upper === 'TRUE' };
      if (upper === 'NULL') return { kind: 'literal', value: null };
      if (!isOp('(')) throw new FormulaError(`Unknown identifier ${token.value}`);
      if (!(SUPPORTED_FUNCTIONS as readonly string[]).includes(upper)) {
        throw new FormulaError(`Unsupported function ${token.value}`);
      }
      pos++;
      const args: FormulaNode[] = [];
      if (!isOp(')')) {
        args.push(binary(0));
        while (isOp(',')) {
          pos++;
          args.push(binary(0));
        }
      }
      expectOp(')');
      return { kind: 'call', name: upper, args };
    }
    throw new FormulaError(`Unexpected '${String(token.value)}'`);
  }

  const node = binary(0);
  if (pos !== tokens.length) throw new FormulaError(`Unexpected '${String(tokens[pos]!.value)}'`);
  return node;
}

/** Every merge field reference in a formula, to check them when Flows load. */
export function formulaReferences(node: FormulaNode): string[] {
  switch (node.kind) {
    case 'ref':
      return [node.ref];
    case 'call':
      return node.args.flatMap(formulaReferences);
    case 'binary':
      return [...formulaReferences(node.left), ...formulaReferences(node.right)];
    case 'negate':
      return formulaReferences(node.operand);
    default:
      return [];
  }
}

const isBlank = (value: FormulaValue) => value === null || value === '';

function asText(value: FormulaValue): string {
  if (value === null) return '';
  return String(value);
}

function truthy(value: FormulaValue): boolean {
  return value === true || value === 'true';
}

function compare(op: string, left: FormulaValue, right: FormulaValue): boolean {
  if (isBlank(left) || isBlank(right)) {
    const same = isBlank(left) && isBlank(right);
    if (op === '=' || op === '==') return same;
    if (op === '!=' || op === '<>') return !same;
    return false;
  }
  const numeric = typeof left === 'number' || typeof right === 'number';
  const a = numeric ? Number(left) : String(left);
  const b = numeric ? Number(right) : String(right);
  switch (op) {
    case '=':
    case '==':
      return a === b;
    case '!=':
    case '<>':
      return a !== b;
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    default:
      return a >= b;
  }
}

function fieldArgument(node: FormulaNode | undefined, fn: string): string {
  if (node?.kind !== 'ref') throw new FormulaError(`${fn} takes a field reference`);
  return node.ref;
}

// Plain recursive calls, no helper closures: a Flow's entry condition runs once per record.
export function evaluateFormula(node: FormulaNode, scope: FormulaScope): FormulaValue {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'ref':
      return scope.resolve(node.ref);
    case 'negate':
      return -Number(evaluateFormula(node.operand, scope));
    case 'binary': {
      if (node.op === '&&')
        return (
          truthy(evaluateFormula(node.left, scope)) && truthy(evaluateFormula(node.right, scope))
        );
      if (node.op === '||')
        return (
          truthy(evaluateFormula(node.left, scope)) || truthy(evaluateFormula(node.right, scope))
        );
      const left = evaluateFormula(node.left, scope);
      const right = evaluateFormula(node.right, scope);
      if (node.op === '&') return asText(left) + asText(right);
      if (node.op === '+' && (typeof left === 'string' || typeof right === 'string')) {
        return asText(left) + asText(right);
      }
      if (['+', '-', '*', '/'].includes(node.op)) {
        if (left === null || right === null) return null;
        const [a, b] = [Number(left), Number(right)];
        if (node.op === '+') return a + b;
        if (node.op === '-') return a - b;
        if (node.op === '*') return a * b;
        return a / b;
      }
      return compare(node.op, left, right);
    }
    case 'call':
      return callFunction(node.name, node.args, scope);
  }
}

function argument(args: FormulaNode[], index: number, scope: FormulaScope): FormulaValue {
  const node = args[index];
  return node ? evaluateFormula(node, scope) : null;
}

function callFunction(name: string, args: FormulaNode[], scope: FormulaScope): FormulaValue {
  switch (name) {
    case 'IF':
      if (args.length !== 3) throw new FormulaError('IF takes 3 arguments');
      return truthy(argument(args, 0, scope)) ? argument(args, 1, scope) : argument(args, 2, scope);
    case 'ISNEW':
      return scope.isNew();
    case 'ISCHANGED':
      return scope.isChanged(fieldArgument(args[0], 'ISCHANGED'));
    case 'PRIORVALUE':
      return scope.prior(fieldArgument(args[0], 'PRIORVALUE'));
    case 'NOT':
      return !truthy(argument(args, 0, scope));
    case 'AND':
      return args.every((a) => truthy(evaluateFormula(a, scope)));
    case 'OR':
      return args.some((a) => truthy(evaluateFormula(a, scope)));
    case 'TEXT':
      return asText(argument(args, 0, scope));
    case 'ISBLANK':
    case 'ISNULL':
      return isBlank(argument(args, 0, scope));
    default:
      throw new FormulaError(`Unsupported function ${name}`);
  }
}

export { truthy as isFormulaTrue };
