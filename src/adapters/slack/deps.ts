import { z } from 'zod';
import type { ApprovalService } from '../../domain/approvals/service.js';
import type { RoleService } from '../../domain/shared/role-service.js';
import type { Logger } from '../../logger.js';
import type { SqliteOutbox } from '../../store/outbox-repo.js';
import type { Fmt } from '../../views/format.js';
import type { SlackPeople } from './people.js';
import type { Titles } from '../../views/delivery-views.js';

/** What the Slack listeners need: use-cases and formatting, never SQL. */
export interface SlackDeps {
  approvals: ApprovalService;
  roles: RoleService;
  outbox: SqliteOutbox;
  fmt: Fmt;
  log: Logger;
  /** Called after a decision commits, so its messages go out right away. */
  kickOutbox: () => void;
  /** Slack users as people: every use-case takes our person id, never a Slack id. */
  people: SlackPeople;
  /** what a failed message was about, for «pieza fallos» */
  titles: Titles;
}

/** A button's value: the piece and the version the person saw. */
export const refSchema = z.object({ p: z.number().int().positive(), v: z.number().int().positive() });

/** A form's private metadata: the clicked ref, the channel to answer in, the piece's networks. */
export const formMetaSchema = refSchema.extend({
  c: z.string().optional(),
  n: z.array(z.string()).optional(),
});

export function parseJson<T>(schema: z.ZodType<T>, raw: string | undefined): T | null {
  if (!raw) return null;
  try {
    const r = schema.safeParse(JSON.parse(raw));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}
