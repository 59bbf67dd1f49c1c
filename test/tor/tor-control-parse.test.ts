import { describe, expect, it } from 'vitest';
import { parseBootstrapPhase, quoteControlString } from '../../src/fetch/index.js';

// The parts of the control-port client that need no Tor; the rest is exercised against the
// private Tor network (test/tor/crawl-http.test.ts, and the harness itself uses it).

describe('Tor control replies', () => {
  it('reads status/bootstrap-phase, done and stuck', () => {
    expect(parseBootstrapPhase('NOTICE BOOTSTRAP PROGRESS=100 TAG=done SUMMARY="Done"')).toEqual({ progress: 100, tag: 'done', summary: 'Done', severity: 'NOTICE' });
    expect(
      parseBootstrapPhase('WARN BOOTSTRAP PROGRESS=14 TAG=handshake SUMMARY="Handshaking with a relay" WARNING="Connection refused" REASON=CONNECTREFUSED COUNT=3 RECOMMENDATION=warn HOSTID="ABC" HOSTADDR="127.0.0.1:9001"'),
    ).toEqual({ progress: 14, tag: 'handshake', summary: 'Handshaking with a relay', severity: 'WARN', warning: 'Connection refused' });
    expect(parseBootstrapPhase('NOTICE BOOTSTRAP PROGRESS=5 TAG=conn SUMMARY="Say \\"hi\\""').summary).toBe('Say "hi"');
  });

  it('quotes passwords the way the control protocol expects', () => {
    expect(quoteControlString('pa"ss\\word')).toBe('"pa\\"ss\\\\word"');
  });
});
