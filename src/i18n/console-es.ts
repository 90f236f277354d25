import type { Rich } from '../views/model.js';

/** The local web console's own words (its page, controls and notices); the views' words are shared. */
export const consoleEs = {
  title: 'Visto Bueno — consola de prueba',
  demoBanner: 'Oficina de prueba en este equipo: nada sale de aquí.',
  liveBanner: 'Consola local de la oficina: lo que haga aquí es real.',
  whoAreYou: 'Quién eres',
  switchTo: 'Cambiar',
  channels: 'Canales',
  directMessages: 'Mensajes directos',
  /** the channel names shown in the sidebar, by place */
  place: { review: 'revisión', calendar: 'calendario', digest: 'resumen', kpi: 'kpi', inquiries: 'consultas' },
  dm: 'Visto Bueno',
  dmOf: (name: string) => `Mensajes directos de ${name} con Visto Bueno`,
  people: 'La oficina',
  noRole: 'sin rol',
  oncall: 'guardia',
  composerLabel: 'Escribe un comando',
  composerHint: (): Rich => ['Por ejemplo ', { cmd: 'pieza' }, ', ', { cmd: 'pieza pendientes' }, ', ', { cmd: 'calendario' }, ', ', { cmd: 'kpi' }, ', ', { cmd: 'consulta' }, ' o ', { cmd: 'guardia' }, '.'],
  send: 'Enviar',
  onlyYou: 'Solo tú ves esto',
  dismiss: 'Descartar',
  emptyConversation: 'Todavía no hay mensajes aquí.',
  inThread: 'En el hilo',
  clock: 'Reloj de la demo',
  clockNow: (when: string) => `Ahora en la demo: ${when}`,
  advanceHour: 'Avanzar 1 hora',
  advanceDay: 'Avanzar 1 día',
  advanced: (when: string) => `El reloj de la demo avanzó: ${when}.`,
  loadExample: 'Cargar ejemplo',
  reset: 'Reiniciar',
  resetAsk: 'Se borra todo lo de la oficina de prueba (piezas, calendario, campañas, consultas y mensajes).',
  exampleLoaded: 'Ejemplo cargado: programa anual, una campaña con dos semanas de cifras, piezas en distintas etapas y una consulta abierta.',
  exampleAlready: 'El ejemplo ya estaba cargado.',
  resetDone: 'La oficina de prueba quedó vacía.',
  optional: '(opcional)',
  formHasErrors: 'Revise los campos marcados.',
  fieldError: 'Error',
  cancel: 'Cancelar',
  expired: 'La página caducó: recárguela e inténtelo otra vez.',
  notFound: 'No existe esa página de la consola.',
  live: 'Actualizado en vivo',
  offline: 'Sin conexión con el bot: los cambios se verán al recargar.',
  newMessages: 'nuevos',
  chartAlt: (campaign: string, metric: string) => `Gráfica de ${metric} de la campaña ${campaign}`,
  /** the one line the bot says at start when the console is on */
  started: (url: string) => `Consola de prueba en ${url} — para usar Slack o Teams, copie .env.example a .env y complete sus datos (vea el README).`,
  startedLive: (url: string) => `Consola local en ${url} (CONSOLE=on), junto a Slack o Teams.`,
  hostRefused: (host: string) =>
    `La consola de prueba no tiene contraseña: solo escucha en 127.0.0.1, y HOST=${host} pide otra interfaz. Quite HOST (o use 127.0.0.1), o apague la consola con CONSOLE=off.`,
  surface: 'consola',
  helpTitle: 'Visto Bueno en la consola',
  helpNote: 'Escriba un comando abajo, con o sin la barra, en cualquier canal o en sus mensajes directos: la respuesta solo la ve usted.',
  /** after a link that opens in another tab, for screen readers only */
  newTab: '(se abre en otra pestaña)',
};

export type ConsoleMessages = typeof consoleEs;
