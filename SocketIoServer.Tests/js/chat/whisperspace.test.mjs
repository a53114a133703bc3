// Seed 000's client snippets, run as they stand (chat/lib/whisperspace-client-example.mjs), against the chat server
// on each store the test command started (SQLite, PostgreSQL): three users' apps join a room by code, see who is
// online, talk, type, get the seed's errors, leave and disconnect, and the messages are never stored.
import { describe, test, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { runWhisperSpaceClient } from "./lib/whisperspace-client-example.mjs";
import { CHAT_SERVERS, token, newUser, api } from "./lib/chat-helpers.mjs";
import { waitFor, eventually, collect } from "../lib/helpers.mjs";

const quietConsole = { log() {}, error() {} };

for (const server of CHAT_SERVERS) {
  describe(`seed 000 client snippets [${server.store}]`, () => {
    const apps = [];
    after(() => apps.forEach((app) => app.socket.disconnect()));

    async function startApp(userId) {
      const app = runWhisperSpaceClient({ SOCKET_URL: server.url, token: token(userId, `${userId} (name)`), console: quietConsole });
      apps.push(app);
      await waitFor(app.socket, "connect");
      assert.equal(app.state.connected, true, "the connect handler ran");
      return app;
    }

    const ids = (users) => users.map((u) => u.userId).sort();

    test("rooms by code, presence, messages to the whole room, typing, leaving", { timeout: 20_000 }, async () => {
      const [alice, bob, carol] = [newUser("alice"), newUser("bob"), newUser("carol")];
      const code = `night-${randomUUID().slice(0, 6)}`;
      const room = code.toUpperCase();
      const aliceApp = await startApp(alice);
      const bobApp = await startApp(bob);
      const carolApp = await startApp(carol);
      const joined = collect(aliceApp.socket, "joined_room");

      aliceApp.joinRoom(`  ${code} `);
      await eventually(() => (joined.length === 1 ? true : null), 4_000, "joined_room");
      assert.deepEqual(joined[0], [room], "joined_room carries the normalized code");
      await eventually(() => (aliceApp.state.onlineUsers.length === 1 ? true : null), 4_000, "alice's users_online");
      assert.deepEqual(aliceApp.state.onlineUsers, [{ socketId: aliceApp.socket.id, username: `${alice} (name)`, userId: alice, rooms: {} }]);

      bobApp.joinRoom(code);
      carolApp.joinRoom(room.toLowerCase());
      await eventually(() => (aliceApp.state.onlineUsers.length === 3 ? true : null), 4_000, "three users online");
      assert.deepEqual(ids(aliceApp.state.onlineUsers), [alice, bob, carol].sort());

      // sendMessage with the current room: the whole room gets it, the sender too
      aliceApp.setCurrentRoom({ code });
      aliceApp.sendMessage("  Hello, <script>alert(1)</script>World!  ");
      await eventually(() => (bobApp.state.messages.length === 1 && aliceApp.state.messages.length === 1 ? true : null), 4_000, "new_message");
      const message = bobApp.state.messages[0];
      assert.deepEqual(Object.keys(message), ["_id", "content", "sender", "room", "messageType", "createdAt", "isEdited"]);
      assert.match(message._id, /^\d{13}-[0-9a-z]{9}$/);
      assert.equal(message.content, "Hello, World!", "trimmed and sanitized");
      assert.deepEqual(message.sender, { _id: alice, username: `${alice} (name)`, isOnline: true });
      assert.equal(message.room, room);
      assert.equal(message.messageType, "text");
      assert.ok(!Number.isNaN(Date.parse(message.createdAt)));
      assert.equal(message.isEdited, false);
      assert.deepEqual(aliceApp.state.messages, bobApp.state.messages);

      // typing through the debounced input handler: others see it start, then stop a second later
      bobApp.setCurrentRoom({ code: room });
      bobApp.handleInputChange({ target: { value: "h" } });
      bobApp.handleInputChange({ target: { value: "hi" } });
      await eventually(() => (aliceApp.state.typingUsers.length === 1 ? true : null), 4_000, "user_typing");
      assert.deepEqual(aliceApp.state.typingUsers, [{ username: `${bob} (name)`, userId: bob }]);
      assert.deepEqual(carolApp.state.typingUsers, [{ username: `${bob} (name)`, userId: bob }]);
      await eventually(() => (aliceApp.state.typingUsers.length === 0 ? true : null), 4_000, "user_stop_typing after 1 s");
      assert.deepEqual(bobApp.state.typingUsers, [], "the typist does not see itself");

      // leave_room: left_room, and the others' list shrinks; disconnect: the same
      const left = collect(carolApp.socket, "left_room");
      carolApp.leaveRoom(code);
      await eventually(() => (left.length === 1 && aliceApp.state.onlineUsers.length === 2 ? true : null), 4_000, "left_room and users_online");
      assert.deepEqual(left[0], [room]);
      bobApp.socket.disconnect();
      await eventually(() => (aliceApp.state.onlineUsers.length === 1 ? true : null), 4_000, "users_online after bob's disconnect");
      assert.deepEqual(ids(aliceApp.state.onlineUsers), [alice]);

      aliceApp.sendMessage("after they left");
      await eventually(() => (aliceApp.state.messages.length === 2 ? true : null), 4_000, "alice's second message");
      assert.equal(carolApp.state.messages.length, 1, "carol left before the second message");
      assert.deepEqual(aliceApp.state.toasts, [], "no error so far");

      // ephemeral: the room is an open conversation with no stored message
      const backfill = await api(server, alice, "GET", `/v1/chats/${encodeURIComponent(room)}/messages?limit=200`);
      assert.equal(backfill.status, 200, JSON.stringify(backfill.body));
      assert.deepEqual(backfill.body, []);
    });

    test("the seed's errors reach toast.error, and the 31st message in a minute is refused", { timeout: 20_000 }, async () => {
      const alice = newUser("alice");
      const code = `err-${randomUUID().slice(0, 6)}`;
      const app = await startApp(alice);
      app.joinRoom(code);
      await eventually(() => (app.state.onlineUsers.length === 1 ? true : null), 4_000, "joined");

      app.joinRoom("   ");
      app.sendMessage("   ", code);
      app.sendMessage("x".repeat(5001), code);
      app.socket.emit("send_message", { room: code });
      app.socket.emit("send_message", { content: "no room" });
      await eventually(() => (app.state.toasts.length === 5 ? true : null), 4_000, "five errors");
      assert.deepEqual(app.state.toasts, [
        "Room code is required",
        "Message required",
        "Message too long (max 5000 chars)",
        "Invalid content",
        "Room required",
      ]);

      // four refused sends above counted (the seed counts before validating): 26 more pass, the next is refused
      for (let i = 0; i < 26; i++) app.sendMessage(`m${i}`, code);
      app.sendMessage("one too many", code);
      await eventually(() => (app.state.toasts.length === 6 ? true : null), 4_000, "the rate limit error");
      assert.equal(app.state.toasts[5], "Too many messages. Slow down.");
      await eventually(() => (app.state.messages.length === 26 ? true : null), 4_000, "the 26 accepted messages");
      assert.ok(!app.state.messages.some((m) => m.content === "one too many"));
      assert.equal(app.state.connected, true);
    });
  });
}
