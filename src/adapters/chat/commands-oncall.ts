import { dayText } from '../../views/inquiry-views.js';
import { withMention } from '../../views/model.js';
import { oncallList } from '../../views/oncall-views.js';
import { registerCommand, type CommandReply } from './commands.js';

/** `guardia`: who is on call; `rotacion`, `cubrir` and `quitar` change it (people as @mentions or e-mails). */
registerCommand(['guardia', 'oncall'], (d, person, words, who): CommandReply => {
  const { core } = d;
  const o = core.fmt.m.inq;
  const help: CommandReply = { kind: 'list', view: { title: o.oncallHelpTitle, sections: [{ items: o.oncallHelp() }], empty: '' } };
  const sub = (words[0] ?? '').toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  const now = core.clock.now();
  if (sub === '') {
    const v = core.oncall.view(now);
    return { kind: 'list', view: oncallList(core.fmt, { ...v, rotation: core.oncall.rotation(), overrides: core.oncall.overrides() }) };
  }
  if (sub === 'rotacion') {
    const ids = words.slice(1).map((w) => who(w));
    if (ids.length === 0 || ids.some((x) => x === null)) return help;
    const r = core.oncall.setRotation(person, ids as string[]);
    core.kickOutbox();
    return { kind: 'text', lines: [[o.oncall.rotationSet(r.rotation.people.length)]] };
  }
  if (sub === 'cubrir') {
    const target = who(words[1]);
    const from = words[2];
    const to = words[3] ?? words[2];
    if (!target || !from || !to) return help;
    const cover = core.oncall.cover(person, target, from, to);
    core.kickOutbox();
    return { kind: 'text', lines: [withMention((x) => o.oncall.covered(x, dayText(core.fmt, cover.from), dayText(core.fmt, cover.to)), cover.personId)] };
  }
  if (sub === 'quitar') {
    const id = /^#?(\d{1,9})$/.exec(words[1] ?? '')?.[1];
    if (!id) return help;
    core.oncall.uncover(person, Number(id));
    core.kickOutbox();
    return { kind: 'text', lines: [[o.oncall.uncovered(Number(id))]] };
  }
  return help;
});
