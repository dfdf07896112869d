import { describe, expect, it } from 'vitest';
import { mapConnection, parseHostPort, parseRouteMap, routeKey, RouteMapError } from '../../../../src/relay/delivery/route-map.js';

describe('route map', () => {
  it('parses IPv4, IPv6 and name entries into canonical keys', () => {
    const m = parseRouteMap(['10.0.0.25:25=127.0.0.1:40001', '[2001:DB8:0:0::25]:25=127.0.0.1:40002', 'Edge.Corp.Example:587=[::1]:40003']);
    expect(m.get('10.0.0.25:25')).toEqual({ host: '127.0.0.1', port: 40001 });
    expect(m.get('[2001:db8::25]:25')).toEqual({ host: '127.0.0.1', port: 40002 });
    expect(m.get('edge.corp.example:587')).toEqual({ host: '::1', port: 40003 });
  });

  it('maps a connection whatever the spelling, and leaves others alone', () => {
    const m = parseRouteMap(['[2001:db8::25]:25=127.0.0.1:40002', '10.0.0.25:25=127.0.0.1:40001']);
    expect(mapConnection(m, '2001:0db8:0000::0025', 25)).toEqual({ host: '127.0.0.1', port: 40002 });
    expect(mapConnection(m, '::ffff:10.0.0.25', 25)).toEqual({ host: '127.0.0.1', port: 40001 });
    expect(mapConnection(m, '10.0.0.25', 26)).toEqual({ host: '10.0.0.25', port: 26 });
    expect(mapConnection(undefined, '10.0.0.25', 25)).toEqual({ host: '10.0.0.25', port: 25 });
    expect(routeKey('2001:db8::25', 25)).toBe('[2001:db8::25]:25');
  });

  it('refuses malformed entries with a clear message', () => {
    for (const bad of [
      '10.0.0.25:25',
      '10.0.0.25=127.0.0.1:1',
      '2001:db8::1:25=127.0.0.1:1',
      '10.0.0.25:0=127.0.0.1:1',
      '[10.0.0.1]:25=127.0.0.1:1',
      'x y:25=127.0.0.1:1',
    ]) {
      expect(() => parseRouteMap([bad]), bad).toThrow(RouteMapError);
    }
    expect(() => parseRouteMap(['nope'])).toThrow(/HOST:PORT=HOST:PORT/);
    expect(parseHostPort('[::1]:25')).toEqual({ host: '::1', port: 25 });
  });
});
