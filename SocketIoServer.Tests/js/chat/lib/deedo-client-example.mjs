// Seed 004's client snippets, as they stand: only the URLs and the tokens are filled in (by the parameters), and
// what the host provides (`console`, React Native's `AsyncStorage`, the test framework's `expect`) is passed in, so
// that the test can read what they print and check. The code between each pair of markers is the seed's, unchanged.
import { io } from "socket.io-client";

// ---- seed 004, "Client Authentication Example" (URL and token filled in) ----
export function runAuthenticationExample({ wsUrl, jwtToken }) {
// Frontend connection with JWT
const socket = io(wsUrl, {
  auth: {
    token: jwtToken
  }
});
  // ---- end of the seed's code ----
  return socket;
}

// ---- seed 004, "Frontend Connection Example" (URL filled in; `import { io } from 'socket.io-client'` above) ----
export function defineChatClient({ wsUrl, console }) {
class ChatClient {
  constructor(token) {
    this.socket = io(wsUrl, {
      auth: { token }
    });
    
    this.setupEventListeners();
  }
  
  setupEventListeners() {
    this.socket.on('newMessage', (message) => {
      this.displayMessage(message);
    });
    
    this.socket.on('error', (error) => {
      console.error('Socket error:', error);
    });
  }
  
  sendMessage(groupId, text, attachments = []) {
    this.socket.emit('sendMessage', {
      groupId,
      text,
      attachments
    });
  }
}
  // ---- end of the seed's code ----
  return ChatClient;
}

// ---- seed 004, "Mobile App Integration" (URL filled in; `import io from 'socket.io-client'` is the same client) ----
export async function runMobileExample({ wsUrl, AsyncStorage }) {
// React Native with Socket.IO
const socket = io(wsUrl, {
  auth: {
    token: await AsyncStorage.getItem('jwt_token')
  },
  transports: ['websocket']
});
  // ---- end of the seed's code ----
  return socket;
}

// ---- seed 004, "Integration Testing" (URL filled in) ----
export function runIntegrationTestExample({ url, testToken, testMessage, expect }) {
// Client-side testing
const client = io(url, {
  auth: { token: testToken }
});

client.emit('sendMessage', testMessage);
client.on('newMessage', (message) => {
  expect(message.text).toBe(testMessage.text);
});
  // ---- end of the seed's code ----
  return client;
}
