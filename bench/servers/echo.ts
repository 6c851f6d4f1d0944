/**
 * Baseline B0: the thinnest uWebSockets.js server there is. Echoes every text
 * frame back on the same socket. Run as its own process; prints
 * `READY {"port":…}` when listening.
 */
import uWS from 'uWebSockets.js';

const app = uWS.App();
app.ws('/*', {
  compression: uWS.DISABLED,
  idleTimeout: 0,
  maxPayloadLength: 64 * 1024,
  message: (ws, message, isBinary) => {
    ws.send(message, isBinary, false);
  },
});
app.listen('127.0.0.1', 0, (socket) => {
  if (!socket) {
    console.error('echo: listen failed');
    process.exit(1);
  }
  console.log(`READY ${JSON.stringify({ port: uWS.us_socket_local_port(socket) })}`);
});
process.on('SIGTERM', () => process.exit(0));
