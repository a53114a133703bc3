// A real socket.io-client 4.8 behind a load balancer, for the .NET test of recovery through nginx
// (SocketIoServer.Tests/Server/RedisStreams/StreamsLoadBalancerTests.cs). It connects to URL with the client's own
// reconnection on (short delays), joins ROOM through the fixture's "join-room" on its first connection only, and
// records everything: its connections ({id, recovered}), disconnections (reasons) and events. It prints
// {"ready":id} once in the room, then answers {cmd:"state"} with what it recorded (one JSON line per stdin line).
import { io } from "socket.io-client";
import { answerCommands } from "./lib/command-loop.mjs";

const state = { connects: [], disconnects: [], events: [] };
const socket = io(process.env.URL, { reconnectionDelay: 200, reconnectionDelayMax: 1000 });
socket.onAny((event, ...args) => state.events.push([event, ...args]));
socket.on("disconnect", (reason) => state.disconnects.push(reason));
socket.on("connect", () => {
  state.connects.push({ id: socket.id, recovered: socket.recovered });
  if (state.connects.length === 1) {
    socket.emit("join-room", process.env.ROOM, () => process.stdout.write(JSON.stringify({ ready: socket.id }) + "\n"));
  }
});

answerCommands(async (command) => {
  if (command.cmd === "state") return state;
  throw new Error(`unknown command ${command.cmd}`);
});
