import type { App, BlockButtonAction, MessageShortcut, RespondFn, SlackViewAction } from '@slack/bolt';
import { isProof, type InquiryService } from '../../../domain/inquiries/service.js';
import type { Inquiry } from '../../../domain/inquiries/types.js';
import { isDomainError } from '../../../domain/shared/errors.js';
import { isLocalDate, isTime, localDateOf, localToEpoch } from '../../../domain/shared/time.js';
import { domainErrorText } from '../../../views/errors.js';
import { INQ_ACTION, INQ_FIELD, INQ_FORM, INQ_SHORTCUT } from '../../../views/ids.js';
import { extendForm, INQUIRY_FIELD_INPUT, inquiryProblemText, newInquiryForm, respondForm, transferForm } from '../../../views/inquiry-forms.js';
import { inquiryReportView } from '../../../views/inquiry-report-view.js';
import { dayText, historyList, inquiryDetail, inquiryList } from '../../../views/inquiry-views.js';
import type { FormView, ListView, Rich } from '../../../views/model.js';
import { cardMessage, formString, listBlocks, readFormState, type Block } from '../render/block-kit.js';
import { escapeMrkdwn, richToMrkdwn } from '../render/mrkdwn.js';
import { answer, noteAfterForm, openModal } from '../reply.js';
import type { SlackDeps } from '../deps.js';

export interface InquirySlackDeps extends SlackDeps {
  inquiries: InquiryService;
}

type Values = Parameters<typeof readFormState>[0];
const str = (v: string | string[] | null | undefined): string => formString(v) ?? '';
const LIST_SHOWN = 25;

