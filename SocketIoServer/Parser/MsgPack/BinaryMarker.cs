using System.Security.Cryptography;
using System.Text;

namespace SocketIoServer.Parser.MsgPack;

/// <summary>
/// The property name of the objects <c>{marker: N}</c> that stand for binary value N where the msgpack parser goes
/// through JSON (encoding objects, decoding payloads). Random per process, so that no payload can contain one, by
/// accident or on purpose: the marker objects found are exactly the binaries put there.
/// </summary>
internal static class BinaryMarker
{
    public static readonly string Name = "$msgpack-binary-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public static readonly byte[] Utf8 = Encoding.UTF8.GetBytes(Name);
}
