#!/usr/bin/env node
// Reference fixture server built on the official Node.js `engine.io` and
// `socket.io` packages. It implements the same fixture contract as the C#
// server's `fixture` command, so that the conformance runner
// (scripts/conformance) and the benchmarks can be validated against the
// reference implementation.
//
// Contract (one HTTP server):
//   /engine.io/  plain Engine.IO server; every message received is echoed back.
//   /socket.io/  Socket.IO server:
//     namespace "/":
//       on connection          -> emit("auth", handshake.auth)
//       "message"(...args)     -> emit("message-back", ...args)
//       "message-with-ack"(...args, ack) -> ack(...args)
//       "join-room"(room, ack) -> join(room), ack(room)
//       "room-broadcast"(room, ...args) -> io.to(room).emit("room-broadcast", ...args)
//       "broadcast"(...args)   -> io.emit("broadcast", ...args)
//     namespace "/custom": on connection -> emit("auth", handshake.auth)
//     any other namespace is refused ("Invalid namespace").
//
// Usage: node server.mjs [--port 3000] [--ping-interval 300] [--ping-timeout 200] [--allow-eio3]
//                       [--redis redis://host:port [--redis-key socket.io]]
//        (the conformance suites need the defaults; benchmarks may use the
//        production settings --ping-interval 25000 --ping-timeout 20000)
//        --redis joins a cluster through @socket.io/redis-adapter (the same
//        channels as the C# fixture's --redis, whose key is "socket.io"), so
//        that the cluster benchmark can run two Node nodes as it runs two C# ones.

import http from "node:http";
import { parseArgs } from "node:util";
import { Server as EngineServer } from "engine.io";
import { Server as SocketIoServer } from "socket.io";
import { createAdapter } from "@socket.io/redis-adapter";
import { createClient } from "redis";

function usage(exitCode) {
  const text =
    "usage: node server.mjs [--port N] [--ping-interval MS] [--ping-timeout MS] [--allow-eio3] [--redis URL [--redis-key KEY]]\n" +
    "  --port           TCP port to listen on (default 3000)\n" +
    "  --ping-interval  Engine.IO pingInterval in ms (default 300)\n" +
    "  --ping-timeout   Engine.IO pingTimeout in ms (default 200)\n" +
    "  --allow-eio3     accept Engine.IO v3 clients (socket.io-client 2.x) on both paths\n" +
    "  --redis          join a cluster through @socket.io/redis-adapter at this redis:// URL\n" +
    "  --redis-key      the adapter's channel prefix (default socket.io, as the C# fixture's)\n";
  (exitCode === 0 ? process.stdout : process.stderr).write(text);
  process.exit(exitCode);
}

function parseIntOption(name, raw) {
  if (!/^\d+$/.test(raw)) {
    process.stderr.write(`invalid value for --${name}: ${raw}\n`);
    usage(2);
  }
  return Number(raw);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      port: { type: "string", default: "3000" },
      "ping-interval": { type: "string", default: "300" },
      "ping-timeout": { type: "string", default: "200" },
      "allow-eio3": { type: "boolean", default: false },
      redis: { type: "string" },
      "redis-key": { type: "string", default: "socket.io" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  }));
} catch (err) {
  process.stderr.write(`${err.message}\n`);
  usage(2);
}
if (values.help) usage(0);

const port = parseIntOption("port", values.port);
const pingInterval = parseIntOption("ping-interval", values["ping-interval"]);
const pingTimeout = parseIntOption("ping-timeout", values["ping-timeout"]);
const allowEIO3 = values["allow-eio3"];
const redisUrl = values.redis;
if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl)) {
  process.stderr.write(`--redis: '${redisUrl}' is not a redis:// URL\n`);
  usage(2);
}

const MAX_HTTP_BUFFER_SIZE = 1e6;
const CONNECT_TIMEOUT = 1000;
const cors = { origin: "*" };

// Fallback for anything that is neither /engine.io/ nor /socket.io/.
const httpServer = http.createServer((req, res) => {
  res.writeHead(404, { "Content-Type": "text/plain" });
  res.end("not found");
});

// --- plain Engine.IO echo server at /engine.io/ -----------------------------
const engine = new EngineServer({
  pingInterval,
  pingTimeout,
  maxHttpBufferSize: MAX_HTTP_BUFFER_SIZE,
  cors,
  allowEIO3,
});
engine.attach(httpServer, { path: "/engine.io" });
engine.on("connection", (socket) => {
  socket.on("message", (data) => {
    socket.send(data);
  });
});

// --- Socket.IO server at /socket.io/ -----------------------------------------
const io = new SocketIoServer(httpServer, {
  path: "/socket.io",
  pingInterval,
  pingTimeout,
  maxHttpBufferSize: MAX_HTTP_BUFFER_SIZE,
  connectTimeout: CONNECT_TIMEOUT,
  cors,
  allowEIO3,
  serveClient: false,
});

io.on("connection", (socket) => {
  socket.emit("auth", socket.handshake.auth);

  socket.on("message", (...args) => {
    socket.emit("message-back", ...args);
  });

  socket.on("message-with-ack", (...args) => {
    if (typeof args[args.length - 1] !== "function") return; // no ack requested
    const ack = args.pop();
    ack(...args);
  });

  socket.on("join-room", (room, ack) => {
    socket.join(room);
    if (typeof ack === "function") ack(room);
  });

  socket.on("room-broadcast", (room, ...args) => {
    io.to(room).emit("room-broadcast", ...args);
  });

  socket.on("broadcast", (...args) => {
    io.emit("broadcast", ...args);
  });
});

// --- cluster (optional) ---------------------------------------------------------
// The adapter needs one client for publishing and one in subscriber mode. The
// server starts listening only once both are connected, so that a listening
// node is a cluster member (the benchmark waits for the port).
const redisClients = [];
if (redisUrl !== undefined) {
  const pubClient = createClient({ url: redisUrl });
  const subClient = pubClient.duplicate();
  for (const client of [pubClient, subClient]) {
    client.on("error", (err) => process.stderr.write(`redis error: ${err.message}\n`));
  }
  await Promise.all([pubClient.connect(), subClient.connect()]);
  redisClients.push(pubClient, subClient);
  io.adapter(createAdapter(pubClient, subClient, { key: values["redis-key"] }));
}

io.of("/custom").on("connection", (socket) => {
  socket.emit("auth", socket.handshake.auth);
});

// --- lifecycle ---------------------------------------------------------------
httpServer.on("error", (err) => {
  process.stderr.write(`reference server error: ${err.message}\n`);
  process.exit(1);
});

httpServer.listen(port, () => {
  process.stdout.write(
    `reference server listening on port ${port} ` +
      `(pingInterval=${pingInterval}, pingTimeout=${pingTimeout}, ` +
      `maxHttpBufferSize=${MAX_HTTP_BUFFER_SIZE}, connectTimeout=${CONNECT_TIMEOUT}, allowEIO3=${allowEIO3}` +
      (redisUrl !== undefined ? `, redis=${redisUrl} key=${values["redis-key"]}` : "") +
      ")\n"
  );
});

let shuttingDown = false;
function shutdown() {
  if (shuttingDown) return;
  shuttingDown = true;
  io.close();
  engine.close();
  for (const client of redisClients) client.disconnect().catch(() => {});
  httpServer.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
