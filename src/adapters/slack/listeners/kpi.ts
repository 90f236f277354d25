import type { App, RespondFn } from '@slack/bolt';
import { parseTypedNumber } from '../../../domain/kpis/metrics.js';
import type { KpiService } from '../../../domain/kpis/service.js';
import type { CampaignSummary } from '../../../domain/kpis/types.js';
import { DEFAULT_SOURCE, metricKeysOf, metricOf } from '../../../domain/kpis/validate.js';
import type { Effect } from '../../../domain/shared/effects.js';
import { isLocalDate } from '../../../domain/shared/time.js';
import { campaignLabel, formatDay, formatValue, metricName } from '../../../views/kpi-format.js';
import { detailList, overviewList, overviewSections, targetsList } from '../../../views/kpi-views.js';
import type { ListView, Rich } from '../../../views/model.js';
import { listBlocks, type Block } from '../render/block-kit.js';
import { escapeMrkdwn, richToMrkdwn } from '../render/mrkdwn.js';
import { answer } from '../reply.js';
import type { SlackDeps } from '../deps.js';

export interface KpiSlackDeps extends SlackDeps {
  kpis: KpiService;
  /** writes an effect to the outbox (the chart, sent by DM) */
  enqueue: (effect: Effect, now: number) => void;
  now: () => number;
}

/** Slack refuses a message over ~12,000 characters of block text or 50 blocks. */
const MESSAGE_BUDGET = 11_500;
const blocksText = (blocks: Block[]) => JSON.stringify(blocks).length;
const truncated = (blocks: Block[]) => JSON.stringify(blocks.at(-1) ?? {}).includes('… +');

/**
 * The overview with as many campaigns as fit in one Slack message (found by halving, each
 * campaign's lines built once); the others are named by count with the command that shows each.
 */
export function overviewBlocks(d: Pick<KpiSlackDeps, 'fmt'>, summaries: CampaignSummary[], o: { title?: string; late?: boolean } = {}): { view: ListView; blocks: Block[] } {
  const sections = overviewSections(d.fmt, summaries);
  const render = (shown: number) => {
    const view = overviewList(d.fmt, summaries, { ...o, shown, sections });
    const blocks = listBlocks(view);
    return { view, blocks, fits: !truncated(blocks) && blocksText(blocks) <= MESSAGE_BUDGET && blocks.length <= 50 };
  };
  const whole = render(summaries.length);
  if (whole.fits || summaries.length <= 1) return whole;
  let [lo, hi] = [1, summaries.length - 1];
  let best = render(1);
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = render(mid);
    if (r.fits) [best, lo] = [r, mid + 1];
    else hi = mid - 1;
  }
  return best;
}

