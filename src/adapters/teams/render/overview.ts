import type { CampaignSummary } from '../../../domain/kpis/types.js';
import type { Fmt } from '../../../views/format.js';
import { overviewList, overviewSections } from '../../../views/kpi-views.js';
import { listOf, type Json, type TeamsRenderContext } from './adaptive-card.js';

/** A card cut to Teams' size ends with this line (see `fitted`): the list did not fit whole. */
const cut = (card: Json): boolean => {
  const last = (card.body as Json[]).at(-1) as { inlines?: { text?: string }[] } | undefined;
  return last?.inlines?.length === 1 && last.inlines[0]!.text === '…';
};

/**
 * The KPI overview with as many campaigns as fit in one card (found by halving, each campaign's lines
 * built once); the others are named by count with the command that shows each, as in Slack.
 */
export function overviewCard(ctx: TeamsRenderContext, f: Fmt, summaries: CampaignSummary[]): Json {
  const sections = overviewSections(f, summaries);
  const render = (shown: number) => {
    const card = listOf(overviewList(f, summaries, { shown, sections }), ctx);
    return { card, fits: !cut(card) };
  };
  const whole = render(summaries.length);
  if (whole.fits || summaries.length <= 1) return whole.card;
  let [lo, hi] = [1, summaries.length - 1];
  let best = render(1);
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = render(mid);
    if (r.fits) [best, lo] = [r, mid + 1];
    else hi = mid - 1;
  }
  return best.card;
}
