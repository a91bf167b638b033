/**
 * Python exceptions as the emulator raises them. `name` is the fully qualified class name Odoo puts in
 * `error.data.name` (JSON-RPC) or `name` (JSON-2); `status` is the HTTP status the JSON-2 dispatcher uses
 * (Odoo 19: UserError 422, AccessError/AccessDenied 403, MissingError 404, werkzeug exceptions their code,
 * anything else 500).
 */
export class OdooError extends Error {
  constructor(
    readonly odooName: string,
    message: string,
    readonly status: number,
    readonly args: unknown[] = [message],
  ) {
    super(message);
    this.name = 'OdooError';
  }
}

export const userError = (m: string) => new OdooError('odoo.exceptions.UserError', m, 422);
export const validationError = (m: string) => new OdooError('odoo.exceptions.ValidationError', m, 422);
export const accessError = (m: string) => new OdooError('odoo.exceptions.AccessError', m, 403);
export const accessDenied = (m = 'Access Denied') => new OdooError('odoo.exceptions.AccessDenied', m, 403);
export const missingError = (m: string) => new OdooError('odoo.exceptions.MissingError', m, 404);
export const valueError = (m: string) => new OdooError('builtins.ValueError', m, 500);
export const typeError = (m: string) => new OdooError('builtins.TypeError', m, 500);
export const attributeError = (m: string) => new OdooError('builtins.AttributeError', m, 500);
export const serializationFailure = () =>
  new OdooError('psycopg2.errors.SerializationFailure', 'could not serialize access due to concurrent update', 409);
export const operationalError = () =>
  new OdooError('psycopg2.OperationalError', 'server closed the connection unexpectedly', 500);
export const notFound = (m: string) => new OdooError('werkzeug.exceptions.NotFound', m, 404, [m, 404]);
export const badRequest = (m: string) => new OdooError('werkzeug.exceptions.BadRequest', m, 400, [m, 400]);
export const unauthorized = (m: string) => new OdooError('werkzeug.exceptions.Unauthorized', m, 401, [m, 401]);
export const forbidden = (m: string) => new OdooError('werkzeug.exceptions.Forbidden', m, 403, [m, 403]);
export const unprocessable = (m: string) => new OdooError('werkzeug.exceptions.UnprocessableEntity', m, 422, [m, 422]);

/** Odoo's `serialize_exception`: the payload of a JSON-RPC `error.data` and of a JSON-2 error body. */
export function serializeOdooError(err: OdooError, context: Record<string, unknown> = {}): Record<string, unknown> {
  const suppressed = err.odooName === 'odoo.exceptions.AccessDenied';
  const debug = suppressed
    ? ''
    : 'Traceback (most recent call last):\n' +
      '  File "/opt/odoo/odoo/http.py", line 2212, in _transactioning\n' +
      '    return service_model.retrying(func, env=self.env)\n' +
      '  File "/opt/odoo/odoo/service/model.py", line 176, in retrying\n' +
      '    result = func()\n' +
      `${err.odooName}: ${err.message}\n`;
  return { name: err.odooName, message: err.message, arguments: err.args, context, debug };
}
