import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { simulate, writeOutputs, type SimulationResult } from '../../scripts/simulate';
import { SimulationOptionsSchema } from '../../src/simulate/scenario';
import { CHROMIUM_FLAGS, chromiumMissingMessage, chromiumPath, pngDistinctBytes } from '../support/browser';
import { workflowBundle } from '../support/temporal';

/**
 * A small revenue-leak simulation (12 journeys, 60 days, seed 11, a denial-heavy mix so every path shows up) on
 * its own time-skipping server: the report's figures must match what the simulator really drove and what the
 * journeys say, and report.html must draw its charts in headless Chromium.
 */
jest.setTimeout(180_000);

const OUT = path.resolve(__dirname, '../../test-output/simulate');
const options = SimulationOptionsSchema.parse({
  journeys: 12,
  days: 60,
  seed: 11,
  arrivalShare: 0.25,
  mix: { secondaryCoverageRate: 0.4, claimDenialRate: 0.4, denialRecoveredRate: 0.5, payerDays: [4, 10], appealDays: [5, 10], patientPayDays: [2, 10], schedulingDays: [0, 3], serviceDays: [1, 5], paPendedDays: [2, 9] },
});

let result: SimulationResult;
let startedAt: number;

beforeAll(async () => {
  startedAt = Date.now();
  result = await simulate(options, { bundlePath: workflowBundle().codePath });
});

test('the report counts what the journeys did, and matches what the simulator drove', () => {
  const { report, run } = result;
  process.stderr.write(`[simulate.test] ${run.options.journeys} journeys × ${run.options.days} days in ${((Date.now() - startedAt) / 1000).toFixed(1)} s\n`);
  expect(report.meta.journeys).toBe(12);
  expect(report.journeys.observed).toBe(12);
  expect(Object.values(report.journeys.byOutcome).reduce((a, b) => a + b, 0)).toBe(12);
  expect(report.errors).toEqual([]);

  // paid = journeys whose own status says paid, each with a settled ledger
  const paid = run.journeys.filter((j) => j.status?.outcome === 'paid');
  expect(paid.length).toBeGreaterThan(0);
  expect(report.claims.paidCount).toBe(paid.length);
  expect(report.journeys.byOutcome.paid).toBe(paid.length);
  for (const j of paid) {
    const l = j.status!.ledger;
    expect(l.balanceCents).toBe(0);
    expect(l.paidCents + l.patientPaidCents + l.adjustedCents + l.writtenOffCents).toBe(l.chargeCents);
  }

  // denials by CARC: exactly the denials the payer emulator sent that reached a journey
  const injected: Record<string, number> = {};
  for (const j of run.journeys) for (const carc of j.driven.deniedCarcs) injected[carc] = (injected[carc] ?? 0) + 1;
  expect(Object.keys(injected).length).toBeGreaterThan(0);
  expect(report.claims.deniedByCarc).toEqual(injected);
  expect(report.claims.denied).toBe(Object.values(injected).reduce((a, b) => a + b, 0));

  // second coverages: every secondary remittance the simulated payer sent was answered on a journey, and the
  // journeys say what it paid (coordination of benefits, CLP02 2 with OA-23)
  const secondaryRemits = run.journeys.reduce((n, j) => n + j.driven.secondaryRemits, 0);
  expect(secondaryRemits).toBeGreaterThan(0);
  expect(report.claims.secondary.answered).toBe(secondaryRemits);
  expect(report.claims.secondary.billed).toBeGreaterThanOrEqual(secondaryRemits);
  expect(report.claims.secondary.paidCents).toBeGreaterThan(0);

  // money from the journeys' ledgers; SLA breaches from their timelines agree with the KPI events the worker got
  expect(report.money.chargedCents).toBe(run.journeys.reduce((s, j) => s + (j.status?.ledger.chargeCents ?? 0), 0));
  expect(report.money.payerPaidCents).toBeGreaterThan(0);
  expect(report.slaBreaches.total).toBe(report.kpiEvents.byName.sla_breach ?? 0);
  expect(report.leakPoints.length).toBeGreaterThan(0);
  expect(report.authTurnaroundHours.count + report.billingLagDays.count).toBeGreaterThan(0);
});

const executablePath = chromiumPath();
const inBrowser = executablePath || process.env.CI === 'true' ? test : test.skip;
if (!executablePath && process.env.CI !== 'true') process.stderr.write(`[simulate.test] browser check SKIPPED: ${chromiumMissingMessage()}\n`);

inBrowser('report.html draws every chart in headless Chromium', async () => {
  if (!executablePath) throw new Error(chromiumMissingMessage());
  const files = writeOutputs(result, OUT);
  expect(JSON.parse(fs.readFileSync(files.json, 'utf8')).meta.seed).toBe(11);
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_FLAGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const failed: string[] = [];
    page.on('requestfailed', (r) => failed.push(r.url()));
    page.on('pageerror', (e) => failed.push(e.message));
    await page.goto(`file://${files.html}`);
    // page-side code as strings: the project compiles without the DOM lib
    await page.waitForFunction("typeof window.__chartsDrawn === 'number'");
    const canvases = await page.locator('canvas[data-chart]').count();
    expect(canvases).toBe(8);
    expect(await page.evaluate('window.__chartsDrawn')).toBe(canvases);
    // every canvas has painted pixels (not a blank surface)
    const painted = (await page.evaluate(`Array.from(document.querySelectorAll('canvas[data-chart]')).map((c) => {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) n += 1;
      return n;
    })`)) as number[];
    expect(painted).toHaveLength(canvases);
    for (const n of painted) expect(n).toBeGreaterThan(500);
    const shot = path.join(OUT, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(pngDistinctBytes(shot)).toBeGreaterThan(20);
    expect(failed).toEqual([]); // self-contained: nothing fetched from the network, no script errors
  } finally {
    await browser.close();
  }
});
