import { kpiViewEs } from './kpi-view-es.js';
import { kpiEs } from './kpi-es.js';
import type { Effect } from '../domain/shared/effects.js';
import type { Place } from '../domain/people/types.js';
import type { Network, PieceEvent, PieceKind, Stage } from '../domain/approvals/types.js';
import type { Role } from '../domain/shared/roles.js';
import type { Rich } from '../views/model.js';
import { calendarEs } from './calendar-es.js';

/** Everything a person reads, in Spanish. `{u}` placeholders are filled by the views. */
export const es = {
  cal: calendarEs,
  kpi: kpiEs,
  kpiView: kpiViewEs,
  kind: {
    post: 'publicación',
    press_release: 'comunicado de prensa',
    graphic: 'gráfico',
    video: 'video',
    web_article: 'artículo web',
  } satisfies Record<PieceKind, string>,
  network: {
    x: 'X',
    facebook: 'Facebook',
    instagram: 'Instagram',
    youtube: 'YouTube',
    tiktok: 'TikTok',
    website: 'sitio web',
    press: 'prensa',
  } satisfies Record<Network, string>,
  stage: {
    draft: 'borrador',
    content_review: 'revisión de contenido',
    changes_requested: 'ajustes',
    design: 'diseño',
    design_review: 'revisión de diseño',
    approved: 'aprobada',
    published: 'publicada',
    cancelled: 'cancelada',
  } satisfies Record<Stage, string>,
  /** where a piece is now, as a sentence ends: «La pieza #12 …» */
  stageNow: {
    draft: 'es un borrador',
    content_review: 'está en revisión de contenido',
    changes_requested: 'espera ajustes de su autoría',
    design: 'está en diseño',
    design_review: 'está en revisión de diseño',
    approved: 'está aprobada y lista para publicar',
    published: 'ya está publicada',
    cancelled: 'fue cancelada',
  } satisfies Record<Stage, string>,
  /** past participle for «ya fue … por @x» */
  eventDone: {
    submit: 'enviada a revisión',
    approve: 'aprobada',
    reject: 'devuelta',
    deliver_design: 'entregada con diseño',
    resubmit: 'reenviada',
    publish: 'marcada como publicada',
    cancel: 'cancelada',
  } satisfies Record<PieceEvent, string>,
  eventName: {
    submit: 'Envío a revisión',
    approve: 'Aprobación',
    reject: 'Rechazo',
    deliver_design: 'Entrega de diseño',
    resubmit: 'Reenvío',
    publish: 'Publicación',
    cancel: 'Cancelación',
  } satisfies Record<PieceEvent, string>,
  /** infinitive for «No se pudo …» */
  eventVerb: {
    submit: 'enviar',
    approve: 'aprobar',
    reject: 'rechazar',
    deliver_design: 'entregar el diseño',
    resubmit: 'reenviar',
    publish: 'marcar como publicada',
    cancel: 'cancelar',
  } satisfies Record<PieceEvent, string>,
  role: { approver: 'aprobación', designer: 'diseño', admin: 'administración', kpi_editor: 'métricas' } satisfies Record<Role, string>,
  roleWord: { aprobador: 'approver', aprobadora: 'approver', aprobacion: 'approver', aprobación: 'approver', diseno: 'designer', diseño: 'designer', disenador: 'designer', diseñador: 'designer', diseñadora: 'designer', admin: 'admin', administracion: 'admin', administración: 'admin', metricas: 'kpi_editor', métricas: 'kpi_editor', kpi: 'kpi_editor' } as Record<string, Role>,
  /** the word «pieza roles dar @persona …» takes for each role (both languages' words are accepted) */
  roleCommandWord: { approver: 'aprobador', designer: 'diseño', admin: 'admin', kpi_editor: 'métricas' } satisfies Record<Role, string>,
  or: ' o ',
  party: { author: 'a la persona autora', approver: 'a las personas aprobadoras', designer: 'al equipo de diseño', admin: 'a administración', kpi_editor: 'a quien registra métricas' },

  form: {
    newTitle: 'Nueva pieza',
    submit: 'Enviar a revisión',
    cancel: 'Cancelar',
    title: 'Título',
    body: 'Texto',
    bodyHint: 'X admite 280 caracteres; Instagram y TikTok, 2.200.',
    kind: 'Tipo',
    networks: 'Redes',
    date: 'Fecha de publicación',
    time: 'Hora',
    materials: 'Enlace a materiales',
    needsDesign: 'Necesita diseño',
    needsDesignOption: 'Pedir una pieza gráfica al equipo de diseño',
    rejectTitle: 'Rechazar',
    rejectSubmit: 'Rechazar',
    reason: 'Motivo',
    reasonHint: 'Quien deba corregir la pieza recibirá este motivo.',
    designTitle: 'Entregar diseño',
    designSubmit: 'Entregar',
    designLink: 'Enlace al diseño',
    fixTitle: 'Corregir y reenviar',
    fixSubmit: 'Reenviar',
    publishTitle: 'Marcar publicada',
    publishSubmit: 'Guardar',
    publishLink: 'Enlace a la publicación (testigo)',
  },
  fieldError: {
    required: 'Este campo es obligatorio.',
    too_long: (p: { max: number; length: number }) => `Tiene ${p.length} caracteres; el máximo es ${p.max}.`,
    too_long_for_network: (p: { network: string; max: number; length: number }) =>
      `El texto tiene ${p.length} caracteres y ${p.network} admite ${p.max}. Acórtelo o quite ${p.network} de las redes.`,
    invalid_date: 'Esa fecha no existe. Revise el día y el mes.',
    past_date: 'La fecha de publicación ya pasó. Elija una fecha futura.',
    invalid_time: 'Escriba la hora como HH:MM, por ejemplo 10:30.',
    invalid_url: 'Escriba un enlace completo que empiece con https://',
    invalid_option: 'Elija una de las opciones de la lista.',
  },

  card: {
    type: 'Tipo',
    networks: 'Redes',
    planned: 'Publicación',
    author: 'Autoría',
    stage: 'Etapa',
    materials: 'Materiales',
    design: 'Diseño',
    testigo: 'Testigo',
    noDate: 'sin fecha',
    approve: 'Aprobar',
    reject: 'Rechazar',
    history: 'Historial',
    cancel: 'Cancelar',
    publish: 'Marcar publicada',
    deliver: 'Entregar diseño',
    fix: 'Corregir y reenviar',
    waitingFix: 'Esperando ajustes de ',
    waitingDesign: 'Esperando el diseño.',
    confirmCancelTitle: '¿Cancelar la pieza?',
    confirmCancelText: 'La pieza se retira del flujo de aprobación. La decisión queda en el historial.',
    confirmYes: 'Sí, cancelar',
    confirmNo: 'No',
    fallback: (id: number, title: string, stage: string) => `Pieza #${id} «${title}»: ${stage}`,
  },
  notice: {
    design_task: (id: number, title: string) => `Nueva pieza para diseño: #${id} «${title}». El texto ya tiene visto bueno.`,
    fix_content: (id: number, title: string, who: string) => `La pieza #${id} «${title}» fue devuelta por ${who} para ajustes.`,
    fix_design: (id: number, title: string, who: string) => `El diseño de la pieza #${id} «${title}» fue devuelto por ${who}.`,
    approved: (id: number, title: string, who: string) =>
      `La pieza #${id} «${title}» tiene visto bueno de ${who} y está lista para publicar. Cuando la publique, márquela con el enlace.`,
    cancelled: (id: number, title: string, who: string) => `La pieza #${id} «${title}» fue cancelada por ${who}.`,
    reason: 'Motivo',
    done: (stage: string) => `Ya atendida. Etapa actual: ${stage}.`,
  },
  thread: {
    resubmitted: (who: string) => `${who} reenvió la pieza con ajustes. Pendiente de revisión de contenido.`,
    design_delivered: (who: string) => `${who} entregó el diseño. Pendiente de revisión de diseño.`,
  },
  history: {
    title: (id: number, title: string) => `Historial de la pieza #${id} «${title}»`,
    reason: 'Motivo',
    empty: 'Sin decisiones registradas.',
  },
  list: {
    mineTitle: 'Sus piezas',
    mineEmpty: ['Usted no tiene piezas. Cree una con ', { cmd: 'pieza' }, '.'] satisfies Rich as Rich,
    pendingTitle: 'Lo que espera por usted',
    pendingEmpty: 'Nada espera por usted. Buen trabajo.',
    reviews: 'Por revisar',
    designs: 'Por diseñar',
    mine: 'Sus piezas por corregir o publicar',
    more: (n: number) => `y ${n} más`,
    created: (when: string) => `creada ${when}`,
    publishes: (day: string) => `se publica el ${day}`,
    noDate: 'sin fecha de publicación',
  },
  reply: {
    submitted: (id: number) => `Pieza #${id} enviada a revisión de contenido. Le avisaré de cada decisión.`,
    decided: (id: number, stageNow: string) => `Listo. La pieza #${id} ${stageNow}.`,
    help: [
      [{ cmd: 'pieza' }, ' abre el formulario para una pieza nueva.'],
      [{ cmd: 'pieza lista' }, ' muestra sus piezas y su etapa.'],
      [{ cmd: 'pieza pendientes' }, ' muestra lo que espera por usted.'],
      [{ cmd: 'pieza 12' }, ' muestra la pieza 12 con su historial.'],
      [{ cmd: 'pieza cancelar 12' }, ' cancela la pieza 12.'],
      [{ cmd: 'pieza roles' }, ' lista los roles; ', { b: 'dar' }, ' y ', { b: 'quitar' }, ' los cambian (administración).'],
      [{ cmd: 'pieza fallos' }, ' muestra los mensajes que no se pudieron entregar (administración).'],
    ] satisfies Rich[] as Rich[],
    unknown: (text: string) => `No entendí «${text}».`,
    notFound: (id: string): Rich => [`No existe la pieza #${id}. Revise el número con `, { cmd: 'pieza lista' }, '.'],
    missingNumber: (example: string): Rich => ['Falta el número de la pieza. Escriba, por ejemplo, ', { cmd: example }, '.'],
    roleGranted: (who: string, role: string) => `Listo: ${who} tiene ahora el rol de ${role}.`,
    roleAlready: (who: string, role: string) => `${who} ya tenía el rol de ${role}. No cambió nada.`,
    roleRevoked: (who: string, role: string) => `Listo: ${who} ya no tiene el rol de ${role}.`,
    roleNotHeld: (who: string, role: string) => `${who} no tenía el rol de ${role}. No cambió nada.`,
    rolesTitle: 'Roles',
    rolesFromEnv: '(configuración)',
    rolesUsage: [
      'Uso: ',
      { cmd: 'pieza roles dar @persona aprobador|diseño|admin' },
      ' — o — ',
      { cmd: 'pieza roles quitar @persona …' },
    ] satisfies Rich as Rich,
    failuresTitle: 'Mensajes que no se pudieron entregar',
    failuresEmpty: 'No hay mensajes fallidos.',
    failureLine: (id: number, what: string, about: string, to: Rich, error: string, when: string): Rich => [
      `#${id} · ${what} · ${about} · para `,
      ...to,
      ` · ${error} · ${when}`,
    ],
    openFailed: 'No se pudo abrir el formulario. Intente de nuevo en unos segundos.',
    internal: 'Algo salió mal y no se guardó nada. Intente de nuevo; si se repite, avise a administración.',
    submitFailed: 'No se pudo guardar la pieza. Intente de nuevo; si se repite, avise a administración.',
  },
  error: {
    not_allowed: (verb: string, who: string) => `No se pudo ${verb}: en esta etapa eso le corresponde ${who}. No cambió nada.`,
    self_approval: 'No se pudo aprobar: nadie aprueba su propia pieza. Pida el visto bueno a otra persona aprobadora.',
    stale: (verb: string, done: string, who: string, when: string) =>
      `No se pudo ${verb}: esta pieza ya fue ${done} por ${who} ${when}.`,
    staleNoEvent: (verb: string, stageNow: string) => `No se pudo ${verb}: la pieza cambió y ahora ${stageNow}.`,
    invalid_event: (verb: string, stageNow: string) => `No se pudo ${verb}: la pieza ${stageNow} y eso ya no aplica.`,
    not_found: (id: number | string) => `No existe la pieza #${id}.`,
    reason_required: 'Escriba el motivo del rechazo.',
    invalid_link: 'Escriba un enlace completo que empiece con https://',
    not_admin: 'Solo administración puede cambiar roles.',
    env_role: (who: string, role: string) =>
      `El rol de ${role} de ${who} viene de la configuración del servidor (variables de entorno); cámbielo allí.`,
    unknown_role: (role: string) => `No conozco el rol «${role}». Use aprobador, diseño, admin o métricas.`,
    not_admin_failures: 'Solo administración puede ver los mensajes fallidos.',
  },
  outdated: {
    button: (pieceId: number | null): Rich =>
      pieceId
        ? ['Este botón ya no está vigente. Vuelva a abrir la pieza con ', { cmd: `pieza ${pieceId}` }, '.']
        : ['Este botón ya no está vigente. Vea sus piezas con ', { cmd: 'pieza lista' }, '.'],
    entry: (entryId: number): Rich => ['Este botón ya no está vigente. Vuelva a abrir la fecha con ', { cmd: `calendario ${entryId}` }, '.'],
    formTitle: 'Formulario vencido',
    form: 'Este formulario ya no está vigente y no se guardó nada. Ábralo de nuevo desde la pieza o el calendario.',
    close: 'Cerrar',
    command: (typed: string): Rich => [`No conozco el comando «${typed}». Pruebe con `, { cmd: 'pieza ayuda' }, ' o ', { cmd: 'calendario ayuda' }, '.'],
  },
  /** Processes that act in the bot's name (they are not people and are never messaged). */
  actors: { 'sys:csv-import': 'la importación de CSV' } as Record<string, string>,
  admin: {
    effectName: {
      post_card: 'la tarjeta de revisión',
      refresh: 'la actualización de una tarjeta',
      notify: 'un aviso directo',
      thread_note: 'una nota en el hilo de la tarjeta',
      admin_alert: 'una alerta a administración',
      unassigned: 'un aviso de pieza sin responsable',
      calendar_reminder: 'un recordatorio del calendario',
      piece_alert: 'un aviso de publicación próxima',
      digest: 'el resumen diario',
      kpi_alert: 'una alerta de campaña',
      kpi_report: 'el reporte de campañas',
      kpi_closing: 'el reporte de cierre de una campaña',
      kpi_chart: 'la gráfica de una campaña',
    } satisfies Record<Effect['type'], string>,
    aboutPiece: (id: number, title: string) => (title ? `la pieza #${id} «${title}»` : `la pieza #${id}`),
    aboutEntry: (id: number, title: string) => (title ? `la fecha #${id} «${title}»` : `la fecha #${id}`),
    aboutDigest: (date: string) => `el resumen del ${date}`,
    place: { review: 'el canal de revisión', calendar: 'el canal del calendario', digest: 'el canal del resumen', kpi: 'el canal de métricas' } satisfies Record<Place, string>,
    unassigned: (id: number, title: string, role: string, roleWord: string): Rich => [
      `La pieza #${id} «${title}» espera ${role} y nadie tiene ese rol: nadie recibirá la tarea. Asigne el rol a alguien con `,
      { cmd: `pieza roles dar @persona ${roleWord}` },
      '.',
    ],
    /**
     * The alert admins get when a message will never arrive. Slack's error code stays (it is what
     * support and the logs use), with what it means beside it.
     */
    deliveryFailed: (what: string, about: string, to: Rich, error: string): Rich => [
      `No se pudo entregar ${what} sobre ${about} para `,
      ...to,
      `: ${error}. Administración puede ver la lista con `,
      { cmd: 'pieza fallos' },
      '.',
    ],
    explain: explainDeliveryError,
  },
  date: {
    pattern: "EEEE d 'de' MMMM",
    month: "MMMM 'de' yyyy",
    patternTime: "EEEE d 'de' MMMM, HH:mm",
    time: 'HH:mm',
    atTime: (day: string, time: string) => `el ${day} a las ${time}`,
    todayAt: (time: string) => `hoy a las ${time}`,
  },
};

