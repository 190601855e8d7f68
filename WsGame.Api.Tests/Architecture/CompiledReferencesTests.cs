using System.Reflection;
using System.Reflection.Emit;

namespace WsGame.Api.Tests.Architecture;

/// <summary>
/// Checks on the compiled assembly, which global usings and aliases cannot get around: the rules and the room's
/// step (namespaces <c>WsGame.Api.Game</c> and <c>WsGame.Api.Game.Rooms</c>) use no socket, connection, host,
/// clock, thread or random number, so a room can move to another host (a grain) without a rewrite.
/// </summary>
public sealed class CompiledReferencesTests
{
    private static readonly string[] ForbiddenNamespaces =
    [
        "WsGame.Api.WebSockets", "WsGame.Api.Game.Session", "WsGame.Api.Game.Wire", "WsGame.Api.Hosting", "WsGame.Api.Api",
        "Microsoft.AspNetCore", "System.Net", "System.IO.Pipelines", "System.Threading",
    ];

    private static readonly Type[] ForbiddenTypes =
    [
        typeof(TimeProvider), typeof(DateTime), typeof(DateTimeOffset), typeof(Random), typeof(System.Diagnostics.Stopwatch),
        typeof(System.Security.Cryptography.RandomNumberGenerator), typeof(Task),
    ];

    [Theory]
    [InlineData("WsGame.Api.Game")]
    [InlineData("WsGame.Api.Game.Rooms")]
    public void A_pure_namespace_references_no_connection_host_clock_thread_or_randomness(string ns)
    {
        var types = typeof(WsGame.Api.Game.Rooms.RoomCore).Assembly.GetTypes().Where(type => type.Namespace == ns).ToList();
        Assert.NotEmpty(types);

        var offences = types
            .SelectMany(type => References(type).Select(used => (type, used)))
            .Where(entry => IsForbidden(entry.used))
            .Select(entry => $"{entry.type.FullName} uses {entry.used.FullName}")
            .Distinct()
            .ToList();

        Assert.Empty(offences);
    }

    [Fact]
    public void The_check_sees_references_inside_method_bodies()
    {
        // A probe: this test class's own method below creates a Random in its body, which must be found.
        Assert.Contains(References(typeof(Probe)), type => type == typeof(Random));
    }

    private static class Probe
    {
        public static int Roll() => new Random(1).Next();
    }

    private static bool IsForbidden(Type type) =>
        ForbiddenTypes.Contains(type)
        || ForbiddenNamespaces.Any(ns => type.Namespace is { } own && (own == ns || own.StartsWith(ns + ".", StringComparison.Ordinal)));

    /// <summary>Every type a type's signatures and method bodies name (fields, calls, constructions, casts).</summary>
    private static IEnumerable<Type> References(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var field in type.GetFields(all))
        {
            yield return field.FieldType;
        }
        foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            if (method is MethodInfo info)
            {
                yield return info.ReturnType;
            }
            foreach (var parameter in method.GetParameters())
            {
                yield return parameter.ParameterType;
            }
            foreach (var used in BodyReferences(method))
            {
                yield return used;
            }
        }
        foreach (var nested in type.GetNestedTypes(all))
        {
            foreach (var used in References(nested))
            {
                yield return used;
            }
        }
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!)
        .ToDictionary(code => code.Value);

    /// <summary>Walks a method's IL opcode by opcode and resolves every type, method and field token it holds.</summary>
    private static IEnumerable<Type> BodyReferences(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }
        var module = method.Module;
        var typeArgs = method.DeclaringType?.IsGenericType == true ? method.DeclaringType.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var at = 0; at < il.Length;)
        {
            short value = il[at] == 0xFE ? (short)(0xFE00 | il[at + 1]) : il[at];
            at += il[at] == 0xFE ? 2 : 1;
            var code = OpCodesByValue[value];
            var operand = code.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
                _ => 4,
            };
            if (code.OperandType is OperandType.InlineType or OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok)
            {
                MemberInfo? member = null;
                try
                {
                    member = module.ResolveMember(BitConverter.ToInt32(il, at), typeArgs, methodArgs);
                }
                catch (ArgumentException)
                {
                    // A token of a generic context this walk cannot rebuild; its declaring type is still checked elsewhere.
                }
                if (member is Type referenced)
                {
                    yield return referenced;
                }
                else if (member?.DeclaringType is { } declaring)
                {
                    yield return declaring;
                }
            }
            at += operand;
        }
    }
}
