import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importedPerson, type Core } from '../../core.js';
import type { DecisionInput } from '../../domain/approvals/transitions.js';
import type { PieceEvent } from '../../domain/approvals/types.js';
import { validateNewPiece, type RawPieceInput } from '../../domain/approvals/validate.js';
import type { RawEntryInput } from '../../domain/calendar/validate.js';
import type { ObservationInput } from '../../domain/kpis/types.js';
import { SYSTEM, type PersonId } from '../../domain/people/types.js';
import { addDays, isoWeekday, localDateOf, localTimeOf, type LocalDate } from '../../domain/shared/time.js';
import { inTransaction } from '../../store/db.js';
import { emptyOfficeTables } from '../../store/demo-reset.js';
export { KEPT_ON_RESET } from '../../store/demo-reset.js';
import { importCalendarFile } from '../csv/calendar-csv.js';

/**
 * «Cargar ejemplo» and «Reiniciar» for the console's demo office.
 *
 * The example is written through the same use-cases the commands, the CSV import and the APIs use
 * (calendar import and entries, campaign definition and figures, piece submissions and decisions,
 * an inquiry from the public), so every effect, outbox row, timed job and audit event is real. All
 * of it in one transaction: a failure leaves nothing half loaded. Dates are relative to the core's
 * clock (the demo clock), so advancing it an hour or a day makes reminders, alerts and the digest fire.
 */

export interface DemoOffice {
  /** Ana, redactora (no role) */
  author: PersonId;
  approvers: [PersonId, PersonId];
  designer: PersonId;
  /** also a KPI editor */
  admin: PersonId;
  /** the on-call rotation, in order */
  oncall: PersonId[];
}

/** What this call loaded (all zero with `loaded: false`: the example was already there). */
export interface ExampleResult {
  loaded: boolean;
  entries: number;
  campaigns: number;
  figures: number;
  pieces: number;
  inquiries: number;
}

/** Where the example comes from: the surface the console names in pieces and decisions. */
const PLATFORM = 'console';
/** The example campaign: its key marks the example as loaded (campaigns are never deleted). */
export const EXAMPLE_CAMPAIGN = 'linea800';
/** Origin keys of what the example writes (a second load, even a concurrent one, creates nothing). */
const ORIGIN = 'ejemplo';
export const EXAMPLE_PROGRAMME = 'examples/programa-anual-2027.csv';

/**
 * The package's root folder (where package.json and examples/ are): walked up from this module, so
 * it is found from src/ (vitest, tsx) and from dist/ (after a build) alike, whatever the working directory.
 */
export function packageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'visto-bueno') return dir;
      } catch {
        // an unreadable package.json is not ours: keep walking
      }
    }
    if (dirname(dir) === dir) return process.cwd();
  }
}

