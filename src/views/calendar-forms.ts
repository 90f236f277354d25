import { ENTRY_KINDS, REMINDER_CODES, type CalendarEntry } from '../domain/calendar/types.js';
import { defaultReminders, MAX_ENTRY_TITLE, type EntryError } from '../domain/calendar/validate.js';
import type { LocalDate } from '../domain/shared/time.js';
import { dayLabel } from './calendar-views.js';
import { truncate, type Fmt } from './format.js';
import { CAL_FIELD, CAL_FORM } from './ids.js';
import type { FormView, InputView } from './model.js';

/** The add / edit form. Editing a repeating entry asks whether it is for the series or one date. */
export function entryForm(f: Fmt, meta: string, entry?: CalendarEntry, occurrence?: LocalDate): FormView {
  const c = f.m.cal;
  const inputs: InputView[] = [
    { id: CAL_FIELD.title, label: c.form.title, kind: 'text', maxLength: MAX_ENTRY_TITLE, initial: entry?.title ?? null },
    { id: CAL_FIELD.date, label: c.form.date, kind: 'date', initial: occurrence ?? entry?.startDate ?? null },
    { id: CAL_FIELD.time, label: c.form.time, kind: 'time', optional: true, initial: entry?.time ?? null },
    { id: CAL_FIELD.kind, label: c.form.kind, kind: 'select', options: ENTRY_KINDS.map((k) => ({ value: k, label: c.kind[k] })), initial: entry?.kind ?? null },
    { id: CAL_FIELD.owner, label: c.form.owner, kind: 'user', optional: true, initial: entry?.ownerId ?? null },
    {
      id: CAL_FIELD.recurrence,
      label: c.form.recurrence,
      kind: 'select',
      options: (['none', 'weekly', 'monthly', 'yearly'] as const).map((r) => ({ value: r, label: c.recurrence[r] })),
      initial: entry?.recurrence.freq ?? 'none',
    },
    {
      id: CAL_FIELD.weekdays,
      label: c.form.weekdays,
      kind: 'checkboxes',
      optional: true,
      options: c.weekdays.map((w, i) => ({ value: String(i + 1), label: w })),
      initial: entry?.recurrence.freq === 'weekly' ? entry.recurrence.weekdays.map(String) : null,
    },
    { id: CAL_FIELD.until, label: c.form.until, kind: 'date', optional: true, initial: entry?.untilDate ?? null },
    {
      id: CAL_FIELD.reminders,
      label: c.form.reminders,
      kind: 'checkboxes',
      optional: true,
      options: REMINDER_CODES.map((r) => ({ value: r, label: c.reminder[r] })),
      initial: entry?.reminders ?? defaultReminders('10:00'),
    },
  ];
  if (entry && entry.recurrence.freq !== 'none' && occurrence) {
    inputs.push({
      id: CAL_FIELD.scope,
      label: c.form.scope,
      kind: 'radio',
      options: [
        { value: 'series', label: c.form.scopeSeries },
        { value: 'occurrence', label: `${c.form.scopeOne}: ${dayLabel(f, occurrence)}` },
      ],
      initial: 'series',
    });
  }
  return {
    callbackId: entry ? CAL_FORM.edit : CAL_FORM.add,
    title: entry ? c.form.editTitle : c.form.addTitle,
    submit: c.form.save,
    close: c.form.cancel,
    privateMetadata: meta,
    ...(entry ? { intro: [{ b: truncate(`#${entry.id} ${entry.title}`, 150) }] } : {}),
    inputs,
  };
}

export function removeForm(f: Fmt, meta: string, entry: CalendarEntry, occurrence: LocalDate): FormView {
  const c = f.m.cal;
  return {
    callbackId: CAL_FORM.remove,
    title: c.form.deleteTitle,
    submit: c.form.delete,
    close: c.form.cancel,
    privateMetadata: meta,
    intro: [{ b: truncate(`#${entry.id} ${entry.title}`, 150) }],
    inputs:
      entry.recurrence.freq === 'none'
        ? []
        : [
            {
              id: CAL_FIELD.scope,
              label: c.form.scope,
              kind: 'radio',
              options: [
                { value: 'occurrence', label: `${c.form.scopeOne}: ${dayLabel(f, occurrence)}` },
                { value: 'series', label: c.form.scopeSeries },
              ],
              initial: 'occurrence',
            },
          ],
  };
}

export const entryErrorText = (f: Fmt, e: EntryError): string => f.m.cal.error[e];
