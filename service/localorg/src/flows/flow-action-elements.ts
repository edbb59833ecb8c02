/**
 * The Flow elements around the package's Apex actions: action calls (run by native stand-ins,
 * with fault connectors), the assignments a fault path makes and the variables they assign.
 */
import type { ApexActionResolver } from './apex-actions.ts';
import type { FlowElement } from './flow-model.ts';
import { checkKeys, connectorOf, fail, parseValue, text, type Xml } from './flow-xml.ts';

/** Adds the flow's action calls and assignments to `elements`; returns its variables. */
export function parseActionElements(
  name: string,
  root: Xml,
  resolveAction: ApexActionResolver,
  elements: Map<string, FlowElement>,
): Map<string, string> {
  for (const call of (root.actionCalls as Xml[] | undefined) ?? []) {
    checkKeys(name, 'actionCalls', call, [
      'name',
      'actionName',
      'actionType',
      'connector',
      'dataTypeMappings',
      'faultConnector',
      'flowTransactionModel',
      'inputParameters',
      'nameSegment',
      'storeOutputAutomatically',
    ]);
    const callName = text(call, 'name')!;
    const actionName = text(call, 'actionName') ?? '';
    if (text(call, 'actionType') !== 'apex')
      fail(name, `action ${callName}: actionType ${text(call, 'actionType')} is not supported`);
    const model = text(call, 'flowTransactionModel');
    if (model !== undefined && model !== 'CurrentTransaction')
      fail(name, `action ${callName}: flowTransactionModel ${model} is not supported`);
    const action = resolveAction(actionName);
    if (!action) fail(name, `Apex action ${actionName} has no local stand-in`);
    elements.set(callName, {
      kind: 'actionCall',
      name: callName,
      actionName,
      action,
      inputs: ((call.inputParameters as Xml[] | undefined) ?? []).map((input) => {
        checkKeys(name, 'inputParameters', input, ['name', 'value']);
        return {
          name: text(input, 'name')!,
          value: parseValue(name, input.value as Xml | undefined),
        };
      }),
      connector: connectorOf(call),
      faultConnector: connectorOf(call, 'faultConnector'),
    });
  }
  for (const assignment of (root.assignments as Xml[] | undefined) ?? []) {
    checkKeys(name, 'assignments', assignment, ['name', 'assignmentItems', 'connector']);
    elements.set(text(assignment, 'name')!, {
      kind: 'assignment',
      name: text(assignment, 'name')!,
      items: ((assignment.assignmentItems as Xml[] | undefined) ?? []).map((item) => {
        checkKeys(name, 'assignmentItems', item, ['assignToReference', 'operator', 'value']);
        if (text(item, 'operator') !== 'Assign')
          fail(name, `assignment operator ${text(item, 'operator')} is not supported (Assign)`);
        return {
          target: text(item, 'assignToReference')!,
          value: parseValue(name, item.value as Xml | undefined),
        };
      }),
      connector: connectorOf(assignment),
    });
  }
  const variables = new Map<string, string>();
  for (const variable of (root.variables as Xml[] | undefined) ?? []) {
    checkKeys(name, 'variables', variable, [
      'name',
      'dataType',
      'isCollection',
      'isInput',
      'isOutput',
      'scale',
    ]);
    if (text(variable, 'isCollection') === 'true')
      fail(name, `collection variable ${text(variable, 'name')} is not supported`);
    variables.set(text(variable, 'name')!, text(variable, 'dataType') ?? 'String');
  }
  return variables;
}
