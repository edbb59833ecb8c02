/**
 * The package's `@AuraEnabled` methods the local org runs for its Lightning pages, by class and
 * method name as `@salesforce/apex/<Class>.<method>` names them. Both controllers catch every
 * exception and rethrow it as an AuraHandledException carrying the message, so any failure of
 * the emulation reaches the component the same way.
 */
import { ApexException, type ApexContext } from './apex-context.ts';
import { getPushContext, requestPush } from './push-controller.ts';
import { getChecklist, recheckStep } from './setup-checks.ts';

type AuraEnabledMethod = (ctx: ApexContext, params: Record<string, unknown>) => unknown;

const CLASSES: Record<string, Record<string, AuraEnabledMethod>> = {
  PryzmPushController: { getPushContext, requestPush },
  PryzmSetupController: { getChecklist, recheckStep },
};

export type ApexOutcome =
  | { ok: true; returnValue: unknown }
  | {
      ok: false;
      status: number;
      body: {
        message: string;
        exceptionType: string;
        isUserDefinedException: boolean;
        stackTrace: string;
      };
    };

/** The method, if the package has it; the namespace prefix of an installed package is optional. */
export function findMethod(classname: string, method: string): AuraEnabledMethod | undefined {
  const name = classname.replace(/^[A-Za-z0-9]+__(?=Pryzm)/, '');
  return Object.hasOwn(CLASSES, name) && Object.hasOwn(CLASSES[name]!, method)
    ? CLASSES[name]![method]
    : undefined;
}

export async function runApex(
  ctx: ApexContext,
  method: AuraEnabledMethod,
  params: Record<string, unknown>,
): Promise<ApexOutcome> {
  try {
    return { ok: true, returnValue: (await method(ctx, params)) ?? null };
  } catch (error) {
    const e = error instanceof ApexException ? error : new ApexException((error as Error).message);
    return {
      ok: false,
      status: 500,
      body: {
        message: e.message,
        exceptionType: e.exceptionType,
        isUserDefinedException: false,
        stackTrace: '',
      },
    };
  }
}
