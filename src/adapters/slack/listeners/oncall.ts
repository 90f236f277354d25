import type { App, RespondFn } from '@slack/bolt';
import type { OnCallService } from '../../../domain/oncall/service.js';
import { isDomainError } from '../../../domain/shared/errors.js';
import { domainErrorText } from '../../../views/errors.js';
import { dayText } from '../../../views/inquiry-views.js';
import type { ListView, Rich } from '../../../views/model.js';
import { withMention } from '../../../views/model.js';
import { oncallList } from '../../../views/oncall-views.js';
import { listBlocks, type Block } from '../render/block-kit.js';
import { escapeMrkdwn, richToMrkdwn } from '../render/mrkdwn.js';
import { answer } from '../reply.js';
import type { SlackDeps } from '../deps.js';

export interface OnCallSlackDeps extends SlackDeps {
  oncall: OnCallService;
  now: () => number;
}

/** A user as Slack escapes it in a command (<@U123|name>), or a bare id. */
const slackUser = (s: string): string | null => (/^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(s) ?? /^([UW][A-Z0-9]{2,})$/.exec(s))?.[1] ?? null;

/** `/guardia`: who is on call; `rotacion`, `cubrir` and `quitar` change it. */
export function registerOnCall(app: App, d: OnCallSlackDeps): void {
  const o = d.fmt.m.inq;
  const say = (respond: RespondFn, text: string, blocks?: Block[]) => answer(respond, d.log, text, { blocks });
  const sayRich = (respond: RespondFn, rich: Rich) => say(respond, richToMrkdwn(rich));
  const list = (respond: RespondFn, view: ListView) => say(respond, escapeMrkdwn(view.title), listBlocks(view));
  const help = (respond: RespondFn) => list(respond, { title: o.oncallHelpTitle, sections: [{ items: o.oncallHelp() }], empty: '' });

  app.command('/guardia', async ({ ack, command, respond }) => {
    await ack();
    const words = (command.text ?? '').trim().split(/\s+/).filter(Boolean);
    const sub = (words[0] ?? '').toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    const person = d.people.person(command.user_id, command.user_name);
    try {
      if (sub === '') {
        const now = d.now();
        const v = d.oncall.view(now);
        return list(respond, oncallList(d.fmt, { ...v, rotation: d.oncall.rotation(), overrides: d.oncall.overrides() }));
      }
      if (sub === 'rotacion') {
        const ids = words.slice(1).map(slackUser);
        if (ids.length === 0 || ids.some((x) => x === null)) return help(respond);
        const r = d.oncall.setRotation(person, ids.map((id) => d.people.person(id!)));
        d.kickOutbox();
        return say(respond, escapeMrkdwn(o.oncall.rotationSet(r.rotation.people.length)));
      }
      if (sub === 'cubrir') {
        const who = slackUser(words[1] ?? '');
        const from = words[2];
        const to = words[3] ?? words[2];
        if (!who || !from || !to) return help(respond);
        const cover = d.oncall.cover(person, d.people.person(who), from, to);
        d.kickOutbox();
        return sayRich(respond, withMention((x) => o.oncall.covered(x, dayText(d.fmt, cover.from), dayText(d.fmt, cover.to)), cover.personId));
      }
      if (sub === 'quitar') {
        const id = /^#?(\d{1,9})$/.exec(words[1] ?? '')?.[1];
        if (!id) return help(respond);
        d.oncall.uncover(person, Number(id));
        d.kickOutbox();
        return say(respond, escapeMrkdwn(o.oncall.uncovered(Number(id))));
      }
      return help(respond);
    } catch (e) {
      if (!isDomainError(e)) throw e;
      return sayRich(respond, domainErrorText(d.fmt, e));
    }
  });
}
