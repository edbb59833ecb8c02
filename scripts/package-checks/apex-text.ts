import { ApexErrorListener, ApexLexer, ApexParserFactory } from '@apexdevtools/apex-parser';

// The parts of ANTLR's parse tree these checks read (antlr4 is the parser's own dependency).
interface TerminalNode {
  symbol: { type: number; line: number };
  getText(): string;
}
interface ParserRuleContext {
  ruleIndex: number;
  children: ParseTree[] | null;
  parentCtx: ParserRuleContext | null;
  start: { line: number };
  getText(): string;
}
type ParseTree = TerminalNode | ParserRuleContext;

// Where the text an Apex class shows users comes from, read from its parse tree: string literals
// with the code that holds them, and the Custom Labels it formats.

/** A string literal of Apex source, where it is and why it is allowed there (if it is). */
export interface ApexLiteral {
  /** The literal's value without quotes. */
  value: string;
  line: number;
  /** The allowed context it stands in, or undefined when it could reach a user. */
  allowedAs?: 'constant' | 'member-name' | 'no-words';
  /** Names of the enclosing methods and calls, innermost first, for sink rules. */
  enclosing: string[];
}

/** A String.format call and the Custom Labels its pattern is chosen from. */
export interface LabelFormat {
  /** Labels the pattern names (one, or each branch of a conditional); empty for any other pattern. */
  labels: string[];
  /** Arguments given in a list literal, or undefined when they come from a variable. */
  argumentCount?: number;
  line: number;
}

class ThrowingListener extends ApexErrorListener {
  apexSyntaxError(line: number, column: number, message: string): void {
    throw new Error(`Apex syntax error at ${line}:${column}: ${message}`);
  }
}

function parse(source: string): { tree: ParserRuleContext; ruleNames: string[] } {
  const { parser } = ApexParserFactory.createLexerAndParser(source, new ThrowingListener());
  return {
    tree: parser.compilationUnit() as unknown as ParserRuleContext,
    ruleNames: parser.ruleNames,
  };
}

const isTerminal = (node: ParseTree): node is TerminalNode => 'symbol' in node;

function children(node: ParseTree): ParseTree[] {
  return isTerminal(node) ? [] : ((node as ParserRuleContext).children ?? []);
}

function rule(node: ParseTree, ruleNames: string[]): string {
  return isTerminal(node) ? '' : ruleNames[(node as ParserRuleContext).ruleIndex];
}

/** The id a method declaration or a call names, from its first identifier child. */
function calledName(node: ParseTree, ruleNames: string[]): string | undefined {
  const name = rule(node, ruleNames);
  if (name === 'creator') {
    return children(node)[0]?.getText().replace(/<.*$/, '');
  }
  if (name === 'methodDeclaration' || name === 'methodCall' || name === 'dotMethodCall') {
    const id = children(node).find(
      (child) => rule(child, ruleNames) === 'anyId' || rule(child, ruleNames) === 'id',
    );
    return id?.getText();
  }
  return undefined;
}

/**
 * Whether a field declaration is a class constant: its class body declaration carries both the
 * static and the final modifier.
 */
function isConstant(fieldDeclaration: ParseTree, ruleNames: string[]): boolean {
  const memberDeclaration = (fieldDeclaration as ParserRuleContext).parentCtx;
  const bodyDeclaration = memberDeclaration?.parentCtx;
  if (!bodyDeclaration || rule(bodyDeclaration, ruleNames) !== 'classBodyDeclaration') {
    return false;
  }
  const modifiers = children(bodyDeclaration)
    .filter((child) => rule(child, ruleNames) === 'modifier')
    .map((child) => child.getText().toLowerCase());
  return modifiers.includes('static') && modifiers.includes('final');
}

/**
 * Every string literal of a class. Allowed contexts:
 * - `constant`: the value of a `static final` field (API names, keys, protocol values);
 * - `member-name`: an argument of `get(...)` or `containsKey(...)` (a member of the service's JSON
 *   answer, a field name or a map key: names, never shown);
 * - `no-words`: a literal without a letter (a separator such as `', '`, or `''`).
 */
