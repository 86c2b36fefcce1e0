// The race between choosing a free port and binding it, made certain: a findFreePort whose port another listener
// takes the moment it is handed out (for `steal` ports, or all of them), as another process may do when test
// files run side by side. For vi.mock factories, which import it dynamically.
import { createServer, type AddressInfo, type Server } from 'node:net';

export interface PortThief {
  /** How many of the next ports to take; Infinity for every one. */
  steal: number;
  /** The listeners holding taken ports, to close after the test. */
  listeners: Server[];
}

/** A listener on 127.0.0.1:port that drops every connection. */
export function occupyPort(port = 0): Promise<Server> {
  return new Promise<Server>((resolve, reject) => {
    const server = createServer((socket) => socket.destroy());
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/** Takes the port if the thief is still to steal one. */
export async function stealIfAsked(thief: PortThief, port: number): Promise<void> {
  if (thief.steal <= 0) return;
  thief.steal -= 1;
  thief.listeners.push(await occupyPort(port));
}

/** findFreePort as given, except that the thief takes each port it hands out while `thief.steal` lasts. */
export function stealingFindFreePort(findFreePort: () => Promise<number>, thief: PortThief): () => Promise<number> {
  return async () => {
    const port = await findFreePort();
    await stealIfAsked(thief, port);
    return port;
  };
}

/** The ports the thief holds, in the order it took them. */
export const stolenPorts = (thief: PortThief): number[] => thief.listeners.map((server) => (server.address() as AddressInfo).port);

/** Closes every listener the thief holds. */
export async function releaseStolenPorts(thief: PortThief): Promise<void> {
  await Promise.all(thief.listeners.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
}
