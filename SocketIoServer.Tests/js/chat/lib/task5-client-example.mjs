// Seed 001's client, "5. Client Socket Integration" (frontend/src/hooks/useSocket.ts), as it stands, run outside a
// browser. The code between the markers is the seed's with only its TypeScript removed (the type import `Socket`,
// `useRef<Socket | null>`, and the parameter annotations `: string` / `: string[]`); everything the module imports
// comes in as a parameter: React's hooks (`react`), `useAuth`, the store's `useAppDispatch` and action creators,
// and `process.env.REACT_APP_API_URL`. `markMessagesAsRead`, which the seed uses without importing, comes in the
// same way. `io` is the npm socket.io-client's default export, as the seed imports it.
import io from "socket.io-client";

/**
 * Runs the seed's useSocket hook with minimal stand-ins for React (`useRef` keeps a value, `useCallback` returns the
 * function, `useEffect` runs the effect at once and keeps its clean-up for `unmount`). Returns what the hook
 * returns, plus `unmount`.
 */
export function runUseSocket({ url, token, dispatch, console, chatSlice }) {
  const cleanups = [];
  const useRef = (initial) => ({ current: initial });
  const useCallback = (fn) => fn;
  const useEffect = (effect) => {
    const cleanup = effect();
    if (typeof cleanup === "function") cleanups.push(cleanup);
  };
  const useAuth = () => ({ token });
  const useAppDispatch = () => dispatch;
  const { addMessage, updateTypingUsers, updateUserPresence, markMessagesAsRead } = chatSlice;
  const process = { env: { REACT_APP_API_URL: url } };

  // ---- seed 001, frontend/src/hooks/useSocket.ts (TypeScript removed) ----
const useSocket = () => {
  const socketRef = useRef(null);
  const { token } = useAuth();
  const dispatch = useAppDispatch();

  useEffect(() => {
    if (!token) return;

    // Initialize socket connection
    socketRef.current = io(process.env.REACT_APP_API_URL, {
      auth: { token },
      transports: ['websocket'],
      reconnection: true,
      reconnectionDelay: 1000,
      reconnectionAttempts: 5
    });

    const socket = socketRef.current;

    // Connection events
    socket.on('connect', () => {
      console.log('Connected to server');
    });

    socket.on('disconnect', (reason) => {
      console.log('Disconnected:', reason);
    });

    socket.on('connect_error', (error) => {
      console.error('Connection error:', error.message);
    });

    // Message events
    socket.on('new-message', (message) => {
      dispatch(addMessage(message));
    });

    // Typing events
    socket.on('user-typing', ({ roomId, userId, username }) => {
      dispatch(updateTypingUsers({ roomId, userId, username, isTyping: true }));
    });

    socket.on('user-stopped-typing', ({ roomId, userId }) => {
      dispatch(updateTypingUsers({ roomId, userId, isTyping: false }));
    });

    // Presence events
    socket.on('user-online', ({ userId }) => {
      dispatch(updateUserPresence({ userId, isOnline: true }));
    });

    socket.on('user-offline', ({ userId }) => {
      dispatch(updateUserPresence({ userId, isOnline: false }));
    });

    // Read receipt events
    socket.on('messages-read', ({ userId, messageIds }) => {
      dispatch(markMessagesAsRead({ userId, messageIds }));
    });

    return () => {
      socket.disconnect();
    };
  }, [token, dispatch]);

  const joinRoom = useCallback((roomId) => {
    socketRef.current?.emit('join-room', roomId, (response) => {
      if (!response.success) {
        console.error('Failed to join room:', response.error);
      }
    });
  }, []);

  const sendMessage = useCallback((roomId, content) => {
    socketRef.current?.emit('send-message', { roomId, content }, (response) => {
      if (!response.success) {
        console.error('Failed to send message:', response.error);
      }
    });
  }, []);

  const startTyping = useCallback((roomId) => {
    socketRef.current?.emit('typing-start', roomId);
  }, []);

  const stopTyping = useCallback((roomId) => {
    socketRef.current?.emit('typing-stop', roomId);
  }, []);

  const markAsRead = useCallback((messageIds) => {
    socketRef.current?.emit('mark-read', messageIds, (response) => {
      if (!response.success) {
        console.error('Failed to mark as read:', response.error);
      }
    });
  }, []);

  return {
    socket: socketRef.current,
    joinRoom,
    sendMessage,
    startTyping,
    stopTyping,
    markAsRead
  };
};
  // ---- end of the seed's code ----

  const hook = useSocket();
  return { ...hook, unmount: () => cleanups.forEach((cleanup) => cleanup()) };
}

/** The action creators of the seed's chatSlice, as Redux Toolkit makes them: `{type, payload}`. */
export const chatSlice = Object.fromEntries(
  ["addMessage", "updateTypingUsers", "updateUserPresence", "markMessagesAsRead"].map((name) => [
    name,
    (payload) => ({ type: `chat/${name}`, payload }),
  ]),
);
