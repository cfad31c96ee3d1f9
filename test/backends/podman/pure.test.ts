// The podman backend's pure parts: where a running service is looked for, and how engine errors
// name Podman's service (never "the Docker engine").

import { describe, expect, it } from 'vitest';
import { serviceSocket, SYSTEM_SOCKET } from '../../../src/backends/podman/service.js';

describe('serviceSocket', () => {
  it('takes ISOBENCH_PODMAN_SOCKET (with or without unix://), else the system socket', () => {
    expect(serviceSocket({ ISOBENCH_PODMAN_SOCKET: 'unix:///tmp/p.sock' })).toEqual({ socketPath: '/tmp/p.sock', from: 'ISOBENCH_PODMAN_SOCKET' });
    expect(serviceSocket({ ISOBENCH_PODMAN_SOCKET: '/tmp/p.sock' })).toEqual({ socketPath: '/tmp/p.sock', from: 'ISOBENCH_PODMAN_SOCKET' });
    expect(serviceSocket({ ISOBENCH_PODMAN_SOCKET: '  ' })).toEqual({ socketPath: SYSTEM_SOCKET, from: 'system socket' });
    expect(serviceSocket({})).toEqual({ socketPath: '/run/podman/podman.sock', from: 'system socket' });
  });
});
