import { ApexErrorListener, ApexParserFactory } from '@apexdevtools/apex-parser';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listFiles, read, sourceRoot } from './package-files.ts';

class CollectingListener extends ApexErrorListener {
  readonly errors: string[] = [];
  apexSyntaxError(line: number, column: number, message: string): void {
    this.errors.push(`${line}:${column} ${message}`);
  }
}

/** Syntax errors of one Apex class, as "line:column message". */
export function apexSyntaxErrors(source: string): string[] {
  const listener = new CollectingListener();
  const { parser } = ApexParserFactory.createLexerAndParser(source, listener);
  parser.compilationUnit();
  return listener.errors;
}

const classFiles = listFiles(join(sourceRoot, 'classes')).filter((path) => path.endsWith('.cls'));
const classes = classFiles.map((path) => ({ name: basename(path, '.cls'), source: read(path) }));
const isTest = (source: string) => /^@IsTest\b/im.test(source);
const productionClasses = classes.filter((apex) => !isTest(apex.source));
const testClasses = classes.filter((apex) => isTest(apex.source));

// Public or global members that need ApexDoc: methods, constructors and properties.
const MEMBER = /^\s*(?:public|global)\s+(?!class\b)[^=;{]*?(?:\(|;|=)/;

function membersWithoutDoc(source: string): string[] {
  const lines = source.split('\n');
  const missing: string[] = [];
  lines.forEach((line, index) => {
    if (!MEMBER.test(line) || /\bstatic final\b/.test(line)) {
      return;
    }
    let previous = index - 1;
    while (previous >= 0 && /^\s*@\w+/.test(lines[previous])) {
      previous -= 1;
    }
    if (previous < 0 || !lines[previous].trim().endsWith('*/')) {
      missing.push(`${index + 1}: ${line.trim()}`);
    }
  });
  return missing;
}

const isInterface = (source: string) => /^public interface \w+/m.test(source);

/** Methods of an interface (implicitly public) without an ApexDoc comment right above them. */
function interfaceMethodsWithoutDoc(source: string): string[] {
  const lines = source.split('\n');
  return lines.flatMap((line, index) =>
    /^\s+[\w<>,. ]+\s\w+\([^)]*\)?[^{]*;?\s*$/.test(line) &&
    /\(/.test(line) &&
    !lines[index - 1]?.trim().endsWith('*/')
      ? [`${index + 1}: ${line.trim()}`]
      : [],
  );
}

// Arguments an Assert method takes before its message.
const ASSERT_ARITY: Record<string, number> = {
  areEqual: 2,
  areNotEqual: 2,
  isTrue: 1,
  isFalse: 1,
  isNull: 1,
  isNotNull: 1,
  isInstanceOfType: 2,
  isNotInstanceOfType: 2,
  fail: 0,
};

/** Every Assert call of a class with its top-level argument count, string literals skipped. */
export function assertCalls(source: string): { method: string; args: number; line: number }[] {
  const calls: { method: string; args: number; line: number }[] = [];
  for (const match of source.matchAll(/\bAssert\.(\w+)\s*\(/g)) {
    let depth = 1;
    let args = 1;
    let empty = true;
    let i = (match.index ?? 0) + match[0].length;
    for (; i < source.length && depth > 0; i += 1) {
      const char = source[i];
      if (char === "'") {
        for (i += 1; i < source.length && source[i] !== "'"; i += source[i] === '\\' ? 2 : 1);
        empty = false;
      } else if (char === '(' || char === '{' || char === '[') {
        depth += 1;
      } else if (char === ')' || char === '}' || char === ']') {
        depth -= 1;
      } else if (char === ',' && depth === 1) {
        args += 1;
      } else if (!/\s/.test(char)) {
        empty = false;
      }
    }
    calls.push({
      method: match[1],
      args: empty ? 0 : args,
      line: source.slice(0, match.index).split('\n').length,
    });
  }
  return calls;
}

describe('Apex classes', () => {
  it('has production and test classes', () => {
    expect(productionClasses.length).toBeGreaterThanOrEqual(4);
    expect(testClasses.length).toBeGreaterThanOrEqual(3);
  });

  it.each(classes.map((apex) => [apex.name, apex.source]))('%s parses', (_name, source) => {
    expect(apexSyntaxErrors(source)).toEqual([]);
  });

  it('the parser rejects broken Apex', () => {
    expect(apexSyntaxErrors('public class Broken { void run( { }')).not.toEqual([]);
  });

  it.each(productionClasses.map((apex) => [apex.name, apex.source]))(
    '%s runs with sharing and documents its public members',
    (_name, source) => {
      if (isInterface(source)) {
        // An interface has no sharing of its own: the classes implementing it declare theirs.
        expect(source).toMatch(/^\/\*\*[\s\S]*?@description[\s\S]*?\*\/\s*\npublic interface/m);
        expect(interfaceMethodsWithoutDoc(source)).toEqual([]);
        return;
      }
      expect(source).toMatch(/^public with sharing class \w+/m);
      expect(source).toMatch(
        /^\/\*\*[\s\S]*?@description[\s\S]*?\*\/\s*\npublic with sharing class/m,
      );
      expect(membersWithoutDoc(source)).toEqual([]);
    },
  );

  it('an interface without a doc comment on a method is caught', () => {
    expect(
      interfaceMethodsWithoutDoc(
        'public interface Sample {\n  /** @description a. */\n  String a();\n  String b();\n}',
      ),
    ).toEqual(['4: String b();']);
  });

  it.each(productionClasses.map((apex) => [apex.name, apex.source]))(
    '%s queries in user mode only',
    (_name, source) => {
      const inlineQueries = [...source.matchAll(/\[\s*SELECT[\s\S]*?\]/gi)].map(
        (match) => match[0],
      );
      // The install handler runs as a special system user with no object access of its own
      // (Apex Developer Guide, "Running Apex on Package Install/Upgrade"): it alone uses system mode.
      const installer = /implements (Install|Uninstall)Handler\b/.test(source);
      const mode = installer ? /WITH (USER|SYSTEM)_MODE/i : /WITH USER_MODE/i;
      inlineQueries.forEach((query) => expect(query).toMatch(mode));
      const dynamicQueries = [...source.matchAll(/Database\.query\w*\(([^;]*)\);/g)].map(
        (match) => match[1],
      );
      dynamicQueries.forEach((call) => expect(call).toMatch(/AccessLevel\.USER_MODE/));
      expect(source).not.toMatch(
        installer
          ? /WITH SECURITY_ENFORCED|without sharing/i
          : /WITH SECURITY_ENFORCED|without sharing|AccessLevel\.SYSTEM_MODE|WITH SYSTEM_MODE/i,
      );
    },
  );

  it.each(productionClasses.map((apex) => [apex.name]))(
    '%s is exercised by a test class',
    (name) => {
      const testedBy = testClasses.filter((test) => new RegExp(`\\b${name}\\b`).test(test.source));
      expect(testedBy.map((test) => test.name)).not.toEqual([]);
    },
  );

  it.each(testClasses.map((apex) => [apex.name, apex.source]))(
    '%s asserts with messages',
    (_name, source) => {
      if (!/@IsTest\s*\n\s*static void/.test(source)) {
        // Mocks and helpers are test classes without test methods.
        expect(source).toMatch(/implements HttpCalloutMock|@IsTest\s*\npublic class/);
        return;
      }
      expect(source).toMatch(/Assert\.\w+\(/);
      expect(source).not.toMatch(/System\.assert(Equals|NotEquals)?\(/);
      const withoutMessage = assertCalls(source)
        .filter(({ method, args }) => !(method in ASSERT_ARITY) || args <= ASSERT_ARITY[method])
        .map(({ method, line }) => `${line}: Assert.${method}`);
      expect(withoutMessage).toEqual([]);
    },
  );

  it('the message check counts arguments past nested calls and string literals', () => {
    expect(assertCalls("Assert.areEqual(f(a, b), 'x, y');").map(({ args }) => args)).toEqual([2]);
    expect(assertCalls("Assert.isTrue(ok, 'ok');\nAssert.fail();").map(({ args }) => args)).toEqual(
      [2, 0],
    );
  });

  it('the tests cover events, callouts and users without the permission sets', () => {
    const all = testClasses.map((apex) => apex.source).join('\n');
    expect(all).toMatch(/Test\.getEventBus\(\)\.deliver\(\)/);
    expect(all).toMatch(/implements HttpCalloutMock/);
    expect(all).toMatch(/Test\.setMock\(HttpCalloutMock\.class/);
    expect(all).toMatch(/System\.runAs\(/);
    expect(all).toMatch(/Profile WHERE Name = 'Standard User'/);
  });
});
