/**
 * The Flow elements around actions: Apex action calls (run by native stand-ins, with fault
 * connectors), outbound message actions (an admin's Flow sending a Workflow outbound message),
 * the assignments a fault path makes and the variables they assign.
 */
import type { ApexActionResolver } from './apex-actions.ts';
import type { FlowElement } from './flow-model.ts';
import { checkKeys, connectorOf, fail, parseValue, text, type Xml } from './flow-xml.ts';
import { outboundMessageKey, type OutboundMessages } from './outbound-message-definitions.ts';

/**
 * An outbound message action: `actionName` is `<Object>.<outbound message name>` and it takes no
 * inputs (the message carries the triggering record).
 * https://help.salesforce.com/apex/HTViewHelpDoc?id=platform.workflow_managing_outbound_messages.htm
 */
function parseOutboundMessageCall(
  name: string,
  call: Xml,
  outboundMessages: OutboundMessages,
): FlowElement {
  const callName = text(call, 'name')!;
  const actionName = text(call, 'actionName') ?? '';
  checkKeys(name, 'actionCalls', call, [
    'name',
    'actionName',
    'actionType',
    'connector',
    'faultConnector',
    'flowTransactionModel',
    'nameSegment',
  ]);
  const message = outboundMessages.get(outboundMessageKey(actionName));
  if (!message)
    fail(name, `action ${callName}: outbound message ${actionName} is not defined in a workflow`);
  return {
    kind: 'outboundMessage',
    name: callName,
    message,
    connector: connectorOf(call),
    faultConnector: connectorOf(call, 'faultConnector'),
  };
}

/** Adds the flow's action calls and assignments to `elements`; returns its variables. */
export function parseActionElements(
  name: string,
  root: Xml,
  resolveAction: ApexActionResolver,
  elements: Map<string, FlowElement>,
  outboundMessages: OutboundMessages = new Map(),
): Map<string, string> {
  for (const call of (root.actionCalls as Xml[] | undefined) ?? []) {
    const model = text(call, 'flowTransactionModel');
    if (model !== undefined && model !== 'CurrentTransaction')
      fail(name, `action ${text(call, 'name')}: flowTransactionModel ${model} is not supported`);
    if (text(call, 'actionType') === 'outboundMessage') {
      elements.set(text(call, 'name')!, parseOutboundMessageCall(name, call, outboundMessages));
      continue;
    }
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
