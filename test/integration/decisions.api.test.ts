import { SignJWT, exportJWK, generateKeyPair, importJWK } from 'jose';
import { status as statusQuery, timeline as timelineQuery } from '../../src/workflows/messages';
import { startDecisionsStack, type DecisionsStack } from '../support/decisionsStack';
import { waitUntil } from '../support/waitUntil';
import { bookAndServe, sampleReferral, startJourneyHarness, waitForStage, waitForStatus, type JourneyHarness } from '../support/journeyHarness';

/**
 * The authenticated decisions API against the real demo issuer (oidc-provider, own process), a real Temporal dev
 * server and a journey waiting for billing approval. Every refusal the issue lists is tried on the running API.
 */
jest.setTimeout(180_000);

let h: JourneyHarness;
let stack: DecisionsStack;

beforeAll(async () => {
  h = await startJourneyHarness('dev-server');
  stack = await startDecisionsStack(h);
});

afterAll(async () => {
  await stack?.close();
  await h?.close();
});

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

async function post(path: string, token: string | undefined, body: unknown) {
  const res = await fetch(`${stack.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, wwwAuthenticate: res.headers.get('www-authenticate') };
}

/** A token signed by the issuer's real key with chosen claims (to isolate one defect at a time). */
async function signed(claims: Record<string, unknown>, key = stack.signingKey): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ rcm_roles: ['billing-specialist'], preferred_username: 'approver', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid as string, typ: 'at+jwt' })
    .setSubject('biller-2')
    .setIssuer((claims.iss as string) ?? stack.issuer.url)
    .setAudience((claims.aud as string) ?? stack.config.audience)
    .setIssuedAt((claims.iat as number) ?? now)
    .setExpirationTime((claims.exp as number) ?? now + 300)
    .sign(await importJWK(key, 'RS256'));
}

test('refusals: missing, malformed, expired, wrong issuer, wrong audience, foreign key and unsigned tokens get 401; a user without the role gets 403 naming it; own release is refused by the journey; the right role approves', async () => {
  await h.withWorker(async () => {
    const referral = sampleReferral({ preparerId: 'intake-1' });
    const handle = await h.start(referral);
    await bookAndServe(handle);
    const before = await waitForStatus(handle, (s) => s.pendingApproval?.kind === 'billing_release', 'billing release pending');
    const decisionPath = `/api/journeys/${referral.siteId}/${referral.referralId}/decisions/approve`;
    const reason = { reason: 'documentation supports the claim' };

    // 401s, each with its reason.
    const missing = await post(decisionPath, undefined, reason);
    expect([missing.status, missing.body.error]).toEqual([401, 'missing_token']);
    expect(missing.wwwAuthenticate).toMatch(/^Bearer /);
    expect((await post(decisionPath, 'not-a-jwt', reason)).status).toBe(401);

    const now = Math.floor(Date.now() / 1000);
    const expired = await post(decisionPath, await signed({ iat: now - 3600, exp: now - 600 }), reason);
    expect([expired.status, expired.body.error]).toEqual([401, 'expired_token']);
    const wrongIssuer = await post(decisionPath, await signed({ iss: 'http://127.0.0.1:1/not-our-issuer' }), reason);
    expect([wrongIssuer.status, wrongIssuer.body.error]).toEqual([401, 'wrong_issuer']);
    const wrongAudience = await post(decisionPath, await signed({ aud: 'urn:some:other-api' }), reason);
    expect([wrongAudience.status, wrongAudience.body.error]).toEqual([401, 'wrong_audience']);

    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const foreignKey = { ...(await exportJWK(privateKey)), kid: 'test-issuer-key' }; // same kid, different key
    const forged = await post(decisionPath, await signed({}, foreignKey), reason);
    expect([forged.status, forged.body.error]).toEqual([401, 'invalid_token']);

    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'biller-2', iss: stack.issuer.url, aud: stack.config.audience, exp: now + 300, rcm_roles: ['cfo'] })}.`;
    const none = await post(decisionPath, unsigned, reason);
    expect([none.status, none.body.error]).toEqual([401, 'unsigned_token']);

    // Real issuer tokens from here on.
    const [viewer, preparer, approver] = await Promise.all([stack.tokenFor('viewer'), stack.tokenFor('preparer'), stack.tokenFor('approver')]);
    const me = await fetch(`${stack.url}/api/me`, { headers: { authorization: `Bearer ${approver}` } });
    expect(await me.json()).toMatchObject({ actorId: 'biller-2', issuer: stack.issuer.url, roles: ['billing_specialist'] });

    const noRole = await post(decisionPath, viewer, reason);
    expect(noRole.status).toBe(403);
    expect(noRole.body.requiredRoles).toEqual(expect.arrayContaining(['billing_specialist', 'cfo']));
    expect(noRole.body.message).toMatch(/requires one of the roles: .*billing_specialist/);

    const smuggled = await post(decisionPath, preparer, { ...reason, actorId: 'biller-2', role: 'cfo' });
    expect([smuggled.status, smuggled.body.error]).toEqual([400, 'identity_in_body']);

    // The journey's own policy: the preparer (intake-1, or coder-1 after a coding review) may not release their own claim.
    const requester = before.pendingApproval!.requesterId;
    const ownToken = requester === 'coder-1' ? await stack.tokenFor('coder') : preparer;
    const own = await post(decisionPath, ownToken, reason);
    expect([own.status, own.body.error]).toEqual([409, 'refused']);
    expect(String(own.body.message)).toMatch(/another person must decide/);
    const unchanged = await handle.query(statusQuery);
    expect(unchanged.stage).toBe('billing_approval');
    expect(unchanged.pendingApproval).toEqual(before.pendingApproval);

    // The right role, verified: accepted, recorded with the token's subject, and the stage moves on.
    const ok = await post(decisionPath, approver, reason);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ actorId: 'biller-2', role: 'billing_specialist', receipt: { accepted: true } });
    await waitForStage(handle, 'payer_adjudication');
    const entries = await handle.query(timelineQuery);
    expect(entries.some((e) => e.actor === 'biller-2' && e.role === 'billing_specialist' && e.issuer === stack.issuer.url)).toBe(true);
    // the Odoo mirror of the approval names the verifying issuer too
    await waitUntil(() => {
      const notes = h.odoo.store.search('mail.message', [['model', '=', 'approval.request']], ['body']) as { body?: unknown }[];
      return notes.some((m) => String(m.body ?? '').includes('approved by biller-2') && String(m.body ?? '').includes(`verified by ${stack.issuer.url}`));
    }, 'the approval mirrored with its issuer');
    expect(entries.some((e) => e.actor === requester && /approve/.test(e.action) && e.role === 'billing_specialist')).toBe(false);

    // Reading needs a token too, and the inbox queues page over visibility.
    expect((await fetch(`${stack.url}/api/journeys/${referral.siteId}/${referral.referralId}`)).status).toBe(401);
    const read = await fetch(`${stack.url}/api/journeys/${referral.siteId}/${referral.referralId}`, { headers: { authorization: `Bearer ${approver}` } });
    expect(((await read.json()) as { status: { stage: string } }).status.stage).toBe('payer_adjudication');
    const queues = (await (await fetch(`${stack.url}/api/queues?site=site-a`, { headers: { authorization: `Bearer ${approver}` } })).json()) as { queues: { id: string; count: number }[] };
    expect(queues.queues.find((q) => q.id === 'all')!.count).toBeGreaterThanOrEqual(1);
  });
});