export type Messages = typeof es;

/** What the admin alert says about a failed delivery; `to` names the person or channel when known. */
/** Slack's error codes, in words an office reads. */
const deliveryErrors: Record<string, string> = {
  channel_not_found: 'el canal no existe o el bot no lo ve',
  not_in_channel: 'el bot no es miembro del canal; invítelo al canal',
  is_archived: 'el canal está archivado',
  user_not_found: 'la persona no existe en este espacio de trabajo',
  user_not_in_channel: 'la persona no está en el canal',
  cannot_dm_bot: 'no se pueden enviar mensajes directos a otro bot',
  user_disabled: 'la cuenta de la persona está desactivada',
  invalid_blocks: 'Slack rechazó el formato del mensaje',
  msg_too_long: 'el mensaje es demasiado largo para Slack',
  msg_blocks_too_long: 'el mensaje es demasiado largo para Slack',
  no_text: 'el mensaje estaba vacío',
  ratelimited: 'Slack limitó el envío por exceso de mensajes',
  invalid_auth: 'Slack no acepta el token del bot (SLACK_BOT_TOKEN)',
  not_authed: 'falta el token del bot (SLACK_BOT_TOKEN)',
  token_revoked: 'el token del bot fue revocado; reinstale la aplicación',
  account_inactive: 'la aplicación fue desinstalada o su cuenta está inactiva',
  missing_scope: 'a la aplicación le falta un permiso; revise el manifiesto',
  timeout: 'Slack no respondió a tiempo',
  request_timeout: 'Slack no respondió a tiempo',
  ETIMEDOUT: 'Slack no respondió a tiempo',
  ECONNRESET: 'se cortó la conexión con Slack',
  ECONNREFUSED: 'no se pudo conectar con Slack',
  ENOTFOUND: 'no se encontró el servidor de Slack (red o DNS)',
  fatal_error: 'Slack tuvo un error interno',
  internal_error: 'Slack tuvo un error interno',
  service_unavailable: 'Slack no está disponible en este momento',
  network_error: 'no se pudo conectar con Slack',
  not_on_slack: 'la persona no tiene cuenta de Slack conocida por el bot',
  place_not_configured: 'ese canal no está configurado (revise REVIEW_CHANNEL_ID, CALENDAR_CHANNEL_ID o DIGEST_CHANNEL_ID)',
  piece_not_found: 'la pieza ya no existe',
};

/** «channel_not_found (el canal no existe o el bot no lo ve)»; an unknown code is shown as it came. */
export function explainDeliveryError(code: string): string {
  const key = Object.keys(deliveryErrors).find((k) => code === k || code.includes(k)) ?? (/\b5\d\d\b/.test(code) ? 'internal_error' : /time(d)?\s?out/i.test(code) ? 'timeout' : undefined);
  return key ? `${code} (${deliveryErrors[key]})` : code;
}
