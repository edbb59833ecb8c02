/**
 * Reads Flow metadata (`flows/*.flow-meta.xml`: the package's, or an admin's folder) and checks
 * that each active Flow stays within what the local org can run. Anything else is an error at
 * start, never a Flow silently ignored. Apex actions run through native stand-ins
 * (`apex-actions.ts`); outbound message actions send the folder's Workflow outbound messages.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { apexActionResolver, type ApexActionResolver } from './apex-actions.ts';
import type {
  ConditionGroup,
  ConditionOperator,
  FlowCondition,
  FlowDefinition,
  FlowElement,
  FlowStart,
  FlowValue,
  RecordTriggerType,
  TriggerType,
} from './flow-model.ts';
import { formulaReferences, parseFormula, type FormulaNode } from './formula.ts';
import {
  checkKeys,
  connectorOf,
  fail,
  parseValue,
  text,
  UnsupportedFlowError,
  type Xml,
} from './flow-xml.ts';
import { parseActionElements } from './flow-action-elements.ts';
import { loadOutboundMessages, type OutboundMessages } from './outbound-message-definitions.ts';

export { UnsupportedFlowError };

const ARRAY_TAGS = new Set([
  'actionCalls',
  'assignments',
  'assignmentItems',
  'dataTypeMappings',
  'inputParameters',
  'variables',
  'formulas',
  'recordCreates',
  'decisions',
  'rules',
  'conditions',
  'filters',
  'inputAssignments',
  'processMetadataValues',
]);

const FLOW_ELEMENTS = new Set([
  'actionCalls',
  'assignments',
  'variables',
  'apiVersion',
  'description',
  'environments',
  'formulas',
  'interviewLabel',
  'label',
  'processType',
  'recordCreates',
  'decisions',
  'start',
  'status',
  'processMetadataValues',
  'runInMode',
]);

const OPERATORS: ConditionOperator[] = ['EqualTo', 'NotEqualTo', 'IsNull', 'IsChanged'];
const TRIGGER_TYPES: TriggerType[] = ['RecordAfterSave', 'RecordBeforeDelete'];
const RECORD_TRIGGER_TYPES: RecordTriggerType[] = ['Create', 'Update', 'CreateAndUpdate', 'Delete'];

function parseConditions(flow: string, where: string, list: Xml[] | undefined): FlowCondition[] {
  return (list ?? []).map((condition) => {
    checkKeys(flow, where, condition, [
      'leftValueReference',
      'field',
      'operator',
      'rightValue',
      'value',
    ]);
    const operator = text(condition, 'operator') as ConditionOperator;
    if (!OPERATORS.includes(operator))
      fail(flow, `operator ${operator} is not supported (${OPERATORS.join(', ')})`);
    // Start filters name a field of $Record; decision conditions name any reference.
    const field = text(condition, 'field');
    const left = field ? `$Record.${field}` : text(condition, 'leftValueReference');
    if (!left) fail(flow, `a condition has no left-hand side`);
    return {
      left,
      operator,
      right: parseValue(flow, (condition.rightValue ?? condition.value) as Xml | undefined),
    };
  });
}

function parseLogic(flow: string, logic: string | undefined, count: number): string {
  const value = (logic ?? 'and').trim();
  if (['and', 'or'].includes(value.toLowerCase())) return value.toLowerCase();
  if (!/^(\d+|AND|OR|NOT|\(|\)|\s)+$/i.test(value))
    fail(flow, `condition logic "${value}" is not supported`);
  for (const index of value.match(/\d+/g) ?? []) {
    if (Number(index) < 1 || Number(index) > count)
      fail(flow, `condition logic "${value}" names condition ${index}`);
  }
  return value;
}

function parseStart(flow: string, start: Xml | undefined): FlowStart {
  if (!start) fail(flow, 'has no <start>');
  checkKeys(flow, 'start', start, [
    'connector',
    'filterFormula',
    'filterLogic',
    'filters',
    'object',
    'recordTriggerType',
    'triggerType',
    'doesRequireRecordChangedToMeetCriteria',
  ]);
  const object = text(start, 'object');
  const triggerType = text(start, 'triggerType') as TriggerType;
  const recordTriggerType = text(start, 'recordTriggerType') as RecordTriggerType;
  if (!object) fail(flow, 'is not record-triggered (no <object> in <start>)');
  if (!TRIGGER_TYPES.includes(triggerType))
    fail(flow, `triggerType ${triggerType} is not supported`);
  if (!RECORD_TRIGGER_TYPES.includes(recordTriggerType))
    fail(flow, `recordTriggerType ${recordTriggerType} is not supported`);
  if ((triggerType === 'RecordBeforeDelete') !== (recordTriggerType === 'Delete')) {
    fail(
      flow,
      `triggerType ${triggerType} does not go with recordTriggerType ${recordTriggerType}`,
    );
  }
  if (text(start, 'doesRequireRecordChangedToMeetCriteria') === 'true') {
    fail(flow, 'doesRequireRecordChangedToMeetCriteria is not supported');
  }
  const filterFormula = text(start, 'filterFormula');
  const filters = parseConditions(flow, 'filters', start.filters as Xml[] | undefined);
  return {
    object,
    triggerType,
    recordTriggerType,
    filterFormula: filterFormula ? parseFormulaOf(flow, 'filterFormula', filterFormula) : undefined,
    filters:
      filters.length > 0
        ? {
            logic: parseLogic(flow, text(start, 'filterLogic'), filters.length),
            conditions: filters,
          }
        : undefined,
    connector: connectorOf(start),
  };
}

function parseFormulaOf(flow: string, name: string, expression: string): FormulaNode {
  try {
    return parseFormula(expression);
  } catch (error) {
    return fail(flow, `formula ${name}: ${(error as Error).message}`);
  }
}

const GLOBAL_REFERENCE =
  /^(\$Record|\$Record__Prior)(\.\w+)?$|^\$Permission\.\w+$|^\$Setup\.\w+__c\.\w+__c$|^\$User\.Id$|^\$Flow\.(CurrentDateTime|FaultMessage)$/;

/** Parses one Flow file's XML into a runnable definition, or throws UnsupportedFlowError. */
export function parseFlow(
  name: string,
  xml: string,
  resolveAction: ApexActionResolver = () => undefined,
  outboundMessages: OutboundMessages = new Map(),
): FlowDefinition | undefined {
  const parser = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    isArray: (tag) => ARRAY_TAGS.has(tag),
  });
  const root = (parser.parse(xml) as { Flow?: Xml }).Flow;
  if (!root) fail(name, 'is not a Flow');
  if (text(root, 'status') !== 'Active') return undefined;
  for (const key of Object.keys(root)) {
    if (!FLOW_ELEMENTS.has(key)) fail(name, `element <${key}> is not supported`);
  }
  if (text(root, 'processType') !== 'AutoLaunchedFlow')
    fail(name, `processType ${text(root, 'processType')} is not supported`);

  const formulas = new Map<string, FormulaNode>();
  for (const formula of (root.formulas as Xml[] | undefined) ?? []) {
    checkKeys(name, 'formulas', formula, ['name', 'dataType', 'expression', 'scale']);
    const formulaName = text(formula, 'name')!;
    formulas.set(formulaName, parseFormulaOf(name, formulaName, text(formula, 'expression') ?? ''));
  }

  const elements = new Map<string, FlowElement>();
  for (const create of (root.recordCreates as Xml[] | undefined) ?? []) {
    checkKeys(name, 'recordCreates', create, [
      'name',
      'object',
      'inputAssignments',
      'connector',
      'faultConnector',
      'storeOutputAutomatically',
    ]);
    const object = text(create, 'object') ?? '';
    if (!object.endsWith('__e'))
      fail(name, `recordCreates of ${object} is not supported (platform events only)`);
    elements.set(text(create, 'name')!, {
      kind: 'recordCreate',
      name: text(create, 'name')!,
      object,
      assignments: ((create.inputAssignments as Xml[] | undefined) ?? []).map((assignment) => {
        checkKeys(name, 'inputAssignments', assignment, ['field', 'value']);
        return {
          field: text(assignment, 'field')!,
          value: parseValue(name, assignment.value as Xml | undefined),
        };
      }),
      connector: connectorOf(create),
      faultConnector: connectorOf(create, 'faultConnector'),
    });
  }
  const variables = parseActionElements(name, root, resolveAction, elements, outboundMessages);
  for (const decision of (root.decisions as Xml[] | undefined) ?? []) {
    checkKeys(name, 'decisions', decision, [
      'name',
      'rules',
      'defaultConnector',
      'defaultConnectorLabel',
    ]);
    elements.set(text(decision, 'name')!, {
      kind: 'decision',
      name: text(decision, 'name')!,
      rules: ((decision.rules as Xml[] | undefined) ?? []).map((rule) => {
        checkKeys(name, 'rules', rule, [
          'name',
          'conditionLogic',
          'conditions',
          'connector',
          'doesRequireRecordChangedToMeetCriteria',
        ]);
        if (text(rule, 'doesRequireRecordChangedToMeetCriteria') === 'true') {
          fail(
            name,
            `decision rule ${text(rule, 'name')}: doesRequireRecordChangedToMeetCriteria is not supported`,
          );
        }
        const conditions = parseConditions(
          name,
          'conditions',
          rule.conditions as Xml[] | undefined,
        );
        return {
          name: text(rule, 'name')!,
          group: {
            logic: parseLogic(name, text(rule, 'conditionLogic'), conditions.length),
            conditions,
          },
          connector: connectorOf(rule),
        };
      }),
      defaultConnector: connectorOf(decision, 'defaultConnector'),
    });
  }

  const definition: FlowDefinition = {
    name,
    label: text(root, 'label') ?? name,
    start: parseStart(name, root.start as Xml | undefined),
    formulas,
    variables,
    elements,
  };
  checkReferences(definition);
  return definition;
}

