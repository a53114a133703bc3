using System.Reflection;
using System.Reflection.Emit;

namespace SocketIoServer.Tests;

/// <summary>
/// Keeps the layers honest: each layer's types may only use the layers below it (Engine and Parser know nothing
/// above them; the Server layer knows nothing of Hosting, Chat or the fixture).
/// </summary>
[TestFixture]
public sealed class ArchitectureTests
{
    private static readonly Assembly Product = typeof(SocketIoServer.Engine.EngineServer).Assembly;

    private static readonly Dictionary<string, string[]> Forbidden = new()
    {
        ["SocketIoServer.Engine"] = ["SocketIoServer.Parser", "SocketIoServer.Server", "SocketIoServer.Hosting", "SocketIoServer.Chat", "SocketIoServer.Fixture"],
        ["SocketIoServer.Parser"] = ["SocketIoServer.Engine", "SocketIoServer.Server", "SocketIoServer.Hosting", "SocketIoServer.Chat", "SocketIoServer.Fixture"],
        ["SocketIoServer.Server"] = ["SocketIoServer.Hosting", "SocketIoServer.Chat", "SocketIoServer.Fixture"],
        ["SocketIoServer.Hosting"] = ["SocketIoServer.Chat", "SocketIoServer.Fixture"],
    };

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    public static IEnumerable<string> Layers => Forbidden.Keys;

    [TestCaseSource(nameof(Layers))]
    public void A_layer_uses_no_layer_above_it(string layer)
    {
        var types = Product.GetTypes().Where(t => t.Namespace == layer).ToList();
        Assert.That(types, Is.Not.Empty);
        var violations = new List<string>();
        foreach (var type in types)
        {
            foreach (var used in ReferencedTypes(type))
            {
                if (used.Namespace is { } ns && Forbidden[layer].Any(f => ns == f || ns.StartsWith(f + ".", StringComparison.Ordinal)))
                    violations.Add($"{type.FullName} uses {used.FullName}");
            }
        }
        Assert.That(violations.Distinct(), Is.Empty);
    }

    [Test]
    public void The_check_sees_a_real_dependency()
    {
        // the Server layer does use the Engine and Parser layers; if the scan missed them it would prove nothing
        var used = Product.GetTypes().Where(t => t.Namespace == "SocketIoServer.Server").SelectMany(ReferencedTypes).ToList();
        Assert.That(used.Select(t => t.Namespace), Does.Contain("SocketIoServer.Engine").And.Contain("SocketIoServer.Parser"));
    }

    /// <summary>Types named in signatures, fields, locals and method bodies.</summary>
    private static IEnumerable<Type> ReferencedTypes(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        if (type.BaseType is { } b) yield return b;
        foreach (var i in type.GetInterfaces()) yield return i;
        foreach (var f in type.GetFields(all)) yield return f.FieldType;
        foreach (var p in type.GetProperties(all)) yield return p.PropertyType;
        foreach (var m in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            if (m is MethodInfo mi) yield return mi.ReturnType;
            foreach (var p in m.GetParameters()) yield return p.ParameterType;
            var body = m.GetMethodBody();
            if (body is null) continue;
            foreach (var local in body.LocalVariables) yield return local.LocalType;
            foreach (var t in TypesInIl(m, body.GetILAsByteArray() ?? [])) yield return t;
        }
    }

    /// <summary>Walks the IL opcode by opcode and resolves every type, method and field token it names.</summary>
    private static IEnumerable<Type> TypesInIl(MethodBase method, byte[] il)
    {
        var i = 0;
        while (i < il.Length)
        {
            short value = il[i] == 0xFE && i + 1 < il.Length ? (short)(0xFE00 | il[i + 1]) : il[i];
            if (!OpCodesByValue.TryGetValue(value, out var op)) yield break;
            i += op.Size;
            var operandSize = op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, i),
                _ => 4,
            };
            if (op.OperandType is OperandType.InlineType or OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok)
            {
                Type? found = null;
                try
                {
                    var member = method.Module.ResolveMember(BitConverter.ToInt32(il, i),
                        method.DeclaringType?.IsGenericType == true ? method.DeclaringType.GetGenericArguments() : null,
                        method.IsGenericMethod ? method.GetGenericArguments() : null);
                    found = member as Type ?? member?.DeclaringType;
                }
                catch (Exception ex) when (ex is ArgumentException or BadImageFormatException or MissingMemberException or TypeLoadException)
                {
                }
                if (found is not null) yield return found;
            }
            i += operandSize;
        }
    }
}
