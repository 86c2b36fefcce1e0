// The stack's ports that the SM-DP+'s configuration names before their servers start: a port configured as 0 is
// bound at once (held: nobody else can bind it until the server takes the socket over, or close releases it); a
// configured port (`npm start`'s 8443 …) is passed on as it is, for its server to bind as always.
import { createServer } from 'node:net';
import { expect, it } from 'vitest';
import { bindStackPorts } from './stackPorts.js';

const bindError = (port: number) =>
  new Promise<string | undefined>((resolve) => {
    const other = createServer();
    other.once('error', (error: NodeJS.ErrnoException) => resolve(error.code));
    other.listen(port, '127.0.0.1', () => other.close(() => resolve(undefined)));
  });

it('binds the ports configured as 0 and passes configured ones on unbound', async () => {
  const ports = await bindStackPorts({ es9Port: 8443, operatorEs2Port: 0, smdsPort: 8447, smdsPeerPort: 0 });
  try {
    expect([ports.es9Port, ports.smdsPort]).toEqual([8443, 8447]);
    expect([...ports.sockets.keys()].sort()).toEqual([ports.operatorEs2Port, ports.smdsPeerPort].sort());
    expect(ports.operatorEs2Port).not.toBe(ports.smdsPeerPort);
    expect(await bindError(ports.operatorEs2Port)).toBe('EADDRINUSE');
    expect(await bindError(ports.smdsPeerPort)).toBe('EADDRINUSE');
  } finally {
    await ports.close();
  }
  expect(await bindError(ports.operatorEs2Port)).toBeUndefined();
  expect(await bindError(ports.smdsPeerPort)).toBeUndefined();
});

it('binds nothing when every port is configured', async () => {
  const configured = { es9Port: 8443, operatorEs2Port: 8451, smdsPort: 8447, smdsPeerPort: 8452 };
  const ports = await bindStackPorts(configured);
  expect({ es9Port: ports.es9Port, operatorEs2Port: ports.operatorEs2Port, smdsPort: ports.smdsPort, smdsPeerPort: ports.smdsPeerPort }).toEqual(configured);
  expect(ports.sockets.size).toBe(0);
  await ports.close();
});
