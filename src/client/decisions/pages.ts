import { formatUsd } from '../../domain/money';
import type { Role } from '../../domain/schemas/common';
import type { JourneyStatus, TimelineEntry } from '../../workflows/journeyState';
import type { DecisionType } from '../journeyClient';
import type { VerifiedIdentity } from './auth';
import type { InboxPage, QueueDef } from './inbox';
import { REASON_REQUIRED } from './policy';

/**
 * Server-rendered HTML for the inbox. Plain forms that work without JavaScript; htmx (served from node_modules) only
 * refreshes the journey's status panel so a decision's effect shows without reloading. Only PHI-free data is shown:
 * ids, stages, clocks, queues, amounts, staff actors and their reasons. Everything interpolated is escaped.
 */
export function esc(v: unknown): string {
  return String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:0;color:#1b1f24}header{background:#12355b;color:#fff;padding:.6rem 1.2rem;display:flex;gap:1rem;align-items:center}
header a{color:#fff}header form{margin-left:auto}main{padding:1rem 1.2rem}table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}th,td{border-bottom:1px solid #d8dee4;padding:.3rem .5rem;text-align:left;font-size:.92rem}
.queues{display:flex;flex-wrap:wrap;gap:.5rem}.queue{border:1px solid #d8dee4;border-radius:6px;padding:.4rem .7rem;text-decoration:none;color:inherit}.queue.mine{border-color:#12355b;background:#eef4fb}.queue.current{outline:2px solid #12355b}
.count{font-weight:700;font-size:1.2rem;display:block}.alert{padding:.6rem;border-radius:6px;margin:.5rem 0}.alert.err{background:#fde7e9;color:#8a0010}.alert.ok{background:#e6f6ea;color:#0b5a1d}
.forms{display:flex;flex-wrap:wrap;gap:1rem}.forms form{border:1px solid #d8dee4;border-radius:6px;padding:.6rem}.forms textarea{width:18rem;height:3rem;display:block}
.k{color:#57606a}.breached{color:#8a0010;font-weight:700}.warning,.escalated{color:#8a5a00;font-weight:700}`;

export function layout(title: string, who: VerifiedIdentity | undefined, body: string, csrf?: string): string {
  const user = who
    ? `<span data-testid="whoami">${esc(who.username ?? who.actorId)} (${esc(who.actorId)})</span><form method="post" action="/logout"><input type="hidden" name="csrf" value="${esc(csrf)}"><button>Sign out</button></form>`
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)} — RCM inbox</title><style>${STYLE}</style>
<script src="/static/htmx.min.js" defer></script></head><body><header><strong><a href="/inbox">RCM inbox</a></strong>${user}</header><main>${body}</main></body></html>`;
}

export function errorPage(status: number, title: string, message: string, who?: VerifiedIdentity, csrf?: string): string {
  return layout(title, who, `<h1>${esc(title)}</h1><p class="alert err" role="alert">${esc(message)}</p><p><a href="/inbox">Back to the inbox</a></p><p class="k">HTTP ${status}</p>`, csrf);
}

export interface InboxView {
  who: VerifiedIdentity;
  csrf: string;
  roles: Role[];
  siteId?: string;
  sites: string[];
  queues: { queue: QueueDef; count: number }[];
  current: QueueDef;
  page: InboxPage;
  pageToken?: string;
}

export function inboxPage(v: InboxView): string {
  const siteParam = v.siteId ? `&site=${encodeURIComponent(v.siteId)}` : '';
  const cards = v.queues
    .map(({ queue, count }) => {
      const mine = queue.roles.some((r) => v.roles.includes(r));
      return `<a class="queue${mine ? ' mine' : ''}${queue.id === v.current.id ? ' current' : ''}" href="/inbox?queue=${esc(queue.id)}${esc(siteParam)}" data-queue="${esc(queue.id)}"><span class="count">${count}</span>${esc(queue.label)}${mine ? ' · mine' : ''}</a>`;
    })
    .join('');
  const rows = v.page.rows
    .map((r) => {
      const [, site, ref] = r.journeyId.split('/');
      return `<tr><td><a href="/journeys/${esc(site)}/${esc(ref)}">${esc(r.journeyId)}</a></td><td>${esc(r.siteId)}</td><td>${esc(r.payerId)}</td><td>${esc(r.stage)}</td>
<td class="${esc(r.slaState)}">${esc(r.slaState)}</td><td>${esc(r.nextDeadline ?? '')}</td><td>${esc(r.exceptionQueues.join(', '))}</td><td>${r.balanceCents !== undefined ? esc(formatUsd(r.balanceCents)) : ''}</td><td>${r.ageDays ?? ''}</td></tr>`;
    })
    .join('');
  const next = v.page.nextPageToken ? `<a href="/inbox?queue=${esc(v.current.id)}${esc(siteParam)}&page=${esc(v.page.nextPageToken)}">Next page →</a>` : '';
  const siteOptions = ['', ...v.sites].map((s) => `<option value="${esc(s)}"${s === (v.siteId ?? '') ? ' selected' : ''}>${s ? esc(s) : 'all sites'}</option>`).join('');
  return layout(
    'Inbox',
    v.who,
    `<h1>Work queues</h1>
<form method="get" action="/inbox"><input type="hidden" name="queue" value="${esc(v.current.id)}"><label>Site <select name="site">${siteOptions}</select></label> <button>Filter</button></form>
<p class="k">Your roles${v.siteId ? ` at ${esc(v.siteId)}` : ''}: ${esc(v.roles.join(', ') || 'none')}</p>
<nav class="queues">${cards}</nav>
<h2 data-testid="queue-title">${esc(v.current.label)}</h2>
<table data-testid="queue"><thead><tr><th>Journey</th><th>Site</th><th>Payer</th><th>Stage</th><th>SLA</th><th>Next deadline</th><th>Exceptions</th><th>Balance</th><th>Age (days)</th></tr></thead>
<tbody>${rows || '<tr><td colspan="9">Nothing waiting here.</td></tr>'}</tbody></table>${next}`,
    v.csrf,
  );
}

export interface JourneyView {
  who: VerifiedIdentity;
  csrf: string;
  siteId: string;
  referralId: string;
  status: JourneyStatus;
  timeline: TimelineEntry[];
  allowed: DecisionType[];
  /** the run in the Temporal UI */
  temporalRunUrl: string;
  notice?: { kind: 'ok' | 'err'; message: string };
}

export function statusPanel(siteId: string, referralId: string, s: JourneyStatus): string {
  const deadlines = s.deadlines
    .map((d) => `<tr><td>${esc(d.step)}</td><td>${esc(d.rule)}</td><td>${esc(d.kind)}</td><td>${esc(d.owner)}</td><td>${esc(d.dueAt)}</td><td>${esc(d.breachAt)}</td><td class="${esc(d.level)}">${esc(d.level)}</td></tr>`)
    .join('');
  const exceptions = s.openExceptions.map((e) => `<li>${esc(e.queue)}: ${esc(e.reason)} <span class="k">since ${esc(e.openedAt)}</span></li>`).join('');
  const pending = s.pendingApproval
    ? `<p data-testid="pending">Pending ${esc(s.pendingApproval.kind.replace(/_/g, ' '))}: ${esc(formatUsd(s.pendingApproval.amountCents))}, requested by ${esc(s.pendingApproval.requesterId)}</p>`
    : '';
  const l = s.ledger;
  return `<section id="status" hx-get="/journeys/${esc(siteId)}/${esc(referralId)}/panel" hx-trigger="every 2s" hx-swap="outerHTML">
<p><span class="k">Stage</span> <strong data-testid="stage" data-stage="${esc(s.stage)}">${esc(s.stageLabel)} (${esc(s.stage)})</strong>${s.onHold ? ' · <strong>on hold</strong>' : ''}${s.outcome ? ` · outcome ${esc(s.outcome)}` : ''}</p>
<p><span class="k">Waiting for</span> <span data-testid="awaiting">${esc(s.awaiting)}</span> · <span class="k">SLA</span> <span class="${esc(s.slaState)}">${esc(s.slaState)}</span></p>
${pending}
<h3>Clocks</h3><table><thead><tr><th>Step</th><th>Rule (source)</th><th>Kind</th><th>Owner</th><th>Due</th><th>Breach</th><th>Level</th></tr></thead><tbody>${deadlines || '<tr><td colspan="7">No running clocks.</td></tr>'}</tbody></table>
<h3>Exceptions</h3>${exceptions ? `<ul>${exceptions}</ul>` : '<p>None open.</p>'}
<h3>Claims and money</h3><p><span class="k">Claims</span> ${esc(s.claimIds.join(', ') || 'none yet')}</p>
<table><tbody><tr><th>Charge</th><td>${esc(formatUsd(l.chargeCents))}</td><th>Payer paid</th><td>${esc(formatUsd(l.paidCents))}</td><th>Patient paid</th><td>${esc(formatUsd(l.patientPaidCents))}</td></tr>
<tr><th>Adjusted</th><td>${esc(formatUsd(l.adjustedCents))}</td><th>Written off</th><td>${esc(formatUsd(l.writtenOffCents))}</td><th>Balance</th><td data-testid="balance">${esc(formatUsd(s.balanceCents))}</td></tr></tbody></table>
</section>`;
}

const LABELS: Record<DecisionType, string> = {
  approve: 'Approve',
  reject: 'Reject',
  requestChanges: 'Request changes',
  completeCodingReview: 'Confirm coding',
  decideWriteOff: 'Decide write-off',
  hold: 'Put on hold',
  resume: 'Resume',
  cancel: 'Cancel journey',
};

/** The forms that make sense now (pending approval kind, stage, hold) among those the user's roles allow. */
function applicable(s: JourneyStatus, allowed: DecisionType[]): DecisionType[] {
  const open = !s.outcome;
  return allowed.filter((t) => {
    if (!open) return false;
    switch (t) {
      case 'approve':
      case 'reject':
      case 'requestChanges':
        return s.pendingApproval?.kind === 'billing_release';
      case 'decideWriteOff':
        return s.pendingApproval?.kind === 'write_off';
      case 'completeCodingReview':
        return s.stage === 'coding' && s.awaiting.includes('coding review');
      case 'hold':
        return !s.onHold;
      case 'resume':
        return s.onHold;
      case 'cancel':
        return true;
    }
  });
}

export function journeyPage(v: JourneyView): string {
  const { status: s } = v;
  const action = `/journeys/${esc(v.siteId)}/${esc(v.referralId)}/decide`;
  const forms = applicable(s, v.allowed)
    .map((t) => {
      const reasonRequired = REASON_REQUIRED.has(t);
      const extra =
        t === 'decideWriteOff'
          ? '<label>Decision <select name="decision"><option value="approve">approve</option><option value="reject">reject</option></select></label>'
          : t === 'completeCodingReview'
            ? '<input type="hidden" name="outcome" value="confirmed">'
            : '';
      const amount = s.pendingApproval && (t === 'approve' || t === 'decideWriteOff') ? `<input type="hidden" name="amountCents" value="${s.pendingApproval.amountCents}">` : '';
      return `<form method="post" action="${action}" data-decision="${t}"><input type="hidden" name="csrf" value="${esc(v.csrf)}"><input type="hidden" name="type" value="${t}">${amount}${extra}
<label>Reason${reasonRequired ? ' (required)' : ''}<textarea name="reason" maxlength="1000"${reasonRequired ? ' required' : ''}></textarea></label><button type="submit">${esc(LABELS[t])}</button></form>`;
    })
    .join('');
  const timeline = v.timeline
    .map((t) => `<tr><td>${esc(t.at)}</td><td>${esc(t.stage)}</td><td>${esc(t.action)}</td><td>${esc(t.actor)}</td><td>${esc(t.role ?? '')}</td><td>${esc(t.reason ?? '')}</td><td>${esc(t.detail ?? '')}</td></tr>`)
    .join('');
  const notice = v.notice ? `<p class="alert ${v.notice.kind}" role="${v.notice.kind === 'err' ? 'alert' : 'status'}" data-testid="notice">${esc(v.notice.message)}</p>` : '';
  return layout(
    s.journeyId,
    v.who,
    `<p><a href="/inbox">← Inbox</a></p><h1>${esc(s.journeyId)}</h1>
<p class="k">site ${esc(s.siteId)} · payer ${esc(s.payerId ?? '')} · <a href="${esc(v.temporalRunUrl)}" target="_blank" rel="noopener" data-testid="temporal-link">open the run in the Temporal UI</a></p>
${notice}${statusPanel(v.siteId, v.referralId, s)}
<h2>Decisions</h2>${forms ? `<div class="forms">${forms}</div>` : '<p>No decision is open to your roles right now.</p>'}
<h2>Timeline</h2><table><thead><tr><th>At</th><th>Stage</th><th>Action</th><th>Actor</th><th>Role</th><th>Reason</th><th>Detail</th></tr></thead><tbody>${timeline}</tbody></table>`,
    v.csrf,
  );
}
