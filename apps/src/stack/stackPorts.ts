// The stack's ports that other components are configured with before their own server starts: the SM-DP+
// names its address (ES9+), its SM-DS's ES11 and ES12/ES15 ports and the operator's ES2+ receiver. A port
// configured as 0 is bound here first, on port 0, and each server serves the socket bound for it; asking for
// a free port and binding it later would leave it to any other process in between (parallel test files do).
// A configured port (8443, …) is bound by its server at start, as always.
import { bindSocket, type BoundSocket, type BoundSockets } from '@zkesim/rsp-server';
import type { StackConfig } from './stackConfig.js';

const PORTS = ['es9Port', 'operatorEs2Port', 'smdsPort', 'smdsPeerPort'] as const;

export type StackPorts = Record<(typeof PORTS)[number], number> & {
  /** The sockets bound here, by port, for the servers to take over. */
  readonly sockets: BoundSockets;
  /** Releases the sockets no server took over; call it after every server has closed. */
  close(): Promise<void>;
};

/** The loopback address every stack server listens on. */
const HOST = '127.0.0.1';

export async function bindStackPorts(config: Pick<StackConfig, (typeof PORTS)[number]>): Promise<StackPorts> {
  const bound: BoundSocket[] = [];
  const close = async () => {
    await Promise.all(bound.map((socket) => socket.close()));
  };
  try {
    const ports = {} as Record<(typeof PORTS)[number], number>;
    for (const name of PORTS) {
      if (config[name] === 0) {
        const socket = await bindSocket(HOST);
        bound.push(socket);
        ports[name] = socket.port;
      } else {
        ports[name] = config[name];
      }
    }
    return { ...ports, sockets: new Map(bound.map((socket) => [socket.port, socket.socket])), close };
  } catch (error) {
    await close();
    throw error;
  }
}
