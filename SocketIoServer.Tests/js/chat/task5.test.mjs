// Seed 001's client (the useSocket hook, chat/lib/task5-client-example.mjs) run as it stands against the chat server
// on each store the test command started (SQLite, PostgreSQL): every call of the hook does what the seed says, as
// another member of the room sees it, and every event the hook listens to reaches its Redux dispatch.
import { describe, test, after } from "node:test";
import assert from "node:assert/strict";
import { io } from "socket.io-client";
import { runUseSocket, chatSlice } from "./lib/task5-client-example.mjs";
import { CHAT_SERVERS, token, newUser, api } from "./lib/chat-helpers.mjs";
import { waitFor, eventually, collect } from "../lib/helpers.mjs";

const OBJECT_ID = /^[0-9a-f]{24}$/;
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const PRESENCE_WAIT = 6_000; // user-offline comes at most 2 s (the presence throttle) after the last socket left

function connectAs(server, userId, sockets) {
  const socket = io(server.url, { auth: { token: token(userId) }, transports: ["websocket"], forceNew: true, reconnection: false });
  sockets.push(socket);
  return socket;
}

/** Waits until `list` (from `collect`) has an emission whose first argument satisfies `match`; returns that argument. */
const arrived = (list, match, what, ms = 4_000) => eventually(() => list.map(([first]) => first).find(match), ms, what);

