// Seed 002's "Client Usage Example", run as it stands (chat/lib/famly-client-example.mjs) against the chat server
// on each store the test command started (SQLite, PostgreSQL): everything the example does happens, as another
// member of the chat sees it too.
import { describe, test, after } from "node:test";
import assert from "node:assert/strict";
import { io } from "socket.io-client";
import { runFamlyClientExample } from "./lib/famly-client-example.mjs";
import { CHAT_SERVERS, token, newUser, api } from "./lib/chat-helpers.mjs";
import { waitFor, eventually, collect } from "../lib/helpers.mjs";

for (const server of CHAT_SERVERS) {
  describe(`seed 002 client example [${server.store}]`, () => {
    const sockets = [];
    after(() => sockets.forEach((s) => s.disconnect()));

    test("does everything the example does", { timeout: 20_000 }, async () => {
      const alice = newUser("alice");
      const bob = newUser("bob");
      const created = await api(server, alice, "POST", "/v1/chats", { type: "dm", memberIds: [bob] });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const chatId = created.body._id;

      const bobSocket = io(server.url, { auth: { token: token(bob) }, transports: ["websocket"] });
      sockets.push(bobSocket);
      await waitFor(bobSocket, "connect");
      const bobMessages = collect(bobSocket, "message:new");
      const bobTyping = collect(bobSocket, "typing:update");
      const bobReceipts = collect(bobSocket, "receipt:update");
      const earlier = await bobSocket.emitWithAck("message:send", { chatId, body: "earlier", clientId: crypto.randomUUID() });
      assert.equal(earlier.ok, true);
      const lastMessageId = earlier.data.serverId;

      const logs = [];
      const errors = [];
      const capture = { log: (...args) => logs.push(args.join(" ")), error: (...args) => errors.push(args.join(" ")) };
      const timers = [];
      // the example pings every 30 s; the first tick comes after 300 ms here, the code itself is unchanged
      const quickInterval = (fn) => {
        const t = setInterval(fn, 300);
        timers.push(t);
        return t;
      };
      const socket = runFamlyClientExample({ url: server.url, jwtToken: token(alice), chatId, lastMessageId, console: capture, setInterval: quickInterval, crypto });
      sockets.push(socket);
      after(() => timers.forEach(clearInterval));

      await waitFor(socket, "connect");
      bobSocket.emit("typing:start", { chatId });
      bobSocket.emit("typing:stop", { chatId });

      const expected = [
        /^Connected: \S+$/,
        /^Joined room$/,
        /^Message sent: [0-9a-f]{24}$/,
        new RegExp(`^${alice}: Hello, World!$`),
        new RegExp(`^${bob} is typing\\.\\.\\.$`),
        new RegExp(`^${bob} stopped typing$`),
        /^Read receipt sent$/,
        /^Last activity: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/,
      ];
      await eventually(() => (expected.every((re) => logs.some((line) => re.test(line))) ? true : null), 8_000,
        `the example's output (so far: ${JSON.stringify(logs)})`);

      // what the other member saw: the message, the typing start and (3 s later) stop, the receipt
      await eventually(() => (bobTyping.length >= 2 ? true : null), 8_000, "alice's typing:stop after 3 s");
      assert.deepEqual(bobTyping.map(([u]) => [u.chatId, u.userId, u.state]), [[chatId, alice, "start"], [chatId, alice, "stop"]]);
      const sent = bobMessages.map(([m]) => m).find((m) => m.body === "Hello, World!");
      assert.equal(sent.senderId, alice);
      assert.equal(sent.chatId, chatId);
      assert.deepEqual(bobReceipts.map(([r]) => [r.chatId, r.messageId, r.userId]), [[chatId, lastMessageId, alice]]);
      assert.deepEqual(errors, [], "the example printed no error");

      // 10: the disconnect handler
      socket.disconnect();
      await eventually(() => (logs.includes("Disconnected") ? true : null), 2_000, "Disconnected");

      // the backfill the seed tells clients to use after a reconnect has both messages, in order
      const backfill = await api(server, alice, "GET", `/v1/chats/${chatId}/messages?limit=200`);
      assert.equal(backfill.status, 200);
      assert.deepEqual(backfill.body.map((m) => m.body), ["earlier", "Hello, World!"]);
    });
  });
}
