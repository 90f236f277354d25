import { createRequire } from 'node:module';

/**
 * Microsoft's own Adaptive Cards library, as Teams parses a card: target version 1.5. Its ESM build
 * does not load in plain Node; the UMD build does, with no DOM. Returns every problem it reports,
 * plus the checks it does not make (version at most 1.5, a verb on every Action.Execute, size).
 */
const AC = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as {
  AdaptiveCard: new () => { parse(json: unknown, ctx: unknown): void; validateProperties(): { validationEvents: { event: number; message: string }[] } };
  SerializationContext: new () => { targetVersion: unknown; eventCount: number; getEventAt(i: number): { event: number; message: string } };
  Versions: { v1_5: unknown };
  ValidationEvent: Record<number, string>;
};

export function cardProblems(card: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const ctx = new AC.SerializationContext();
  ctx.targetVersion = AC.Versions.v1_5;
  const c = new AC.AdaptiveCard();
  c.parse(card, ctx);
  for (let i = 0; i < ctx.eventCount; i++) {
    const e = ctx.getEventAt(i);
    problems.push(`parse ${AC.ValidationEvent[e.event]}: ${e.message}`);
  }
  for (const e of c.validateProperties().validationEvents) problems.push(`validate ${AC.ValidationEvent[e.event]}: ${e.message}`);
  if (card.version !== '1.5') problems.push(`version ${String(card.version)} is not 1.5`);
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (!x || typeof x !== 'object') return;
    const o = x as Record<string, unknown>;
    if (o.type === 'Action.Execute' && (typeof o.verb !== 'string' || !o.verb)) problems.push(`Action.Execute «${String(o.title)}» has no verb`);
    Object.values(o).forEach(walk);
  };
  walk(card);
  const size = Buffer.byteLength(JSON.stringify(card));
  if (size > 80_000) problems.push(`${size} bytes: over Teams' 80 KB`);
  return problems;
}
