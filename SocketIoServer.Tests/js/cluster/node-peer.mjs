// A Node.js socket.io 4.8 server on @socket.io/redis-adapter 8.x, the peer of the C# nodes in the mixed-cluster
// tests (SocketIoServer.Tests/Server/Redis/MixedClusterTests.cs). It listens on PORT, joins the cluster on
// REDIS_URL with the channel prefix KEY, and takes one JSON command per stdin line, answering one JSON line on
// stdout ({"ok":...} or {"error":...}); the first line it prints is {"ready":port}.
//
// commands: {cmd:"broadcast", rooms, event, args}  {cmd:"fetch", rooms}  {cmd:"emitter", rooms, event, args}
//           {cmd:"server-side-emit", event, args}  {cmd:"count"}
// Sockets: on connection each joins the rooms of its `rooms` query parameter (comma-separated); socket.data.node = "node".
import http from "node:http";
import { serveCommands, configurePeer } from "./lib/command-loop.mjs";
import { Server } from "socket.io";
import { createAdapter } from "@socket.io/redis-adapter";
import { Emitter } from "@socket.io/redis-emitter";
import { createClient } from "redis";

const key = process.env.KEY ?? "socket.io";
const pub = createClient({ url: process.env.REDIS_URL });
const sub = pub.duplicate();
await Promise.all([pub.connect(), sub.connect()]);

const httpServer = http.createServer();
const io = new Server(httpServer, { adapter: createAdapter(pub, sub, { key, requestsTimeout: 3000 }), cors: { origin: "*" } });
configurePeer(io);
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

await serveCommands(httpServer, run, io);