/** `/kpi`: campaigns against targets and budget; `registrar` records a figure. Ack first, then answer. */
export function registerKpi(app: App, d: KpiSlackDeps): void {
  const k = d.fmt.m.kpiView;
  const say = (respond: RespondFn, text: string, blocks?: Block[], inChannel = false) => answer(respond, d.log, text, { blocks, inChannel });
  const sayRich = (respond: RespondFn, rich: Rich) => say(respond, richToMrkdwn(rich));
  const list = (respond: RespondFn, view: ListView, publish: boolean, blocks = listBlocks(view)) => say(respond, escapeMrkdwn(view.title), blocks, publish);
  // The overview is the same message until a campaign or its figures change (or the day does):
  // kept, so people asking «¿vamos bien?» one after another do not render it again each time.
  const rendered = new Map<string, { view: ListView; blocks: Block[] }>();
  const overview = (summaries: CampaignSummary[]) => {
    const key = `${summaries[0]?.date}|${summaries.map((s) => `${s.campaign.id}:${s.campaign.version}:${s.campaign.dataVersion}`).join(',')}`;
    let r = rendered.get(key);
    if (!r) {
      if (rendered.size >= 20) rendered.clear();
      rendered.set(key, (r = overviewBlocks(d, summaries)));
    }
    return r;
  };
  const unknownCampaign = (respond: RespondFn, typed: string) => sayRich(respond, k.unknownCampaign(typed, d.kpis.campaigns().map((c) => c.key)));

  app.command('/kpi', async ({ ack, command, respond }) => {
    await ack();
    const words = (command.text ?? '').trim().split(/\s+/).filter(Boolean);
    const publish = words.length > 0 && words.at(-1)!.toLowerCase() === 'publicar' && (words[0] ?? '').toLowerCase() !== 'registrar';
    const args = publish ? words.slice(0, -1) : words;
    const sub = (args[0] ?? '').toLowerCase();
    const person = d.people.person(command.user_id, command.user_name);

    if (sub === '') {
      const { view, blocks } = overview(d.kpis.activeSummaries());
      return list(respond, view, publish, blocks);
    }
    if (sub === 'ayuda' || sub === 'help') return say(respond, k.help().map(richToMrkdwn).join('\n'));
    if (sub === 'metas' || sub === 'targets') return list(respond, targetsList(d.fmt, d.kpis.campaigns()), publish);
    if (sub === 'registrar' || sub === 'record') return record(args.slice(1), person, respond);

    const campaign = d.kpis.campaign(sub);
    if (!campaign) return unknownCampaign(respond, args[0]!);
    const summary = d.kpis.summary(campaign);
    const view = detailList(d.fmt, summary);
    await list(respond, view, publish);
    const option = (args[1] ?? '').toLowerCase();
    if (option === 'grafica' || option === 'gráfica' || option === 'chart') {
      // A metric may follow: «/kpi 8m grafica donaciones»; else the first one with a target.
      const def = args[2] ? metricOf(campaign, args[2]) : null;
      if (args[2] && !def) return say(respond, escapeMrkdwn(k.unknownMetric(args[2], metricKeysOf(campaign))));
      const now = d.now();
      d.enqueue({ type: 'kpi_chart', to: { person }, campaignId: campaign.id, metric: def?.key ?? null, date: summary.date }, now);
      d.kickOutbox();
      await say(respond, escapeMrkdwn(k.chartSent));
    } else if (option) {
      await say(respond, escapeMrkdwn(d.fmt.m.reply.unknown(command.text ?? '')));
    }
  });

  /** «/kpi registrar 8m donaciones 12500 [2026-11-20]» */
  async function record(args: string[], person: string, respond: RespondFn): Promise<void> {
    if (!d.kpis.canRecord(person)) return sayRich(respond, k.notAllowed());
    const [key, metricTyped, ...rest] = args;
    const dateTyped = rest.length > 1 && isLocalDate(rest.at(-1)!) ? rest.at(-1)! : null;
    const valueTyped = (dateTyped ? rest.slice(0, -1) : rest).join(' ');
    if (!key || !metricTyped || !valueTyped) return sayRich(respond, k.registerUsage());
    const campaign = d.kpis.campaign(key);
    if (!campaign) return unknownCampaign(respond, key);
    const def = metricOf(campaign, metricTyped);
    if (!def) return say(respond, escapeMrkdwn(k.unknownMetric(metricTyped, metricKeysOf(campaign))));
    const value = parseTypedNumber(valueTyped);
    if (value === null) return say(respond, escapeMrkdwn(k.unreadableValue(valueTyped)));
    const date = dateTyped ?? d.kpis.today();
    const r = d.kpis.record([{ campaign: campaign.key, metric: def.key, date, value, source: DEFAULT_SOURCE }], person);
    if (!r.ok) {
      const e = r.errors[0]!;
      return say(respond, escapeMrkdwn(`${d.fmt.m.kpi.field[e.field] ?? e.field}: ${d.fmt.m.kpi.problem(e.problem)}`));
    }
    d.kickOutbox();
    const hundredths = Math.round(value * 100);
    const text = (r.replaced ? k.replaced : k.recorded)(metricName(d.fmt, def), campaignLabel(campaign), formatValue(d.fmt, def.unit, hundredths), formatDay(d.fmt, date));
    return say(respond, escapeMrkdwn(text));
  }
}
