import type { Clock } from '../../domain/shared/clock.js';

/**
 * The demo office's clock: real time plus an offset the person trying the console moves forward
 * («Avanzar 1 hora», «Avanzar 1 día») so reminders, digests, pages and warnings fire in front of them.
 * It exists only in the console's demo mode; the offset is kept in the demo's database.
 */
export class DemoClock implements Clock {
  private offset = 0;

  constructor(private readonly real: () => number = Date.now) {}

  now(): number {
    return this.real() + this.offset;
  }

  get offsetMs(): number {
    return this.offset;
  }

  /** Only ever forward: time going back would fire nothing and confuse every «hace 2 horas». */
  setOffset(ms: number): void {
    this.offset = Math.max(0, Math.round(ms));
  }

  advance(ms: number): void {
    this.setOffset(this.offset + ms);
  }
}
