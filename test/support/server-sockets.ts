// The open sockets of a test server, so that closing it ends kept-alive (and tunnelled)
// connections at once instead of waiting for their clients to hang up.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export class ServerSockets {
  readonly #sockets = new Set<Socket>();

  track(socket: Socket): void {
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
  }

  // Closes the server and every socket it still holds; resolves once the server has closed.
  async close(server: Server): Promise<void> {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.#sockets) socket.destroy();
    server.closeAllConnections();
    await closed;
  }
}
