// Seed 004's client snippets, run as they stand (chat/lib/deedo-client-example.mjs), against the chat server on
// each store the test command started (SQLite, PostgreSQL): the ChatClient class sends and displays messages and
// reports refusals through its `error` listener, the authentication and React Native examples connect and receive
// `newMessage`, `messageRead` and `userOnline`, and the integration test's expectation holds.
import { describe, test, after } from "node:test";
import assert from "node:assert/strict";
import { io } from "socket.io-client";
import { defineChatClient, runAuthenticationExample, runMobileExample, runIntegrationTestExample } from "./lib/deedo-client-example.mjs";
import { CHAT_SERVERS, token, newUser, api } from "./lib/chat-helpers.mjs";
import { waitFor, eventually, collect } from "../lib/helpers.mjs";

const wsUrlOf = (url) => url.replace(/^http/, "ws");

async function createGroup(server, creator, ...members) {
  const created = await api(server, creator, "POST", "/v1/chats", { type: "group", title: "Deed-O group", memberIds: members });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body._id;
}

for (const server of CHAT_SERVERS) {
  describe(`seed 004 client snippets [${server.store}]`, () => {
    const sockets = [];
    after(() => sockets.forEach((s) => s.disconnect()));

    test("ChatClient: sendMessage reaches the group as newMessage; a refusal reaches its error listener", { timeout: 20_000 }, async () => {
      const alice = newUser("alice");
      const bob = newUser("bob");
      const carol = newUser("carol");
      const groupId = await createGroup(server, alice, bob);
      const errors = [];
      const ChatClient = defineChatClient({ wsUrl: wsUrlOf(server.url), console: { error: (...args) => errors.push(args) } });
      // the app's own display, which the seed's class leaves to it
      class DisplayingClient extends ChatClient {
        displayed = [];
        displayMessage(message) {
          this.displayed.push(message);
        }
      }
      const aliceClient = new DisplayingClient(token(alice));
      const bobClient = new DisplayingClient(token(bob));
      const carolClient = new DisplayingClient(token(carol));
      sockets.push(aliceClient.socket, bobClient.socket, carolClient.socket);
      await Promise.all([aliceClient, bobClient, carolClient].map((c) => waitFor(c.socket, "connect")));

      aliceClient.sendMessage(groupId, "Hello from the ChatClient");
      aliceClient.sendMessage(groupId, "with a picture", [{ url: "https://cdn.example/cat.png", type: "image" }]);
      await eventually(() => (bobClient.displayed.length >= 2 ? true : null), 8_000, "bob's two messages");
      const [first, second] = bobClient.displayed;
      assert.deepEqual(Object.keys(first), ["id", "senderId", "groupId", "text", "attachments", "timestamp", "readBy"]);
      assert.match(first.id, /^[0-9a-f]{24}$/);
      assert.equal(first.senderId, alice);
      assert.equal(first.groupId, groupId);
      assert.equal(first.text, "Hello from the ChatClient");
      assert.deepEqual(first.attachments, []);
      assert.equal(new Date(first.timestamp).toISOString(), first.timestamp);
      assert.deepEqual(first.readBy, [alice]);
      assert.deepEqual(second.attachments, [{ url: "https://cdn.example/cat.png", type: "image" }]);
      await eventually(() => (aliceClient.displayed.length >= 2 ? true : null), 8_000, "the sender's own copies");

      carolClient.sendMessage(groupId, "not my group");
      await eventually(() => (errors.length >= 1 ? true : null), 8_000, "carol's error");
      assert.deepEqual(errors, [["Socket error:", { message: "Not a member of this group" }]]);
      assert.equal(carolClient.displayed.length, 0);
      assert.equal(carolClient.socket.connected, true, "a refusal leaves the connection working");
    });

    test("the authentication example connects; joinGroup, markAsRead and messageRead work on its socket", { timeout: 20_000 }, async () => {
      const alice = newUser("alice");
      const bob = newUser("bob");
      const groupId = await createGroup(server, alice, bob);
      const socket = runAuthenticationExample({ wsUrl: wsUrlOf(server.url), jwtToken: token(bob) });
      sockets.push(socket);
      await waitFor(socket, "connect");
      const messages = collect(socket, "newMessage");
      const reads = collect(socket, "messageRead");
      const errors = collect(socket, "error");

      const aliceSocket = io(server.url, { auth: { token: token(alice) }, transports: ["websocket"] });
      sockets.push(aliceSocket);
      await waitFor(aliceSocket, "connect");
      const aliceReads = collect(aliceSocket, "messageRead");
      aliceSocket.emit("sendMessage", { groupId, text: "read this", attachments: [] });
      await eventually(() => (messages.length >= 1 ? true : null), 8_000, "the message");
      const [message] = messages[0];

      socket.emit("markAsRead", { messageId: message.id, groupId });
      await eventually(() => (aliceReads.length >= 1 && reads.length >= 1 ? true : null), 8_000, "messageRead");
      assert.deepEqual(aliceReads[0], [{ messageId: message.id, userId: bob }]);

      socket.emit("leaveGroup", { groupId });
      // with an acknowledgement, to know the socket is back in the room before alice sends
      assert.deepEqual(await socket.emitWithAck("joinGroup", { groupId }), { success: true });
      aliceSocket.emit("sendMessage", { groupId, text: "after rejoining", attachments: [] });
      await eventually(() => (messages.length >= 2 ? true : null), 8_000, "the message after rejoining");
      assert.equal(messages[1][0].text, "after rejoining");
      assert.deepEqual(errors, []);
    });

    test("the React Native example (websocket only) hears userOnline when a member comes and goes", { timeout: 20_000 }, async () => {
      const alice = newUser("alice");
      const bob = newUser("bob");
      await createGroup(server, alice, bob);
      const storage = new Map([["jwt_token", token(bob)]]);
      const AsyncStorage = { getItem: async (key) => storage.get(key) ?? null };
      const socket = await runMobileExample({ wsUrl: wsUrlOf(server.url), AsyncStorage });
      sockets.push(socket);
      await waitFor(socket, "connect");
      assert.equal(socket.io.engine.transport.name, "websocket");
      const presence = collect(socket, "userOnline");

      const aliceSocket = io(server.url, { auth: { token: token(alice) }, transports: ["websocket"] });
      await waitFor(aliceSocket, "connect");
      await eventually(() => (presence.some(([p]) => p.userId === alice && p.isOnline) ? true : null), 8_000, "alice online");
      aliceSocket.disconnect();
      await eventually(() => (presence.some(([p]) => p.userId === alice && !p.isOnline) ? true : null), 8_000, "alice offline");
      assert.deepEqual(presence.filter(([p]) => p.userId === alice).map(([p]) => p), [
        { userId: alice, isOnline: true },
        { userId: alice, isOnline: false },
      ]);
    });

    test("the integration test's expectation holds", { timeout: 20_000 }, async () => {
      const alice = newUser("alice");
      const groupId = await createGroup(server, alice, newUser("bob"));
      const checks = [];
      const expect = (actual) => ({ toBe: (expected) => checks.push([actual, expected]) });
      const testMessage = { groupId, text: "integration test message", attachments: [] };
      const client = runIntegrationTestExample({ url: server.url, testToken: token(alice), testMessage, expect });
      sockets.push(client);
      await eventually(() => (checks.length >= 1 ? true : null), 8_000, "the newMessage listener's expect");
      assert.deepEqual(checks, [["integration test message", "integration test message"]]);
    });
  });
}
