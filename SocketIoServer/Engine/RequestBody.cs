using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;

namespace SocketIoServer.Engine;

/// <summary>A request body read into a pooled buffer; dispose to return it.</summary>
internal readonly struct RequestBody : IDisposable
{
    private readonly byte[] _buffer;
    private readonly int _length;

    private RequestBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        _length = length;
    }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, _length);

    public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);

    /// <summary>Reads the whole body; null when it is longer than <paramref name="max"/> or the client went away.</summary>
    public static async Task<RequestBody?> ReadAsync(HttpContext context, int max)
    {
        var declared = context.Request.ContentLength;
        if (declared > max) return null;

        PipeReader reader = context.Request.BodyReader;
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(declared ?? 4096, max) + 1);
        var length = 0;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(context.RequestAborted);
                var data = result.Buffer;
                if (length + data.Length > max)
                {
                    reader.AdvanceTo(data.End);
                    ArrayPool<byte>.Shared.Return(buffer);
                    return null;
                }
                if (length + data.Length > buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(buffer.Length * 2L, length + data.Length), max + 1L));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                data.CopyTo(buffer.AsSpan(length));
                length += (int)data.Length;
                reader.AdvanceTo(data.End);
                if (result.IsCompleted) return new RequestBody(buffer, length);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or BadHttpRequestException)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return null;
        }
    }
}