export function apexLiterals(source: string): ApexLiteral[] {
  const { tree, ruleNames } = parse(source);
  const literals: ApexLiteral[] = [];
  const walk = (node: ParseTree, ancestors: ParseTree[]) => {
    if (isTerminal(node)) {
      if (node.symbol.type === ApexLexer.StringLiteral) {
        const text = node.getText();
        const value = text.slice(1, -1);
        const enclosing = ancestors
          .map((ancestor) => calledName(ancestor, ruleNames))
          .filter((name): name is string => !!name)
          .reverse();
        const inConstant = ancestors.some(
          (ancestor) =>
            rule(ancestor, ruleNames) === 'fieldDeclaration' && isConstant(ancestor, ruleNames),
        );
        const innermostCall = ancestors
          .slice()
          .reverse()
          .find((ancestor) => /^(dotMethodCall|methodCall)$/.test(rule(ancestor, ruleNames)));
        const callName = innermostCall && calledName(innermostCall, ruleNames);
        literals.push({
          value,
          line: node.symbol.line,
          enclosing,
          allowedAs: !/\p{L}/u.test(value)
            ? 'no-words'
            : inConstant
              ? 'constant'
              : callName === 'get' || callName === 'containsKey'
                ? 'member-name'
                : undefined,
        });
      }
      return;
    }
    children(node).forEach((child) => walk(child, [...ancestors, node]));
  };
  walk(tree, []);
  return literals;
}

/** A constant's value that reads as prose rather than a name: three words or more, or a sentence end. */
export function looksLikeProse(value: string): boolean {
  return value.trim().split(/\s+/).length >= 3 || /[.!?:]$/.test(value.trim());
}

/** Every `String.format(pattern, arguments)` of a class, with its argument count when literal. */
export function labelFormats(source: string): LabelFormat[] {
  const { tree, ruleNames } = parse(source);
  const formats: LabelFormat[] = [];
  const walk = (node: ParseTree) => {
    if (rule(node, ruleNames) === 'dotMethodCall' && calledName(node, ruleNames) === 'format') {
      const list = children(node).find((child) => rule(child, ruleNames) === 'expressionList');
      const args = children(list ?? node).filter(
        (child) => rule(child, ruleNames) === 'expression',
      );
      const receiver = (node as ParserRuleContext).parentCtx?.children?.[0]?.getText();
      if (receiver === 'String' && args.length === 2) {
        const pattern = args[0].getText();
        // The pattern is a label, or a conditional choosing between labels: nothing else.
        const labels = /^(System\.Label\.\w+|[^?]+\?System\.Label\.\w+:System\.Label\.\w+)$/i.test(
          pattern,
        )
          ? [...pattern.matchAll(/System\.Label\.(\w+)/gi)].map((match) => match[1])
          : [];
        const literal = /^newList<Object>\{([\s\S]*)\}$/.exec(args[1].getText());
        formats.push({
          labels,
          line: (node as ParserRuleContext).start.line,
          argumentCount: literal ? topLevelCount(args[1], ruleNames) : undefined,
        });
      }
    }
    children(node).forEach(walk);
  };
  walk(tree);
  return formats;
}

/** Elements of a `new List<Object>{ a, b }` creator. */
function topLevelCount(creatorExpression: ParseTree, ruleNames: string[]): number {
  let count = 0;
  const walk = (node: ParseTree) => {
    const name = rule(node, ruleNames);
    if (
      name === 'arrayInitializer' ||
      name === 'setOrListInitialiser' ||
      name === 'setCreatorRest'
    ) {
      count = children(node).filter((child) => rule(child, ruleNames) === 'expression').length;
      return;
    }
    children(node).forEach(walk);
  };
  walk(creatorExpression);
  return count;
}

/** Names of the Custom Labels a class reads as `System.Label.X` or `Label.X`. */
export function labelReferences(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
  return [...code.matchAll(/\b(?:System\.)?Label\.(\w+)\b/g)].map((match) => match[1]);
}

/** Highest `{n}` placeholder of a label value plus one: the arguments it needs. */
export function placeholderCount(value: string): number {
  const indexes = [...value.matchAll(/\{(\d+)\}/g)].map((match) => Number(match[1]));
  return indexes.length === 0 ? 0 : Math.max(...indexes) + 1;
}
