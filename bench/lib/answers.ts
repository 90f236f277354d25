/**
 * When did the fake Slack receive each response_url answer? The fake keeps the answers but not
 * their arrival time, so a 2 ms watcher in the bench process notes when each first appears.
 */
import type { FakeSlack } from '../../test/helpers/fake-slack.js';

export interface AnswerWatch {
  /** performance.now() when the answer to `id` arrived, if it has */
  at(id: string): number | undefined;
  stop(): void;
}

export function watchAnswers(slack: FakeSlack): AnswerWatch {
  const seen = new Map<string, number>();
  let scanned = 0;
  const scan = () => {
    const now = performance.now();
    for (; scanned < slack.responses.length; scanned++) {
      const id = slack.responses[scanned]!.id;
      if (!seen.has(id)) seen.set(id, now);
    }
  };
  const timer = setInterval(scan, 2);
  return {
    at: (id) => {
      scan();
      return seen.get(id);
    },
    stop: () => clearInterval(timer),
  };
}
