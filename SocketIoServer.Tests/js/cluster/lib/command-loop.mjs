// What every peer of the cluster tests shares: it listens on PORT (127.0.0.1), prints {"ready":port} once it does,
// then runs one JSON command per stdin line through `run` and answers one JSON line on stdout ({"ok":...} or
// {"error":...}); it exits when stdin closes (the test that started it is done).
import readline from "node:readline";

// Before it says it is ready, the peer waits until its adapter counts EXPECT_SERVERS nodes (default 1): its
// subscriptions are made in the background, and a test that asks the cluster before they are would miss this node.
export async function serveCommands(httpServer, run, io) {
  const expected = Number(process.env.EXPECT_SERVERS ?? 1);
  while ((await io.of("/").adapter.serverCount()) < expected) await new Promise((resolve) => setTimeout(resolve, 50));
  httpServer.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
    process.stdout.write(JSON.stringify({ ready: httpServer.address().port }) + "\n");
  });
  answerCommands(run);
}

// One JSON command per stdin line through `run`, one JSON answer per stdout line; exits when stdin closes.
export function answerCommands(run) {
  const lines = readline.createInterface({ input: process.stdin });
  lines.on("line", async (line) => {
    try {
      process.stdout.write(JSON.stringify({ ok: await run(JSON.parse(line)) }) + "\n");
    } catch (error) {
      process.stdout.write(JSON.stringify({ error: String(error?.message ?? error) }) + "\n");
    }
  });
  lines.on("close", () => process.exit(0));
}

// The sockets of a peer: each joins the rooms of its `rooms` query parameter (comma-separated) and gets
// data.node = "node"; the server-side event "ping-nodes" answers {from: "node", got}.
export function configurePeer(io) {
  io.on("connection", (socket) => {
    if (!socket.recovered) socket.data.node = "node";
    const rooms = String(socket.handshake.query.rooms ?? "").split(",").filter(Boolean);
    socket.join(rooms);
    socket.on("join", (room, ack) => {
      socket.join(room);
      ack?.();
    });
  });
  io.on("ping-nodes", (value, ack) => ack({ from: "node", got: value }));
}
