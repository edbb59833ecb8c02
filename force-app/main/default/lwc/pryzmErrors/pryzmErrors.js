/**
 * Turns the errors Lightning Data Service, Apex and JavaScript produce into readable messages.
 * Apex AuraHandledExceptions arrive as { body: { message } }, page-level DML errors as
 * { body: { pageErrors: [{ message }] } } and plain errors as { message }.
 * @param {unknown} errors one error or a list of them
 * @returns {string} the messages joined with '; '
 */
export function reduceErrors(errors) {
  const list = Array.isArray(errors) ? errors : [errors];
  return list
    .filter((error) => !!error)
    .map((error) => {
      if (Array.isArray(error.body)) {
        return error.body.map((entry) => entry.message).join(', ');
      }
      if (error.body && Array.isArray(error.body.pageErrors) && error.body.pageErrors.length) {
        return error.body.pageErrors.map((entry) => entry.message).join(', ');
      }
      if (error.body && typeof error.body.message === 'string') {
        return error.body.message;
      }
      if (typeof error.message === 'string') {
        return error.message;
      }
      return error.statusText || String(error);
    })
    .filter((message) => !!message)
    .join('; ');
}

// How Salesforce words a missing Apex class grant or object access; for Pryzm it means a missing
// permission set.
const NO_ACCESS_PATTERN = /(do not have access|insufficient (access|privileges))/i;

/**
 * Whether an error message says the user lacks access, as opposed to something failing.
 * @param {string} message a message from reduceErrors
 * @returns {boolean} true when the message is about missing access
 */
export function isNoAccessError(message) {
  return NO_ACCESS_PATTERN.test(message || '');
}
