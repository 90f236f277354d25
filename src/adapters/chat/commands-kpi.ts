import { parseTypedNumber } from '../../domain/kpis/metrics.js';
import { DEFAULT_SOURCE, metricKeysOf, metricOf } from '../../domain/kpis/validate.js';
import type { PersonId } from '../../domain/people/types.js';
import { isLocalDate } from '../../domain/shared/time.js';
import { campaignLabel, formatDay, formatValue, metricName } from '../../views/kpi-format.js';
import { detailList, targetsList } from '../../views/kpi-views.js';
import type { ListView, Rich } from '../../views/model.js';
import { registerCommand, type CommandReply, type CommandDeps } from './commands.js';

const text = (...lines: Rich[]): CommandReply => ({ kind: 'text', lines });
const list = (view: ListView): CommandReply => ({ kind: 'list', view });

/**
 * `kpi`: the same subcommands as Slack's /kpi (the overview, metas, a campaign, its chart, registrar).
 * «publicar» at the end is accepted and left out: a Teams answer already goes to the conversation.
 */
registerCommand(['kpi'], (d, person, words) => {
  const { core } = d;
  const k = core.fmt.m.kpiView;
  const publish = words.length > 0 && words.at(-1)!.toLowerCase() === 'publicar' && (words[0] ?? '').toLowerCase() !== 'registrar';
  const args = publish ? words.slice(0, -1) : words;
  const sub = (args[0] ?? '').toLowerCase();
  if (sub === '') return { kind: 'overview', summaries: core.kpis.activeSummaries() };
  if (sub === 'ayuda' || sub === 'help') return list({ title: core.fmt.m.teams.kpis, sections: [{ items: k.help() }], empty: '' });
  if (sub === 'metas' || sub === 'targets') return list(targetsList(core.fmt, core.kpis.campaigns()));
  if (sub === 'registrar' || sub === 'record') return record(d, person, args.slice(1));

  const campaign = core.kpis.campaign(sub);
  if (!campaign) return text(k.unknownCampaign(args[0]!, core.kpis.campaigns().map((c) => c.key)));
  const summary = core.kpis.summary(campaign);
  const view = detailList(core.fmt, summary);
  const option = (args[1] ?? '').toLowerCase();
  // Slack answers the detail, then a second line; here both go in one card, the line last.
  const after = (line: Rich | string): CommandReply => list({ ...view, sections: [...view.sections, { items: [], more: typeof line === 'string' ? [line] : line }] });
  if (option === 'grafica' || option === 'gráfica' || option === 'chart') {
    // A metric may follow: «kpi 8m grafica donaciones»; else the first one with a target.
    const def = args[2] ? metricOf(campaign, args[2]) : null;
    if (args[2] && !def) return after(k.unknownMetric(args[2], metricKeysOf(campaign)));
    // A chart is a Slack upload: sent there when the person's direct messages go to Slack; in Teams
    // the figures above are the answer (a card cannot carry an uploaded image).
    const now = core.clock.now();
    const effect = { type: 'kpi_chart', to: { person }, campaignId: campaign.id, metric: def?.key ?? null, date: summary.date } as const;
    if (!core.lanesOf(effect).some((lane) => lane === 'slack' || lane === 'console')) return after(core.fmt.m.teams.noChart);
    core.enqueue(effect, now);
    core.kickOutbox();
    return after(k.chartSent);
  }
  if (option) return after(core.fmt.m.reply.unknown(['kpi', ...words].join(' ')));
  return list(view);
});

/** «kpi registrar 8m donaciones 12500 [2026-11-20]» */
function record(d: CommandDeps, person: PersonId, args: string[]): CommandReply {
  const { core } = d;
  const f = core.fmt;
  const k = f.m.kpiView;
  if (!core.kpis.canRecord(person)) return text(k.notAllowed());
  const [key, metricTyped, ...rest] = args;
  const dateTyped = rest.length > 1 && isLocalDate(rest.at(-1)!) ? rest.at(-1)! : null;
  const valueTyped = (dateTyped ? rest.slice(0, -1) : rest).join(' ');
  if (!key || !metricTyped || !valueTyped) return text(k.registerUsage());
  const campaign = core.kpis.campaign(key);
  if (!campaign) return text(k.unknownCampaign(key, core.kpis.campaigns().map((c) => c.key)));
  const def = metricOf(campaign, metricTyped);
  if (!def) return text([k.unknownMetric(metricTyped, metricKeysOf(campaign))]);
  const value = parseTypedNumber(valueTyped);
  if (value === null) return text([k.unreadableValue(valueTyped)]);
  const date = dateTyped ?? core.kpis.today();
  // No idempotency key here (as in Slack): the same figure again replaces itself, same day and source.
  const r = core.kpis.record([{ campaign: campaign.key, metric: def.key, date, value, source: DEFAULT_SOURCE }], person);
  if (!r.ok) {
    const e = r.errors[0]!;
    return text([`${f.m.kpi.field[e.field] ?? e.field}: ${f.m.kpi.problem(e.problem)}`]);
  }
  core.kickOutbox();
  const hundredths = Math.round(value * 100);
  return text([(r.replaced ? k.replaced : k.recorded)(metricName(f, def), campaignLabel(campaign), formatValue(f, def.unit, hundredths), formatDay(f, date))]);
}