export function loadExample(core: Core, office: DemoOffice): ExampleResult {
  const none: ExampleResult = { loaded: false, entries: 0, campaigns: 0, figures: 0, pieces: 0, inquiries: 0 };
  if (core.kpis.campaign(EXAMPLE_CAMPAIGN)) return none;
  let programme: Buffer | null = null;
  const path = join(packageRoot(), EXAMPLE_PROGRAMME);
  try {
    programme = readFileSync(path);
  } catch (e) {
    core.log.warn({ err: e, path }, 'the example programme could not be read; the example is loaded without it');
  }
  let result: ExampleResult;
  try {
    result = inTransaction(core.db, () => {
      // Checked again inside the transaction: two clicks at once load it once.
      if (core.kpis.campaign(EXAMPLE_CAMPAIGN)) return none;
      const now = core.clock.now();
      const entries = (programme ? importProgramme(core, programme) : 0) + nearEntries(core, office, now);
      const figures = campaign(core, office, now);
      const pieces = examplePieces(core, office, now);
      ensureRotation(core, office);
      const inquiries = exampleInquiry(core, now);
      return { loaded: true, entries, campaigns: 1, figures, pieces, inquiries };
    });
  } catch (e) {
    // Summaries computed inside the rolled-back transaction describe figures that are not there.
    core.kpis.forgetSummaries();
    throw e;
  }
  if (result.loaded) {
    core.log.info({ ...result }, 'console: example loaded');
    core.kickOutbox();
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// 1. The calendar: the yearly programme (as `npm run calendario:importar` imports it) and the next days.

function importProgramme(core: Core, bytes: Buffer): number {
  const r = importCalendarFile(bytes, core.calendar, core.fmt.m, { person: importedPerson(core.people) });
  // Rows already past on the demo clock are refused like in any import: the rest is the programme.
  if (r.fileError || r.errors.length) core.log.info({ fileError: r.fileError, errors: r.errors.length }, 'console: some rows of the example programme were not imported');
  return r.imported + r.updated;
}

/** The next days, so that moving the demo clock an hour or a day fires something in front of the person. */
function nearEntries(core: Core, office: DemoOffice, now: number): number {
  const tz = core.fmt.tz;
  const today = localDateOf(now, tz);
  // An interview an hour and a quarter to an hour and a half from now: its «one hour before» reminder
  // falls within the next half hour, its «15 minutes before» within the next hour and a half.
  const soonAt = Math.ceil((now + 75 * 60_000) / (15 * 60_000)) * 15 * 60_000;
  const nextMonday = addDays(today, 8 - isoWeekday(today));
  const [rosa, jorge] = office.approvers;
  const list: { key: string; by: PersonId; raw: RawEntryInput }[] = [
    {
      key: 'entrevista-radio',
      by: rosa,
      raw: {
        title: 'Entrevista en vivo en la radio pública estatal: la Línea de Orientación 800',
        kind: 'other',
        date: localDateOf(soonAt, tz),
        time: localTimeOf(soonAt, tz),
        ownerId: rosa,
        reminders: ['hour_before', 'quarter_before'],
        notes: 'Llamada a cabina 10 minutos antes. Tarjeta informativa con cifras del primer mes en la carpeta compartida.',
      },
    },
    {
      key: 'conferencia-balance',
      by: office.admin,
      raw: {
        title: 'Conferencia de prensa: balance del primer mes de la Línea de Orientación 800',
        kind: 'press_conference',
        date: addDays(today, 1),
        time: '10:00',
        ownerId: office.admin,
        reminders: ['day_before', 'hour_before'],
        notes: 'Sala de prensa, planta baja. Confirmar asistencia de medios a más tardar un día antes a las 18:00; versión estenográfica al terminar.',
      },
    },
    {
      key: 'comunicado-oaxaca',
      by: office.author,
      raw: {
        title: 'Envío de comunicado: resultados de la jornada de atención en Oaxaca',
        kind: 'press_release',
        date: addDays(today, 2),
        time: null,
        ownerId: office.author,
        reminders: ['day_before', 'same_day'],
        notes: 'Lista de distribución: medios nacionales y de Oaxaca. Fotografías de la jornada en la carpeta de materiales.',
      },
    },
    {
      key: 'infografia-quejas',
      by: office.designer,
      raw: {
        title: 'Publicación en redes: infografía «¿Cómo presentar una queja en línea?»',
        kind: 'post',
        date: addDays(today, 3),
        time: '12:00',
        ownerId: office.designer,
        reminders: ['same_day', 'hour_before'],
        notes: null,
      },
    },
    {
      key: 'pauta-segunda-ola',
      by: jorge,
      raw: {
        title: 'Pauta pagada: segunda ola de la campaña de la Línea 800 en Meta y Google',
        kind: 'paid_promotion',
        date: addDays(today, 5),
        time: '09:00',
        ownerId: jorge,
        reminders: ['day_before'],
        notes: 'Segmentación: Estado de México, Veracruz y Oaxaca. Tope diario según el presupuesto de la campaña.',
      },
    },
    {
      key: 'reunion-editorial',
      by: office.admin,
      raw: {
        title: 'Reunión editorial semanal del área de comunicación',
        kind: 'meeting',
        date: nextMonday,
        time: '09:30',
        ownerId: office.admin,
        recurrence: 'weekly',
        weekdays: [1],
        reminders: ['quarter_before'],
        notes: 'Revisión de la agenda de la semana, piezas pendientes y métricas de la campaña.',
      },
    },
  ];
  let n = 0;
  for (const e of list) {
    const r = core.calendar.create(e.raw, e.by, `${ORIGIN}:agenda:${e.key}`);
    if (!r.ok) throw new Error(`example entry ${e.key}: ${JSON.stringify(r.errors)}`);
    if (r.created) n++;
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// 2. A campaign running now, defined as the KPI API defines one, with two weeks of daily figures.

/** Day-to-day variation of the figures (deterministic: the example is the same every time). */
const WOBBLE = [1.0, 1.06, 0.97, 1.03, 0.94, 1.08, 1.01, 0.96, 1.04, 0.99, 1.07, 0.95, 1.02, 1.05];
export const EXAMPLE_FIGURE_DAYS = WOBBLE.length;

function campaign(core: Core, office: DemoOffice, now: number): number {
  const today = localDateOf(now, core.fmt.tz);
  const start = addDays(today, -EXAMPLE_FIGURE_DAYS);
  const def = core.kpis.define(
    EXAMPLE_CAMPAIGN,
    {
      name: 'Difusión de la Línea de Orientación 800',
      start,
      end: addDays(today, 27),
      budget: 180000,
      targets: [
        { metric: 'alcance', value: 1500000 },
        { metric: 'interacciones', value: 45000 },
        { metric: 'visitas_web', value: 28000 },
        { metric: 'llamadas', value: 2100 },
      ],
    },
    office.admin,
  );
  if (!def.ok) throw new Error(`example campaign: ${JSON.stringify(def.errors)}`);
  const items: ObservationInput[] = [];
  const add = (metric: string, date: LocalDate, value: number, source: string) => items.push({ campaign: EXAMPLE_CAMPAIGN, metric, date, value, source });
  const cents = (x: number) => Math.round(x * 100) / 100;
  // From the first day to yesterday (today's figures are not in yet). Reach and interactions grow at
  // weekends, visits to the site and calls drop; visits to the site stay behind their target.
  for (let i = 0; i < EXAMPLE_FIGURE_DAYS; i++) {
    const date = addDays(start, i);
    const weekend = isoWeekday(date) >= 6;
    const k = (1 + 0.012 * i) * WOBBLE[i]!;
    add('alcance', date, Math.round(29000 * k * (weekend ? 1.12 : 1)), 'meta');
    add('alcance', date, Math.round(9000 * k * (weekend ? 1.1 : 1)), 'x');
    add('interacciones', date, Math.round(1150 * k * (weekend ? 1.15 : 1)), 'meta');
    add('visitas_web', date, Math.round(640 * k * (weekend ? 0.7 : 1)), 'analytics');
    add('llamadas', date, Math.round(64 * k * (weekend ? 0.55 : 1)), 'conmutador');
    add('gasto', date, cents(2600 * WOBBLE[i]! + 13.37 * (i % 3)), 'meta');
    add('gasto', date, cents(1200 * (2 - WOBBLE[i]!)), 'google_ads');
  }
  const r = core.kpis.record(items, office.admin);
  if (!r.ok) throw new Error(`example figures: ${JSON.stringify(r.errors)}`);
  return r.stored;
}

// ---------------------------------------------------------------------------------------------
// 3. Pieces at every stage, each driven there by the people who would.

interface Step {
  event: PieceEvent;
  by: PersonId;
  input?: DecisionInput;
}

interface ExamplePiece {
  key: string;
  raw: RawPieceInput;
  steps: Step[];
}

const LINKS = {
  materialsQuejas: 'https://oficina.example/materiales/quejas-en-linea',
  tarjetaHorarios: 'https://oficina.example/diseno/tarjeta-horarios-fin-de-semana-v1.png',
  videoV1: 'https://oficina.example/diseno/video-testimonio-oaxaca-v1.mp4',
  videoV2: 'https://oficina.example/diseno/video-testimonio-oaxaca-v2.mp4',
  testigo: 'https://oficina.example/redes/x/linea-800-fin-de-semana',
  materialsConvenio: 'https://oficina.example/materiales/convenio-servicio-social',
};

function pieces(office: DemoOffice, today: LocalDate): ExamplePiece[] {
  const [rosa, jorge] = office.approvers;
  const ana = office.author;
  const luis = office.designer;
  const submitOnly: Step[] = [];
  return [
    {
      // Waiting in content review.
      key: 'comunicado-primer-mes',
      raw: {
        title: 'Comunicado: la Línea de Orientación 800 atendió más de 12 mil llamadas en su primer mes',
        kind: 'press_release',
        networks: ['website', 'press'],
        date: addDays(today, 2),
        time: '10:00',
        body: [
          'Ciudad de México. La Línea de Orientación 800 123 4567 atendió 12,384 llamadas durante su primer mes de operación, informó la Coordinación de Comunicación Social.',
          'El 61 % de las personas usuarias pidió orientación sobre trámites en línea y el 24 % solicitó apoyo para presentar una queja. Las entidades con más llamadas fueron el Estado de México, Veracruz y Oaxaca.',
          'La línea funciona las 24 horas, todos los días, y es gratuita desde teléfonos fijos y celulares. También se puede escribir a orientacion@oficina.example.',
          '—oOo—',
        ].join('\n\n'),
      },
      steps: submitOnly,
    },
    {
      // Content approved, waiting for the designer.
      key: 'infografia-quejas',
      raw: {
        title: 'Infografía: ¿cómo presentar una queja en línea en 4 pasos?',
        kind: 'graphic',
        networks: ['facebook', 'instagram', 'x'],
        date: addDays(today, 3),
        time: '12:00',
        materialsUrl: LINKS.materialsQuejas,
        body: '¿Necesitas presentar una queja? Hazlo en línea en 4 pasos: 1) entra a oficina.example/quejas, 2) registra tus datos, 3) describe lo ocurrido y adjunta pruebas, 4) guarda tu folio. ¿Dudas? Llama gratis a la Línea 800 123 4567. #TusDerechosCuentan',
      },
      steps: [{ event: 'approve', by: rosa }],
    },
    {
      // Design delivered, waiting for its review.
      key: 'tarjeta-horarios',
      raw: {
        title: 'Tarjeta: horarios de atención de la Línea 800 durante el fin de semana largo',
        kind: 'graphic',
        networks: ['facebook', 'instagram'],
        date: addDays(today, 2),
        time: '09:00',
        body: 'Este fin de semana largo la Línea de Orientación 800 123 4567 sigue contigo: atención las 24 horas y sin costo. Los módulos presenciales cierran el lunes y reabren el martes a las 9:00.',
      },
      steps: [
        { event: 'approve', by: jorge },
        { event: 'deliver_design', by: luis, input: { link: LINKS.tarjetaHorarios } },
      ],
    },
    {
      // Approved after a second design, ready to publish tomorrow.
      key: 'video-testimonio',
      raw: {
        title: 'Video: testimonio de una usuaria de la Línea 800 en Oaxaca',
        kind: 'video',
        networks: ['youtube', 'facebook'],
        date: addDays(today, 1),
        time: '18:00',
        body: 'Doña Rosario, de Juchitán, Oaxaca, cuenta cómo la Línea de Orientación 800 le ayudó a reponer sus documentos después de las inundaciones. Video de 90 segundos, subtitulado y con intérprete de lengua de señas mexicana.',
      },
      steps: [
        { event: 'approve', by: rosa },
        { event: 'deliver_design', by: luis, input: { link: LINKS.videoV1 } },
        {
          event: 'reject',
          by: jorge,
          input: { reason: 'Faltan los subtítulos en los primeros 15 segundos y el número de la línea debe quedar en pantalla hasta el final.' },
        },
        { event: 'deliver_design', by: luis, input: { link: LINKS.videoV2 } },
        { event: 'approve', by: jorge },
      ],
    },
    {
      // Published, with its testigo.
      key: 'post-fin-de-semana',
      raw: {
        title: 'Post: la Línea 800 también atiende en fin de semana',
        kind: 'post',
        networks: ['x', 'facebook'],
        date: today,
        time: null,
        body: 'Sábado y domingo también estamos para ti. Llama gratis a la Línea de Orientación 800 123 4567, las 24 horas. Te orientamos sobre trámites, quejas y apoyos.',
      },
      steps: [
        { event: 'approve', by: rosa },
        { event: 'publish', by: ana, input: { link: LINKS.testigo } },
      ],
    },
    {
      // Sent back to the author with the reason.
      key: 'comunicado-convenio',
      raw: {
        title: 'Comunicado: convenio de servicio social con universidades de Oaxaca para la Línea 800',
        kind: 'press_release',
        networks: ['website', 'press'],
        date: addDays(today, 4),
        time: '11:00',
        materialsUrl: LINKS.materialsConvenio,
        body: [
          'Oaxaca de Juárez, Oax. La oficina y tres universidades públicas de Oaxaca firmaron un convenio para que estudiantes de Trabajo Social y Psicología presten su servicio social en la Línea de Orientación 800.',
          'Durante seis meses, 40 estudiantes recibirán capacitación y atenderán llamadas en español, zapoteco y mixteco, con la supervisión del personal de la línea.',
          '—oOo—',
        ].join('\n\n'),
      },
      steps: [
        {
          event: 'reject',
          by: jorge,
          input: { reason: 'Falta la cita del titular y hay que confirmar con Jurídico el nombre oficial del convenio antes de difundirlo. Revisa también la fecha de la firma.' },
        },
      ],
    },
  ];
}

function examplePieces(core: Core, office: DemoOffice, now: number): number {
  const tz = core.fmt.tz;
  let n = 0;
  for (const p of pieces(office, localDateOf(now, tz))) {
    const v = validateNewPiece(p.raw, now, tz);
    if (!v.ok) throw new Error(`example piece ${p.key}: ${JSON.stringify(v.errors)}`);
    const { piece, created } = core.approvals.submit(v.value, office.author, PLATFORM, `${ORIGIN}:pieza:${p.key}`);
    if (!created) continue;
    n++;
    let version = piece.version;
    for (const s of p.steps) {
      version = core.approvals.decide({ pieceId: piece.id, version, event: s.event, userId: s.by, platform: PLATFORM, input: s.input }).piece.version;
    }
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// 4. An inquiry from the public, as the web form sends it through the inquiry API: it pages whoever is on call.

/** Someone must be paged: without ONCALL_IDS, the office's admin sets the rotation (as /guardia rotacion does). */
function ensureRotation(core: Core, office: DemoOffice): void {
  if (core.oncall.rotation()?.people.length || !office.oncall.length) return;
  if (!core.roles.usersWith('admin').includes(office.admin)) return;
  core.oncall.setRotation(office.admin, office.oncall);
}

function exampleInquiry(core: Core, now: number): number {
  const r = core.inquiries.register(
    {
      channel: 'web',
      type: 'informacion',
      name: 'María Fernanda Ríos Castillo',
      contact: 'mf.rios@correo.example',
      text:
        'Solicito conocer el número de llamadas que ha recibido la Línea de Orientación 800 desde su inicio, desglosado por entidad federativa y por motivo de la llamada, ' +
        'así como el monto ejercido en su campaña de difusión en redes sociales. Prefiero recibir la información en formato de hoja de cálculo.',
      receivedAt: now,
    },
    SYSTEM.inquiryApi,
    'api',
    { key: `${ORIGIN}:consulta:transparencia`, request: ORIGIN },
  );
  if (!r.ok) throw new Error(`example inquiry: ${JSON.stringify('problems' in r ? r.problems : r.conflict.folio)}`);
  return r.created ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// «Reiniciar»

export function resetDemo(core: Core): void {
  // The audit trail is append-only everywhere else: only the demo office's own database is ever emptied.
  if (!core.config.console.demo) throw new Error('resetDemo: only the console demo office (its own database) may be emptied');
  const db = core.db;
  try {
    inTransaction(db, () => {
      emptyOfficeTables(db);
      // What buildCore seeds at start: the on-call rotation from ONCALL_IDS (and its hand-offs).
      core.oncall.seedFromEnv(core.clock.now());
    });
  } finally {
    // Summaries are keyed by campaign id, version and data version: the next campaign reuses them.
    core.kpis.forgetSummaries();
  }
  core.log.info('console: demo office reset');
}