function checkReferences(flow: FlowDefinition): void {
  const known = (ref: string) =>
    GLOBAL_REFERENCE.test(ref) || flow.formulas.has(ref) || flow.variables.has(ref);
  const check = (ref: string, where: string) => {
    if (!known(ref))
      fail(flow.name, `${where} refers to ${ref}, which the local org cannot resolve`);
  };
  const checkValue = (value: FlowValue, where: string) => {
    if (value.kind === 'reference') check(value.ref, where);
  };
  const checkGroup = (group: ConditionGroup | undefined, where: string) => {
    for (const condition of group?.conditions ?? []) {
      check(condition.left, where);
      checkValue(condition.right, where);
    }
  };
  for (const [formulaName, formula] of flow.formulas) {
    for (const ref of formulaReferences(formula)) check(ref, `formula ${formulaName}`);
  }
  if (flow.start.filterFormula) {
    for (const ref of formulaReferences(flow.start.filterFormula))
      check(ref, 'the start filter formula');
  }
  checkGroup(flow.start.filters, 'a start filter');
  const targets: (string | undefined)[] = [flow.start.connector];
  for (const element of flow.elements.values()) {
    if (element.kind === 'recordCreate') {
      for (const assignment of element.assignments)
        checkValue(assignment.value, `${element.name}.${assignment.field}`);
      targets.push(element.connector, element.faultConnector);
    } else if (element.kind === 'actionCall') {
      for (const input of element.inputs) checkValue(input.value, `${element.name}.${input.name}`);
      targets.push(element.connector, element.faultConnector);
    } else if (element.kind === 'outboundMessage') {
      // The message is defined on an object and sends that object's triggering record.
      if (element.message.object.toLowerCase() !== flow.start.object.toLowerCase()) {
        fail(
          flow.name,
          `${element.name} sends outbound message ${element.message.object}.${element.message.fullName}, which is not defined on ${flow.start.object}`,
        );
      }
      targets.push(element.connector, element.faultConnector);
    } else if (element.kind === 'assignment') {
      for (const item of element.items) {
        if (!flow.variables.has(item.target))
          fail(flow.name, `${element.name} assigns ${item.target}, which is not a variable`);
        checkValue(item.value, `${element.name}.${item.target}`);
      }
      targets.push(element.connector);
    } else {
      for (const rule of element.rules) {
        checkGroup(rule.group, `decision ${element.name}`);
        targets.push(rule.connector);
      }
      targets.push(element.defaultConnector);
    }
  }
  for (const target of targets) {
    if (target && !flow.elements.has(target))
      fail(flow.name, `connects to ${target}, which is not a supported element`);
  }
}

/**
 * Loads every active Flow of a `force-app/main/default`-style folder, with the outbound messages
 * of its `workflows/` for their outbound message actions.
 */
export function loadFlows(metadataDir: string): FlowDefinition[] {
  const dir = join(metadataDir, 'flows');
  if (!existsSync(dir)) return [];
  const flows: FlowDefinition[] = [];
  const resolveAction = apexActionResolver(metadataDir);
  const outboundMessages = loadOutboundMessages(metadataDir);
  for (const file of readdirSync(dir).sort()) {
    const match = /^(.+)\.flow-meta\.xml$/.exec(file);
    if (!match) continue;
    const flow = parseFlow(
      match[1]!,
      readFileSync(join(dir, file), 'utf8'),
      resolveAction,
      outboundMessages,
    );
    if (flow) flows.push(flow);
  }
  return flows;
}
