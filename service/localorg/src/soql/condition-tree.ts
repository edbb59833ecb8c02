/**
 * WHERE and HAVING clauses as a condition tree. soql-parser-js gives conditions as a flat chain
 * with parenthesis counts; they are read as tokens and rebuilt into a tree (NOT binds tightest,
 * AND and OR may not be mixed at one level without parentheses, as Salesforce requires). The
 * tokens also tell which Ids a clause pins the rows to.
 */
import type {
  Condition,
  NegationCondition,
  ValueQueryCondition,
  WhereClause,
} from '@jetstreamapp/soql-parser-js';
import { locate, malformed } from './errors.ts';
import { unquote } from './values.ts';

/** A comparison in a WHERE or HAVING clause (NOT and parentheses are tokens around it). */
export type LeafCondition = Exclude<Condition, NegationCondition> | ValueQueryCondition;

type Token =
  | { kind: 'open' }
  | { kind: 'close' }
  | { kind: 'not' }
  | { kind: 'op'; op: 'AND' | 'OR' }
  | { kind: 'cond'; cond: LeafCondition };

export type ConditionNode =
  | { kind: 'and' | 'or'; children: ConditionNode[] }
  | { kind: 'not'; child: ConditionNode }
  | { kind: 'cond'; cond: LeafCondition };

function isCondition(value: unknown): value is LeafCondition {
  return typeof value === 'object' && value !== null && ('field' in value || 'fn' in value);
}

export function tokenize(where: WhereClause): Token[] {
  const tokens: Token[] = [];
  let node: WhereClause | undefined = where;
  while (node) {
    const left: unknown = node.left;
    const operator = 'operator' in node ? node.operator : undefined;
    if (operator === 'NOT' && !isCondition(left)) {
      const opens = (left as { openParen?: number } | null)?.openParen ?? 0;
      for (let i = 0; i < opens; i++) tokens.push({ kind: 'open' });
      tokens.push({ kind: 'not' });
    } else if (isCondition(left)) {
      for (let i = 0; i < (left.openParen ?? 0); i++) tokens.push({ kind: 'open' });
      tokens.push({ kind: 'cond', cond: left });
      const closes = 'closeParen' in left ? (left.closeParen ?? 0) : 0;
      for (let i = 0; i < closes; i++) tokens.push({ kind: 'close' });
      if (operator === 'AND' || operator === 'OR') tokens.push({ kind: 'op', op: operator });
    }
    node = 'right' in node ? node.right : undefined;
  }
  return tokens;
}

export class TreeBuilder {
  private position = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly soql: string,
  ) {}

  build(): ConditionNode {
    return this.expression();
  }

  private expression(): ConditionNode {
    const first = this.unary();
    let joiner: 'AND' | 'OR' | undefined;
    const children = [first];
    for (let token = this.tokens[this.position]; token?.kind === 'op';) {
      if (joiner && joiner !== token.op) {
        const whereAt = locate(this.soql, 'WHERE');
        throw malformed(
          this.soql,
          locate(this.soql, token.op, whereAt),
          `unexpected token: '${token.op}'`,
        );
      }
      joiner = token.op;
      this.position++;
      children.push(this.unary());
      token = this.tokens[this.position];
    }
    if (!joiner) return first;
    return { kind: joiner === 'AND' ? 'and' : 'or', children };
  }

  private unary(): ConditionNode {
    const token = this.tokens[this.position++];
    if (token?.kind === 'not') return { kind: 'not', child: this.unary() };
    if (token?.kind === 'open') {
      const inner = this.expression();
      if (this.tokens[this.position]?.kind === 'close') this.position++;
      return inner;
    }
    if (token?.kind === 'cond') return { kind: 'cond', cond: token.cond };
    throw malformed(this.soql, this.soql.length, "unexpected token: '<EOF>'");
  }
}

/**
 * The Ids a WHERE clause pins the rows to, when every condition is ANDed and one of them is
 * `Id = '...'` or `Id IN (...)`: the rows can then be fetched by Id instead of scanned.
 * Undefined when the clause does not pin Ids.
 */
export function pinnedIds(where: WhereClause | undefined): string[] | undefined {
  if (!where) return undefined;
  const tokens = tokenize(where);
  if (tokens.some((t) => t.kind === 'not' || (t.kind === 'op' && t.op === 'OR'))) return undefined;
  for (const token of tokens) {
    if (token.kind !== 'cond') continue;
    const cond = token.cond;
    if (!('field' in cond) || cond.field.toLowerCase() !== 'id' || !('value' in cond)) continue;
    const operator = cond.operator.toUpperCase();
    if (operator !== '=' && operator !== 'IN') continue;
    const values = Array.isArray(cond.value) ? cond.value : [cond.value];
    const types = Array.isArray(cond.literalType) ? cond.literalType : [cond.literalType];
    if (types.some((t) => t !== 'STRING')) continue;
    return values.map((v) => unquote(String(v)));
  }
  return undefined;
}
