/**
 * How fast is an approval click acknowledged with thousands of pieces in the database?
 * Starts the real app (HTTP, signature checks, real SQLite file) against the fake Slack API,
 * seeds PIECES pieces with their history, then sends CLICKS signed approve clicks one after
 * another and prints the HTTP round-trip (= time to ack) and the time until the card is updated.
 *
 *   npm run bench:approval            # defaults: 5000 pieces, 300 clicks
 *   PIECES=20000 CLICKS=500 npm run bench:approval
 */
import { SqlitePieceRepository } from '../src/store/piece-repo.js';
import { ACTION } from '../src/views/ids.js';
import { Harness, REVIEW, U, waitFor } from '../test/helpers/harness.js';
import { blockActionPayload, payloadBody, postSigned } from '../test/helpers/slack-client.js';

const PIECES = Number(process.env.PIECES ?? 5000);
const CLICKS = Math.min(Number(process.env.CLICKS ?? 300), PIECES);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const fmt = (xs: number[]) =>
  `p50 ${pct(xs, 50).toFixed(2)} ms · p95 ${pct(xs, 95).toFixed(2)} ms · p99 ${pct(xs, 99).toFixed(2)} ms · max ${Math.max(...xs).toFixed(2)} ms`;

async function main(): Promise<void> {
  const h = await Harness.start();
  const repo = new SqlitePieceRepository(h.app.db);
  const t0 = performance.now();
  const ids: number[] = [];
  repo.transaction(() => {
    for (let i = 0; i < PIECES; i++) {
      const { piece } = repo.insert(
        { title: `Pieza ${i}`, body: 'Texto de la pieza '.repeat(10), kind: 'post', networks: ['facebook'], plannedAt: Date.now() + 86_400_000, plannedHasTime: true, materialsUrl: null, needsDesign: false, authorId: i % 2 ? U.author : U.author2, platform: 'slack', stage: 'content_review', originKey: null },
        Date.now(),
      );
      repo.appendEvent({ pieceId: piece.id, versionFrom: 0, event: 'submit', fromStage: 'draft', toStage: 'content_review', actorId: piece.authorId, reason: null, data: {}, platform: 'slack', at: Date.now() });
      ids.push(piece.id);
    }
  });
  console.log(`seeded ${PIECES} pieces in ${(performance.now() - t0).toFixed(0)} ms`);

  // Warm up the HTTP path once.
  await postSigned(h.baseUrl, payloadBody(blockActionPayload({ user: U.approver, actionId: ACTION.history, value: String(ids[0]), channel: REVIEW, messageTs: '1.1', responseUrl: h.slack.responseUrl('warm') })));

  const ack: number[] = [];
  const decided: number[] = [];
  for (let i = 0; i < CLICKS; i++) {
    const id = ids[ids.length - 1 - i]!;
    const body = payloadBody(blockActionPayload({ user: U.approver, actionId: ACTION.approve, value: JSON.stringify({ p: id, v: 1 }), channel: REVIEW, messageTs: '1.1', responseUrl: h.slack.responseUrl(`b${i}`) }));
    const started = performance.now();
    const res = await postSigned(h.baseUrl, body);
    if (res.status !== 200) throw new Error(`click answered ${res.status}`);
    ack.push(res.ms);
    await waitFor(() => (h.app.db.prepare('SELECT version FROM pieces WHERE id = ?').get(id) as { version: number }).version === 2);
    decided.push(performance.now() - started);
  }
  await h.settle();
  console.log(`approval clicks with ${PIECES} pieces in the database (${CLICKS} clicks, Node ${process.version}):`);
  console.log(`  ack (HTTP round-trip):        ${fmt(ack)}`);
  console.log(`  decision committed (+outbox): ${fmt(decided)}`);
  await h.stop();
}

void main();
