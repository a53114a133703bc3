// A Node.js socket.io 4.8 server on @socket.io/redis-streams-adapter 0.3, the peer of the C# nodes in the streams
// mixed-cluster tests (SocketIoServer.Tests/Server/RedisStreams/StreamsMixedClusterTests.cs), connection state
// recovery on. It listens on PORT and joins the cluster on REDIS_URL with stream name, channel prefix and session key
// prefix taken from KEY (as the C# test nodes do); it takes one JSON command per stdin line and answers one JSON
// line on stdout ({"ok":...} or {"error":...}); the first line it prints is {"ready":port}.
//
// server commands: {cmd:"broadcast", rooms, event, args}  {cmd:"fetch", rooms}  {cmd:"server-side-emit", event, args}
//                  {cmd:"count"}
// client commands (a real socket.io-client, named): {cmd:"client", name, url}  -> {id, recovered}
//                  {cmd:"events", name} -> [[event, ...args], ...]
//                  {cmd:"cut", name} -> the transport is closed with no DISCONNECT packet, as a network drop -> {pid, offset}
//                  {cmd:"reconnect", name, url} -> the client comes back on url with its pid and offset, as its own
//                  reconnection would -> {id, recovered}
// Sockets: on connection each joins the rooms of its `rooms` query parameter; socket.data.node = "node";
// "join"(room, ack) joins a room.
import http from "node:http";
import { serveCommands, configurePeer } from "./lib/command-loop.mjs";
import { Server } from "socket.io";
import { io as connect } from "socket.io-client";
import { createAdapter } from "@socket.io/redis-streams-adapter";
import { createClient } from "redis";

const key = process.env.KEY ?? "socket.io";
const redis = createClient({ url: process.env.REDIS_URL });
await redis.connect();

const httpServer = http.createServer();
const io = new Server(httpServer, {
  adapter: createAdapter(redis, { streamName: key, channelPrefix: key, sessionKeyPrefix: key + ":session:", blockTimeInMs: 2000 }),
  connectionStateRecovery: { maxDisconnectionDuration: 120000, skipMiddlewares: true },
  cors: { origin: "*" },
});
configurePeer(io);

const clients = new Map();
const toBuffers = (args) => args.map((a) => (a && a.$binary ? Buffer.from(a.$binary, "base64") : a));

function open(name, url, previous) {
  const socket = connect(url, { transports: ["websocket"], reconnection: false, autoConnect: false, forceNew: true });
  if (previous) {
    // what the client's own reconnection sends: its private session id and the offset of its last event
    socket._pid = previous._pid;
    socket._lastOffset = previous._lastOffset;
  }
  const entry = { socket, events: [] };
  socket.onAny((event, ...args) => entry.events.push([event, ...args]));
  clients.set(name, entry);
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve({ id: socket.id, recovered: socket.recovered }));
    socket.once("connect_error", (error) => reject(error));
    socket.connect();
  });
}

async function run(command) {
  switch (command.cmd) {
    case "broadcast":
      io.to(command.rooms ?? []).emit(command.event, ...toBuffers(command.args ?? []));
      return true;
    case "fetch": {
      const sockets = await io.in(command.rooms ?? []).fetchSockets();
      return sockets.map((s) => ({ id: s.id, rooms: [...s.rooms].sort(), data: s.data }));
    }
    case "server-side-emit":
      return await io.serverSideEmitWithAck(command.event, ...(command.args ?? []));
    case "count":
      return await io.of("/").adapter.serverCount();
    case "client":
      return await open(command.name, command.url);
    case "events":
      return clients.get(command.name).events;
    case "cut": {
      const socket = clients.get(command.name).socket;
      socket.io.engine.close(); // the transport goes, no DISCONNECT packet: the server keeps the session
      return { pid: socket._pid, offset: socket._lastOffset };
    }
    case "reconnect": {
      const entry = clients.get(command.name);
      const result = await open(command.name, command.url, entry.socket);
      clients.get(command.name).events.unshift(...entry.events);
      return result;
    }
    default:
      throw new Error(`unknown command ${command.cmd}`);
  }
}

await serveCommands(httpServer, run, io);
