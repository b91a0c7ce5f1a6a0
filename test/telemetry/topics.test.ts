import { describe, expect, it } from 'vitest';
import {
  clientIdFor,
  deviceTopics,
  InvalidTopicSegmentError,
  MAX_TOPIC_LEVELS,
} from '../../contracts/topics.js';

describe('telemetry topics (v1)', () => {
  it('builds the v1 topics of one device', () => {
    const topics = deviceTopics('oslo-1', 'kiosk-07');
    expect(topics.status).toBe('vk/v1/oslo-1/kiosk-07/status');
    expect(topics.state).toBe('vk/v1/oslo-1/kiosk-07/state');
    expect(topics.health).toBe('vk/v1/oslo-1/kiosk-07/health');
    expect(topics.event('checkout-completed')).toBe('vk/v1/oslo-1/kiosk-07/events/checkout-completed');
    expect(topics.command('identify')).toBe('vk/v1/oslo-1/kiosk-07/cmd/identify');
    expect(topics.response('identify')).toBe('vk/v1/oslo-1/kiosk-07/resp/identify');
    expect(topics.commandFilter).toBe('vk/v1/oslo-1/kiosk-07/cmd/+');
    expect(topics.aclPattern).toBe('vk/v1/oslo-1/kiosk-07/#');
    expect(clientIdFor('oslo-1', 'kiosk-07')).toBe('vk-oslo-1-kiosk-07');
  });

  it('never has a leading slash or more than 7 levels', () => {
    const topics = deviceTopics('s', 'd');
    for (const topic of [topics.status, topics.event('x'), topics.command('x'), topics.response('x')]) {
      expect(topic.startsWith('/')).toBe(false);
      expect(topic.split('/').length).toBeLessThanOrEqual(MAX_TOPIC_LEVELS);
    }
  });

  it.each([
    ['site', '+', /wildcard/],
    ['site', 'a#', /wildcard/],
    ['site', 'oslo/1', /slash/],
    ['site', '', /empty/],
    ['device', '$SYS', /only letters/],
    ['device', 'kiosk 7', /only letters/],
    ['device', 'x'.repeat(65), /at most 64/],
  ])('refuses a %s id %j with a message a field tech can act on', (which, value, reason) => {
    const build = () => (which === 'site' ? deviceTopics(value, 'kiosk-1') : deviceTopics('oslo', value));
    expect(build).toThrow(InvalidTopicSegmentError);
    expect(build).toThrow(reason);
    expect(build).toThrow(/kiosk config/);
  });

  it('refuses an event type or command name that would widen the topic', () => {
    const topics = deviceTopics('oslo', 'kiosk-1');
    expect(() => topics.event('a/b')).toThrow(InvalidTopicSegmentError);
    expect(() => topics.command('#')).toThrow(InvalidTopicSegmentError);
  });
});
