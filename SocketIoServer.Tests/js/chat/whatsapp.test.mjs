// Seed 003's client snippets (chat/lib/whatsapp-client-example.mjs), run as they stand against the chat server on
// each store the test command started (SQLite, PostgreSQL), with what the other participants see; plus the
// events the seed names without a snippet (get-missed-messages, typing, notifications, the offline queue).
import { describe, test, after } from "node:test";
import assert from "node:assert/strict";
import { io } from "socket.io-client";
import {
  connectAllNamespaces, connectMessagesNamespace, listenForNewMessages, requestMetrics, lockEditUnlock, setStatusAndViewConversation,
} from "./lib/whatsapp-client-example.mjs";
import { CHAT_SERVERS, token, newUser, api } from "./lib/chat-helpers.mjs";
import { waitFor, eventually, collect } from "../lib/helpers.mjs";

for (const server of CHAT_SERVERS) {
  describe(`seed 003 client snippets [${server.store}]`, () => {
    const sockets = [];
    after(() => sockets.forEach((s) => s.disconnect()));
    const open = async (socket) => {
      sockets.push(socket);
      await waitFor(socket, "connect");
      return socket;
    };

    test("connects to the three namespaces, sends, locks, sets a status, views, gets metrics", { timeout: 30_000 }, async () => {
      const alice = newUser("alice");
      const bob = newUser("bob");
      const created = await api(server, alice, "POST", "/v1/chats", { type: "group", title: "team", memberIds: [bob] });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const conversationId = created.body._id;

      const { socket, messagesSocket, notificationsSocket } = connectAllNamespaces({ url: server.url, token: token(alice) });
      await Promise.all([socket, messagesSocket, notificationsSocket].map(open));
      const bobMessages = await open(connectMessagesNamespace({ url: server.url, token: token(bob) }));
      const bobDefault = await open(io(server.url, { auth: { token: token(bob) } }));
      const newOnMessages = [];
      listenForNewMessages({ messagesSocket: bobMessages, handler: (m) => newOnMessages.push(m) });
      const newOnDefault = collect(bobDefault, "message:new");
      const bobStatus = collect(bobMessages, "user:status");
      const bobViewed = collect(bobMessages, "conversation:viewed");

      // message:send on /messages, message:new on both namespaces with both seeds' fields
      const ack = await messagesSocket.emitWithAck("message:send", { conversationId, content: "Hello from 003" });
      assert.equal(ack.success, true, JSON.stringify(ack));
      const messageId = ack.message._id;
      await eventually(() => (newOnMessages.length && newOnDefault.length ? true : null), 5_000, "message:new on / and /messages");
      for (const m of [newOnMessages[0], newOnDefault[0][0]]) {
        assert.equal(m.conversationId, conversationId);
        assert.equal(m.content, "Hello from 003");
        assert.equal(m.chatId, conversationId);
        assert.equal(m.body, "Hello from 003");
        assert.equal(m._id, messageId);
      }

      // locks: held by bob, alice's snippet shows the alert; after bob unlocks, the snippet edits
      await new Promise((resolve) => bobMessages.emit("message:lock", { messageId }, resolve));
      const alerts = [];
      const editing = [];
      lockEditUnlock({ socket: messagesSocket, messageId, alert: (text) => alerts.push(text), onEditing: (e) => editing.push(e) });
      await eventually(() => (alerts.length ? true : null), 5_000, "the lock-failed alert");
      assert.deepEqual(alerts, [`Message is being edited by ${bob}`]);
      await bobMessages.emitWithAck("message:unlock", { messageId });
      const second = connectMessagesNamespace({ url: server.url, token: token(alice) });
      await open(second);
      lockEditUnlock({ socket: second, messageId, alert: (text) => alerts.push(text), onEditing: (e) => editing.push(e) });
      await eventually(() => (editing.length ? true : null), 5_000, "message:locked");
      assert.deepEqual(editing, [{ messageId, lockedBy: alice }]);
      // the snippet unlocked it: bob may lock now
      await eventually(async () => ((await bobMessages.emitWithAck("message:lock", { messageId })).success ? true : null), 5_000, "the unlock");

      // status and conversation view
      setStatusAndViewConversation({ socket: messagesSocket, conversationId });
      await eventually(() => (bobStatus.length && bobViewed.length ? true : null), 5_000, "user:status and conversation:viewed");
      assert.equal(bobStatus[0][0].userId, alice);
      assert.equal(bobStatus[0][0].status, "busy");
      assert.equal(bobStatus[0][0].customStatus.message, "In a meeting");
      assert.equal(bobStatus[0][0].customStatus.emoji, "📞");
      assert.equal(bobViewed[0][0].conversationId, conversationId);

      // metrics: no ack given, so a metrics event
      const metrics = waitFor(messagesSocket, "metrics");
      requestMetrics({ socket: messagesSocket });
      const [reply] = await metrics;
      assert.deepEqual(Object.keys(reply), ["userId", "socketId", "avgLatency", "lastHeartbeat", "missedHeartbeats", "consecutiveMissed"]);
      assert.equal(reply.userId, alice);
      assert.equal(reply.socketId, messagesSocket.id);
      const beat = await messagesSocket.emitWithAck("heartbeat", { timestamp: Date.now() });
      assert.equal(typeof beat.latency, "number");

      // typing on /messages reaches the others only
      const typing = waitFor(bobMessages, "user:typing");
      messagesSocket.emit("typing", { conversationId });
      const [typed] = await typing;
      assert.deepEqual(typed, { conversationId, userId: alice, username: alice });

      // deletion through the HTTP API
      const deleted = waitFor(bobMessages, "message:deleted");
      assert.equal((await api(server, alice, "DELETE", `/v1/messages/${messageId}`)).status, 204);
      assert.deepEqual((await deleted)[0], { messageId, conversationId, deletedBy: alice });
    });

    test("offline: missed messages, the queue on reconnect, notifications", { timeout: 30_000 }, async () => {
      const alice = newUser("alice");
      const carol = newUser("carol");
      const created = await api(server, alice, "POST", "/v1/chats", { type: "dm", memberIds: [carol] });
      const conversationId = created.body._id;
      const aliceSocket = await open(connectMessagesNamespace({ url: server.url, token: token(alice) }));
      const lastSyncDate = new Date().toISOString();
      for (const content of ["one", "two"]) {
        const ack = await aliceSocket.emitWithAck("message:send", { conversationId, content, clientId: crypto.randomUUID() });
        assert.equal(ack.success, true);
      }

      // carol comes back: the queue arrives as message:new, the missed messages through the ack, notifications by REST
      const carolSocket = io(`${server.url}/messages`, { auth: { token: token(carol) } });
      const queued = collect(carolSocket, "message:new");
      await open(carolSocket);
      await eventually(() => (queued.length >= 2 ? true : null), 5_000, "the queued messages");
      assert.deepEqual(queued.map(([m]) => m.content), ["one", "two"]);
      const missed = await carolSocket.emitWithAck("get-missed-messages", { lastSyncDate });
      assert.deepEqual(missed.map((m) => m.content), ["one", "two"]);

      const listed = await api(server, carol, "GET", "/api/notifications");
      assert.equal(listed.status, 200);
      assert.deepEqual(listed.body.map((n) => [n.type, n.priority, n.read]), [["message", "normal", false], ["message", "normal", false]]);
      assert.deepEqual((await api(server, carol, "GET", "/api/notifications/unread")).body, { count: 2 });

      const notifications = await open(io(`${server.url}/notifications`, { auth: { token: token(carol) } }));
      const unread = await notifications.emitWithAck("notifications:unread");
      assert.equal(unread.count, 2);
      const read = await notifications.emitWithAck("notification:read", { notificationId: listed.body[0]._id });
      assert.equal(read.notification.read, true);
      assert.equal((await notifications.emitWithAck("notifications:mark-all-read")).count, 1);
      const removed = await notifications.emitWithAck("notification:delete", { notificationId: listed.body[1]._id });
      assert.equal(removed.success, true);
      assert.equal((await api(server, carol, "GET", "/api/notifications")).body.length, 1);
    });

    test("the token bucket answers rate-limit-exceeded", { timeout: 20_000 }, async () => {
      const dave = newUser("dave");
      const socket = await open(connectMessagesNamespace({ url: server.url, token: token(dave) }));
      const exceeded = waitFor(socket, "rate-limit-exceeded");
      for (let i = 0; i < 31; i++) socket.emit("metrics:get", () => {});
      const [payload] = await exceeded;
      assert.deepEqual(Object.keys(payload), ["event", "message"]);
      assert.equal(payload.event, "metrics:get");
      assert.equal(socket.connected, true);
    });
  });
}
