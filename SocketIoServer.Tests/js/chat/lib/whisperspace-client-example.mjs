// Seed 000's client snippets (WhisperSpace, "Real-Time Communication"), as they stand: the code between each pair
// of markers is the seed's, in the seed's order. What is filled in around it: SOCKET_URL and the token (through
// `localStorage`), and the React state the snippets call (`setConnected`, `setMessages`, `setTypingUsers`,
// `setOnlineUsers`, `isTyping`/`setIsTyping`, `currentRoom`, `toast`), kept in `state` for the test to read.
// The snippets are TypeScript; only their type annotations are removed (`(code?: string)` → `(code)`,
// `(content: string, room?: string)` → `(content, room)`, `(room?: string)` → `(room)`), as tsc would emit them.
// `join_room` and `leave_room` are one-line snippets that use a `roomCode` variable; they are wrapped in
// `joinRoom(roomCode)` / `leaveRoom(roomCode)` here so that the test can call them. Not included: the React
// idioms of "Performance Optimization" (listener cleanup with useEffect, memoization), which register the same
// `new_message` handler again, and the console logging of "Monitoring and Debugging".
import io from "socket.io-client";

export function runWhisperSpaceClient({ SOCKET_URL, token, console }) {
  const localStorage = { getItem: (key) => (key === "chatflow_token" ? token : null) };
  const state = { connected: false, messages: [], typingUsers: [], onlineUsers: [], toasts: [], currentRoom: null };
  const update = (key) => (value) => { state[key] = typeof value === "function" ? value(state[key]) : value; };
  const setConnected = update("connected");
  const setMessages = update("messages");
  const setTypingUsers = update("typingUsers");
  const setOnlineUsers = update("onlineUsers");
  const toast = { error: (message) => state.toasts.push(message) };
  let isTyping = false;
  const setIsTyping = (value) => { isTyping = value; };
  let currentRoom = null;
  const setCurrentRoom = (room) => { currentRoom = room; state.currentRoom = room; };

  // ---- seed 000, "Client-Side Connection", Initialization (client/src/services/socket.ts) ----
const socket = io(SOCKET_URL, {
  auth: {
    token: localStorage.getItem('chatflow_token')
  }
});
  // ---- seed 000, Lifecycle Events ----
socket.on('connect', () => {
  // Connection established
  setConnected(true);
});

socket.on('disconnect', (reason) => {
  // Connection lost
  setConnected(false);
  if (reason === 'io server disconnect') {
    // Server disconnected client, reconnect manually
    socket.connect();
  }
  // Otherwise, automatic reconnection
});

socket.on('connect_error', (error) => {
  // Connection failed
  console.error('Connection error:', error);
});
  // ---- seed 000, Room Code Normalization ----
const normalizeRoomCode = (code) => 
  (code || '').trim().toUpperCase();
  // ---- seed 000, Join Room Flow, Client Emits (wrapped in joinRoom) ----
  const joinRoom = (roomCode) => {
socket.emit('join_room', roomCode);
  };
  // ---- seed 000, Leave Room Flow, Client Emits (wrapped in leaveRoom) ----
  const leaveRoom = (roomCode) => {
socket.emit('leave_room', roomCode);
  };
  // ---- seed 000, Send Message Flow, Client Side (client/src/contexts/SocketContext.tsx) ----
const sendMessage = (content, room) => {
  const roomToUse = normalizeRoomCode(room || currentRoom?.code);
  if (roomToUse && socket) {
    socket.emit('send_message', { 
      content, 
      room: roomToUse, 
      messageType: 'text' 
    });
  }
};
  // ---- seed 000, Client Receives ----
socket.on('new_message', (message) => {
  setMessages(prev => [...prev, message]);
  // Auto-scroll to bottom
  // Play notification sound
});
  // ---- seed 000, Start Typing, Client Side ----
const startTyping = (room) => {
  const roomToUse = normalizeRoomCode(room || currentRoom?.code);
  if (roomToUse && socket) {
    socket.emit('typing_start', { room: roomToUse });
  }
};
  // ---- seed 000, Start Typing, Client Receives ----
socket.on('user_typing', (data) => {
  setTypingUsers(prev => [...prev, data]);
});
  // ---- seed 000, Stop Typing, Client Side ----
const stopTyping = (room) => {
  const roomToUse = normalizeRoomCode(room || currentRoom?.code);
  if (roomToUse && socket) {
    socket.emit('typing_stop', { room: roomToUse });
  }
};
  // ---- seed 000, Stop Typing, Client Receives ----
socket.on('user_stop_typing', (data) => {
  setTypingUsers(prev => 
    prev.filter(u => u.userId !== data.userId)
  );
});
  // ---- seed 000, Debouncing Strategy ----
// Client side
let typingTimeout;

const handleInputChange = (e) => {
  const value = e.target.value;
  
  // Emit typing start
  if (!isTyping) {
    startTyping();
    setIsTyping(true);
  }
  
  // Reset timeout
  clearTimeout(typingTimeout);
  
  // Auto-stop after 1 second of inactivity
  typingTimeout = setTimeout(() => {
    stopTyping();
    setIsTyping(false);
  }, 1000);
};
  // ---- seed 000, Broadcasting Online Users, Client Receives ----
socket.on('users_online', (users) => {
  setOnlineUsers(users);
});
  // ---- seed 000, Client-Side Errors ----
socket.on('connect_error', (error) => {
  toast.error('Connection failed. Retrying...');
});
socket.on('error', (data) => {
  toast.error(data.message);
});
  // ---- end of the seed's code ----

  return { socket, state, setCurrentRoom, joinRoom, leaveRoom, sendMessage, startTyping, stopTyping, handleInputChange, normalizeRoomCode };
}