for (const server of CHAT_SERVERS) {
  describe(`seed 001 client, useSocket [${server.store}]`, () => {
    const sockets = [];
    after(() => sockets.forEach((s) => s.disconnect()));

    test("does everything the hook does, and hears everything it listens to", { timeout: 30_000 }, async () => {
      const [alice, bob, erin, carol] = ["alice", "bob", "erin", "carol"].map(newUser);
      const created = await api(server, alice, "POST", "/v1/chats", { type: "group", title: "Team", memberIds: [bob, erin] });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const roomId = created.body._id;
      const othersRoom = (await api(server, carol, "POST", "/v1/chats", { type: "dm", memberIds: [newUser("dave")] })).body._id;

      const bobSocket = connectAs(server, bob, sockets);
      const bobsOnlineUsers = waitFor(bobSocket, "online-users");
      const seen = Object.fromEntries(
        ["user-online", "user-offline", "user-joined", "new-message", "user-typing", "user-stopped-typing", "messages-read"]
          .map((event) => [event, collect(bobSocket, event)]),
      );
      await waitFor(bobSocket, "connect");
      const [onlineUsers] = await bobsOnlineUsers;
      assert.ok(Array.isArray(onlineUsers) && onlineUsers.includes(bob), JSON.stringify(onlineUsers));

      const actions = [];
      const logs = [];
      const errors = [];
      const capture = { log: (...args) => logs.push(args.join(" ")), error: (...args) => errors.push(args.join(" ")) };
      const hook = runUseSocket({ url: server.url, token: token(alice), dispatch: (action) => actions.push(action), console: capture, chatSlice });
      after(() => hook.unmount());
      const dispatched = (type, match, what, ms) =>
        eventually(() => actions.find((a) => a.type === `chat/${type}` && match(a.payload))?.payload, ms, what);

      await waitFor(hook.socket, "connect");
      assert.ok(logs.includes("Connected to server"), JSON.stringify(logs));
      assert.deepEqual(await arrived(seen["user-online"], (u) => u.userId === alice, "user-online"), { userId: alice, username: alice });

      // joinRoom: the others hear user-joined
      hook.joinRoom(roomId);
      assert.deepEqual(await arrived(seen["user-joined"], (j) => j.user.id === alice, "user-joined"),
        { roomId, user: { id: alice, username: alice, avatarUrl: null } });

      // sendMessage: stored, broadcast to the others with id, roomId and user; the sender's typing cleared
      hook.sendMessage(roomId, "Hello from the hook");
      const message = await arrived(seen["new-message"], (m) => m.content === "Hello from the hook", "new-message");
      assert.match(message.id, OBJECT_ID);
      assert.equal(message.roomId, roomId);
      assert.equal(message.userId, alice);
      assert.match(message.createdAt, ISO_TIME);
      assert.deepEqual(message.user, { id: alice, username: alice, avatarUrl: null });
      await arrived(seen["user-stopped-typing"], (t) => t.userId === alice, "user-stopped-typing after the message");

      // startTyping / stopTyping
      hook.startTyping(roomId);
      assert.deepEqual(await arrived(seen["user-typing"], (t) => t.userId === alice, "user-typing"), { roomId, userId: alice, username: alice });
      hook.stopTyping(roomId);
      await eventually(() => (seen["user-stopped-typing"].length >= 2 ? true : null), 4_000, "user-stopped-typing after typing-stop");
      assert.deepEqual(seen["user-stopped-typing"][1][0], { roomId, userId: alice });

      // what the hook hears: a message, typing, a read receipt, presence
      const bobsAck = await bobSocket.emitWithAck("send-message", { roomId, content: "Hi Alice" });
      assert.equal(bobsAck.success, true, JSON.stringify(bobsAck));
      assert.deepEqual(await dispatched("addMessage", (m) => m.id === bobsAck.data.id, "addMessage"), bobsAck.data);
      bobSocket.emit("typing-start", roomId);
      assert.deepEqual(await dispatched("updateTypingUsers", (t) => t.userId === bob && t.isTyping, "typing true"),
        { roomId, userId: bob, username: bob, isTyping: true });
      bobSocket.emit("typing-stop", roomId);
      await dispatched("updateTypingUsers", (t) => t.userId === bob && !t.isTyping, "typing false");

      hook.markAsRead([bobsAck.data.id]);
      assert.deepEqual(await arrived(seen["messages-read"], (r) => r.userId === alice, "messages-read"), { userId: alice, messageIds: [bobsAck.data.id] });
      const bobReads = await bobSocket.emitWithAck("mark-read", [message.id]);
      assert.equal(bobReads.success, true, JSON.stringify(bobReads));
      assert.deepEqual(bobReads.data.map((r) => [r.messageId, r.roomId, r.userId]), [[message.id, roomId, bob]]);
      assert.deepEqual(await dispatched("markMessagesAsRead", (r) => r.userId === bob, "markMessagesAsRead"), { userId: bob, messageIds: [message.id] });

      const erinSocket = connectAs(server, erin, sockets);
      await waitFor(erinSocket, "connect");
      await dispatched("updateUserPresence", (p) => p.userId === erin && p.isOnline, "erin online");
      erinSocket.disconnect();
      await dispatched("updateUserPresence", (p) => p.userId === erin && !p.isOnline, "erin offline", PRESENCE_WAIT);

      // refusals reach the hook's error branches, in the seed's words
      hook.joinRoom(othersRoom);
      hook.sendMessage(othersRoom, "intrusion");
      hook.markAsRead(["0123456789abcdef01234567"]);
      await eventually(() => (errors.length >= 3 ? true : null), 4_000, `three refusals (so far: ${JSON.stringify(errors)})`);
      assert.deepEqual(errors, [
        "Failed to join room: Cannot join this room",
        "Failed to send message: Not a room member",
        "Failed to mark as read: Not a room member",
      ]);
      assert.ok(!seen["new-message"].some(([m]) => m.content === "intrusion"));

      // the hook's clean-up disconnects; the room hears user-offline
      hook.unmount();
      await eventually(() => (logs.includes("Disconnected: io client disconnect") ? true : null), 2_000, "Disconnected");
      assert.deepEqual(await arrived(seen["user-offline"], (u) => u.userId === alice, "user-offline", PRESENCE_WAIT), { userId: alice });

      // both messages were stored, in order
      const backfill = await api(server, bob, "GET", `/v1/chats/${roomId}/messages?limit=200`);
      assert.equal(backfill.status, 200);
      assert.deepEqual(backfill.body.map((m) => m.body), ["Hello from the hook", "Hi Alice"]);
    });

    test("leave-room and update-presence, as CONTRACTS.md section 8 settles them", { timeout: 15_000 }, async () => {
      const [alice, bob] = ["alice", "bob"].map(newUser);
      const roomId = (await api(server, alice, "POST", "/v1/chats", { type: "dm", memberIds: [bob] })).body._id;
      const aliceSocket = connectAs(server, alice, sockets);
      const bobSocket = connectAs(server, bob, sockets);
      await Promise.all([waitFor(aliceSocket, "connect"), waitFor(bobSocket, "connect")]);
      const left = collect(bobSocket, "user-left");
      const presence = collect(bobSocket, "presence-update");

      assert.deepEqual(await aliceSocket.emitWithAck("update-presence", { status: "away" }), { success: true });
      assert.deepEqual(await arrived(presence, (p) => p.userId === alice, "presence-update"), { userId: alice, status: "away" });
      assert.deepEqual(await aliceSocket.emitWithAck("leave-room", roomId), { success: true });
      assert.deepEqual(await arrived(left, (l) => l.userId === alice, "user-left"), { roomId, userId: alice });

      const refused = await aliceSocket.emitWithAck("send-message", { roomId });
      assert.equal(refused.success, false);
      assert.equal(refused.code, "VALIDATION_ERROR");
      assert.equal(typeof refused.error, "string");
      assert.ok(aliceSocket.connected);
    });
  });
}
