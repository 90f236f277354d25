import type { KpiProblem } from '../domain/kpis/validate.js';

const list = (xs: string[]) => (xs.length ? xs.join(', ') : 'ninguna');

/** Campaign KPIs, in Spanish. Views extend this with what `/kpi` shows. */
export const kpiEs = {
  /** names of the built-in metrics */
  metric: {
    alcance: 'Alcance',
    impresiones: 'Impresiones',
    interacciones: 'Interacciones',
    seguidores: 'Seguidores',
    seguidores_nuevos: 'Seguidores nuevos',
    visitas_web: 'Visitas web',
    donaciones: 'Donaciones',
    donantes_nuevos: 'Donantes nuevos',
    retencion: 'Retención',
    llamadas: 'Llamadas',
    gasto: 'Gasto',
  } as Record<string, string>,
  /** the field of a batch item or a campaign, as the person knows it */
  field: {
    campaign: 'campaña',
    metric: 'métrica',
    date: 'fecha',
    value: 'valor',
    source: 'fuente',
    key: 'clave',
    name: 'nombre',
    start: 'inicio',
    end: 'fin',
    budget: 'presupuesto',
    targets: 'metas',
    metrics: 'métricas',
    unit: 'unidad',
    aggregation: 'acumulación',
    body: 'cuerpo',
    observation: 'observación',
    observations: 'observaciones',
  } as Record<string, string>,
  moreErrors: (n: number) => `y ${n} ${n === 1 ? 'error más' : 'errores más'}; corríjalos y envíe el lote de nuevo (no se guardó nada).`,
  /** What is wrong with one value, and what to do. */
  problem: (p: KpiProblem): string => {
    switch (p.code) {
      case 'required':
        return 'Falta este dato.';
      case 'invalid_key':
        return 'Use una clave corta de letras minúsculas, números o guion bajo (hasta 32), por ejemplo 8m.';
      case 'invalid_date':
        return 'No es una fecha válida; escríbala como AAAA-MM-DD, por ejemplo 2026-11-20.';
      case 'end_before_start':
        return 'La fecha de fin es anterior a la de inicio.';
      case 'too_long':
        return `Es demasiado largo (máximo ${p.max} caracteres).`;
      case 'unknown_campaign':
        return `No existe esa campaña. Campañas: ${list(p.known)}.`;
      case 'unknown_metric':
        return `No existe esa métrica. Métricas: ${list(p.known)}.`;
      case 'outside_campaign':
        return `La fecha está fuera de la campaña (del ${p.start} al ${p.end}).`;
      case 'duplicate_metric':
        return 'Esa métrica está repetida.';
      case 'builtin_metric':
        return 'Ya existe una métrica integrada con esa clave; use otra.';
      case 'invalid_unit':
        return 'Unidad no válida: use count, money o percent.';
      case 'invalid_aggregation':
        return 'Acumulación no válida: use sum (se suman los días) o last (cuenta el último valor).';
      case 'not_an_object':
        return 'Debe ser un objeto JSON.';
      case 'not_a_list':
        return 'Debe ser una lista.';
      case 'too_many':
        return `Son demasiados (máximo ${p.max}).`;
      case 'not_a_number':
        return 'Debe ser un número, por ejemplo 12500 o 12500.50.';
      case 'negative':
        return 'No puede ser negativo.';
      case 'not_whole':
        return 'Debe ser un número entero (es un conteo).';
      case 'too_precise':
        return 'Use como máximo dos decimales.';
      case 'over_100':
        return 'Un porcentaje no puede pasar de 100.';
      case 'too_large':
        return 'Es demasiado grande; revise el valor.';
    }
  },
};

export type KpiMessages = typeof kpiEs;
