import { createHash, randomBytes } from 'node:crypto';

/**
 * Sign in to an OIDC issuer the way a browser would (authorization code + PKCE through its login form, cookies kept
 * between redirects) and return the access token the issuer minted. For API tests that need real issuer tokens
 * without a browser; the browser test does the same through Chromium.
 */
/** A fetch that keeps cookies and never follows redirects (each hop is inspected). */
function cookieFetch(): (url: string, init?: RequestInit) => Promise<Response> {
  const jar = new Map<string, string>();
  return async (url, init = {}) => {
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
    return res;
  };
}

const formPost = (body: Record<string, string>): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body).toString() });

/** The inputs of the form with this id, or of the first form when no id is given (oidc-provider's device pages). */
function formFields(html: string, formId?: string): { action: string; fields: Record<string, string> } | undefined {
  const head = formId ? `<form id="${formId.replace('.', '\\.')}"` : '<form';
  const m = new RegExp(`${head}[^>]*action="([^"]+)"[^>]*>([\\s\\S]*?)</form>`).exec(html);
  if (!m) return undefined;
  const fields: Record<string, string> = {};
  for (const input of m[2].matchAll(/<input([\s\S]*?)>/g)) {
    const name = /name="([^"]+)"/.exec(input[1])?.[1];
    if (name) fields[name] = /value="([^"]*)"/.exec(input[1])?.[1] ?? '';
  }
  return { action: m[1], fields };
}

/**
 * Approve a device-flow user code as a person would in a browser (what `rcm login` asks for): open the verification
 * URL, submit the code, sign in on the login form, confirm the device.
 */
export async function approveDeviceCode(verificationUriComplete: string, username: string, password: string): Promise<void> {
  const step = cookieFetch();
  const origin = new URL(verificationUriComplete).origin;
  let res = await step(verificationUriComplete);
  for (let hops = 0; hops < 12; hops++) {
    const location = res.headers.get('location');
    if (location) {
      const url = new URL(location, origin).toString();
      res = /\/interaction\/[^/?]+$/.test(new URL(url).pathname) ? await step(`${url}/login`, formPost({ username, password })) : await step(url);
      if (res.status === 401) throw new Error(`issuer refused the login of ${username}`);
      continue;
    }
    const html = await res.text();
    if (/<h1>Signed in<\/h1>/.test(html)) return;
    // The code page, the auto-submitting resume page, then the confirmation page.
    const form = formFields(html, 'op.deviceConfirmForm') ?? formFields(html, 'op.deviceInputForm') ?? formFields(html);
    if (!form) throw new Error(`unexpected device page (HTTP ${res.status}): ${html.slice(0, 600)}`);
    res = await step(new URL(form.action, origin).toString(), formPost(form.fields));
  }
  throw new Error('device approval did not finish');
}

export async function loginForToken(opts: { issuer: string; clientId: string; redirectUri: string; audience: string; username: string; password: string }): Promise<string> {
  const jar = new Map<string, string>();
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
  };
  const step = async (url: string, init: RequestInit = {}): Promise<Response> => {
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: cookieHeader() } });
    keep(res);
    return res;
  };

  const verifier = randomBytes(32).toString('base64url');
  const auth = new URL(`${opts.issuer}/auth`);
  const params = {
    client_id: opts.clientId,
    response_type: 'code',
    redirect_uri: opts.redirectUri,
    scope: 'openid profile decisions',
    state: randomBytes(8).toString('hex'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    resource: opts.audience,
  };
  for (const [k, v] of Object.entries(params)) auth.searchParams.set(k, v);

  let res = await step(auth.toString());
  let location = res.headers.get('location');
  for (let hops = 0; hops < 10 && location && !location.startsWith(opts.redirectUri); hops++) {
    const url = new URL(location, opts.issuer).toString();
    const interaction = /\/interaction\/([^/?]+)$/.exec(new URL(url).pathname);
    if (interaction) {
      await step(url); // the login form
      res = await step(`${url}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username: opts.username, password: opts.password }).toString(),
      });
      if (res.status === 401) throw new Error(`issuer refused the login of ${opts.username}`);
    } else {
      res = await step(url);
    }
    location = res.headers.get('location');
  }
  if (!location?.startsWith(opts.redirectUri)) throw new Error(`login did not come back to the client (last status ${res.status})`);
  const code = new URL(location).searchParams.get('code');
  if (!code) throw new Error(`no code in the redirect: ${new URL(location).searchParams.get('error') ?? 'unknown'}`);
  const token = await fetch(`${opts.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: opts.redirectUri, client_id: opts.clientId, code_verifier: verifier, resource: opts.audience }),
  });
  const body = (await token.json()) as { access_token?: string; error?: string; error_description?: string };
  if (!body.access_token) throw new Error(`token endpoint: ${body.error} ${body.error_description ?? ''}`);
  return body.access_token;
}
