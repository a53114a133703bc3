// A Node.js socket.io 4.8 server on @socket.io/redis-adapter 8.x, the peer of the C# nodes in the mixed-cluster
// tests (SocketIoServer.Tests/Server/Redis/MixedClusterTests.cs). It listens on PORT, joins the cluster on
// REDIS_URL with the channel prefix KEY, and takes one JSON command per stdin line, answering one JSON line on
// stdout ({"ok":...} or {"error":...}); the first line it prints is {"ready":port}.
//
// commands: {cmd:"broadcast", rooms, event, args}  {cmd:"fetch", rooms}  {cmd:"emitter", rooms, event, args}
//           {cmd:"server-side-emit", event, args}  {cmd:"count"}
// Sockets: on connection each joins the rooms of its `rooms` query parameter (comma-separated); socket.data.node = "node".
import http from "node:http";
import readline from "node:readline";
import { Server } from "socket.io";
import { createAdapter } from "@socket.io/redis-adapter";
import { Emitter } from "@socket.io/redis-emitter";
import { createClient } from "redis";

const port = Number(process.env.PORT ?? 0);
const key = process.env.KEY ?? "socket.io";
const pub = createClient({ url: process.env.REDIS_URL });
const sub = pub.duplicate();
await Promise.all([pub.connect(), sub.connect()]);

const httpServer = http.createServer();
const io = new Server(httpServer, { adapter: createAdapter(pub, sub, { key, requestsTimeout: 3000 }), cors: { origin: "*" } });
io.on("connection", (socket) => {
  socket.data.node = "node";
  const rooms = String(socket.handshake.query.rooms ?? "").split(",").filter(Boolean);
  socket.join(rooms);
});
io.on("ping-nodes", (value, ack) => ack({ from: "node", got: value }));
const emitter = new Emitter(pub, { key });

const toBuffers = (args) => args.map((a) => (a && a.$binary ? Buffer.from(a.$binary, "base64") : a));

async function run(command) {
  switch (command.cmd) {
    case "broadcast":
      io.to(command.rooms ?? []).emit(command.event, ...toBuffers(command.args ?? []));
      return true;
    case "emitter":
      emitter.to(command.rooms ?? []).emit(command.event, ...toBuffers(command.args ?? []));
      return true;
    case "fetch": {
      const sockets = await io.in(command.rooms ?? []).fetchSockets();
      return sockets.map((s) => ({ id: s.id, rooms: [...s.rooms].sort(), data: s.data, eio: s.handshake.query.EIO }));
    }
    case "server-side-emit":
      return await io.serverSideEmitWithAck(command.event, ...(command.args ?? []));
    case "count":
      return await io.of("/").adapter.serverCount();
    default:
      throw new Error(`unknown command ${command.cmd}`);
  }
}

httpServer.listen(port, "127.0.0.1", () => {
  process.stdout.write(JSON.stringify({ ready: httpServer.address().port }) + "\n");
});

const lines = readline.createInterface({ input: process.stdin });
lines.on("line", async (line) => {
  try {
    process.stdout.write(JSON.stringify({ ok: await run(JSON.parse(line)) }) + "\n");
  } catch (error) {
    process.stdout.write(JSON.stringify({ error: String(error?.message ?? error) }) + "\n");
  }
});
lines.on("close", () => process.exit(0));
