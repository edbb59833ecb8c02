import { isNoAccessError, reduceErrors } from 'c/pryzmErrors';

describe('c-pryzm-errors', () => {
  it('reads Apex AuraHandledException messages', () => {
    expect(reduceErrors({ body: { message: 'No access' } })).toBe('No access');
  });

  it('reads Lightning Data Service body arrays', () => {
    expect(reduceErrors({ body: [{ message: 'First' }, { message: 'Second' }] })).toBe(
      'First, Second',
    );
  });

  it('reads page errors from DML failures', () => {
    expect(
      reduceErrors({ body: { pageErrors: [{ message: 'FIELD_CUSTOM_VALIDATION_EXCEPTION' }] } }),
    ).toBe('FIELD_CUSTOM_VALIDATION_EXCEPTION');
  });

  it('reads JavaScript errors and fetch-style status texts', () => {
    expect(reduceErrors([new Error('Boom'), { statusText: 'Service Unavailable' }])).toBe(
      'Boom; Service Unavailable',
    );
  });

  it('drops empty entries', () => {
    expect(reduceErrors([null, undefined, { message: '' }])).toBe('');
  });

  it('stringifies anything else', () => {
    expect(reduceErrors('plain text')).toBe('plain text');
  });

  it('recognises missing access', () => {
    expect(
      isNoAccessError("You do not have access to the Apex class named 'PryzmSetupController'."),
    ).toBe(true);
    expect(isNoAccessError('INSUFFICIENT_ACCESS_OR_READONLY: insufficient access rights')).toBe(
      true,
    );
    expect(isNoAccessError('Read timed out')).toBe(false);
    expect(isNoAccessError(undefined)).toBe(false);
  });
});
