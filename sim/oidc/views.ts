/** The issuer's login page: a plain form posted back to oidc-provider's interaction. */
export function loginPage(uid: string, clientId: string, error?: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in — RCM demo issuer</title>
<style>body{font-family:system-ui,sans-serif;max-width:26rem;margin:4rem auto}label{display:block;margin:.6rem 0}input{width:100%;padding:.4rem}button{padding:.5rem 1.2rem}.err{color:#b00020}</style></head>
<body><h1>Sign in</h1><p>to <code>${escapeHtml(clientId)}</code> (demo issuer)</p>
${error ? `<p class="err" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label>Username <input name="username" autocomplete="username" required autofocus></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button></form></body></html>`;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const PAGE = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} — RCM demo issuer</title>
<style>body{font-family:system-ui,sans-serif;max-width:26rem;margin:4rem auto}input{width:100%;padding:.4rem}button{padding:.5rem 1.2rem;margin-top:.6rem}.err{color:#b00020}code{font-size:1.5rem}</style></head>
<body>${body}</body></html>`;

/** Device flow (`rcm login`): enter the code shown in the terminal. `form` is oidc-provider's form (xsrf + code input). */
export function deviceCodePage(form: string, error?: string): string {
  return PAGE('Device sign-in', `<h1>Sign in a device</h1><p>Enter the code <code>rcm login</code> printed.</p>${error ? `<p class="err" role="alert">${escapeHtml(error)}</p>` : ''}${form}<button type="submit" form="op.deviceInputForm">Continue</button>`);
}

export function deviceConfirmPage(form: string, clientId: string, userCode: string): string {
  return PAGE('Confirm device', `<h1>Confirm the device</h1><p><code>${escapeHtml(clientId)}</code> shows the code <code>${escapeHtml(userCode)}</code>.</p>${form}<button type="submit" form="op.deviceConfirmForm">Continue</button>`);
}

export function deviceDonePage(): string {
  return PAGE('Signed in', '<h1>Signed in</h1><p>You can return to the terminal.</p>');
}
