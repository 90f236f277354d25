/**
 * Open inquiries for the inquiry bench, written through the store (repository + job rows) before
 * the bot starts: `n` inquiries, most taken, the rest open with their next escalation step pending
 * later in the day, as an office with a large backlog looks.
 */
import { localDateOf } from '../../src/domain/shared/time.js';
import type { DB } from '../../src/store/db.js';
import { SqliteInquiryRepository } from '../../src/store/inquiry-repo.js';
import { SqliteJobRepository } from '../../src/store/job-repo.js';
import { BOT_TZ } from './bot.js';
import { personOf } from './seed.js';

const TYPES = ['informacion', 'peticion', 'queja', 'prensa'] as const;
const CHANNELS = ['facebook', 'correo', 'web', 'x', 'whatsapp'] as const;

export function seedOpenInquiries(db: DB, n: number, oncall: readonly string[], now = Date.now()): { open: number; taken: number } {
  const repo = new SqliteInquiryRepository(db);
  const jobs = new SqliteJobRepository(db);
  const people = oncall.map((u) => personOf(db, u));
  const year = Number(localDateOf(now, BOT_TZ).slice(0, 4));
  let open = 0;
  db.transaction(() => {
    const rows = [];
    for (let k = 0; k < n; k++) {
      const receivedAt = now - (k % 60) * 86_400_000 - (k % 1440) * 60_000;
      const taken = k % 10 < 7;
      const receiptDate = localDateOf(receivedAt, BOT_TZ);
      const i = repo.insert(
        {
          channel: CHANNELS[k % CHANNELS.length]!,
          type: TYPES[k % TYPES.length]!,
          requester: { name: k % 3 ? `Persona ${k}` : null, contact: k % 3 ? `persona${k}@example.org` : null },
          text: `Solicitud de información número ${k}: copia de los contratos y convenios firmados.`,
          sourceLink: null,
          receivedAt,
          receiptDate,
          dueDate: TYPES[k % TYPES.length] === 'prensa' ? null : localDateOf(receivedAt + 28 * 86_400_000, BOT_TZ),
          extendedDueDate: null,
          term: null,
          policy: { ackMinutes: 15, repeatMinutes: 30 },
          state: taken ? 'taken' : 'open',
          assigneeId: taken ? people[k % people.length]! : null,
          takenAt: taken ? receivedAt + 600_000 : null,
          closedAt: null,
          answeredDate: null,
          round: 0,
          createdBy: 'api',
          createdAt: receivedAt,
        },
        year,
      );
      repo.appendEvent({ inquiryId: i.id, event: 'registered', actorId: 'api', data: {}, platform: 'api', at: receivedAt });
      if (taken) repo.appendEvent({ inquiryId: i.id, event: 'taken', actorId: i.assigneeId!, data: {}, platform: 'slack', at: receivedAt + 600_000 });
      else {
        open++;
        // Their next step falls due from 30 minutes on, spread over the day: never inside the bench's window.
        rows.push({ kind: 'inquiry.page', key: `inquiry.page:${i.id}:0:${3 + (k % 5)}`, subject: `inquiry:${i.id}`, payload: { inquiryId: i.id, round: 0, step: 3 + (k % 5), base: receivedAt }, dueAt: now + 30 * 60_000 + (k % 1000) * 80_000 });
      }
    }
    jobs.insert(rows, () => 'v1', now);
  })();
  return { open, taken: n - open };
}
