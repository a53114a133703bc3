using StackExchange.Redis;

namespace SocketIoServer.Chat.Cluster.Redis;

// the scripts: each reads and writes one user's presence (or one dead node's users) at once, so two nodes never
// both see the same transition; keys of other nodes are built inside them (a single Redis, not a Redis Cluster)
public sealed partial class RedisPresence
{
    // this node now has @count sockets of the user: its field in the user's hash, the node's user set, and seed 001's
    // keys (presence:<id> SETEX 300 and online_users) follow; returns 1 when the user is online on some live node
    private static readonly LuaScript SetCountScript = LuaScript.Prepare("""
        local count = tonumber(@count)
        if count > 0 then
            redis.call('HSET', @sockets, @node, count)
            redis.call('SADD', @nodeUsers, @user)
        else
            redis.call('HDEL', @sockets, @node)
            redis.call('SREM', @nodeUsers, @user)
        end
        local online = count > 0
        if not online then
            for _, other in ipairs(redis.call('HKEYS', @sockets)) do
                if redis.call('EXISTS', @nodePrefix .. other) == 1 then
                    online = true
                    break
                end
            end
        end
        if online then
            if @arrived == '1' or redis.call('SISMEMBER', @onlineUsers, @user) == 0 then
                redis.call('SET', @presence, @presenceJson, 'EX', @presenceTtl)
                redis.call('SADD', @onlineUsers, @user)
            end
            return 1
        end
        redis.call('DEL', @presence)
        redis.call('SREM', @onlineUsers, @user)
        return 0
        """);

    // whether to announce: compares the cluster's truth with the status last announced (for any node) and applies
    // the throttle; {1, online} announce now, {2, ms} wait that long and ask again (this node holds the pending
    // mark), {0, 0} nothing to say or another node is waiting already
    private static readonly LuaScript ReportScript = LuaScript.Prepare("""
        if @clearPending == '1' then redis.call('DEL', @pending) end
        local online = '0'
        for _, node in ipairs(redis.call('HKEYS', @sockets)) do
            if redis.call('EXISTS', @nodePrefix .. node) == 1 or node == @self then
                online = '1'
                break
            end
        end
        local status, at = '0', 0
        local reported = redis.call('GET', @reported)
        if reported then
            status = string.sub(reported, 1, 1)
            at = tonumber(string.sub(reported, 3))
        end
        if status == online then return {0, 0} end
        if redis.call('EXISTS', @pending) == 1 then return {0, 0} end
        local now = tonumber(@now)
        local throttle = tonumber(@throttle)
        if now - at >= throttle then
            if online == '1' then
                redis.call('SET', @reported, online .. ':' .. now)
            else
                -- once the quiet period is over, "offline" and "never reported" mean the same
                redis.call('SET', @reported, online .. ':' .. now, 'PX', throttle)
            end
            return {1, tonumber(online)}
        end
        local wait = throttle - (now - at)
        redis.call('SET', @pending, '1', 'PX', wait + 5000)
        return {2, wait}
        """);

    private static readonly LuaScript IsOnlineScript = LuaScript.Prepare("""
        for _, node in ipairs(redis.call('HKEYS', @sockets)) do
            if node == @self or redis.call('EXISTS', @nodePrefix .. node) == 1 then return 1 end
        end
        return 0
        """);

    // the heartbeat: whether this node's registration was still there (else Redis lost it, or others took this node
    // for dead, and the node writes its sockets again)
    private static readonly LuaScript HeartbeatScript = LuaScript.Prepare("""
        local existed = redis.call('EXISTS', @nodeKey)
        redis.call('SET', @nodeKey, '1', 'PX', @ttl)
        redis.call('SADD', @nodes, @node)
        return existed
        """);

    // the nodes whose registration expired: their sockets no longer count; returns the users left offline by it
    private static readonly LuaScript ReapScript = LuaScript.Prepare("""
        local offline = {}
        for _, node in ipairs(redis.call('SMEMBERS', @nodes)) do
            if node ~= @self and redis.call('EXISTS', @prefix .. 'chat:node:' .. node) == 0 then
                local usersKey = @prefix .. 'chat:node-users:' .. node
                for _, user in ipairs(redis.call('SMEMBERS', usersKey)) do
                    local sockets = @prefix .. 'chat:sockets:' .. user
                    redis.call('HDEL', sockets, node)
                    local online = false
                    for _, other in ipairs(redis.call('HKEYS', sockets)) do
                        if redis.call('EXISTS', @prefix .. 'chat:node:' .. other) == 1 then
                            online = true
                            break
                        end
                    end
                    if not online then
                        redis.call('DEL', @prefix .. 'presence:' .. user)
                        redis.call('SREM', @prefix .. 'online_users', user)
                        table.insert(offline, user)
                    end
                end
                redis.call('DEL', usersKey)
                redis.call('SREM', @nodes, node)
            end
        end
        return offline
        """);
}
