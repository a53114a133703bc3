// Seed 003's client snippets, as they stand: only the URL, the token and the ids ('msg123', 'conv123') are filled
// in (by the parameters), and the host's `alert` is passed in so that the test can see what the lock snippet
// shows. The code between the markers of each function is the seed's, unchanged.
import { io } from "socket.io-client";

/** "Client Connection Examples": the three namespaces. */
export function connectAllNamespaces({ url, token }) {
  // ---- seed 003, "Client Connection Examples" (URL and token filled in) ----
// Default namespace (legacy)
const socket = io(url, {
  auth: { token: token }
});

// Messages namespace
const messagesSocket = io(`${url}/messages`, {
  auth: { token: token }
});

// Notifications namespace
const notificationsSocket = io(`${url}/notifications`, {
  auth: { token: token }
});
  // ---- end of the seed's code ----
  return { socket, messagesSocket, notificationsSocket };
}

/** "Troubleshooting", "Correct": the messages namespace by URL. */
export function connectMessagesNamespace({ url, token }) {
  // ---- seed 003, "Troubleshooting" (URL filled in) ----
const socket = io(`${url}/messages`, { auth: { token } });
  // ---- end of the seed's code ----
  return socket;
}

/** "Migration Guide" step 2: the message:new handler on the messages namespace. */
export function listenForNewMessages({ messagesSocket, handler }) {
  // ---- seed 003, "Migration Guide", step 2 ----
messagesSocket.on('message:new', handler);
  // ---- end of the seed's code ----
}

/** "Getting Metrics": the request (the reply is a `metrics` event, since no ack is given). */
export function requestMetrics({ socket }) {
  // ---- seed 003, "Getting Metrics" ----
// Client requests metrics
socket.emit('metrics:get');
  // ---- end of the seed's code ----
}

/** "Conflict Management", "Client Integration": lock, the two answers, unlock. */
export function lockEditUnlock({ socket, messageId, alert, onEditing }) {
  // ---- seed 003, "Client Integration" ('msg123' filled in; the comment "Start editing" made observable) ----
// Lock before editing
socket.emit('message:lock', { messageId: messageId });

socket.on('message:locked', ({ messageId, lockedBy }) => {
  // Start editing
  onEditing({ messageId, lockedBy });
});

socket.on('lock-failed', ({ messageId, lockedBy, reason }) => {
  alert(`Message is being edited by ${lockedBy}`);
});

// Unlock after editing
socket.emit('message:unlock', { messageId: messageId });
  // ---- end of the seed's code ----
}

/** "Advanced Status Features", "Client Usage": custom status, conversation view. */
export function setStatusAndViewConversation({ socket, conversationId }) {
  // ---- seed 003, "Client Usage" ('conv123' filled in) ----
// Set custom status
socket.emit('status:set', {
  status: 'busy',
  customStatus: {
    message: 'In a meeting',
    emoji: '📞',
    expiresAt: new Date(Date.now() + 3600000) // 1 hour
  }
});

// Track conversation view
socket.emit('conversation:view', {
  conversationId: conversationId
});
  // ---- end of the seed's code ----
}
