// Seed 002's "Client Usage Example", as it stands: only the URL, the token and the ids are filled in (by the
// parameters), and the host's `console`, `setInterval` and `crypto` are passed in so that the test can read what
// the example prints and need not wait 30 s for its first presence ping. The code between the markers is the
// seed's, unchanged.
import io from "socket.io-client";

export function runFamlyClientExample({ url, jwtToken, chatId, lastMessageId, console, setInterval, crypto }) {
  // ---- seed 002, "Client Usage Example" (URL filled in) ----
// 1. Connect with authentication
const socket = io(url, {
  auth: {
    token: jwtToken // or session token
  },
  transports: ["websocket", "polling"],
  reconnection: true,
  reconnectionAttempts: 3,
  reconnectionDelay: 1000
});

// 2. Wait for connection
socket.on("connect", () => {
  console.log("Connected:", socket.id);
});

// 3. Join a chat room
socket.emit("room:join", { chatId }, (ack) => {
  if (ack.ok) {
    console.log("Joined room");
  } else {
    console.error("Failed:", ack.error, ack.message);
  }
});

// 4. Send a message
const clientId = crypto.randomUUID();
socket.emit("message:send", {
  chatId,
  body: "Hello, World!",
  clientId
}, (ack) => {
  if (ack.ok) {
    console.log("Message sent:", ack.data.serverId);
  }
});

// 5. Listen for message broadcasts
socket.on("message:new", (message) => {
  console.log(`${message.senderId}: ${message.body}`);
});

// 6. Send typing indicator
socket.emit("typing:start", { chatId });
setTimeout(() => {
  socket.emit("typing:stop", { chatId });
}, 3000);

// 7. Listen for typing indicators
socket.on("typing:update", (update) => {
  if (update.state === "start") {
    console.log(`${update.userId} is typing...`);
  } else {
    console.log(`${update.userId} stopped typing`);
  }
});

// 8. Mark message as read
socket.emit("receipt:read", {
  chatId,
  messageId: lastMessageId
}, (ack) => {
  if (ack.ok) {
    console.log("Read receipt sent");
  }
});

// 9. Presence ping (keep-alive)
setInterval(() => {
  socket.emit("presence:ping", {}, (ack) => {
    console.log("Last activity:", ack.data.serverTime);
  });
}, 30000);

// 10. Handle disconnection
socket.on("disconnect", () => {
  console.log("Disconnected");
});

socket.on("connect_error", (error) => {
  console.error("Connection error:", error.message);
});
  // ---- end of the seed's code ----
  return socket;
}
