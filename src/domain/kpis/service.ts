import type { RoleDirectory } from '../approvals/ports.js';
import type { Clock } from '../shared/clock.js';
import type { Effect } from '../shared/effects.js';
import type { JobsPort } from '../shared/jobs.js';
import { addDays, localDateOf, type LocalDate } from '../shared/time.js';
import { alertsFor, closingRows, type AlertSettings } from './alerts.js';
import { normalizeKey } from './metrics.js';
import type { KpiRepository, RecordCounts } from './ports.js';
import { BRIEF_DAYS, campaignSummary, SERIES_DAYS } from './summary.js';
import type { Campaign, CampaignSummary, ObservationInput } from './types.js';
import { validateCampaign, validateObservations, type FieldProblem } from './validate.js';

export interface KpiDeps {
  repo: KpiRepository;
  jobs: JobsPort;
  roles: RoleDirectory;
  clock: Clock;
  tz: string;
  /** writes effects to the outbox, in the caller's transaction */
  enqueue(effect: Effect, now: number): void;
  alerts: AlertSettings;
}

export type CampaignResult = { ok: true; campaign: Campaign; created: boolean } | { ok: false; errors: FieldProblem[] };
export type RecordResult = ({ ok: true } & RecordCounts) | { ok: false; errors: FieldProblem[] };

/**
 * Campaign KPIs: campaigns and their targets, figures in (chat, CSV, API), summaries out, and the
 * alerts a change of figures or of the calendar raises. Figures are all or nothing per batch.
 */
/** Summaries kept (each is a few KB): every campaign on a few dates, in both sizes. */
const SUMMARY_CACHE = 500;

export class KpiService {
  private readonly cache = new Map<string, CampaignSummary>();

  constructor(private readonly d: KpiDeps) {}

  today(): LocalDate {
    return localDateOf(this.d.clock.now(), this.d.tz);
  }

  campaign(key: string): Campaign | null {
    return this.d.repo.byKey(normalizeKey(key));
  }

  campaignById(id: number): Campaign | null {
    return this.d.repo.get(id);
  }

  campaigns(): Campaign[] {
    return this.d.repo.all();
  }

  /** Campaigns running on the date. */
  active(date: LocalDate = this.today()): Campaign[] {
    return this.d.repo.active(date, date);
  }

  /** Who may record figures: the `kpi_editor` role («métricas») or an admin. */
  canRecord(personId: string): boolean {
    const r = this.d.roles.rolesOf(personId);
    return r.has('kpi_editor') || r.has('admin');
  }

  /** Creates or replaces a campaign (its closing report planned anew, its alerts checked again). */
  define(key: string, body: unknown, actor: string): CampaignResult {
    const v = validateCampaign(key, body);
    if (!v.ok) return v;
    const now = this.d.clock.now();
    return this.guarded(() => {
      const { campaign, created } = this.d.repo.save(v.value, actor, now);
      const subject = `campaign:${campaign.id}`;
      this.d.jobs.cancelSubject(subject, now, 'campaign changed');
      this.d.jobs.schedule(closingRows(campaign, this.d.tz, this.d.alerts.reportTime));
      for (const e of this.alerts(campaign, now)) this.d.enqueue(e, now);
      return { ok: true as const, campaign, created };
    });
  }

  /**
   * A write in one transaction. Summaries computed inside it (the alerts read them) may describe
   * figures that a rollback undoes, under versions the next write reuses: they are forgotten then.
   */
  private guarded<T>(fn: () => T): T {
    try {
      return this.d.repo.transaction(fn);
    } catch (e) {
      this.cache.clear();
      throw e;
    }
  }

  /** Checks a batch without storing it. */
  check(items: readonly ObservationInput[]): FieldProblem[] {
    return validateObservations(items, (k) => this.d.repo.byKey(k), () => this.d.repo.all().map((c) => c.key)).errors;
  }

  /**
   * Stores a batch, all or nothing: one invalid item and nothing is stored. The same (campaign,
   * metric, date, source) replaces the earlier value. Alerts are checked (and written) in the same transaction.
   */
  record(items: readonly ObservationInput[], actor: string): RecordResult {
    const cache = new Map<string, Campaign | null>();
    const byKey = (k: string) => {
      if (!cache.has(k)) cache.set(k, this.d.repo.byKey(k));
      return cache.get(k)!;
    };
    const { observations, errors } = validateObservations(items, byKey, () => this.d.repo.all().map((c) => c.key));
    if (errors.length) return { ok: false, errors };
    const now = this.d.clock.now();
    return this.guarded(() => {
      const counts = this.d.repo.record(observations.filter((o) => o !== null), actor, now);
      const touched = new Set(observations.map((o) => o!.campaignId));
      for (const id of touched) for (const e of this.alerts(this.d.repo.get(id)!, now)) this.d.enqueue(e, now);
      return { ok: true as const, ...counts };
    });
  }

  /**
   * One campaign on a date, with its daily series (30 days; 14 when `brief`, for overviews).
   * A summary depends only on the campaign's definition, its figures and the date: it is kept
   * until either changes (their versions are in the key, so a write from another process — the
   * CSV import — is seen at once).
   */
  summary(campaign: Campaign, date: LocalDate = this.today(), brief = false): CampaignSummary {
    const key = `${campaign.id}|${campaign.version}|${campaign.dataVersion}|${date}|${brief ? 'b' : 'f'}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const s = campaignSummary(campaign, date, (defs, span) => this.d.repo.facts(campaign, defs, span), brief ? BRIEF_DAYS : SERIES_DAYS);
    if (this.cache.size >= SUMMARY_CACHE) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, s);
    return s;
  }

  /**
   * Forgets every summary kept. For a database emptied from outside (the demo console's «Reiniciar»):
   * a campaign created afterwards reuses the ids and versions that key the summaries.
   */
  forgetSummaries(): void {
    this.cache.clear();
  }

  /** Every campaign running on the date, summarised for an overview. */
  activeSummaries(date: LocalDate = this.today()): CampaignSummary[] {
    return this.active(date).map((c) => this.summary(c, date, true));
  }

  /** Campaigns behind or at risk on the date, for the daily digest. */
  atRisk(date: LocalDate = this.today()): CampaignSummary[] {
    // Yesterday is the last complete day: this morning's figures are not in yet.
    const day = addDays(date, -1);
    return this.d.repo
      .active(date, date)
      .map((c) => this.summary(c, day > c.start ? day : c.start, true))
      .filter((s) => s.elapsedDays > 0 && (s.metrics.some((m) => m.status === 'behind' || m.status === 'at_risk') || s.budget.status === 'at_risk' || s.budget.status === 'over_budget'));
  }

  /**
   * Alerts for one campaign, now (state updated; the caller writes the effects): each condition that became true is told once, to the KPI
   * channel, and again only after it recovered and became true again.
   */
  alerts(campaign: Campaign, now: number): Effect[] {
    return alertsFor(campaign, localDateOf(now, this.d.tz), {
      summary: (date) => this.summary(campaign, date, true),
      active: this.d.repo.activeAlerts(campaign.id),
      set: (alert, on) => this.d.repo.setAlert(campaign.id, alert, on, now),
      kpiPlace: this.d.alerts.kpiPlace,
      admins: () => this.d.roles.usersWith('admin'),
    });
  }
}