/** `/consulta`, the message shortcut «Registrar consulta», the inquiry buttons and their forms. */
export function registerInquiries(app: App, d: InquirySlackDeps): void {
  const q = d.fmt.m.inq;
  const say = (respond: RespondFn, text: string, blocks?: Block[]) => answer(respond, d.log, text, { blocks });
  const sayRich = (respond: RespondFn, rich: Rich) => say(respond, richToMrkdwn(rich));
  const list = (respond: RespondFn, view: ListView) => say(respond, escapeMrkdwn(view.title), listBlocks(view));
  const refuse = async (respond: RespondFn, e: unknown) => {
    if (!isDomainError(e)) throw e;
    await sayRich(respond, domainErrorText(d.fmt, e));
  };
  const withLeft = (items: Inquiry[]) => items.map((i) => ({ i, left: d.inquiries.daysLeft(i) }));

  /** Detail and history; the requester's data only for the assignee and admins. */
  const detail = async (respond: RespondFn, i: Inquiry, personId: string) => {
    const { events } = d.inquiries.history(i.id);
    const card = inquiryDetail(d.fmt, i, events, d.inquiries.daysLeft(i), d.inquiries.maySeePersonalData(i, personId));
    const msg = cardMessage(card);
    const hist = listBlocks(historyList(d.fmt, i, events));
    await say(respond, msg.text, [...(msg.blocks as Block[]), ...hist].slice(0, 50));
  };

  app.command('/consulta', async ({ ack, command, respond, client }) => {
    await ack();
    const words = (command.text ?? '').trim().split(/\s+/).filter(Boolean);
    const sub = (words[0] ?? '').toLowerCase();
    const person = d.people.person(command.user_id, command.user_name);
    if (sub === '' || sub === 'nueva' || sub === 'registrar') {
      const view = newInquiryForm(d.fmt, {}, JSON.stringify({ c: command.channel_id }));
      return openModal(client, d.log, respond, command.trigger_id, view, d.fmt.m.reply.openFailed);
    }
    if (sub === 'lista') {
      const r = d.inquiries.open(LIST_SHOWN);
      return list(respond, inquiryList(d.fmt, q.listTitle, q.listEmpty, withLeft(r.inquiries), r.total, q.listNote));
    }
    if (sub === 'vencen') {
      const r = d.inquiries.dueWithin(5, LIST_SHOWN);
      return list(respond, inquiryList(d.fmt, q.dueTitle, q.dueEmpty, withLeft(r.inquiries), r.total));
    }
    if (sub === 'informe') {
      const view = inquiryReportView(d.fmt, d.inquiries, words[1] ?? '');
      return view ? list(respond, view) : say(respond, escapeMrkdwn(q.report.badPeriod));
    }
    if (sub === 'ayuda' || sub === 'help') return list(respond, { title: q.helpTitle, sections: [{ items: q.help() }], empty: '' });
    const i = d.inquiries.find(words[0]!);
    if (!i) return sayRich(respond, q.notFound(words[0]!));
    return detail(respond, i, person);
  });

  // «Registrar consulta» on any message: the same form, with the message's text and a link to it.
  app.shortcut<MessageShortcut>({ callback_id: INQ_SHORTCUT, type: 'message_action' }, async ({ ack, shortcut, client, respond }) => {
    await ack();
    const channel = shortcut.channel?.id;
    // One message, one inquiry: a second «Registrar consulta» on it (by anyone) says which folio it has.
    const origin = `slack:msg:${channel}:${shortcut.message_ts}`;
    const already = d.inquiries.byOrigin(origin);
    if (already) return sayRich(respond, q.alreadyRegistered(already.folio));
    let link: string | null = null;
    try {
      const r = await client.chat.getPermalink({ channel, message_ts: shortcut.message_ts });
      link = r.permalink ?? null;
    } catch (e) {
      d.log.info({ err: e, channel }, 'no permalink for the message; the form opens without the link');
    }
    // Slack escapes &, < and > in a message's text; the form shows what the person wrote.
    const text = (shortcut.message?.text ?? '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    const view = newInquiryForm(d.fmt, { text, sourceLink: link }, JSON.stringify({ c: channel, m: origin }));
    await openModal(client, d.log, respond, shortcut.trigger_id, view, d.fmt.m.reply.openFailed);
  });

  app.view<SlackViewAction>(INQ_FORM.register, async ({ ack, body, view, client }) => {
    const v = readFormState(view.state.values as Values);
    const date = str(v[INQ_FIELD.receivedDate]);
    const time = str(v[INQ_FIELD.receivedTime]) || '00:00';
    const errors: Record<string, string> = {};
    let receivedAt: number | null = null;
    if (!isLocalDate(date) || !isTime(time)) errors[INQ_FIELD.receivedDate] = q.problem.invalidDate;
    else receivedAt = localToEpoch(date, time, d.fmt.tz) ?? NaN;
    const input = {
      channel: str(v[INQ_FIELD.channel]),
      type: str(v[INQ_FIELD.type]),
      name: str(v[INQ_FIELD.name]),
      contact: str(v[INQ_FIELD.contact]),
      text: str(v[INQ_FIELD.text]),
      receivedAt,
      sourceLink: str(v[INQ_FIELD.source]),
    };
    const person = d.people.person(body.user.id, body.user.name);
    const meta = safeMeta(view.private_metadata);
    const channel = meta.c;
    if (Object.keys(errors).length) return void (await ack({ response_action: 'errors', errors }));
    // Validation answers in the form; the view id makes a replayed submission the same inquiry, and
    // the message it came from makes two forms opened on one message one inquiry.
    let result;
    try {
      result = d.inquiries.register(input, person, 'slack', { key: meta.m ?? `slack:view:${view.id}`, request: meta.m ? 'message' : 'form' });
    } catch (e) {
      await ack();
      d.log.error({ err: e, userId: body.user.id }, 'inquiry registration failed');
      return noteAfterForm(client, d.log, body.user.id, channel, escapeMrkdwn(q.registerFailed));
    }
    if (!result.ok && 'problems' in result) {
      for (const p of result.problems) errors[INQUIRY_FIELD_INPUT[p.field]] ??= inquiryProblemText(d.fmt, p);
      return void (await ack({ response_action: 'errors', errors }));
    }
    await ack();
    if (!result.ok) return;
    d.kickOutbox();
    const i = result.inquiry;
    if (!result.created) return noteAfterForm(client, d.log, body.user.id, channel, richToMrkdwn(q.alreadyRegistered(i.folio)));
    await noteAfterForm(client, d.log, body.user.id, channel, escapeMrkdwn(q.registered(i.folio, i.dueDate ? dayOf(d, i) : null)));
  });

  /** Buttons that act at once: ack, one use-case, the card updates through the outbox. */
  const direct = (id: string, act: (inquiryId: number, person: string) => void) =>
    app.action<BlockButtonAction>(id, async ({ ack, body, action, respond }) => {
      await ack();
      const inquiryId = idOf(action.value);
      if (!inquiryId) return sayRich(respond, d.fmt.m.outdated.button(null));
      try {
        act(inquiryId, d.people.person(body.user.id, body.user.name));
        d.kickOutbox();
      } catch (e) {
        await refuse(respond, e);
      }
    });
  direct(INQ_ACTION.take, (id, person) => d.inquiries.take(id, person, 'slack'));
  direct(INQ_ACTION.release, (id, person) => d.inquiries.release(id, person, 'slack'));

  app.action<BlockButtonAction>(INQ_ACTION.history, async ({ ack, action, respond }) => {
    await ack();
    const id = idOf(action.value);
    const i = id ? d.inquiries.getById(id) : null;
    if (!i) return sayRich(respond, d.fmt.m.outdated.button(null));
    await list(respond, historyList(d.fmt, i, d.inquiries.history(i.id).events));
  });

  app.action<BlockButtonAction>(INQ_ACTION.detail, async ({ ack, action, respond, body }) => {
    await ack();
    const id = idOf(action.value);
    const i = id ? d.inquiries.getById(id) : null;
    if (!i) return sayRich(respond, d.fmt.m.outdated.button(null));
    await detail(respond, i, d.people.person(body.user.id, body.user.name));
  });

  /** Buttons that need more words open a form, after checking that the person may act at all. */
  const withForm = (id: string, action: 'respond' | 'extend' | 'transfer', form: (i: Inquiry, extra: Record<string, unknown>) => FormView) =>
    app.action<BlockButtonAction>(id, async ({ ack, body, action: a, respond, client }) => {
      await ack();
      const inquiryId = idOf(a.value);
      if (!inquiryId) return sayRich(respond, d.fmt.m.outdated.button(null));
      let view: FormView;
      try {
        const i = d.inquiries.check(inquiryId, d.people.person(body.user.id, body.user.name), action);
        // o: the day the form opened, the date picker's initial value.
        view = form(i, { c: body.channel?.id, o: localDateOf(d.fmt.now(), d.fmt.tz) });
      } catch (e) {
        return refuse(respond, e);
      }
      await openModal(client, d.log, respond, body.trigger_id, view, d.fmt.m.reply.openFailed);
    });
  withForm(INQ_ACTION.respond, 'respond', (i, x) => respondForm(d.fmt, i, x));
  withForm(INQ_ACTION.extend, 'extend', (i, x) => extendForm(d.fmt, i, d.inquiries.extensionDate(i)!, x));
  withForm(INQ_ACTION.transfer, 'transfer', (i, x) => transferForm(d.fmt, i, d.inquiries.legal.transferDays, x));

  /** A decision form: validate in the modal, ack, decide once, tell the person. */
  const decision = (callbackId: string, read: (v: ReturnType<typeof readFormState>, meta: ReturnType<typeof safeMeta>) => { errors: Record<string, string> } | { run: (id: number, person: string) => string }) =>
    app.view<SlackViewAction>(callbackId, async ({ ack, body, view, client }) => {
      const meta = safeMeta(view.private_metadata);
      const r = read(readFormState(view.state.values as Values), meta);
      if ('errors' in r) return void (await ack({ response_action: 'errors', errors: r.errors }));
      await ack();
      if (!meta.i) return noteAfterForm(client, d.log, body.user.id, undefined, d.fmt.m.reply.internal);
      let text: string;
      try {
        text = r.run(meta.i, d.people.person(body.user.id, body.user.name));
        d.kickOutbox();
      } catch (e) {
        if (!isDomainError(e)) throw e;
        text = richToMrkdwn(domainErrorText(d.fmt, e));
      }
      await noteAfterForm(client, d.log, body.user.id, meta.c, text);
    });
  /**
   * The day an answer or a transfer was sent: the date picker says the day the form opened; left as
   * it was, it means «today» when sent (a form opened at 23:55 and sent at 00:05 is today's). Never
   * in the future, never before the inquiry came in.
   */
  const sentDate = (v: ReturnType<typeof readFormState>, meta: ReturnType<typeof safeMeta>, errors: Record<string, string>): string | null => {
    const date = str(v[INQ_FIELD.answeredDate]).trim();
    if (!date || date === meta.o) return null;
    const i = meta.i ? d.inquiries.getById(meta.i) : null;
    const received = i ? localDateOf(i.receivedAt, d.fmt.tz) : null;
    if (!isLocalDate(date) || date > localDateOf(d.fmt.now(), d.fmt.tz) || (received && date < received)) errors[INQ_FIELD.answeredDate] = q.problem.answeredDate(received ? dayText(d.fmt, received) : '');
    return date;
  };
  decision(INQ_FORM.respond, (v, meta) => {
    const summary = str(v[INQ_FIELD.summary]).trim();
    const link = str(v[INQ_FIELD.link]).trim();
    const errors: Record<string, string> = {};
    const answeredDate = sentDate(v, meta, errors);
    if (!summary) errors[INQ_FIELD.summary] = q.problem.summaryRequired;
    if (!isProof(link)) errors[INQ_FIELD.link] = q.problem.linkRequired;
    if (Object.keys(errors).length) return { errors };
    return { run: (id, person) => escapeMrkdwn(q.answered(d.inquiries.respond(id, person, 'slack', { summary, link, answeredDate }).folio)) };
  });
  decision(INQ_FORM.extend, (v) => {
    const reason = str(v[INQ_FIELD.reason]).trim();
    if (!reason) return { errors: { [INQ_FIELD.reason]: q.problem.reasonRequired } };
    return {
      run: (id, person) => {
        const i = d.inquiries.extend(id, person, 'slack', { reason });
        return escapeMrkdwn(q.extended(i.folio, dayOf(d, { dueDate: i.extendedDueDate })));
      },
    };
  });
  decision(INQ_FORM.transfer, (v, meta) => {
    const entity = str(v[INQ_FIELD.entity]).trim();
    const errors: Record<string, string> = {};
    const transferredDate = sentDate(v, meta, errors);
    if (!entity) errors[INQ_FIELD.entity] = q.problem.entityRequired;
    if (Object.keys(errors).length) return { errors };
    const reason = str(v[INQ_FIELD.reason]).trim();
    return { run: (id, person) => escapeMrkdwn(q.transferred(d.inquiries.transfer(id, person, 'slack', { entity, reason, transferredDate }).folio, entity)) };
  });
}

const idOf = (value: string | undefined): number | null => (/^\d{1,15}$/.test(value ?? '') ? Number(value) : null);

function safeMeta(raw: string | undefined): { c?: string; i?: number; m?: string; o?: string } {
  try {
    const m = JSON.parse(raw ?? '{}') as { c?: unknown; i?: unknown; m?: unknown; o?: unknown };
    return { c: typeof m.c === 'string' ? m.c : undefined, i: typeof m.i === 'number' ? m.i : undefined, o: typeof m.o === 'string' && isLocalDate(m.o) ? m.o : undefined, m: typeof m.m === 'string' && /^slack:msg:[A-Z0-9]+:\d+\.\d+$/.test(m.m) ? m.m : undefined };
  } catch {
    return {};
  }
}

const dayOf = (d: { fmt: SlackDeps['fmt'] }, i: { dueDate: string | null }): string => (i.dueDate ? dayText(d.fmt, i.dueDate) : '');
