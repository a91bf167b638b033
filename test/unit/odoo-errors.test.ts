import { ApplicationFailure } from '@temporalio/common';
import { FailureType } from '../../src/activities/errors';
import { classifyOdooErrorName, failureFromJson2Error, failureFromJsonRpcError } from '../../src/activities/odoo/errors';

const d = { odooError: null, status: 200, protocol: 'jsonrpc' as const };

describe('Odoo error classification', () => {
  it.each([
    ['odoo.exceptions.AccessDenied', FailureType.Authentication, true],
    ['odoo.exceptions.AccessError', FailureType.Access, true],
    ['odoo.exceptions.ValidationError', FailureType.Validation, true],
    ['odoo.exceptions.UserError', FailureType.Validation, true],
    ['odoo.exceptions.MissingError', FailureType.NotFound, true],
    ['builtins.ValueError', FailureType.Validation, true],
    ['psycopg2.errors.SerializationFailure', FailureType.Conflict, false],
    ['psycopg2.extensions.TransactionRollbackError', FailureType.Conflict, false],
    ['odoo.exceptions.ConcurrencyError', FailureType.Conflict, false],
    ['psycopg2.OperationalError', FailureType.Unavailable, false],
    ['builtins.MemoryError', FailureType.Unavailable, false],
    [undefined, FailureType.Unavailable, false],
  ])('JSON-RPC %s → %s (nonRetryable=%s)', (name, type, nonRetryable) => {
    const f = failureFromJsonRpcError({ name, message: 'Patient Jane Doe cannot …' }, 'odoo jsonrpc res.partner.create', d);
    expect(f).toBeInstanceOf(ApplicationFailure);
    expect(f.type).toBe(type);
    expect(f.nonRetryable).toBe(nonRetryable);
    expect(f.message).not.toContain('Jane'); // Odoo messages may carry record data: never in failure messages
  });

  it('classifies on the class name, not the message', () => {
    expect(classifyOdooErrorName('odoo.exceptions.UserError')).toBe('validation');
    expect(failureFromJsonRpcError({ name: 'odoo.exceptions.UserError', message: 'could not serialize access due to concurrent update' }, 'x', d).type).toBe(FailureType.Validation);
  });

  it.each([
    [401, 'werkzeug.exceptions.Unauthorized', FailureType.Authentication, true],
    [403, 'odoo.exceptions.AccessError', FailureType.Access, true],
    [404, 'odoo.exceptions.MissingError', FailureType.NotFound, true],
    [404, 'werkzeug.exceptions.NotFound', FailureType.NotFound, true],
    [409, 'psycopg2.errors.SerializationFailure', FailureType.Conflict, false],
    [422, 'odoo.exceptions.ValidationError', FailureType.Validation, true],
    [400, 'werkzeug.exceptions.BadRequest', FailureType.Validation, true],
    [500, 'builtins.ValueError', FailureType.Validation, true],
    [500, 'psycopg2.errors.SerializationFailure', FailureType.Conflict, false],
    [500, 'psycopg2.OperationalError', FailureType.Unavailable, false],
    [502, undefined, FailureType.Unavailable, false],
    [429, undefined, FailureType.RateLimited, false],
  ])('JSON-2 HTTP %d %s → %s', (status, name, type, nonRetryable) => {
    const f = failureFromJson2Error(status, name ? { name } : undefined, 'odoo json2 m.x', { ...d, status, protocol: 'json2' });
    expect(f.type).toBe(type);
    expect(f.nonRetryable).toBe(nonRetryable);
  });
});
