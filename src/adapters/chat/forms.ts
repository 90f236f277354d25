import type { FormView } from '../../views/model.js';

export type FormValues = Record<string, string | string[] | null>;

/** Reads an Action.Execute's data back as the form's values: multi-choice inputs come as «a,b». */
export function readForm(view: FormView, data: Record<string, unknown>): FormValues {
  const out: FormValues = {};
  for (const i of view.inputs) {
    const raw = data[i.id];
    const s = typeof raw === 'string' ? raw : typeof raw === 'number' ? String(raw) : '';
    if (i.kind === 'multiselect' || i.kind === 'checkboxes') out[i.id] = s ? s.split(',').map((x) => x.trim()).filter(Boolean) : [];
    else out[i.id] = s.trim() ? s : null;
  }
  return out;
}

/** The same form, with what the person typed kept in it (shown again with its errors). */
export const refilled = (view: FormView, values: FormValues): FormView => ({ ...view, inputs: view.inputs.map((i) => ({ ...i, initial: values[i.id] ?? i.initial ?? null })) });

/** A form's metadata (JSON in `data.meta`, as the form put it there), or {} when it does not parse. */
export function metaOf(data: Record<string, unknown>): Record<string, unknown> {
  try {
    const m = JSON.parse(typeof data.meta === 'string' ? data.meta : '{}') as unknown;
    return m && typeof m === 'object' && !Array.isArray(m) ? (m as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export const formStr = (v: string | string[] | null | undefined): string => (typeof v === 'string' ? v : '');

/**
 * What a button carries back as data, the same on every surface: a piece's {p, v} becomes
 * {piece, version}; any other value stays `value`.
 */
export function actionData(value: string): Record<string, unknown> {
  try {
    const v = JSON.parse(value) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const r = v as Record<string, unknown>;
      if (Object.keys(r).length === 2 && Number.isSafeInteger(r.p) && Number.isSafeInteger(r.v)) return { piece: r.p, version: r.v };
    }
  } catch {
    /* a plain value */
  }
  return { value };
}
